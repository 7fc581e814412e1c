/*
 * input.c: load a model (common/model) and the data it is explained on
 * (common/table: the model's features by name, in the model's order, the
 * model's class list, the same non-finite policies as forest), then ask
 * the model once for every row. Without a model file: the data as forest
 * train reads it, one pass more over the CSV for the record lines (and the
 * predictions column, or the feature cells the command reads), the labels
 * from trustee/expert matched to the kept rows.
 */
#include "input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
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
	model_table_opts(m, &o);
	o.label = label;
	o.label_optional = 1;
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
	/* what is left of the table (line numbers, names) goes before the predictions:
	 * the model is the peak of the run */
	table_release(&t);
	in->expert = xreallocarray(NULL, in->n_rows, sizeof(*in->expert));
	model_predict_mt(m, in->X, in->n_rows, threads, in->expert);
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

/* ---- without a model file -------------------------------------------------- */

/* One pass over the data CSV: the line of every record, and the column or the feature cells. */
struct pass {
	size_t *lines;
	size_t n;
	expert_labels col;	/* the predictions column of the data */
	char *cells;		/* the feature columns as CSV (header + rows) */
	size_t cells_len;
};

static int data_pass(const input_opts *o, const table *t, struct pass *p)
{
	csv_reader *r = csv_open(o->data);
	long *idx = NULL, pc = -1;
	FILE *mem = NULL;
	csv_field *f;
	size_t cap = 0, lcap = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!r)
		return -1;
	if (o->kind == EXPERT_PREDICTIONS && !o->predictions)
		pc = csv_colindex(r, o->column);
	if (o->kind == EXPERT_COMMAND) {
		idx = xcalloc(t->n_features ? t->n_features : 1, sizeof(*idx));
		mem = open_memstream(&p->cells, &p->cells_len);
		if (!mem)
			die("out of memory");
		for (size_t j = 0; j < t->n_features; j++) {
			const char *h;

			idx[j] = csv_colindex(r, t->features[j]);
			h = csv_colname(r, (size_t)idx[j]);
			if (j)
				fputc(',', mem);
			csv_write_field(mem, h, strlen(h));
		}
		fputc('\n', mem);
	}
	while ((rc = csv_read(r, &f)) > 0) {
		ALLOC_GROW(p->lines, p->n + 1, cap);
		p->lines[p->n++] = csv_line(r);
		if (pc >= 0) {
			if (p->col.n == lcap) {
				lcap = lcap ? 2 * lcap : 1024;
				p->col.label = xreallocarray(p->col.label, lcap, sizeof(char *));
				p->col.line = xreallocarray(p->col.line, lcap, sizeof(size_t));
			}
			p->col.label[p->col.n] = xstrndup(f[pc].s, f[pc].len);
			p->col.line[p->col.n++] = csv_line(r);
		}
		for (size_t j = 0; mem && j < t->n_features; j++) {
			if (j)
				fputc(',', mem);
			csv_write_field(mem, f[idx[j]].s, f[idx[j]].len);
		}
		if (mem)
			fputc('\n', mem);
	}
	csv_free(r);
	free(idx);
	if (mem && fclose(mem))
		die("out of memory");
	return rc < 0 ? -1 : 0;
}

static void pass_release(struct pass *p)
{
	free(p->lines);
	expert_labels_free(&p->col);
	free(p->cells);
	memset(p, 0, sizeof(*p));
}

/* Record number (0-based) of the record starting on line, by bisection. */
static size_t record_of(const struct pass *p, size_t line)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->lines[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Where an empty answer of record r is, for the message. */
static void empty_label(const input_opts *o, const expert_labels *l, const struct pass *p, size_t r)
{
	if (o->kind == EXPERT_COMMAND)
		error("expert command gave an empty label for row %zu ('%s' line %zu)", r + 1, o->data,
		      p->lines[r]);
	else if (o->predictions)
		error("%s:%zu: empty '%s' for row %zu of '%s' (line %zu)", o->predictions, l->line[r],
		      o->column, r + 1, o->data, p->lines[r]);
	else
		error("%s:%zu: empty '%s' value", o->data, p->lines[r], o->column);
}

/* Expert class ids for the kept rows: classes are the sorted distinct labels. */
static int classes_from_labels(input *in, const input_opts *o, const table *t,
			       const expert_labels *l, const struct pass *p)
{
	const char **lab = xcalloc(t->n_rows ? t->n_rows : 1, sizeof(*lab));
	const char **u = xcalloc(t->n_rows ? t->n_rows : 1, sizeof(*u));
	size_t nu = 0;

	for (size_t i = 0; i < t->n_rows; i++) {
		size_t r = record_of(p, t->src_line[i]);

		if (!l->label[r][0]) {
			empty_label(o, l, p, r);
			free(lab);
			free(u);
			return -1;
		}
		lab[i] = u[i] = l->label[r];
	}
	qsort(u, t->n_rows, sizeof(*u), cmp_str);
	for (size_t i = 0; i < t->n_rows; i++)
		if (!nu || strcmp(u[nu - 1], u[i]))
			u[nu++] = u[i];
	in->n_classes = nu;
	in->classes = xcalloc(nu ? nu : 1, sizeof(char *));
	for (size_t k = 0; k < nu; k++)
		in->classes[k] = xstrdup(u[k]);
	in->expert = xreallocarray(NULL, t->n_rows ? t->n_rows : 1, sizeof(*in->expert));
	for (size_t i = 0; i < t->n_rows; i++) {
		const char **hit = bsearch(&lab[i], u, nu, sizeof(*u), cmp_str);

		in->expert[i] = (int32_t)(hit - u);
	}
	free(lab);
	free(u);
	return 0;
}

/* True labels renumbered: the expert's classes first, then the labels it never gives. */
static void truth_from_table(input *in, table *t)
{
	int32_t *map;
	size_t n = in->n_classes;

	if (!t->y)
		return;
	map = xcalloc(t->n_classes ? t->n_classes : 1, sizeof(*map));
	in->truth_classes = xcalloc(in->n_classes + t->n_classes + 1, sizeof(char *));
	for (size_t k = 0; k < in->n_classes; k++)
		in->truth_classes[k] = xstrdup(in->classes[k]);
	for (size_t c = 0; c < t->n_classes; c++) {
		size_t k;

		for (k = 0; k < in->n_classes; k++)
			if (!strcmp(in->classes[k], t->classes[c]))
				break;
		if (k == in->n_classes) {
			k = n++;
			in->truth_classes[k] = xstrdup(t->classes[c]);
		}
		map[c] = (int32_t)k;
	}
	in->n_truth_classes = n;
	in->truth = t->y;
	t->y = NULL;
	for (size_t i = 0; i < t->n_rows; i++)
		in->truth[i] = map[in->truth[i]];
	free(map);
}

static void print_excluded(const table *t)
{
	if (!t->n_excluded)
		return;
	fprintf(stderr, "trustee: excluded identifier columns:");
	for (size_t i = 0; i < t->n_excluded; i++)
		fprintf(stderr, "%s %s", i ? "," : "", t->excluded[i]);
	fprintf(stderr, " (--keep-identifiers keeps them)\n");
}

static int open_without_model(input *in, const input_opts *o)
{
	table t;
	table_opts to;
	struct pass p;
	expert_labels got, *l = &got;
	char *excl = NULL;
	int column_mode = o->kind == EXPERT_PREDICTIONS && !o->predictions;

	memset(in, 0, sizeof(*in));
	memset(&got, 0, sizeof(got));
	if (column_mode) {
		/* the column must exist before it can be left out of the features */
		csv_reader *r = csv_open(o->data);
		int rc = 0;

		if (!r)
			return -1;
		if (csv_colindex(r, o->column) < 0) {
			expert_labels none;	/* fails at the header, with the message */

			rc = expert_read_column(o->data, o->column, &none);
			expert_labels_free(&none);
		}
		csv_free(r);
		if (rc)
			return -1;
		excl = xmalloc(strlen(o->column) + (o->exclude ? strlen(o->exclude) : 0) + 2);
		sprintf(excl, "%s%s%s", o->exclude ? o->exclude : "", o->exclude ? "," : "", o->column);
	}
	table_opts_default(&to);
	to.label = o->label;
	to.label_optional = 1;
	to.features = o->features;
	to.exclude = excl ? excl : o->exclude;
	to.keep_identifiers = o->keep_identifiers;
	to.nonfinite = o->nonfinite;
	if (table_load(&t, o->data, &to)) {
		free(excl);
		return -1;
	}
	free(excl);
	if (!t.n_rows) {
		error("%s: no data rows%s", o->data, t.n_dropped ? " with finite values" : "");
		table_release(&t);
		return -1;
	}
	print_excluded(&t);
	if (data_pass(o, &t, &p))
		goto fail;
	if (column_mode) {
		l = &p.col;
	} else if (o->kind == EXPERT_PREDICTIONS) {
		if (expert_read_column(o->predictions, o->column, &got))
			goto fail;
		if (got.n != p.n) {
			error("%s has %zu prediction%s for the %zu rows of '%s'", o->predictions, got.n,
			      got.n == 1 ? "" : "s", p.n, o->data);
			goto fail;
		}
	} else if (expert_cmd_labels("expert command", o->command, p.cells, p.cells_len, p.n, &got)) {
		goto fail;
	}
	if (classes_from_labels(in, o, &t, l, &p))
		goto fail;
	truth_from_table(in, &t);
	in->n_rows = t.n_rows;
	in->n_features = t.n_features;
	in->X = t.X;
	t.X = NULL;
	in->features = dup_names(t.features, t.n_features);
	in->n_dropped = t.n_dropped;
	expert_labels_free(&got);
	pass_release(&p);
	table_release(&t);
	return 0;
fail:
	expert_labels_free(&got);
	pass_release(&p);
	table_release(&t);
	input_release(in);
	return -1;
}

int input_open(input *in, const input_opts *o)
{
	if (o->kind == EXPERT_MODEL)
		return input_load(in, o->model, o->data, o->label, o->nonfinite, o->threads);
	return open_without_model(in, o);
}
