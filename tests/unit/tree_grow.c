/* tree_grow: pure leaves on separable data, midpoint thresholds, weights. */
#include "check.h"
#include "tree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int32_t predict(const tree *t, const float *row)
{
	int32_t leaf = tree_apply(t, row);

	return tree_node_class(t, leaf);
}

int main(void)
{
	/* one feature, 1..6, classes 0 0 0 1 1 1: one split at 3.5 */
	float X1[6] = { 1, 2, 3, 4, 5, 6 };
	int32_t y1[6] = { 0, 0, 0, 1, 1, 1 };
	tree_data d = { X1, 6, 1, y1, 2 };
	tree_opts o;
	tree *t;

	tree_opts_default(&o);
	t = tree_grow(&d, NULL, NULL, 0, &o);
	CHECK_EQ(t->n_nodes, 3);
	CHECK(t->nodes[0].feature == 0);
	CHECK(t->nodes[0].threshold == 3.5f);
	CHECK(fabs(t->nodes[0].impurity - 0.5) < 1e-12);
	CHECK(t->nodes[t->nodes[0].left].impurity == 0);
	CHECK_EQ(t->nodes[t->nodes[0].left].n_samples, 3);
	CHECK_EQ(tree_n_leaves(t), 2);
	CHECK_EQ(tree_depth(t), 1);
	tree_free(t);

	/* weights: row with weight 0 is absent, weight 2 counts twice */
	{
		double w[6] = { 1, 1, 0, 2, 1, 1 };

		t = tree_grow(&d, w, NULL, 0, &o);
		CHECK_EQ(t->nodes[0].n_samples, 5);
		CHECK(t->nodes[0].weighted == 6.0);
		/* the cut is now between 2 and 4 */
		CHECK(t->nodes[0].threshold == 3.0f);
		CHECK(t->value[0] == 2.0 && t->value[1] == 4.0);
		tree_free(t);
	}

	/* midpoint that rounds to the upper float32 falls back to the lower value */
	{
		float a = 1.0f, b = nextafterf(1.0f, 2.0f);
		float X2[2] = { a, b };
		int32_t y2[2] = { 0, 1 };
		tree_data d2 = { X2, 2, 1, y2, 2 };

		t = tree_grow(&d2, NULL, NULL, 0, &o);
		CHECK_EQ(t->n_nodes, 3);
		CHECK(t->nodes[0].threshold == a);
		CHECK(predict(t, &X2[0]) == 0);
		CHECK(predict(t, &X2[1]) == 1);
		tree_free(t);
	}

	/* values closer than 1e-7 are not separated (sklearn's FEATURE_THRESHOLD) */
	{
		float X3[2] = { 0.0f, 1e-8f };
		int32_t y3[2] = { 0, 1 };
		tree_data d3 = { X3, 2, 1, y3, 2 };

		t = tree_grow(&d3, NULL, NULL, 0, &o);
		CHECK_EQ(t->n_nodes, 1);
		tree_free(t);
	}

	/* XOR-like 2D data: grown until every leaf is pure, training accuracy 1 */
	{
		enum { N = 400 };
		float *X = malloc(2 * N * sizeof(float));
		int32_t *y = malloc(N * sizeof(int32_t));
		rng r;
		int ok = 1;

		rng_seed(&r, 7);
		for (int i = 0; i < N; i++) {
			float a = (float)rng_double(&r), b = (float)rng_double(&r);

			X[i] = a;
			X[N + i] = b;
			y[i] = (a > 0.5f) ^ (b > 0.3f);
		}
		tree_data d4 = { X, N, 2, y, 2 };
		o.max_features = 1;
		o.seed = 3;
		t = tree_grow(&d4, NULL, NULL, 0, &o);
		for (size_t i = 0; i < t->n_nodes; i++)
			if (t->nodes[i].left == TREE_LEAF && t->nodes[i].impurity > 0)
				ok = 0;
		CHECK(ok);
		for (int i = 0; i < N; i++) {
			float row[2] = { X[i], X[N + i] };

			if (predict(t, row) != y[i])
				ok = 0;
			if (tree_apply(t, row) != tree_apply_col(t, X, N, (size_t)i))
				ok = 0;
		}
		CHECK(ok);
		{
			double imp[2];

			tree_importances(t, imp);
			CHECK(fabs(imp[0] + imp[1] - 1.0) < 1e-12);
		}
		/* min_samples_leaf counts distinct rows */
		tree *t2;
		o.min_samples_leaf = 20;
		t2 = tree_grow(&d4, NULL, NULL, 0, &o);
		ok = 1;
		for (size_t i = 0; i < t2->n_nodes; i++)
			if (t2->nodes[i].n_samples < 20)
				ok = 0;
		CHECK(ok);
		tree_free(t2);
		/* max_depth and max_leaves */
		o.min_samples_leaf = 1;
		o.max_depth = 2;
		t2 = tree_grow(&d4, NULL, NULL, 0, &o);
		CHECK(tree_depth(t2) <= 2);
		tree_free(t2);
		o.max_depth = 0;
		o.max_leaves = 4;
		t2 = tree_grow(&d4, NULL, NULL, 0, &o);
		CHECK_EQ(tree_n_leaves(t2), 4);
		tree_free(t2);
		o.max_leaves = 0;
		/* binned growth: hist on all nodes still separates the data */
		{
			tree_bins *b = tree_bins_build(&d4, 2);

			t2 = tree_grow_binned(&d4, b, 1, NULL, NULL, 0, &o);
			ok = 1;
			for (int i = 0; i < N; i++) {
				float row[2] = { X[i], X[N + i] };

				if (predict(t2, row) != y[i])
					ok = 0;
			}
			CHECK(ok);
			tree_free(t2);
			tree_bins_free(b);
		}
		/* subset of rows */
		{
			uint32_t rows[3] = { 0, 1, 2 };

			t2 = tree_grow(&d4, NULL, rows, 3, &o);
			CHECK_EQ(t2->nodes[0].n_samples, 3);
			tree_free(t2);
		}
		tree_free(t);
		free(X);
		free(y);
	}
	/*
	 * Integer weights take the integer split search; the same weights
	 * halved take the double one. Halving scales every sum and proxy by
	 * an exact power of two, so both must grow the very same tree
	 * (features, thresholds, rows; weights exactly half), with and without
	 * histograms, depth-first and best-first. With every feature tried
	 * (modes 4 and 5) integer weights also take the histogram subtraction
	 * and presorted subtrees, the halved ones the plain per-node search.
	 */
	{
		enum { N = 3000, F = 5 };
		float *X = malloc(F * N * sizeof(float));
		int32_t *y = malloc(N * sizeof(int32_t));
		double *w = malloc(N * sizeof(double)), *wh = malloc(N * sizeof(double));
		tree_data dd = { X, N, F, y, 3 };
		tree_bins *b;
		rng r;
		int ok = 1;

		rng_seed(&r, 11);
		for (int i = 0; i < N; i++) {
			float a = (float)rng_double(&r), c = (float)rng_below(&r, 7);

			X[i] = a;
			X[N + i] = c;					/* 7 distinct values */
			X[2 * N + i] = (float)(rng_double(&r) * 1000.0);
			X[3 * N + i] = (float)rng_below(&r, 400);	/* > 256 distinct */
			X[4 * N + i] = 0;				/* constant */
			y[i] = (int32_t)((a > 0.4f) + (c > 3) + (rng_below(&r, 10) == 0)) % 3;
			w[i] = (double)rng_below(&r, 4);
			wh[i] = w[i] / 2;
		}
		b = tree_bins_build(&dd, 1);
		for (int mode = 0; mode < 6; mode++) {
			tree *ti, *td;

			tree_opts_default(&o);
			o.max_features = mode >= 4 ? 0 : 2;
			o.seed = 5 + (uint64_t)mode;
			o.max_leaves = mode == 3 ? 40 : 0;
			if (mode == 0 || mode == 5) {
				ti = tree_grow(&dd, w, NULL, 0, &o);
				td = tree_grow(&dd, wh, NULL, 0, &o);
			} else {
				size_t hm = mode == 1 || mode == 4 ? 64 : 0;

				ti = tree_grow_binned(&dd, b, hm, w, NULL, 0, &o);
				td = tree_grow_binned(&dd, b, hm, wh, NULL, 0, &o);
			}
			CHECK(ti->n_nodes > 50);
			CHECK_EQ(ti->n_nodes, td->n_nodes);
			for (size_t i = 0; i < ti->n_nodes && i < td->n_nodes; i++) {
				const tree_node *a = &ti->nodes[i], *c = &td->nodes[i];

				if (a->feature != c->feature || a->threshold != c->threshold ||
				    a->left != c->left || a->n_samples != c->n_samples ||
				    a->weighted != 2 * c->weighted || a->impurity != c->impurity)
					ok = 0;
				for (size_t k = 0; k < 3; k++)
					if (ti->value[i * 3 + k] != 2 * td->value[i * 3 + k])
						ok = 0;
			}
			CHECK(ok);
			tree_free(ti);
			tree_free(td);
		}
		tree_bins_free(b);
		free(X);
		free(y);
		free(w);
		free(wh);
	}
	return check_done();
}
