/*
 * distill.h: the Trustee loop (Jacobs et al., CCS 2022; TrusteeML/trustee
 * 1.1.6), as ../shared/spec/trustee.md section 2 describes it.
 *
 * The expert (the model) is deterministic, so it is asked once for every row
 * of the data set before the loop (expert[] below): a row drawn again from
 * the growing data set D gets the answer the expert gave the first time,
 * exactly what Trustee's repeated expert calls return.
 *
 * Students are grown through a callback so the loop can be tested with a
 * stand-in learner; trustee/main.c passes common/tree's tree_grow.
 */
#ifndef DISTILL_H
#define DISTILL_H

#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/*
 * Grow one student on rows[0..n) of the data set (distinct row indexes, in
 * increasing order) with weights w (indexed by row, integer multiplicities;
 * 0 for rows not drawn) and labels y (indexed by row). seed drives the
 * tree's own tie-breaking. Called from several threads at once. Returns a
 * tree freed with the matching free callback.
 */
typedef tree *(*distill_fit_fn)(void *ctx, const uint32_t *rows, size_t n, const double *w,
				 const int32_t *y, uint64_t seed);
typedef void (*distill_free_fn)(tree *t);

enum distill_aggregate {
	DISTILL_AGG_ALL,		/* Trustee's code: add every held-out row to D */
	DISTILL_AGG_MISCLASSIFIED,	/* the paper: only rows the student got wrong */
	DISTILL_AGG_NONE,		/* aggregate=False */
};

typedef struct distill_opts {
	int stability_iter;	/* S, outer iterations (default 5) */
	int iter;		/* N, inner iterations (default 50) */
	double train_size;	/* ts (default 0.7) */
	size_t samples;		/* M when samples_frac == 0 (default 2000) */
	double samples_frac;	/* > 0: M = floor(|pool| * samples_frac) */
	size_t top_k;		/* default 10 */
	double max_impurity;	/* default 0.1 */
	enum distill_aggregate aggregate;
	int threads;		/* >= 1 */
	uint64_t seed;
	int progress;		/* show a progress line on stderr when it is a terminal */
} distill_opts;
void distill_opts_default(distill_opts *o);

/* The data set: X column-major float32 (X[f * n_rows + i]), expert labels. */
typedef struct distill_data {
	const float *X;
	size_t n_rows, n_features;
	const int32_t *expert;	/* expert prediction of every row, in [0, n_classes) */
	size_t n_classes;
} distill_data;

typedef struct distill_result {
	tree *student;		/* best unpruned student (free with the free callback) */
	tree *pruned;		/* its top-k pruned copy (prune_tree_free) */
	double agreement;	/* mean pairwise agreement of its pruned tree */
	double reward;		/* macro-F1 vs expert on its own inner hold-out */
	int chosen;		/* outer iteration (0-based) it comes from */
	size_t n_pool, n_agree;	/* outer split sizes */
	size_t n_samples;	/* M */
	size_t n_student_train, n_student_test;	/* inner split sizes */
	size_t final_d;		/* |D| at the end */
	double *rewards;	/* S*N rewards in iteration order */
	int n_iter;		/* S*N */
} distill_result;

/*
 * Run Trustee. Returns 0 and fills *res (distill_result_release), or -1
 * after printing an error (e.g. too few rows for the sizes asked).
 */
int distill_run(const distill_data *d, const distill_opts *o, distill_fit_fn fit, void *fit_ctx,
		distill_free_fn free_fn, distill_result *res);
void distill_result_release(distill_result *res, distill_free_fn free_fn);

/* Macro-F1 (scikit-learn's f1_score average="macro") is report_macro_f1 of common/report.h. */

/* Predict tree t on the rows listed in rows[0..n) (NULL = rows 0..n-1). */
void distill_predict(const tree *t, const float *X, size_t n_rows, const uint32_t *rows, size_t n,
		     int32_t *out);

/*
 * Split sizes of scikit-learn's train_test_split(train_size=ts) on n rows:
 * train = floor(ts * n), test = n - train.
 */
size_t distill_train_count(size_t n, double ts);

#endif
