/*
 * forest_train_tree: forest's own grower (ftrainer_grow) grows the tree
 * tree_grow_binned grows, node for node and bit for bit, on random data
 * with ties, constant features and bootstrap weights, under the options
 * forest passes, with its arrays malloc'ed or in an arena (where the trees
 * grown before stay intact, and where tree_arena_adopt moves a tree without
 * changing it); and it declines (NULL) what it does not handle. This is the
 * contract that lets two growers exist: a change to one that the other does
 * not follow fails here.
 */
#include "check.h"
#include "train_tree.h"
#include "tree.h"
#include "tree_same.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 88172645463325252ull;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int main(void)
{
	static const size_t sizes[] = { 40, 700, 5000 };
	int compared = 0;

	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
		size_t n = sizes[si], F = 7, K = 2 + si;
		float *X = malloc(n * F * sizeof(float));
		int32_t *y = malloc(n * sizeof(int32_t));
		double *w = malloc(n * sizeof(double));
		tree_data d = { X, n, F, y, K };

		for (size_t i = 0; i < n; i++) {
			y[i] = (int32_t)(next() % K);
			X[0 * n + i] = (float)(next() % 5);		/* few values: ties */
			X[1 * n + i] = (float)(next() % 1000) / 7.0f;	/* many values */
			X[2 * n + i] = 3.0f;				/* constant */
			X[3 * n + i] = (float)y[i] + (float)(next() % 3);	/* informative */
			X[4 * n + i] = (float)(int64_t)(next() % 200) - 100.0f;
			/* mostly 0, of both signs (equal values, different bits) */
			X[5 * n + i] = (next() % 10) ? ((next() % 2) ? -0.0f : 0.0f) : (float)(next() % 50);
			X[6 * n + i] = (float)(next() % 100000) * 1e-3f;
		}
		tree_bins *b = tree_bins_build(&d, 1);
		for (size_t hm = 0; hm < 4; hm++) {
			/* each hist_min with the small-node sort in SIMD (where the CPU has it) and scalar */
			size_t hist_min = hm & 1 ? 512 : 64;
			ftrainer *g = ftrainer_new(&d, b, hist_min);
			/* odd hm: the trees in an arena, kept and compared again at the end */
			tree_arena ar = { 0 };
			tree *kept[6] = { 0 }, *ekept[6] = { 0 };

			ftrainer_set_simd(g, hm < 2);
			if (hm & 1)
				ftrainer_set_arena(g, &ar);

			for (int cfg = 0; cfg < 6; cfg++) {
				tree_opts o;

				tree_opts_default(&o);
				o.seed = next();
				o.max_features = cfg % 2 ? 3 : 0;
				o.max_depth = cfg == 2 ? 4 : 0;
				o.min_samples_leaf = cfg == 3 ? 5 : 1;
				o.min_samples_split = cfg == 4 ? 10 : 2;
				/* bootstrap counts (cfg 5: all ones, no bootstrap) */
				if (cfg == 5) {
					for (size_t i = 0; i < n; i++)
						w[i] = 1;
				} else {
					memset(w, 0, n * sizeof(double));
					for (size_t i = 0; i < n; i++)
						w[next() % n] += 1;
				}
				tree *a = ftrainer_grow(g, w, &o);
				tree *e = tree_grow_binned(&d, b, hist_min, w, NULL, 0, &o);

				CHECK(a != NULL);
				if (a) {
					int same = same_tree(a, e);

					CHECK(same);
					if (!same)
						fprintf(stderr, "  n %zu hist_min %zu simd %d cfg %d: %zu vs %zu nodes\n",
							n, hist_min, hm < 2, cfg, a->n_nodes, e->n_nodes);
					compared++;
				}
				if (hm & 1) {
					tree_arena_adopt(&ar, e);
					kept[cfg] = a;
					ekept[cfg] = e;
				} else {
					tree_free(a);
					tree_free(e);
				}
			}
			if (hm & 1) {
				CHECK(ar.n_blk == 1);
				for (int cfg = 0; cfg < 6; cfg++) {
					CHECK(kept[cfg] && same_tree(kept[cfg], ekept[cfg]));
					free(kept[cfg]);	/* arrays in the arena */
					free(ekept[cfg]);
				}
				tree_arena_release(&ar);
				CHECK(ar.n_blk == 0 && ar.blk == NULL);
			}
			/* not integer weights, or best-first: declined */
			{
				tree_opts o;

				tree_opts_default(&o);
				for (size_t i = 0; i < n; i++)
					w[i] = 1;
				w[n / 2] = 0.5;
				CHECK(ftrainer_grow(g, w, &o) == NULL);
				w[n / 2] = 1;
				o.max_leaves = 8;
				CHECK(ftrainer_grow(g, w, &o) == NULL);
			}
			ftrainer_free(g);
		}
		tree_bins_free(b);
		free(X);
		free(y);
		free(w);
	}
	CHECK(compared == 72);
	return check_done();
}
