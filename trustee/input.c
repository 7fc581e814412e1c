/*
 * input.c: load a model (common/model) and the data it is explained on
 * (common/table: the model's features by name, in the model's order, the
 * model's class list, the same non-finite policies as forest), then ask
 * the model once for every row.
 */
#include "input.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

static char **dup_names(char *const *names, size_t n)
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

int input_load(input *in, const char *model_path, const char *data_path, const char *label,
	       enum table_nonfinite policy, int threads)
{
	ml_model *m;
	table t;
	table_opts o;

	memset(in, 0, sizeof(*in));
	m = model_load(model_path);
	if (!m)
		return -1;
	table_opts_default(&o);
	o.label = label;
	o.label_optional = 1;
	o.want = (const char *const *)m->features;
	o.n_want = m->n_features;
	o.classes = (const char *const *)m->classes;
	o.n_classes = m->n_classes;
	o.nonfinite = policy;
	if (table_load(&t, data_path, &o)) {
		model_free(m);
		return -1;
	}
	if (!t.n_rows) {
		error("%s: no data rows%s", data_path, t.n_dropped ? " with finite values" : "");
		table_release(&t);
		model_free(m);
		return -1;
	}
	in->n_rows = t.n_rows;
	in->n_features = m->n_features;
	in->X = t.X;
	t.X = NULL;
	in->features = dup_names(m->features, m->n_features);
	in->n_classes = m->n_classes;
	in->classes = dup_names(m->classes, m->n_classes);
	in->truth = t.y;
	t.y = NULL;
	if (in->truth) {
		in->n_truth_classes = t.n_classes;
		in->truth_classes = dup_names(t.classes, t.n_classes);
	}
	in->model_kind = xstrdup(model_kind_name(m));
	in->n_dropped = t.n_dropped;
	in->expert = xreallocarray(NULL, in->n_rows, sizeof(*in->expert));
	model_predict_mt(m, in->X, in->n_rows, threads, in->expert);
	table_release(&t);
	model_free(m);
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
