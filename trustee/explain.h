/*
 * explain.h: one Trustee explanation, from data to what people read. Given
 * the features of every row, the expert's label of every row (and the true
 * labels when there are any), run Trustee (trustee/distill) with
 * common/tree's CART students, measure the result on all rows and find the
 * shortcut hints; then render it as text, JSON, DOT or SVG. trustee/main.c
 * calls it once per command; `trustee check` calls it repeatedly.
 *
 * Nothing here knows where the expert's labels come from (trustee/expert)
 * or how the data was read (trustee/input): callers fill explain_data.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "distill.h"
#include "hints.h"
#include "prune.h"
#include "tree.h"

/* What is explained. Every pointer is borrowed and must outlive the calls. */
typedef struct explain_data {
	const float *X;			/* column-major: X[f * n_rows + i] */
	size_t n_rows, n_features;
	const char *const *features;	/* n_features names */
	const int32_t *expert;		/* the expert's class of every row, in [0, n_classes) */
	size_t n_classes;
	const char *const *classes;	/* n_classes names */
	const int32_t *truth;		/* true class per row (NULL: no true labels) */
	size_t n_truth_classes;		/* classes of truth (its first n_classes are classes) */
} explain_data;

/* How: Trustee's settings and the students'. */
typedef struct explain_opts {
	distill_opts d;		/* Trustee's loop (threads, seed, top_k, ...) */
	int max_leaves;		/* student limits, 0 = none */
	int max_depth;
	int exact;		/* exact CART at every node (no binned search) */
	size_t hist_min;	/* nodes of at least this many rows use the bins */
	const tree_bins *bins;	/* bins of X shared by runs (explain_bins); NULL: built per run */
} explain_opts;
/* Defaults as `trustee` without options (threads = 1, progress off). */
void explain_opts_default(explain_opts *o);

/*
 * Bins of d's features for the binned student search, or NULL when o asks
 * for exact CART. Build once and set o->bins to share them between runs on
 * the same X (tree_bins_free).
 */
tree_bins *explain_bins(const explain_data *d, const explain_opts *o);

/* For the header lines and the JSON: where things came from. */
typedef struct explain_info {
	const char *model;	/* model file (or NULL when the expert is no model file) */
	const char *model_kind;	/* "forest", "linear", ... (NULL: not a model file) */
	const char *expert_kind;	/* JSON expert.kind: "forest", "linear", "predictions", "command" */
	const char *expert_what;	/* without a model file, for people: "predictions 'p.csv'" */
	const char *expert_file;	/* JSON expert.file (model or predictions file), or NULL */
	const char *expert_column;	/* JSON expert.column (predictions column), or NULL */
	const char *expert_command;	/* JSON expert.command, or NULL */
	const char *data;	/* data file */
	const char *label;	/* true-label column name */
	size_t n_dropped;	/* rows dropped for non-finite values */
} explain_info;

/* One explanation. */
typedef struct explain_result {
	distill_result res;	/* best student, its pruned tree, agreement, reward, sizes */
	double fidelity;	/* macro-F1 of the pruned tree vs the expert on all rows */
	double fidelity_unpruned;	/* of the unpruned best student */
	double score;		/* pruned tree vs true labels (NAN without them) */
	prune_branch *branches;	/* of the pruned tree, ranked by samples */
	size_t n_branches;
	hint *hints;
	size_t n_hints;
	prune_feature_stat *feats;	/* features of the pruned tree, ranked by split samples */
	size_t n_feats;
	prune_feature_stat *top_features;	/* of the unpruned best student, as the trust report */
	size_t n_top_features;
	double top_features_total;	/* split samples of the unpruned best student */
	int32_t *pred;		/* pruned tree's class of every row */
} explain_result;

/*
 * Run Trustee on d with o and measure the result. Returns 0 and fills *r
 * (explain_release), or -1 after printing an error (too few rows, ...).
 */
int explain_run(const explain_data *d, const explain_opts *o, explain_result *r);
void explain_release(explain_result *r);

/* Only the Trustee loop, students limited to max_depth (0 = o->max_depth). */
int explain_distill(const explain_data *d, const explain_opts *o, int max_depth, distill_result *res);
void explain_distill_release(distill_result *res);

/* Macro-F1 of tree t vs the expert / the true labels on all rows (NAN without them). */
double explain_fidelity(const explain_data *d, const tree *t);
double explain_score(const explain_data *d, const tree *t);

/* Renderings of r. Return 0, or -1 when the stream has an error. */
int explain_write_text(FILE *fp, const explain_data *d, const explain_opts *o,
		       const explain_info *info, const explain_result *r);
int explain_write_json(FILE *fp, const explain_data *d, const explain_opts *o,
		       const explain_info *info, const explain_result *r);
int explain_write_dot(FILE *fp, const explain_data *d, const explain_opts *o,
		      const explain_info *info, const explain_result *r);
int explain_write_svg(FILE *fp, const explain_data *d, const explain_opts *o,
		      const explain_info *info, const explain_result *r);

/*
 * `trustee report`: Trustee once, then the best student's top features,
 * nodes and branches and a pruning analysis (top-k 1..10, one Trustee run
 * per max depth 1..10), as text on fp. Returns 0, or -1 after an error.
 */
int explain_report(FILE *fp, const explain_data *d, const explain_opts *o, const explain_info *info);

#endif
