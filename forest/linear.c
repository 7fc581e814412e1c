/*
 * linear.c: LIBLINEAR (Debian 2.3) models for `forest train --linear`.
 * Features are scaled by us (signed log1p, then min-max from the training
 * rows) and the scaling is stored in the model; LIBLINEAR's own names
 * (train, predict, model, ...) stay confined to this file.
 */
#include "forest.h"

#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void quiet(const char *s)
{
	(void)s;
}

static double slog1p(float x)
{
	return x >= 0 ? log1p((double)x) : -log1p(-(double)x);
}

ml_model *forest_train_linear(const table *t, double C, const char *solver, uint64_t seed)
{
	size_t n = t->n_rows, F = t->n_features, nnz = 0;
	struct problem prob;
	struct parameter param;
	struct model *lm;
	struct feature_node *nodes, **rows;
	const char *err;
	ml_model *m;
	model_linear *l;
	char opt[256];
	int nr_w;

	if (t->n_classes < 2) {
		error("linear models need at least two classes in the training data (found %zu)",
		      t->n_classes);
		return NULL;
	}
	if (n > (size_t)INT32_MAX || F + 1 > (size_t)INT32_MAX) {
		error("too many rows or features for LIBLINEAR");
		return NULL;
	}
	m = model_new(MODEL_LINEAR);
	l = &m->lin;
	l->scale_min = xcalloc(F, sizeof(double));
	l->scale_max = xcalloc(F, sizeof(double));
	for (size_t f = 0; f < F; f++) {
		const float *col = t->X + f * n;
		double lo = INFINITY, hi = -INFINITY;

		for (size_t i = 0; i < n; i++) {
			double v = slog1p(col[i]);

			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
		l->scale_min[f] = n ? lo : 0;
		l->scale_max[f] = n ? hi : 0;
	}
	l->bias = 1.0;
	/* count non-zeros after scaling to size the node array */
	for (size_t f = 0; f < F; f++)
		for (size_t i = 0; i < n; i++)
			if (model_linear_scale(l, f, t->X[f * n + i]) != 0)
				nnz++;
	nodes = xmalloc(st_mult(nnz + 2 * n + 1, sizeof(*nodes)));
	rows = xmalloc((n ? n : 1) * sizeof(*rows));
	{
		size_t *cnt = xcalloc(n + 1, sizeof(size_t)), pos = 0;

		for (size_t f = 0; f < F; f++)
			for (size_t i = 0; i < n; i++)
				if (model_linear_scale(l, f, t->X[f * n + i]) != 0)
					cnt[i]++;
		for (size_t i = 0; i < n; i++) {
			rows[i] = nodes + pos;
			pos += cnt[i] + 2;
			cnt[i] = 0;
		}
		for (size_t f = 0; f < F; f++)
			for (size_t i = 0; i < n; i++) {
				double v = model_linear_scale(l, f, t->X[f * n + i]);

				if (v != 0) {
					rows[i][cnt[i]].index = (int)f + 1;
					rows[i][cnt[i]].value = v;
					cnt[i]++;
				}
			}
		for (size_t i = 0; i < n; i++) {
			rows[i][cnt[i]].index = (int)F + 1;
			rows[i][cnt[i]].value = l->bias;
			rows[i][cnt[i] + 1].index = -1;
			rows[i][cnt[i] + 1].value = 0;
		}
		free(cnt);
	}
	memset(&prob, 0, sizeof(prob));
	prob.l = (int)n;
	prob.n = (int)F + 1;
	prob.bias = l->bias;
	prob.x = rows;
	prob.y = xmalloc((n ? n : 1) * sizeof(double));
	for (size_t i = 0; i < n; i++)
		prob.y[i] = (double)t->y[i];
	memset(&param, 0, sizeof(param));
	if (!strcmp(solver, "svm")) {
		param.solver_type = L2R_L2LOSS_SVC_DUAL;
		param.eps = 0.1;
	} else {
		param.solver_type = L2R_LR;
		param.eps = 0.01;
	}
	param.C = C;
	param.p = 0.1;
	set_print_string_function(quiet);
	err = check_parameter(&prob, &param);
	if (err) {
		error("LIBLINEAR: %s", err);
		free(prob.y);
		free(rows);
		free(nodes);
		model_free(m);
		return NULL;
	}
	lm = train(&prob, &param);
	l->solver = param.solver_type;
	l->C = C;
	l->probability = check_probability_model(lm) ? 1 : 0;
	nr_w = (lm->nr_class == 2 && param.solver_type != MCSVM_CS) ? 1 : lm->nr_class;
	l->nr_w = nr_w;
	{
		size_t nw = (F + 1) * (size_t)nr_w;

		l->w = xcalloc(nw, sizeof(double));
		/* lm->nr_feature may be < F when trailing features are all zero */
		for (size_t f = 0; f < (size_t)lm->nr_feature && f < F; f++)
			for (int k = 0; k < nr_w; k++)
				l->w[f * (size_t)nr_w + (size_t)k] = lm->w[f * (size_t)nr_w + (size_t)k];
		for (int k = 0; k < nr_w; k++)
			l->w[F * (size_t)nr_w + (size_t)k] =
				lm->w[(size_t)lm->nr_feature * (size_t)nr_w + (size_t)k];
	}
	l->label = xcalloc(t->n_classes, sizeof(int32_t));
	for (int k = 0; k < lm->nr_class && (size_t)k < t->n_classes; k++)
		l->label[k] = lm->label[k];
	free_and_destroy_model(&lm);
	free(prob.y);
	free(rows);
	free(nodes);
	m->n_features = F;
	m->features = xcalloc(F, sizeof(char *));
	for (size_t f = 0; f < F; f++)
		m->features[f] = xstrdup(t->features[f]);
	m->n_classes = t->n_classes;
	m->classes = xcalloc(t->n_classes, sizeof(char *));
	for (size_t k = 0; k < t->n_classes; k++)
		m->classes[k] = xstrdup(t->classes[k]);
	m->seed = seed;
	m->n_train = n;
	m->tool_version = xstrdup("forest " TOOLKIT_VERSION);
	snprintf(opt, sizeof(opt), "linear solver=%s(liblinear -s %d) C=%g bias=1 eps=%g scaling=slog1p-minmax",
		 strcmp(solver, "svm") ? "lr" : "svm", param.solver_type, C, param.eps);
	m->options = xstrdup(opt);
	return m;
}
