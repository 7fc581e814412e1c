/* tree_same.h: same_tree(a, b) for the unit tests that compare growers. */
#ifndef TREE_SAME_H
#define TREE_SAME_H

#include <string.h>

#include "tree.h"

/* 1 when a and b are the same tree in every field. */
static int same_tree(const tree *a, const tree *b)
{
	if (a->n_nodes != b->n_nodes || a->n_classes != b->n_classes ||
	    a->max_depth_seen != b->max_depth_seen)
		return 0;
	for (size_t i = 0; i < a->n_nodes; i++) {
		const tree_node *x = &a->nodes[i], *y = &b->nodes[i];

		if (x->left != y->left || x->right != y->right || x->feature != y->feature ||
		    memcmp(&x->threshold, &y->threshold, sizeof(float)) ||
		    memcmp(&x->impurity, &y->impurity, sizeof(double)) || x->n_samples != y->n_samples ||
		    memcmp(&x->weighted, &y->weighted, sizeof(double)))
			return 0;
	}
	return !memcmp(a->value, b->value, a->n_nodes * a->n_classes * sizeof(double));
}

#endif
