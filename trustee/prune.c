/*
 * prune.c: branches, statistics and Trustee's top-k pruning over the flat
 * node array of common/tree.h; node class, leaf counts, depth and routing
 * are common/tree's (tree_node_class, tree_n_leaves, tree_depth,
 * tree_apply_col).
 */
#include "prune.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

double prune_node_total(const tree *t, int32_t node)
{
	const double *v = t->value + (size_t)node * t->n_classes;
	double s = 0;

	for (size_t c = 0; c < t->n_classes; c++)
		s += v[c];
	return s;
}

size_t prune_features_used(const tree *t, size_t n_features, unsigned char *used)
{
	unsigned char *mask = used ? used : xcalloc(n_features ? n_features : 1, 1);
	size_t n = 0;

	if (used)
		memset(used, 0, n_features);
	for (size_t i = 0; i < t->n_nodes; i++) {
		int32_t f = t->nodes[i].feature;

		if (tree_is_leaf(t, (int32_t)i) || f < 0 || (size_t)f >= n_features)
			continue;
		if (!mask[f]) {
			mask[f] = 1;
			n++;
		}
	}
	if (!used)
		free(mask);
	return n;
}

/* ---- branches ---------------------------------------------------------- */

struct walk {
	const tree *t;
	int32_t *stack;		/* current path */
	size_t depth, cap;
	prune_branch *out;
	size_t n, alloc;
};

static void walk_rec(struct walk *w, int32_t node)
{
	ALLOC_GROW(w->stack, w->depth + 1, w->cap);
	w->stack[w->depth++] = node;
	if (tree_is_leaf(w->t, node)) {
		prune_branch *b;
		double tot = prune_node_total(w->t, node);

		ALLOC_GROW(w->out, w->n + 1, w->alloc);
		b = &w->out[w->n];
		b->leaf = node;
		b->order = w->n;
		b->len = w->depth - 1;
		b->path = xreallocarray(NULL, w->depth, sizeof(*b->path));
		memcpy(b->path, w->stack, w->depth * sizeof(*b->path));
		b->cls = tree_node_class(w->t, node);
		b->purity = tot > 0 ? w->t->value[(size_t)node * w->t->n_classes + (size_t)b->cls] / tot : 0;
		b->samples = w->t->nodes[node].weighted;
		w->n++;
	} else {
		walk_rec(w, w->t->nodes[node].left);
		walk_rec(w, w->t->nodes[node].right);
	}
	w->depth--;
}

size_t prune_branches(const tree *t, prune_branch **out)
{
	struct walk w = { .t = t };

	if (t->n_nodes)
		walk_rec(&w, 0);
	free(w.stack);
	*out = w.out;
	return w.n;
}

void prune_branches_free(prune_branch *b, size_t n)
{
	if (!b)
		return;
	for (size_t i = 0; i < n; i++)
		free(b[i].path);
	free(b);
}

static int cmp_branch(const void *a, const void *b)
{
	const prune_branch *x = a, *y = b;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void prune_sort_branches(prune_branch *b, size_t n)
{
	qsort(b, n, sizeof(*b), cmp_branch);
}

int prune_branch_left(const tree *t, const prune_branch *b, size_t i)
{
	return t->nodes[b->path[i]].left == b->path[i + 1];
}

/* ---- copies ------------------------------------------------------------ */

static tree *tree_alloc(size_t n_nodes, const tree *like)
{
	tree *r = xcalloc(1, sizeof(*r));

	r->n_nodes = r->cap = n_nodes;
	r->nodes = xreallocarray(NULL, n_nodes ? n_nodes : 1, sizeof(*r->nodes));
	r->n_classes = like->n_classes;
	r->value = xreallocarray(NULL, st_mult(n_nodes ? n_nodes : 1, like->n_classes ? like->n_classes : 1),
				 sizeof(*r->value));
	r->n_features = like->n_features;
	return r;
}

void prune_tree_free(tree *t)
{
	tree_free(t);
}

/*
 * Copy the subtree of t at node into r in depth-first order; nodes with
 * keep[node] == 0 (or at depth >= max_depth when max_depth >= 0) become
 * leaves. Returns the new index.
 */
static int32_t copy_rec(const tree *t, int32_t node, const unsigned char *keep, int depth,
			int max_depth, tree *r)
{
	int32_t me = (int32_t)r->n_nodes++;
	tree_node *nd = &r->nodes[me];
	int split = !tree_is_leaf(t, node) && (!keep || keep[node]) && (max_depth < 0 || depth < max_depth);

	*nd = t->nodes[node];
	memcpy(r->value + (size_t)me * t->n_classes, t->value + (size_t)node * t->n_classes,
	       t->n_classes * sizeof(*r->value));
	if (!split) {
		nd->left = nd->right = TREE_LEAF;
		nd->feature = -1;
		nd->threshold = 0;
		if (depth > r->max_depth_seen)
			r->max_depth_seen = depth;
		return me;
	}
	int32_t l = copy_rec(t, t->nodes[node].left, keep, depth + 1, max_depth, r);
	int32_t rr = copy_rec(t, t->nodes[node].right, keep, depth + 1, max_depth, r);

	r->nodes[me].left = l;
	r->nodes[me].right = rr;
	return me;
}

static tree *copy_with(const tree *t, const unsigned char *keep, int max_depth)
{
	tree *r = tree_alloc(t->n_nodes, t);

	r->n_nodes = 0;
	if (t->n_nodes)
		copy_rec(t, 0, keep, 0, max_depth, r);
	return r;
}

tree *prune_copy(const tree *t)
{
	return copy_with(t, NULL, -1);
}

tree *prune_max_depth(const tree *t, int max_depth)
{
	return copy_with(t, NULL, max_depth < 0 ? 0 : max_depth);
}

tree *prune_top_k(const tree *t, size_t k, double max_impurity)
{
	prune_branch *b;
	size_t n = prune_branches(t, &b);
	unsigned char *keep = xcalloc(t->n_nodes ? t->n_nodes : 1, 1);
	tree *r;

	prune_sort_branches(b, n);
	if (k > n)
		k = n;
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < b[i].len; j++)
			if (t->nodes[b[i].path[j]].impurity > max_impurity)
				keep[b[i].path[j]] = 1;
	r = copy_with(t, keep, -1);
	free(keep);
	prune_branches_free(b, n);
	return r;
}

/* ---- statistics -------------------------------------------------------- */

static int cmp_feature(const void *a, const void *b)
{
	const prune_feature_stat *x = a, *y = b;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	return x->feature < y->feature ? -1 : x->feature > y->feature;
}

size_t prune_top_features(const tree *t, size_t n_features, prune_feature_stat *stats,
			  double *total)
{
	size_t n = 0;
	double sum = 0;

	for (size_t f = 0; f < n_features; f++) {
		stats[f].feature = (int32_t)f;
		stats[f].nodes = 0;
		stats[f].samples = 0;
	}
	for (size_t i = 0; i < t->n_nodes; i++) {
		int32_t f = t->nodes[i].feature;

		if (tree_is_leaf(t, (int32_t)i) || f < 0 || (size_t)f >= n_features)
			continue;
		stats[f].nodes++;
		stats[f].samples += t->nodes[i].weighted;
		sum += t->nodes[i].weighted;
	}
	qsort(stats, n_features, sizeof(*stats), cmp_feature);
	while (n < n_features && stats[n].nodes)
		n++;
	if (total)
		*total = sum;
	return n;
}

static int cmp_node(const void *a, const void *b)
{
	const prune_node_stat *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

static void levels_rec(const tree *t, int32_t node, int level, int *lv)
{
	lv[node] = level;
	if (!tree_is_leaf(t, node)) {
		levels_rec(t, t->nodes[node].left, level + 1, lv);
		levels_rec(t, t->nodes[node].right, level + 1, lv);
	}
}

size_t prune_top_nodes(const tree *t, prune_node_stat **out)
{
	prune_node_stat *s = xreallocarray(NULL, t->n_nodes ? t->n_nodes : 1, sizeof(*s));
	int *lv = xreallocarray(NULL, t->n_nodes ? t->n_nodes : 1, sizeof(*lv));
	size_t n = 0;

	if (t->n_nodes)
		levels_rec(t, 0, 0, lv);
	for (size_t i = 0; i < t->n_nodes; i++) {
		const tree_node *nd = &t->nodes[i];
		double d;

		if (tree_is_leaf(t, (int32_t)i))
			continue;
		d = t->nodes[nd->left].impurity - t->nodes[nd->right].impurity;
		s[n].node = (int32_t)i;
		s[n].level = lv[i];
		s[n].score = nd->weighted * (d < 0 ? -d : d);
		n++;
	}
	free(lv);
	qsort(s, n, sizeof(*s), cmp_node);
	*out = s;
	return n;
}
