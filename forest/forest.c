/*
 * forest.c: random forest training as scikit-learn's RandomForestClassifier:
 * one seed per tree derived from the master seed (rng_derive), bootstrap as
 * integer weights (n draws with replacement), optional balanced class
 * weights, trees grown by common/tree (histograms for big nodes), OOB score.
 * Trees are grown by a pool of threads; tree i always gets the same seed, so
 * the model bytes do not depend on the thread count.
 */
#include "forest.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "train_tree.h"
#include "util.h"

void forest_opts_default(forest_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->n_trees = 100;
	o->min_samples_leaf = 1;
	o->min_samples_split = 2;
	o->bootstrap = 1;
	o->threads = 1;
	o->hist_min = 512;
}

int forest_max_features(const char *spec, size_t n, int *out)
{
	double f;
	int64_t k;

	if (!spec || !strcmp(spec, "sqrt"))
		k = (int64_t)floor(sqrt((double)n));
	else if (!strcmp(spec, "log2"))
		k = n ? (int64_t)floor(log2((double)n)) : 1;
	else if (!strcmp(spec, "all") || !strcmp(spec, "none"))
		k = (int64_t)n;
	else if (strchr(spec, '.')) {
		if (parse_double(spec, 0, &f) < 0 || f <= 0 || f > 1)
			return -1;
		k = (int64_t)(f * (double)n);
	} else {
		if (parse_int64(spec, &k) < 0 || k < 1)
			return -1;
		if ((uint64_t)k > n)
			return -1;
	}
	if (k < 1)
		k = 1;
	*out = (int)k;
	return 0;
}

struct train_job {
	const table *t;
	const forest_opts *o;
	const tree_bins *bins;
	const double *cw;	/* class weights or NULL */
	tree **trees;
	uint8_t *oob;		/* n_trees * ceil(n/8) bits: row not drawn */
	size_t obytes;
	tree_arena arena;	/* the workers' arena blocks, gathered as they finish */
	size_t next, done;
	pthread_mutex_t mu;
	progress prog;
};

static void grow_one(struct train_job *j, size_t i, double *w, ftrainer *ft, tree_arena *a)
{
	const table *t = j->t;
	const forest_opts *o = j->o;
	size_t n = t->n_rows;
	uint64_t tseed = rng_derive(o->seed, i);
	tree_data d = { t->X, n, t->n_features, t->y, t->n_classes };
	tree_opts to;
	rng r;

	rng_seed(&r, tseed);
	if (o->bootstrap) {
		memset(w, 0, n * sizeof(double));
		for (size_t k = 0; k < n; k++)
			w[rng_below(&r, n)] += 1.0;
	} else {
		for (size_t k = 0; k < n; k++)
			w[k] = 1.0;
	}
	if (j->oob) {
		uint8_t *bits = j->oob + i * j->obytes;

		for (size_t k = 0; k < n; k++)
			if (w[k] == 0)
				bits[k >> 3] |= (uint8_t)(1u << (k & 7));
	}
	if (j->cw)
		for (size_t k = 0; k < n; k++)
			w[k] *= j->cw[t->y[k]];
	tree_opts_default(&to);
	to.max_depth = o->max_depth;
	to.min_samples_leaf = o->min_samples_leaf;
	to.min_samples_split = o->min_samples_split;
	to.max_features = o->max_features;
	to.seed = rng_next(&r);
	j->trees[i] = ft ? ftrainer_grow(ft, w, &to) : NULL;
	if (!j->trees[i]) {
		j->trees[i] = tree_grow_binned(&d, j->bins, o->hist_min, w, NULL, 0, &to);
		tree_arena_adopt(a, j->trees[i]);
	}
}

static void *train_worker(void *arg)
{
	struct train_job *j = arg;
	double *w = xmalloc((j->t->n_rows ? j->t->n_rows : 1) * sizeof(double));
	tree_data d = { j->t->X, j->t->n_rows, j->t->n_features, j->t->y, j->t->n_classes };
	ftrainer *ft = j->bins ? ftrainer_new(&d, j->bins, j->o->hist_min) : NULL;
	tree_arena a = { 0 };

	if (ft)
		ftrainer_set_arena(ft, &a);
	for (;;) {
		size_t i;

		pthread_mutex_lock(&j->mu);
		i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= (size_t)j->o->n_trees)
			break;
		grow_one(j, i, w, ft, &a);
		pthread_mutex_lock(&j->mu);
		j->done++;
		progress_update(&j->prog, j->done);
		pthread_mutex_unlock(&j->mu);
	}
	ftrainer_free(ft);
	free(w);
	pthread_mutex_lock(&j->mu);
	tree_arena_take(&j->arena, &a);
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

static char **dup_strs(char *const *s, size_t n)
{
	char **r = xcalloc(n ? n : 1, sizeof(char *));

	for (size_t i = 0; i < n; i++)
		r[i] = xstrdup(s[i]);
	return r;
}

/* OOB score: rows predicted by the trees that did not draw them. */
struct oob_job {
	const ml_model *m;
	const table *t;
	const uint8_t *oob;
	size_t obytes, next, ok, used;
	pthread_mutex_t mu;
};

#define OOB_BLOCK 1024

static void *oob_worker(void *arg)
{
	struct oob_job *j = arg;
	const ml_model *m = j->m;
	size_t n = j->t->n_rows, K = m->n_classes, ok = 0, used = 0;
	double *p = xmalloc(K * sizeof(double)), *v = xmalloc(K * sizeof(double));

	for (;;) {
		size_t lo, hi;

		pthread_mutex_lock(&j->mu);
		lo = j->next;
		j->next += OOB_BLOCK;
		pthread_mutex_unlock(&j->mu);
		if (lo >= n)
			break;
		hi = lo + OOB_BLOCK < n ? lo + OOB_BLOCK : n;
		for (size_t i = lo; i < hi; i++) {
			size_t cnt = 0, b = 0;

			memset(p, 0, K * sizeof(double));
			for (size_t tr = 0; tr < m->n_trees; tr++) {
				if (!(j->oob[tr * j->obytes + (i >> 3)] & (1u << (i & 7))))
					continue;
				tree_leaf_proba(m->trees[tr],
						tree_apply_col(m->trees[tr], j->t->X, n, i), v);
				for (size_t k = 0; k < K; k++)
					p[k] += v[k];
				cnt++;
			}
			if (!cnt)
				continue;
			used++;
			for (size_t k = 1; k < K; k++)
				if (p[k] > p[b])
					b = k;
			ok += (int32_t)b == j->t->y[i];
		}
	}
	pthread_mutex_lock(&j->mu);
	j->ok += ok;
	j->used += used;
	pthread_mutex_unlock(&j->mu);
	free(p);
	free(v);
	return NULL;
}

static double oob_score(const ml_model *m, const table *t, const uint8_t *oob, size_t obytes,
			int threads)
{
	struct oob_job j;
	pthread_t th[64];
	int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads, started = 0;
	size_t n = t->n_rows;

	memset(&j, 0, sizeof(j));
	j.m = m;
	j.t = t;
	j.oob = oob;
	j.obytes = obytes;
	pthread_mutex_init(&j.mu, NULL);
	for (int i = 1; i < nt; i++)
		if (!pthread_create(&th[started], NULL, oob_worker, &j))
			started++;
	oob_worker(&j);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&j.mu);
	if (j.used < n)
		warning("%zu of %zu rows were never out of bag; the OOB score ignores them "
			"(use more trees)", n - j.used, n);
	return j.used ? (double)j.ok / (double)j.used : NAN;
}

ml_model *forest_train(const table *t, const forest_opts *o)
{
	ml_model *m = model_new(MODEL_FOREST);
	struct train_job j;
	tree_bins *bins = NULL;
	double *cw = NULL;
	pthread_t th[64];
	int nt = o->threads < 1 ? 1 : o->threads > 64 ? 64 : o->threads, started = 0;
	char opt[512];

	if (o->hist_min > 0) {
		tree_data d = { t->X, t->n_rows, t->n_features, t->y, t->n_classes };

		bins = tree_bins_build(&d, nt);
	}
	if (o->balanced) {
		uint64_t *cnt = xcalloc(t->n_classes + 1, sizeof(uint64_t));

		cw = xcalloc(t->n_classes + 1, sizeof(double));
		for (size_t i = 0; i < t->n_rows; i++)
			cnt[t->y[i]]++;
		for (size_t k = 0; k < t->n_classes; k++)
			cw[k] = cnt[k] ? (double)t->n_rows / ((double)t->n_classes * (double)cnt[k]) : 0;
		free(cnt);
	}
	memset(&j, 0, sizeof(j));
	j.t = t;
	j.o = o;
	j.bins = bins;
	j.cw = cw;
	j.trees = xcalloc((size_t)o->n_trees, sizeof(tree *));
	if (o->oob && o->bootstrap) {
		j.obytes = (t->n_rows + 7) / 8;
		j.oob = xcalloc(st_mult((size_t)o->n_trees, j.obytes ? j.obytes : 1), 1);
	}
	pthread_mutex_init(&j.mu, NULL);
	progress_init(&j.prog, "trees", (uint64_t)o->n_trees);
	if (!o->progress)
		progress_force(&j.prog, 0);
	for (int i = 1; i < nt && i < o->n_trees; i++)
		if (!pthread_create(&th[started], NULL, train_worker, &j))
			started++;
	train_worker(&j);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	progress_end(&j.prog);
	pthread_mutex_destroy(&j.mu);

	m->n_trees = (size_t)o->n_trees;
	m->trees = j.trees;
	m->arena = j.arena.blk;
	m->n_arena = j.arena.n_blk;
	m->n_features = t->n_features;
	m->features = dup_strs(t->features, t->n_features);
	m->n_classes = t->n_classes;
	m->classes = dup_strs(t->classes, t->n_classes);
	m->seed = o->seed;
	m->n_train = t->n_rows;
	m->tool_version = xstrdup("forest " TOOLKIT_VERSION);
	snprintf(opt, sizeof(opt),
		 "trees=%d max_features=%s(%d) max_depth=%s%.0d min_samples_leaf=%d "
		 "min_samples_split=%d bootstrap=%s class_weight=%s criterion=gini hist_min=%zu",
		 o->n_trees, o->max_features_spec ? o->max_features_spec : "sqrt", o->max_features,
		 o->max_depth ? "" : "none", o->max_depth, o->min_samples_leaf,
		 o->min_samples_split, o->bootstrap ? "true" : "false",
		 o->balanced ? "balanced" : "none", o->hist_min);
	m->options = xstrdup(opt);
	if (j.oob)
		m->oob_score = oob_score(m, t, j.oob, j.obytes, nt);
	free(j.oob);
	free(cw);
	tree_bins_free(bins);
	return m;
}
