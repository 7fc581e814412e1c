/*
 * prune.h: walking a CART tree (common/tree.h) the way Trustee does: its
 * branches (root-to-leaf rules), per-feature and per-node statistics, and
 * Trustee's top-k pruning (../shared/spec/trustee.md section 4).
 *
 * "Samples" of a node is its weighted count (tree_node.weighted): students
 * are grown with integer multiplicities as weights, so it equals what
 * scikit-learn's n_node_samples is when Trustee fits on duplicated rows.
 */
#ifndef PRUNE_H
#define PRUNE_H

#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/* One leaf and the path that reaches it. */
typedef struct prune_branch {
	int32_t leaf;		/* node index of the leaf */
	size_t order;		/* position in depth-first (left first) order */
	size_t len;		/* number of split nodes on the path (= leaf depth) */
	int32_t *path;		/* len + 1 node indexes, root first, leaf last */
	int32_t cls;		/* majority class of the leaf (ties: lowest index) */
	double purity;		/* share of the leaf's samples in cls, 0..1 */
	double samples;		/* weighted samples reaching the leaf */
} prune_branch;

/*
 * All leaves of t in depth-first order (left child first). Returns the
 * number of branches and stores a new array in *out (prune_branches_free).
 */
size_t prune_branches(const tree *t, prune_branch **out);
void prune_branches_free(prune_branch *b, size_t n);	/* NULL-safe */
/* Sort by samples, largest first; equal samples keep depth-first order. */
void prune_sort_branches(prune_branch *b, size_t n);
/* Non-zero when step i of the branch (0 <= i < len) goes left (x <= threshold). */
int prune_branch_left(const tree *t, const prune_branch *b, size_t i);

/*
 * Trustee's top-k pruning: keep the k branches with the most samples; every
 * split node on their paths whose gini impurity is > max_impurity is kept,
 * every other split node becomes a leaf (keeping its class counts) and its
 * subtree is dropped. The result is a new, compact tree (nodes in depth-first
 * order, collapsed nodes are real leaves: children and feature -1), owned by
 * the caller (prune_tree_free). k = 0 keeps no branch (one leaf).
 */
tree *prune_top_k(const tree *t, size_t k, double max_impurity);
/* A copy of t cut at depth max_depth (split nodes deeper become leaves). */
tree *prune_max_depth(const tree *t, int max_depth);
/* A deep copy of t. */
tree *prune_copy(const tree *t);
/* Free a tree made by this module (same layout as tree_grow's). NULL-safe. */
void prune_tree_free(tree *t);

/* Sum of a node's class counts. (Node class, leaves, depth: tree_node_class, tree_n_leaves, tree_depth.) */
double prune_node_total(const tree *t, int32_t node);
/* Distinct split features; writes a 0/1 mask of n_features to used (may be NULL). */
size_t prune_features_used(const tree *t, size_t n_features, unsigned char *used);

/* Trustee's "top features": split count and summed samples per feature. */
typedef struct prune_feature_stat {
	int32_t feature;
	size_t nodes;		/* split nodes using the feature */
	double samples;		/* sum of their samples */
} prune_feature_stat;
/*
 * Fill stats for the features used by t, ranked by samples (largest first,
 * then lower feature index). Returns how many (<= n_features); *total gets
 * the sum of samples over all split nodes (may be NULL).
 */
size_t prune_top_features(const tree *t, size_t n_features, prune_feature_stat *stats,
			  double *total);

/* Trustee's "top nodes": split nodes ranked by samples * |gini(L) - gini(R)|. */
typedef struct prune_node_stat {
	int32_t node;
	int level;
	double score;
} prune_node_stat;
/* Stats for every split node, ranked; returns the count, array in *out (free()). */
size_t prune_top_nodes(const tree *t, prune_node_stat **out);

#endif
