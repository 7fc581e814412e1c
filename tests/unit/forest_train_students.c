/*
 * forest_train_students: two-class students as trustee grows them (integer
 * weights, hist_min 200 and 0, every node grown to purity) on data with
 * many ties, where the presorted sweeps evaluate only the cuts with two
 * classes around them and sort bins by rank: the trees equal forest's own
 * grower's (which evaluates every cut), with the AVX-512 paths and without.
 * Features 6 and 7 order the rows as 1 and 0 do (7 reversed): their cuts tie
 * with those, pure cuts (proxy W) included, and the first drawn must win
 * while the search stops at the first pure cut. Feature 8 mixes zeros of
 * both signs (equal values with other bits: the sorts and the edges of a
 * histogram cut must keep the ones the scalar code keeps).
 */
#include "check.h"
#include "train_tree.h"
#include "tree.h"
#include "tree_same.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>

static rng rs;

static uint64_t next(void)
{
	return rng_next(&rs);
}

int main(void)
{
	static const size_t sizes[] = { 900, 6000 };
	int compared = 0;

	rng_seed(&rs, 20261204);
	for (size_t si = 0; si < 2; si++) {
		size_t n = sizes[si], F = 9;
		float *X = malloc(n * F * sizeof(float));
		int32_t *y = malloc(n * sizeof(int32_t));
		double *w = malloc(n * sizeof(double));
		tree_data d = { X, n, F, y, 2 };
		tree_bins *b;

		for (size_t i = 0; i < n; i++) {
			uint64_t r = next();

			X[0 * n + i] = (float)(r % 4);			/* 4 values */
			X[1 * n + i] = (float)(next() % 60) * 0.5f;	/* runs of ties */
			X[2 * n + i] = (float)(next() % 5000) / 13.0f;	/* quantile bins */
			X[3 * n + i] = (next() % 4) ? 0.0f : (float)(next() % 300);
			X[4 * n + i] = (float)(next() % 100000) * 1e-4f;
			X[5 * n + i] = 1.0f;				/* constant */
			X[6 * n + i] = X[1 * n + i] * 2 + 1;		/* ties with 1 */
			X[7 * n + i] = -X[0 * n + i];			/* ties with 0, reversed */
			X[8 * n + i] = next() % 3 ? (next() % 2 ? -0.0f : 0.0f) : (float)(next() % 90) - 30;
			/* noisy labels: mixed blocks of equal values */
			y[i] = (int32_t)((X[0 * n + i] + X[1 * n + i] / 10 > 3.5f) ^ (next() % 7 == 0));
		}
		b = tree_bins_build(&d, 1);
		for (int cfg = 0; cfg < 4; cfg++) {
			size_t hist_min = cfg & 1 ? 0 : 200;
			ftrainer *g = ftrainer_new(&d, b, hist_min);
			tree_opts o;

			tree_opts_default(&o);
			o.seed = next();
			/* draw counts as trustee's students (some rows twice or more) */
			memset(w, 0, n * sizeof(double));
			for (size_t i = 0; i < n / 2; i++)
				w[next() % n] += cfg < 2 ? 1 : 1 + (double)(next() % 3);
			for (int simd = 0; simd < 2; simd++) {
				tree *a = ftrainer_grow(g, w, &o), *e;

				tree_set_simd(simd);
				e = tree_grow_binned(&d, b, hist_min, w, NULL, 0, &o);
				CHECK(a != NULL);
				if (a) {
					int same = same_tree(a, e);

					CHECK(same);
					if (!same)
						fprintf(stderr, "  n %zu cfg %d simd %d: %zu vs %zu nodes\n", n,
							cfg, simd, a->n_nodes, e->n_nodes);
					compared++;
				}
				tree_free(a);
				tree_free(e);
			}
			ftrainer_free(g);
		}
		tree_bins_free(b);
		free(X);
		free(y);
		free(w);
	}
	tree_set_simd(1);
	CHECK_EQ(compared, 16);
	return check_done();
}
