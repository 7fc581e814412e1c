/*
 * input.c: load a model and the data it is explained on.
 *
 * The CSV is read with common/csv (only the model's feature columns and the
 * label column are parsed) straight into float32 column-major arrays. Rows
 * where a model feature is NaN or infinite follow the --nonfinite policy.
 */
#include "input.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "util.h"

static char **dup_names(const char *const *names, size_t n)
{
	char **r = xcalloc(n ? n : 1, sizeof(*r));

	for (size_t i = 0; i < n; i++)
		r[i] = xstrdup(names[i]);
	return r;
}

static void free_names(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int32_t truth_id(input *in, const char *s, size_t *cap)
{
	for (size_t c = 0; c < in->n_truth_classes; c++)
		if (!strcmp(in->truth_classes[c], s))
			return (int32_t)c;
	ALLOC_GROW(in->truth_classes, in->n_truth_classes + 1, *cap);
	in->truth_classes[in->n_truth_classes] = xstrdup(s);
	return (int32_t)in->n_truth_classes++;
}

int input_load_csv(input *in, const char *path, const char *label, enum input_nonfinite policy)
{
	csv_reader *r = csv_open(path);
	long *col, lab;
	size_t cap_rows = 0, n = 0, nf = in->n_features, truth_cap = 0;
	float **cols;
	csv_field *f;
	int rc;

	if (!r)
		return -1;
	col = xcalloc(nf ? nf : 1, sizeof(*col));
	for (size_t j = 0; j < nf; j++) {
		col[j] = csv_colindex(r, in->features[j]);
		if (col[j] < 0) {
			const char *near = util_closest(in->features[j], csv_colnames(r), csv_ncols(r));

			if (near)
				error("%s: no column '%s', a feature of the model (did you mean '%s'?)", path,
				      in->features[j], near);
			else
				error("%s: no column '%s', a feature of the model", path, in->features[j]);
			free(col);
			csv_free(r);
			return -1;
		}
	}
	lab = label ? csv_colindex(r, label) : -1;
	if (lab >= 0) {
		in->n_truth_classes = in->n_classes;
		in->truth_classes = dup_names((const char *const *)in->classes, in->n_classes);
		truth_cap = in->n_classes ? in->n_classes : 1;
	}
	cols = xcalloc(nf ? nf : 1, sizeof(*cols));
	while ((rc = csv_read(r, &f)) > 0) {
		int skip = 0;

		if (n == cap_rows) {
			size_t nc = cap_rows ? st_mult(cap_rows, 2) : 4096;

			for (size_t j = 0; j < nf; j++)
				cols[j] = xreallocarray(cols[j], nc, sizeof(**cols));
			if (lab >= 0)
				in->truth = xreallocarray(in->truth, nc, sizeof(*in->truth));
			cap_rows = nc;
		}
		for (size_t j = 0; j < nf; j++) {
			double v;

			if (parse_double_n(f[col[j]].s, f[col[j]].len, 1, &v)) {
				error("%s:%zu: column '%s': not a number: '%s'", path, csv_line(r),
				      in->features[j], f[col[j]].s);
				rc = -1;
				break;
			}
			if (isfinite(v) && fabs(v) > 3.4028234663852886e38)
				v = v > 0 ? INFINITY : -INFINITY;	/* beyond float32: sklearn rejects it too */
			if (!isfinite(v)) {
				if (policy == INPUT_NONFINITE_REFUSE) {
					error("%s:%zu: column '%s': non-finite value '%s' (--nonfinite drop, zero "
					      "or clip choose what to do)", path, csv_line(r), in->features[j],
					      f[col[j]].s);
					rc = -1;
					break;
				}
				if (policy == INPUT_NONFINITE_DROP) {
					skip = 1;
					break;
				}
				v = policy == INPUT_NONFINITE_CLIP && isinf(v) ? (v > 0 ? FLT_MAX : -FLT_MAX) : 0;
			}
			cols[j][n] = (float)v;
		}
		if (rc < 0)
			break;
		if (skip) {
			in->n_dropped++;
			continue;
		}
		if (lab >= 0)
			in->truth[n] = truth_id(in, f[lab].s, &truth_cap);
		n++;
	}
	csv_free(r);
	free(col);
	if (rc < 0) {
		for (size_t j = 0; j < nf; j++)
			free(cols[j]);
		free(cols);
		return -1;
	}
	if (!n) {
		for (size_t j = 0; j < nf; j++)
			free(cols[j]);
		free(cols);
		return error("%s: no data rows%s", path, in->n_dropped ? " with finite values" : "");
	}
	in->n_rows = n;
	in->X = xreallocarray(NULL, st_mult(n, nf ? nf : 1), sizeof(*in->X));
	for (size_t j = 0; j < nf; j++) {
		memcpy(in->X + j * n, cols[j], n * sizeof(*in->X));
		free(cols[j]);
	}
	free(cols);
	return 0;
}

void input_release(input *in)
{
	free(in->X);
	free_names(in->features, in->n_features);
	free_names(in->classes, in->n_classes);
	free_names(in->truth_classes, in->n_truth_classes);
	free(in->expert);
	free(in->truth);
	free(in->model_kind);
	memset(in, 0, sizeof(*in));
}
