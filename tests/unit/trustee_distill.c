/*
 * trustee_distill: macro-F1 as scikit-learn computes it, split sizes, and
 * the Trustee loop with a stand-in learner (a one-split stump), including
 * reproducibility across thread counts and the growth of D.
 */
#include "check.h"

#include <math.h>
#include <stdlib.h>

#include "distill.h"
#include "prune.h"
#include "report.h"
#include "util.h"

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

/* Stump on feature 0: best threshold among the drawn rows' values (gini). */
static tree *stump_fit(void *ctx, const uint32_t *rows, size_t n, const double *w,
		       const int32_t *y, uint64_t seed)
{
	const float *X = ctx;
	tree *t = xcalloc(1, sizeof(*t));
	double tot[2] = { 0, 0 }, best = -1;
	float thr = 0;

	(void)seed;
	for (size_t i = 0; i < n; i++)
		tot[y[rows[i]]] += w[rows[i]];
	for (size_t k = 0; k < n; k++) {
		float c = X[rows[k]];
		double l[2] = { 0, 0 }, r[2], s;

		for (size_t i = 0; i < n; i++)
			if (X[rows[i]] <= c)
				l[y[rows[i]]] += w[rows[i]];
		r[0] = tot[0] - l[0];
		r[1] = tot[1] - l[1];
		if (l[0] + l[1] == 0 || r[0] + r[1] == 0)
			continue;
		s = (l[0] * l[0] + l[1] * l[1]) / (l[0] + l[1]) + (r[0] * r[0] + r[1] * r[1]) / (r[0] + r[1]);
		if (s > best) {
			best = s;
			thr = c;
		}
	}
	t->n_classes = 2;
	t->n_features = 1;
	t->nodes = xcalloc(3, sizeof(*t->nodes));
	t->value = xcalloc(6, sizeof(*t->value));
	t->value[0] = tot[0];
	t->value[1] = tot[1];
	t->nodes[0].weighted = tot[0] + tot[1];
	t->nodes[0].impurity = 0.5;
	if (best < 0) {
		t->n_nodes = 1;
		t->nodes[0].left = t->nodes[0].right = -1;
		t->nodes[0].feature = -1;
		return t;
	}
	t->n_nodes = 3;
	t->nodes[0].left = 1;
	t->nodes[0].right = 2;
	t->nodes[0].feature = 0;
	t->nodes[0].threshold = thr;
	for (int c = 1; c <= 2; c++) {
		t->nodes[c].left = t->nodes[c].right = t->nodes[c].feature = -1;
		for (size_t i = 0; i < n; i++)
			if ((X[rows[i]] <= thr) == (c == 1))
				t->value[c * 2 + y[rows[i]]] += w[rows[i]];
		t->nodes[c].weighted = t->value[c * 2] + t->value[c * 2 + 1];
	}
	return t;
}

int main(void)
{
	/* macro-F1 over the classes present in truth or prediction */
	{
		int32_t t1[] = { 0, 0, 1, 1 }, p1[] = { 0, 1, 1, 1 };
		int32_t t2[] = { 0, 0 }, p2[] = { 0, 2 };
		int32_t t3[] = { 1, 1, 1 }, p3[] = { 1, 1, 1 };

		CHECK(near(report_macro_f1(t1, p1, 4, 2), (2.0 / 3 + 0.8) / 2));
		CHECK(near(report_macro_f1(t2, p2, 2, 3), (2.0 / 3) / 2));
		CHECK(near(report_macro_f1(t3, p3, 3, 4), 1.0));
		CHECK(near(report_macro_f1(t1, p1, 0, 2), 0));
	}
	/* train_test_split sizes */
	CHECK_EQ(distill_train_count(20000, 0.99), 19800);
	CHECK_EQ(distill_train_count(10, 0.7), 7);
	CHECK_EQ(distill_train_count(3, 0.5), 1);

	/* the loop */
	{
		enum { N = 400 };
		float *X = xmalloc(N * sizeof(*X));
		int32_t *expert = xmalloc(N * sizeof(*expert));
		distill_data d = { X, N, 1, expert, 2 };
		distill_opts o;
		distill_result r1, r3, rm, rn;

		for (int i = 0; i < N; i++) {
			X[i] = (float)((i * 37) % N);
			expert[i] = X[i] > 123.5f;
		}
		distill_opts_default(&o);
		o.stability_iter = 3;
		o.iter = 4;
		o.samples = 100;
		o.seed = 42;
		CHECK_EQ(distill_run(&d, &o, stump_fit, X, prune_tree_free, &r1), 0);
		CHECK_EQ(r1.n_pool, 280);
		CHECK_EQ(r1.n_agree, 120);
		CHECK_EQ(r1.n_samples, 100);
		CHECK_EQ(r1.n_student_train, 70);
		CHECK_EQ(r1.n_student_test, 30);
		CHECK_EQ(r1.final_d, 280 + 12 * 30);
		CHECK_EQ(r1.n_iter, 12);
		CHECK(r1.reward > 0.9);
		CHECK(near(r1.agreement, 1.0) || r1.agreement > 0.95);
		CHECK_EQ(r1.pruned->nodes[0].feature, 0);
		CHECK(r1.pruned->nodes[0].threshold >= 120 && r1.pruned->nodes[0].threshold < 130);

		/* same seed, three threads: identical rewards and choice */
		o.threads = 3;
		CHECK_EQ(distill_run(&d, &o, stump_fit, X, prune_tree_free, &r3), 0);
		CHECK_EQ(r3.chosen, r1.chosen);
		CHECK(r3.agreement == r1.agreement);
		CHECK(r3.pruned->nodes[0].threshold == r1.pruned->nodes[0].threshold);
		for (int i = 0; i < 12; i++)
			CHECK(r3.rewards[i] == r1.rewards[i]);

		/* misclassified rows only: D grows by at most the held-out rows */
		o.aggregate = DISTILL_AGG_MISCLASSIFIED;
		CHECK_EQ(distill_run(&d, &o, stump_fit, X, prune_tree_free, &rm), 0);
		CHECK(rm.final_d >= 280 && rm.final_d < 280 + 12 * 30);
		o.aggregate = DISTILL_AGG_NONE;
		CHECK_EQ(distill_run(&d, &o, stump_fit, X, prune_tree_free, &rn), 0);
		CHECK_EQ(rn.final_d, 280);
		distill_result_release(&rn, prune_tree_free);

		/* sizes that cannot work are errors, not crashes */
		o.samples = 281;
		fprintf(stderr, "(expected error follows)\n");
		CHECK_EQ(distill_run(&d, &o, stump_fit, X, prune_tree_free, &rn), -1);
		o.samples = 0;
		o.samples_frac = 0.001;
		o.train_size = 0.999;
		fprintf(stderr, "(expected error follows)\n");
		CHECK_EQ(distill_run(&d, &o, stump_fit, X, prune_tree_free, &rn), -1);

		distill_result_release(&r1, prune_tree_free);
		distill_result_release(&r3, prune_tree_free);
		distill_result_release(&rm, prune_tree_free);
		distill_result_release(&rn, prune_tree_free);
		free(X);
		free(expert);
	}
	return check_done();
}
