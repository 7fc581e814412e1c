/*
 * trustee_prune: Trustee's top-k pruning, branches, statistics, the text
 * renderer and hints on a hand-built tree.
 *
 *  node 0: Protocol <= 10       [60,40]  gini .48
 *    node 1: Flow Duration <= 5 [50,10]  gini .278
 *      node 3: leaf             [45, 0]
 *      node 4: Protocol <= 3    [ 5,10]  gini .444
 *        node 7: leaf           [ 4, 0]
 *        node 8: leaf           [ 1,10]
 *    node 2: Dst Port <= 1      [10,30]  gini .375
 *      node 5: leaf             [ 2,28]
 *      node 6: leaf             [ 8, 2]
 */
#include "check.h"

#include <stdlib.h>

#include "hints.h"
#include "prune.h"
#include "render.h"
#include "util.h"

static const char *const feats[] = { "Protocol", "Flow Duration", "Dst Port" };
static const char *const classes[] = { "vimeo", "youtube" };
static const render_names nm = { feats, 3, classes, 2 };

static double gini2(double a, double b)
{
	double n = a + b;

	return n > 0 ? 1 - (a / n) * (a / n) - (b / n) * (b / n) : 0;
}

static void set(tree *t, int i, int l, int r, int f, float thr, double a, double b)
{
	t->nodes[i].left = l;
	t->nodes[i].right = r;
	t->nodes[i].feature = f;
	t->nodes[i].threshold = thr;
	t->nodes[i].impurity = gini2(a, b);
	t->nodes[i].n_samples = (uint32_t)(a + b);
	t->nodes[i].weighted = a + b;
	t->value[i * 2] = a;
	t->value[i * 2 + 1] = b;
}

static tree *hand_tree(void)
{
	tree *t = xcalloc(1, sizeof(*t));

	t->n_nodes = t->cap = 9;
	t->nodes = xcalloc(9, sizeof(*t->nodes));
	t->value = xcalloc(18, sizeof(*t->value));
	t->n_classes = 2;
	t->n_features = 3;
	set(t, 0, 1, 2, 0, 10, 60, 40);
	set(t, 1, 3, 4, 1, 5, 50, 10);
	set(t, 2, 5, 6, 2, 1, 10, 30);
	set(t, 3, -1, -1, -1, 0, 45, 0);
	set(t, 4, 7, 8, 0, 3, 5, 10);
	set(t, 5, -1, -1, -1, 0, 2, 28);
	set(t, 6, -1, -1, -1, 0, 8, 2);
	set(t, 7, -1, -1, -1, 0, 4, 0);
	set(t, 8, -1, -1, -1, 0, 1, 10);
	return t;
}

static char *text_of(const tree *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	render_text(fp, t, &nm, 0);
	fclose(fp);
	return buf;
}

int main(void)
{
	tree *t = hand_tree(), *p;
	prune_branch *b;
	size_t n;
	char *s;

	/* branches: depth-first order, then ranked by samples */
	n = prune_branches(t, &b);
	CHECK_EQ(n, 5);
	CHECK_EQ(b[0].leaf, 3);
	CHECK_EQ(b[1].leaf, 7);
	CHECK_EQ(b[4].leaf, 6);
	CHECK_EQ(b[2].len, 3);
	CHECK_EQ(b[2].cls, 1);
	CHECK(b[2].purity > 0.909 && b[2].purity < 0.910);
	s = render_rule(t, &b[2], &nm);
	CHECK_STR(s, "3 < Protocol <= 10 and Flow Duration > 5");
	free(s);
	prune_sort_branches(b, n);
	CHECK_EQ(b[0].leaf, 3);
	CHECK_EQ(b[1].leaf, 5);
	CHECK_EQ(b[2].leaf, 8);
	CHECK_EQ(b[3].leaf, 6);
	CHECK_EQ(b[4].leaf, 7);
	s = render_rule(t, &b[1], &nm);
	CHECK_STR(s, "Protocol > 10 and Dst Port <= 1");
	free(s);
	prune_branches_free(b, n);

	/* k = 2: keep paths to leaves 3 and 5; node 4 collapses to a leaf */
	p = prune_top_k(t, 2, 0.1);
	CHECK_EQ(p->n_nodes, 7);
	CHECK_EQ(tree_n_leaves(p), 4);
	CHECK_EQ(tree_depth(p), 2);
	CHECK_EQ(p->nodes[3].left, TREE_LEAF);
	CHECK_EQ(p->nodes[3].feature, -1);
	CHECK_EQ(tree_node_class(p, 3), 1);
	CHECK(p->nodes[3].weighted == 15);
	s = text_of(p);
	CHECK_STR(s,
		  "if Protocol <= 10:\n"
		  "    if Flow Duration <= 5:\n"
		  "        -> vimeo  (samples 45 = 45.0%, purity 100.0%)\n"
		  "    else:  (Flow Duration > 5)\n"
		  "        -> youtube  (samples 15 = 15.0%, purity 66.7%)\n"
		  "else:  (Protocol > 10)\n"
		  "    if Dst Port <= 1:\n"
		  "        -> youtube  (samples 30 = 30.0%, purity 93.3%)\n"
		  "    else:  (Dst Port > 1)\n"
		  "        -> vimeo  (samples 10 = 10.0%, purity 80.0%)\n");
	free(s);

	/* prediction follows x <= threshold to the left, collapsed nodes predict their majority */
	{
		float X[3 * 4] = {
			2, 2, 20, 20,	/* Protocol */
			9, 9, 0, 0,	/* Flow Duration */
			0, 0, 0, 5,	/* Dst Port */
		};

		CHECK_EQ(tree_node_class(t, tree_apply_col(t, X, 4, 0)), 0);
		CHECK_EQ(tree_node_class(p, tree_apply_col(p, X, 4, 0)), 1);
		CHECK_EQ(tree_node_class(p, tree_apply_col(p, X, 4, 2)), 1);
		CHECK_EQ(tree_node_class(p, tree_apply_col(p, X, 4, 3)), 0);
	}

	/* hints on the pruned tree: root split on Protocol, top branch on Dst Port */
	{
		hint *h;
		size_t nh = hints_find(p, feats, 3, 10, &h);

		CHECK_EQ(nh, 2);
		if (nh == 2) {
			CHECK_EQ(h[0].feature, 0);
			CHECK_STR(h[0].where, "root split");
			CHECK_STR(h[0].kind, "protocol identifier");
			CHECK(h[0].share > 0.999);	/* every branch tests the root */
			CHECK(h[0].root_share == 0);
			CHECK_EQ(h[1].feature, 2);
			CHECK_STR(h[1].where, "top branches");
			CHECK(h[1].share > 0.399 && h[1].share < 0.401);
			CHECK(strstr(h[0].message, "not a verdict") != NULL);
		}
		hints_free(h, nh);
	}
	prune_tree_free(p);

	/* k = 1: only leaf 3's path; node 2 collapses */
	p = prune_top_k(t, 1, 0.1);
	CHECK_EQ(p->n_nodes, 5);
	CHECK_EQ(tree_n_leaves(p), 3);
	CHECK_EQ(tree_node_class(p, 4), 1);
	prune_tree_free(p);

	/* a higher impurity cut drops node 1 (gini .278) from the kept set */
	p = prune_top_k(t, 2, 0.3);
	CHECK_EQ(p->n_nodes, 5);
	CHECK_EQ(p->nodes[1].left, TREE_LEAF);
	CHECK_EQ(tree_node_class(p, 1), 0);
	prune_tree_free(p);

	/* root gini <= cut, or k = 0: a single leaf */
	p = prune_top_k(t, 10, 0.5);
	CHECK_EQ(p->n_nodes, 1);
	CHECK_EQ(tree_node_class(p, 0), 0);
	prune_tree_free(p);
	p = prune_top_k(t, 0, 0.1);
	CHECK_EQ(p->n_nodes, 1);
	prune_tree_free(p);

	/* k larger than the leaf count keeps every impure path: node 4 survives */
	p = prune_top_k(t, 100, 0.1);
	CHECK_EQ(p->n_nodes, 9);
	prune_tree_free(p);

	/* depth cut and copy */
	p = prune_max_depth(t, 1);
	CHECK_EQ(p->n_nodes, 3);
	CHECK_EQ(tree_depth(p), 1);
	prune_tree_free(p);
	p = prune_copy(t);
	CHECK_EQ(p->n_nodes, 9);
	CHECK_EQ(tree_depth(p), 3);
	prune_tree_free(p);

	/* statistics */
	{
		prune_feature_stat fs[3];
		prune_node_stat *ns;
		double total;
		unsigned char used[3];

		CHECK_EQ(prune_top_features(t, 3, fs, &total), 3);
		CHECK(total == 215);
		CHECK_EQ(fs[0].feature, 0);
		CHECK_EQ(fs[0].nodes, 2);
		CHECK(fs[0].samples == 115);
		CHECK_EQ(fs[1].feature, 1);
		CHECK_EQ(fs[2].feature, 2);
		CHECK_EQ(prune_features_used(t, 3, used), 3);
		n = prune_top_nodes(t, &ns);
		CHECK_EQ(n, 4);
		/* node 1: 60 * |0 - .444| = 26.7 beats node 0: 100 * |.278 - .375| = 9.7 */
		CHECK_EQ(ns[0].node, 1);
		CHECK_EQ(ns[0].level, 1);
		free(ns);
	}

	/* floats print as the shortest text that reads back */
	{
		char buf[32];

		render_float(buf, sizeof(buf), 11.5f);
		CHECK_STR(buf, "11.5");
		render_float(buf, sizeof(buf), 0.1f);
		CHECK_STR(buf, "0.1");
		render_float(buf, sizeof(buf), 3000000.0f);
		CHECK_STR(buf, "3000000");
		render_float(buf, sizeof(buf), 3e12f);
		CHECK_STR(buf, "3e+12");
		render_float(buf, sizeof(buf), 0.000125f);
		CHECK_STR(buf, "0.000125");
		render_float(buf, sizeof(buf), 1234567.5f);
		CHECK_STR(buf, "1234567.5");
	}

	/* a measurement feature carrying most split samples is a "dominant feature" hint */
	{
		static const char *const plain[] = { "Flow IAT Mean", "Flow Duration", "Fwd Bytes" };
		hint *h;
		size_t nh = hints_find(t, plain, 3, 10, &h);

		CHECK_EQ(nh, 1);
		if (nh == 1) {
			CHECK_EQ(h[0].feature, 0);
			CHECK_STR(h[0].kind, "dominant feature");
			CHECK_STR(h[0].where, "root split");
			CHECK(h[0].split_share > 0.534 && h[0].split_share < 0.536);	/* 115 / 215 */
			CHECK(strstr(h[0].message, "53.5% of the split samples") != NULL);
		}
		hints_free(h, nh);
		/* a single leaf has no hint */
		p = prune_top_k(t, 0, 0.1);
		CHECK_EQ(hints_find(p, plain, 3, 10, &h), 0);
		CHECK(h == NULL);
		prune_tree_free(p);
	}

	/* names */
	CHECK_STR(hints_classify("Protocol"), "protocol identifier");
	CHECK_STR(hints_classify("Src Port"), "port number");
	CHECK_STR(hints_classify("dst_port"), "port number");
	CHECK_STR(hints_classify("srcPort"), "port number");
	CHECK_STR(hints_classify("Destination IP"), "address");
	CHECK_STR(hints_classify("Flow ID"), "flow identifier");
	CHECK_STR(hints_classify("Timestamp"), "timestamp");
	CHECK_STR(hints_classify("Init_Win_bytes_forward"), "TTL-like constant");
	CHECK_STR(hints_classify("ip.ttl"), "TTL-like constant");
	CHECK(hints_classify("Flow Duration") == NULL);
	CHECK(hints_classify("Flow IAT Mean") == NULL);
	CHECK(hints_classify("Transport Bytes") == NULL);
	CHECK(hints_classify("Fwd PSH Flags") == NULL);

	prune_tree_free(t);
	return check_done();
}
