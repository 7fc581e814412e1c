/*
 * forest.h: random forest and LIBLINEAR trainers of `forest train`.
 */
#ifndef FOREST_H
#define FOREST_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "table.h"

typedef struct forest_opts {
	int n_trees;		/* default 100 */
	int max_features;	/* resolved count per node (forest_max_features) */
	const char *max_features_spec;	/* as given, for the options string */
	int max_depth;		/* 0 = none */
	int min_samples_leaf;	/* default 1 (distinct rows) */
	int min_samples_split;	/* default 2 */
	int balanced;		/* class_weight = balanced */
	int bootstrap;		/* default 1 */
	int oob;		/* compute the OOB score */
	int threads;		/* default 1 */
	uint64_t seed;
	size_t hist_min;	/* nodes with >= hist_min rows use histograms; 0 = exact */
	int progress;		/* progress line on a terminal */
} forest_opts;

void forest_opts_default(forest_opts *o);

/*
 * Resolve "sqrt|log2|all|N|0.F" for n features as scikit-learn does
 * (sqrt: max(1, floor(sqrt(n)))). Returns 0 or -1 (nothing printed).
 */
int forest_max_features(const char *spec, size_t n_features, int *out);

/*
 * Train a forest on t (t->y required). The model copies feature and class
 * names. Same seed -> same model whatever o->threads.
 */
ml_model *forest_train(const table *t, const forest_opts *o);

/* LIBLINEAR: solver "lr" (L2R_LR, probabilities) or "svm" (L2R_L2LOSS_SVC_DUAL). */
ml_model *forest_train_linear(const table *t, double C, const char *solver, uint64_t seed);

#endif
