/*
 * train_tree.h: the tree grower of `forest train`, a version of
 * common/tree's binned grower specialised for integer sample weights (the
 * bootstrap counts) that keeps its scratch from one tree to the next.
 */
#ifndef TRAIN_TREE_H
#define TRAIN_TREE_H

#include <stddef.h>

#include "tree.h"

typedef struct ftrainer ftrainer;

/* Scratch for growing trees on d with the bins b of d (not NULL); one per thread. */
ftrainer *ftrainer_new(const tree_data *d, const tree_bins *b, size_t hist_min);
void ftrainer_free(ftrainer *g);	/* NULL-safe */
/* AVX-512 sorts of small nodes on (default where the CPU has it) or off: the same trees. */
void ftrainer_set_simd(ftrainer *g, int on);

/*
 * Memory for trained trees' nodes and values: big 2 MB-aligned blocks
 * (huge pages), bump allocated, freed all at once. A tree whose arrays
 * live in an arena is freed with free(t), never tree_free.
 */
typedef struct tree_arena {
	void **blk;		/* the blocks (free() each) */
	size_t n_blk, cap_blk;
	char *cur;		/* next free byte of the last block, left bytes of it */
	size_t left;
} tree_arena;
/* Move t's nodes and values (malloc'ed, as tree_grow's) into a. */
void tree_arena_adopt(tree_arena *a, tree *t);
/* Move from's blocks (and the trees in them) to a; from is then empty. */
void tree_arena_take(tree_arena *a, tree_arena *from);
/* Free a's blocks (and so the arrays of the trees in it); a is then empty. */
void tree_arena_release(tree_arena *a);
/*
 * Put the trees ftrainer_grow returns in a (not NULL: until the next call;
 * a outlives them), or give them malloc'ed arrays (NULL, the default).
 */
void ftrainer_set_arena(ftrainer *g, tree_arena *a);

/*
 * The tree tree_grow_binned(d, b, hist_min, w, NULL, 0, o) grows, node for
 * node and bit for bit, when every weight is an integer below 2^24, their
 * sum is below 2^26, d has at most 256 classes and o->max_leaves is 0.
 * Returns NULL otherwise: the caller then grows the tree with
 * tree_grow_binned.
 */
tree *ftrainer_grow(ftrainer *g, const double *w, const tree_opts *o);

#endif
