/*
 * tree.h: one CART classification tree (gini), shared by forest (its trees)
 * and trustee (its students). Nodes live in one flat array; node 0 is the
 * root. Routing rule as scikit-learn: x[feature] <= threshold goes left.
 *
 * The fields below are a stable contract (forest's model files and trustee's
 * pruning read them); functions may be added, not changed.
 */
#ifndef TREE_H
#define TREE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define TREE_LEAF (-1)

typedef struct tree_node {
	int32_t left, right;	/* child indexes, TREE_LEAF (-1) for a leaf */
	int32_t feature;	/* split feature index, -1 for a leaf */
	float threshold;	/* x <= threshold goes left (float32, like sklearn's split on float32 data) */
	double impurity;	/* gini impurity of the node */
	uint32_t n_samples;	/* distinct training rows that reached the node */
	double weighted;	/* weighted sample count (sum of weights) */
} tree_node;

typedef struct tree {
	size_t n_nodes, cap;	/* nodes in use, and allocated */
	tree_node *nodes;
	size_t n_classes;
	double *value;		/* n_nodes * n_classes weighted class counts */
	size_t n_features;	/* features the tree was grown on */
	int max_depth_seen;	/* depth of the deepest node grown (root 0) */
} tree;

/* Growing options (defaults = scikit-learn's DecisionTreeClassifier). */
typedef struct tree_opts {
	int max_depth;		/* 0 = unlimited */
	int min_samples_split;	/* default 2 */
	int min_samples_leaf;	/* default 1 */
	int max_leaves;		/* 0 = unlimited; > 0 grows best-first */
	int max_features;	/* features tried per node; 0 = all */
	uint64_t seed;		/* feature draw order */
} tree_opts;
void tree_opts_default(tree_opts *o);

/*
 * Training data: row-major is NOT used; X is column-major float32:
 * X[f * n_rows + i]. y[i] in [0, n_classes). w[i] >= 0 is the sample weight
 * (NULL = all 1; 0 = row absent, e.g. not drawn by the bootstrap).
 * rows/n_sel optionally restrict training to a subset of row indexes (NULL = all).
 */
typedef struct tree_data {
	const float *X;
	size_t n_rows, n_features;
	const int32_t *y;
	size_t n_classes;
} tree_data;

/* Grow a tree; returns a new tree owned by the caller (tree_free). */
tree *tree_grow(const tree_data *d, const double *w, const uint32_t *rows, size_t n_sel,
		const tree_opts *o);
void tree_free(tree *t);	/* NULL-safe */
/* 0: the growers leave out their AVX-512 paths (same trees; for tests). Default 1. */
void tree_set_simd(int on);

/* Leaf index reached by a row given as n_features floats. */
int32_t tree_apply(const tree *t, const float *x);
/* Same for row i of column-major X with n_rows rows. */
int32_t tree_apply_col(const tree *t, const float *X, size_t n_rows, size_t i);
/* Class probabilities of a leaf (value normalised), written to proba[n_classes]. */
void tree_leaf_proba(const tree *t, int32_t leaf, double *proba);
/* 1 if node has no children (either child index TREE_LEAF). */
int tree_is_leaf(const tree *t, int32_t node);
/* Argmax class of a node (ties: lowest index). */
int32_t tree_node_class(const tree *t, int32_t node);
/* Number of leaves and depth (root has depth 0). */
size_t tree_n_leaves(const tree *t);
int tree_depth(const tree *t);

/* MDI of one tree (scikit-learn's DecisionTree feature_importances_):
 * imp[n_features], normalised to sum 1 (all 0 for a single leaf). */
void tree_importances(const tree *t, double *imp);

/*
 * Histogram acceleration used by forest (added by forest; tree_grow above
 * stays the exact CART). tree_bins_build quantises every feature of d once
 * into at most 256 bins (one bin per distinct value when a feature has at
 * most 256 of them, else quantile bins on distinct-value boundaries).
 * tree_grow_binned searches nodes with at least hist_min rows on the bins
 * (cut points restricted to bin boundaries; the threshold is still the
 * midpoint of the two node values around the cut) and smaller nodes exactly
 * as tree_grow. hist_min = 0 or bins = NULL: same trees as tree_grow.
 */
typedef struct tree_bins tree_bins;
tree_bins *tree_bins_build(const tree_data *d, int threads);
void tree_bins_free(tree_bins *b);	/* NULL-safe */
tree *tree_grow_binned(const tree_data *d, const tree_bins *b, size_t hist_min, const double *w,
		       const uint32_t *rows, size_t n_sel, const tree_opts *o);

/* The bins as read by growers outside this file (forest's trainer); bin
 * tables hold TREE_MAX_BINS entries per feature. */
#define TREE_MAX_BINS 256
typedef struct tree_bins_view {
	const uint8_t *codes;	/* row-major: codes[row * n_features + f] */
	const uint8_t *ccodes;	/* column-major: ccodes[f * n_rows + row] */
	const float *rx;	/* row-major copy of X */
	const uint16_t *nb;	/* bins per feature */
	const float *lo, *hi;	/* lo/hi[f * TREE_MAX_BINS + bin]: min/max value of a bin */
	const uint8_t *exact;	/* per feature: one bin per distinct value */
} tree_bins_view;
void tree_bins_get(const tree_bins *b, tree_bins_view *v);
/* 1 when a node of m of the n_rows rows reads the column-major data (X and
 * ccodes), 0 when it reads the row-major copies (rx and codes): the features
 * tried at a small node then share cache lines. Every grower uses this. */
static inline int tree_node_reads_columns(size_t m, size_t n_rows)
{
	return m * 16 >= n_rows;
}
/* The split threshold tree_grow stores between node values a < b. */
float tree_midpoint(float a, float b);
/* Gini impurity of class sums c[K] weighing W in all (0 if W <= 0), as tree_grow computes it. */
double tree_gini(const double *c, size_t K, double W);
/* Append a leaf with class sums cls, weight W, n rows and impurity imp as the
 * left or right child of parent (-1: the root); returns its index. */
int32_t tree_add_node(tree *t, int32_t parent, int is_left, const double *cls, double W,
		      uint32_t n, double imp);

#endif
