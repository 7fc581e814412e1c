/*
 * model_roundtrip: save/load gives identical bytes; damaged buffers are
 * refused with a clear message; forest and linear predictions agree across
 * thread counts and (linear) with LIBLINEAR's own predict_probability.
 * Format version 1 files still load to the same model; trees the batch
 * layout re-lays (not in preorder) or cannot hold (shared nodes) predict
 * the same bits as row by row. Class-only predictions, which decide rows
 * before the last tree, give the classes of the full sums.
 */
#include "check.h"
#include "forest.h"
#include "model.h"
#include "table.h"

#include <linear.h>
#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

/* Run model_parse with stderr captured; returns the model, *msg = the message. */
static ml_model *parse_capture(const uint8_t *buf, size_t len, char *msg, size_t cap)
{
	char path[] = "/tmp/model_rt_XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	ml_model *m;
	FILE *fp;
	size_t n;

	fflush(stderr);
	dup2(fd, 2);
	m = model_parse(buf, len, "t.bin");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fp = fopen(path, "r");
	n = fread(msg, 1, cap - 1, fp);
	msg[n] = 0;
	fclose(fp);
	close(fd);
	unlink(path);
	return m;
}

static void fill_table(table *t, size_t n, size_t F)
{
	rng r;

	memset(t, 0, sizeof(*t));
	rng_seed(&r, 11);
	t->n_rows = n;
	t->n_features = F;
	t->X = calloc(n * F, sizeof(float));
	t->y = calloc(n, sizeof(int32_t));
	t->features = calloc(F, sizeof(char *));
	for (size_t f = 0; f < F; f++) {
		char name[24];	/* "f" and up to 20 digits: no truncation warning at -O1 */

		snprintf(name, sizeof(name), "f%zu", f);
		t->features[f] = strdup(name);
	}
	t->n_classes = t->n_known_classes = 3;
	t->classes = calloc(3, sizeof(char *));
	t->classes[0] = strdup("a");
	t->classes[1] = strdup("b");
	t->classes[2] = strdup("c");
	for (size_t i = 0; i < n; i++) {
		double u = rng_double(&r), v = rng_double(&r);

		t->X[0 * n + i] = (float)(u * 100);
		t->X[1 * n + i] = (float)v;
		for (size_t f = 2; f < F; f++)
			t->X[f * n + i] = (float)(rng_double(&r) * (f == 3 ? 0 : 1));
		t->y[i] = u < 0.3 ? 0 : v < 0.5 ? 1 : 2;
		if (rng_double(&r) < 0.05)
			t->y[i] = (int32_t)rng_below(&r, 3);
	}
}

int main(void)
{
	table t;
	forest_opts o;
	ml_model *m, *m2;
	uint8_t *b1, *b2, *bad;
	size_t l1, l2;
	char msg[512];
	size_t n = 600, F = 5;

	fill_table(&t, n, F);
	forest_opts_default(&o);
	o.n_trees = 15;
	o.max_features = 2;
	o.seed = 5;
	o.threads = 2;
	o.hist_min = 64;
	m = forest_train(&t, &o);
	CHECK(m->kind == MODEL_FOREST && m->n_trees == 15);
	b1 = model_serialize(m, &l1);
	m2 = model_parse(b1, l1, "mem");
	CHECK(m2 != NULL);
	b2 = model_serialize(m2, &l2);
	CHECK(l1 == l2 && !memcmp(b1, b2, l1));
	free(b2);
	/* the padding after n_samples never reaches the file: written as zeros */
	for (size_t k = 0; k < m->n_trees; k++)
		for (size_t i = 0; i < m->trees[k]->n_nodes; i++)
			memset((char *)&m->trees[k]->nodes[i] + offsetof(tree_node, n_samples) + 4, 0xA5, 4);
	b2 = model_serialize(m, &l2);
	CHECK(l1 == l2 && !memcmp(b1, b2, l1));
	free(b2);
	/* model_save streams the same bytes */
	{
		char path[] = "/tmp/model_rt_save_XXXXXX";
		int fd = mkstemp(path);
		FILE *fp;

		close(fd);
		CHECK(model_save(m, path) == 0);
		fp = fopen(path, "rb");
		b2 = malloc(l1 + 16);
		l2 = fread(b2, 1, l1 + 16, fp);
		fclose(fp);
		CHECK(l2 == l1 && !memcmp(b1, b2, l1));
		free(b2);
		unlink(path);
	}

	/* one thread, same seed: same bytes */
	{
		ml_model *m3;

		o.threads = 1;
		m3 = forest_train(&t, &o);
		b2 = model_serialize(m3, &l2);
		CHECK(l1 == l2 && !memcmp(b1, b2, l1));
		free(b2);
		model_free(m3);
	}

	/* predictions: batch (1 and 3 threads) = row by row, loaded = original */
	{
		int32_t *p1 = calloc(n, 4), *p3 = calloc(n, 4);
		double *pr = calloc(n * 3, sizeof(double)), row_p[3];
		int ok = 1, correct = 0;

		model_predict(m, t.X, n, p1);
		model_predict_proba_mt(m2, t.X, n, 3, pr, p3);
		for (size_t i = 0; i < n; i++) {
			float row[5];

			for (size_t f = 0; f < F; f++)
				row[f] = t.X[f * n + i];
			if (model_predict_proba(m, row, row_p) != p1[i] || p1[i] != p3[i])
				ok = 0;
			for (int k = 0; k < 3; k++)
				if (row_p[k] != pr[i * 3 + k])
					ok = 0;
			correct += p1[i] == t.y[i];
		}
		CHECK(ok);
		CHECK(correct > (int)n * 9 / 10);
		/* the portable loop gives the same bits as the AVX2 one */
		{
			double *pr0 = calloc(n * 3, sizeof(double));
			int32_t *p0 = calloc(n, 4);

			model_predict_set_simd(0);
			model_predict_proba_mt(m2, t.X, n, 2, pr0, p0);
			model_predict_set_simd(1);
			CHECK(!memcmp(pr0, pr, n * 3 * sizeof(double)) && !memcmp(p0, p3, n * 4));
			free(pr0);
			free(p0);
		}
		free(p1);
		free(p3);
		free(pr);
	}

	/*
	 * wide rows (70 features, a third of them constant so no split reads
	 * them), depth-limited trees (impure leaves beside pure ones), NaN
	 * cells: the batch layout compacts and reorders the features and shares
	 * the pure leaves' rows; every path still gives the row-by-row bits
	 */
	{
		table w;
		forest_opts ow;
		ml_model *mw;
		size_t nw = 900, Fw = 70, pure = 0, impure = 0;
		double *pa, *pb, *pc, rp[3];
		int32_t *ca, *cb, *cc;
		int same = 1;
		rng r;

		fill_table(&w, nw, Fw);
		rng_seed(&r, 3);
		for (size_t f = 2; f < Fw; f++)
			for (size_t i = 0; i < nw; i++) {
				if (f % 3 == 0)
					w.X[f * nw + i] = 7;
				else if (f % 7 == 1)	/* label-related: some splits read it */
					w.X[f * nw + i] = (float)(w.y[i] + rng_double(&r));
			}
		forest_opts_default(&ow);
		ow.n_trees = 12;
		ow.max_features = 9;
		ow.max_depth = 5;
		ow.seed = 9;
		ow.hist_min = 64;
		mw = forest_train(&w, &ow);
		for (size_t k = 0; k < mw->n_trees; k++)
			for (size_t i = 0; i < mw->trees[k]->n_nodes; i++) {
				const double *v = mw->trees[k]->value + i * 3;

				if (mw->trees[k]->nodes[i].left != TREE_LEAF)
					continue;
				if ((v[0] > 0) + (v[1] > 0) + (v[2] > 0) == 1)
					pure++;
				else
					impure++;
			}
		CHECK(pure > 0 && impure > 0);
		for (size_t i = 0; i < nw; i += 17)
			w.X[(i % 5) * nw + i] = NAN;
		pa = calloc(nw * 3, sizeof(double));
		pb = calloc(nw * 3, sizeof(double));
		pc = calloc(nw * 3, sizeof(double));
		ca = calloc(nw, 4);
		cb = calloc(nw, 4);
		cc = calloc(nw, 4);
		model_predict_proba_mt(mw, w.X, nw, 1, pa, ca);
		model_predict_proba_mt(mw, w.X, nw, 3, pb, cb);
		model_predict_set_simd(0);
		model_predict_proba_mt(mw, w.X, nw, 2, pc, cc);
		model_predict_set_simd(1);
		for (size_t i = 0; i < nw; i++) {
			float row[70];

			for (size_t f = 0; f < Fw; f++)
				row[f] = w.X[f * nw + i];
			if (model_predict_proba(mw, row, rp) != ca[i] || ca[i] != cb[i] || ca[i] != cc[i])
				same = 0;
			for (int k = 0; k < 3; k++)
				if (memcmp(&rp[k], &pa[i * 3 + k], 8) || memcmp(&rp[k], &pb[i * 3 + k], 8) ||
				    memcmp(&rp[k], &pc[i * 3 + k], 8))
					same = 0;
		}
		CHECK(same);
		free(pa);
		free(pb);
		free(pc);
		free(ca);
		free(cb);
		free(cc);
		model_free(mw);
		table_release(&w);
	}

	/* importances sum to 1, feature 3 (constant) gets 0 */
	{
		double imp[5], s = 0;

		model_importances(m, imp);
		for (int f = 0; f < 5; f++)
			s += imp[f];
		CHECK(fabs(s - 1) < 1e-9);
		CHECK(imp[3] == 0);
		CHECK(imp[0] > imp[2]);
	}

	/* damaged buffers */
	CHECK(parse_capture(b1, 0, msg, sizeof(msg)) == NULL);
	CHECK_STR(msg, "toolkit: 't.bin': empty file, not a model\n");
	bad = malloc(l1);
	memcpy(bad, b1, l1);
	bad[l1 / 2] ^= 0x10;
	CHECK(parse_capture(bad, l1, msg, sizeof(msg)) == NULL);
	CHECK_STR(msg, "toolkit: 't.bin': corrupted model file (checksum mismatch)\n");
	CHECK(parse_capture(b1, l1 - 1, msg, sizeof(msg)) == NULL);
	CHECK(strstr(msg, "truncated model file") != NULL);
	CHECK(parse_capture(b1, 30, msg, sizeof(msg)) == NULL);
	CHECK(strstr(msg, "truncated model file") != NULL);
	memcpy(bad, b1, l1);
	bad[8] = MODEL_FORMAT_VERSION + 1;
	CHECK(parse_capture(bad, l1, msg, sizeof(msg)) == NULL);
	CHECK(strstr(msg, "model format version 3 is not supported") != NULL);
	memcpy(bad, b1, l1);
	bad[0] = 'X';
	CHECK(parse_capture(bad, l1, msg, sizeof(msg)) == NULL);
	CHECK(strstr(msg, "bad magic") != NULL);
	/* every single-byte truncation is refused, never crashes */
	{
		int ok = 1;

		for (size_t k = 0; k < l1; k += 7) {
			ml_model *x = parse_capture(b1, k, msg, sizeof(msg));

			if (x) {
				ok = 0;
				model_free(x);
			}
		}
		CHECK(ok);
	}
	free(bad);

	/* format version 1 (zlib crc32, 36-byte nodes) loads to the same model */
	{
		uint8_t *v1 = model_serialize_version(m, 1, &l2), *b3;
		ml_model *m1;
		size_t l3;

		CHECK(v1[8] == 1 && l2 < l1);
		m1 = model_parse(v1, l2, "v1");
		CHECK(m1 != NULL && m1->format_version == 1);
		if (m1) {
			int32_t *pa = calloc(n, 4), *pb = calloc(n, 4);

			b3 = model_serialize(m1, &l3);
			CHECK(l3 == l1 && !memcmp(b3, b1, l1));
			free(b3);
			model_predict(m1, t.X, n, pa);
			model_predict(m2, t.X, n, pb);
			CHECK(!memcmp(pa, pb, n * 4));
			free(pa);
			free(pb);
		}
		/* a damaged version 1 file is still refused by its own checksum */
		v1[l2 / 2] ^= 0x01;
		CHECK(parse_capture(v1, l2, msg, sizeof(msg)) == NULL);
		CHECK_STR(msg, "toolkit: 't.bin': corrupted model file (checksum mismatch)\n");
		model_free(m1);
		free(v1);
	}

	/* model_load of a file (mapped) gives the same model */
	{
		char path[] = "/tmp/model_rt_load_XXXXXX";
		int fd = mkstemp(path);
		ml_model *ml;

		CHECK(write(fd, b1, l1) == (ssize_t)l1);
		close(fd);
		ml = model_load(path);
		CHECK(ml != NULL);
		if (ml) {
			b2 = model_serialize(ml, &l2);
			CHECK(l2 == l1 && !memcmp(b1, b2, l1));
			free(b2);
		}
		model_free(ml);
		unlink(path);
	}

	/* CRC-32C check value, table and instruction */
	CHECK(model_crc32c(0, "123456789", 9, 0) == 0xE3069283u);
	CHECK(model_crc32c(0, "123456789", 9, 1) == 0xE3069283u);
	CHECK(model_crc32c(model_crc32c(0, "1234", 4, 1), "56789", 5, 0) == 0xE3069283u);
	{
		/* the three-stream path (blocks of 3 x 4 KB) against the table, at
		 * lengths around the block edges, from odd offsets and a running crc */
		static const size_t lens[] = { 0, 7, 12287, 12288, 12289, 24576 + 5, 100003 };
		size_t big = 100003 + 3;
		uint8_t *buf = malloc(big);
		uint64_t x = 0x9e3779b97f4a7c15ull;

		for (size_t i = 0; i < big; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
		for (size_t j = 0; j < sizeof(lens) / sizeof(lens[0]); j++)
			for (size_t off = 0; off < 3; off++)
				CHECK(model_crc32c(0x12345678u, buf + off, lens[j], 1) ==
				      model_crc32c(0x12345678u, buf + off, lens[j], 0));
		free(buf);
	}
	free(b1);
	model_free(m);
	model_free(m2);

	/* hand-made trees: not in preorder (re-laid), shared nodes (row by row) */
	for (int shape = 0; shape < 2; shape++) {
		ml_model *h = model_new(MODEL_FOREST);
		tree *tr = calloc(1, sizeof(*tr));
		/* 0: f0 <= 0.5 ? 2 : (shape ? 2 : 1); 1 leaf; 2: f1 <= 0.25 ? 3 : 4; 3, 4 leaves */
		static const int32_t L[5] = { 2, -1, 3, -1, -1 }, R0[5] = { 1, -1, 4, -1, -1 };
		static const double val[15] = { 0, 0, 0, 1, 2, 0, 0, 0, 0, 3, 0, 1, 0, 1, 1 };
		float X[2 * 8];
		int32_t pb[8];
		double pp[8 * 3], rp[3];
		int ok = 1;

		h->n_features = 2;
		h->features = calloc(2, sizeof(char *));
		h->features[0] = strdup("x");
		h->features[1] = strdup("y");
		h->n_classes = 3;
		h->classes = calloc(3, sizeof(char *));
		h->classes[0] = strdup("a");
		h->classes[1] = strdup("b");
		h->classes[2] = strdup("c");
		tr->n_nodes = tr->cap = 5;
		tr->n_classes = 3;
		tr->n_features = 2;
		tr->nodes = calloc(5, sizeof(tree_node));
		tr->value = calloc(15, sizeof(double));
		memcpy(tr->value, val, sizeof(val));
		for (int i = 0; i < 5; i++) {
			tr->nodes[i].left = L[i];
			tr->nodes[i].right = shape && i == 0 ? 2 : R0[i];
			tr->nodes[i].feature = L[i] < 0 ? -1 : i == 0 ? 0 : 1;
			tr->nodes[i].threshold = i == 0 ? 0.5f : 0.25f;
		}
		h->n_trees = 2;
		h->trees = calloc(2, sizeof(tree *));
		h->trees[0] = tr;
		h->trees[1] = calloc(1, sizeof(tree));
		*h->trees[1] = *tr;
		h->trees[1]->nodes = calloc(5, sizeof(tree_node));
		h->trees[1]->value = calloc(15, sizeof(double));
		memcpy(h->trees[1]->nodes, tr->nodes, 5 * sizeof(tree_node));
		memcpy(h->trees[1]->value, val, sizeof(val));
		h->trees[1]->nodes[2].threshold = 0.75f;
		for (int i = 0; i < 8; i++) {
			X[i] = (float)(i % 2) * 0.9f;		/* x */
			X[8 + i] = (float)(i / 2) * 0.3f;	/* y */
		}
		model_predict_proba_mt(h, X, 8, 1, pp, pb);
		for (int i = 0; i < 8; i++) {
			float row[2] = { X[i], X[8 + i] };

			if (model_predict_proba(h, row, rp) != pb[i] ||
			    memcmp(rp, pp + i * 3, sizeof(rp)))
				ok = 0;
		}
		CHECK(ok);
		model_free(h);
	}

	/* linear: round trip and agreement with LIBLINEAR's predict_probability */
	m = forest_train_linear(&t, 1.0, "lr", 0);
	CHECK(m && m->kind == MODEL_LINEAR && m->lin.probability == 1);
	b1 = model_serialize(m, &l1);
	m2 = model_parse(b1, l1, "mem");
	CHECK(m2 != NULL);
	b2 = model_serialize(m2, &l2);
	CHECK(l1 == l2 && !memcmp(b1, b2, l1));
	{
		/* rebuild a LIBLINEAR model from ours and compare probabilities */
		struct model lm;
		struct feature_node x[7];
		double p_ours[3], p_ll[3];
		int ok = 1, agree = 1;

		memset(&lm, 0, sizeof(lm));
		lm.param.solver_type = m->lin.solver;
		lm.nr_class = 3;
		lm.nr_feature = (int)F;
		lm.w = m->lin.w;
		lm.label = calloc(3, sizeof(int));
		for (int k = 0; k < 3; k++)
			lm.label[k] = m->lin.label[k];
		lm.bias = m->lin.bias;
		for (size_t i = 0; i < n; i++) {
			float row[5];
			double pl;
			int j = 0;

			for (size_t f = 0; f < F; f++) {
				row[f] = t.X[f * n + i];
				x[j].index = (int)f + 1;
				x[j].value = model_linear_scale(&m->lin, f, row[f]);
				j++;
			}
			x[j].index = (int)F + 1;
			x[j].value = m->lin.bias;
			x[j + 1].index = -1;
			pl = predict_probability(&lm, x, p_ll);
			if ((int32_t)pl != model_predict_proba(m2, row, p_ours))
				agree = 0;
			for (int k = 0; k < 3; k++)
				if (fabs(p_ll[k] - p_ours[lm.label[k]]) > 1e-12)
					ok = 0;
		}
		CHECK(ok);
		CHECK(agree);
		free(lm.label);
	}
	/*
	 * Classes only, rows decided before the last tree (a lead over every
	 * other class above the trees left plus 0.5): the same classes as the
	 * argmax of the full sums, here with impure leaves (fractions, not 0/1),
	 * 3 classes, noisy labels and many rows near a tie; 1 and 3 threads, the
	 * AVX-512 walk and the portable one.
	 */
	{
		forest_opts od;
		ml_model *md;
		double *pp = calloc(n * 3, sizeof(double)), rp[3];
		int32_t *cp = calloc(n, 4), *c1 = calloc(n, 4), *c3 = calloc(n, 4), *c0 = calloc(n, 4);
		int ok = 1, split_votes = 0;

		forest_opts_default(&od);
		od.n_trees = 41;
		od.max_features = 1;
		od.min_samples_leaf = 7;
		od.seed = 9;
		od.threads = 1;
		md = forest_train(&t, &od);
		model_predict_proba_mt(md, t.X, n, 1, pp, cp);
		model_predict_mt(md, t.X, n, 1, c1);
		model_predict_mt(md, t.X, n, 3, c3);
		model_predict_set_simd(0);
		model_predict_mt(md, t.X, n, 2, c0);
		model_predict_set_simd(1);
		for (size_t i = 0; i < n; i++) {
			float row[5];
			double top = 0;

			for (size_t f = 0; f < F; f++)
				row[f] = t.X[f * n + i];
			if (model_predict_proba(md, row, rp) != c1[i] || cp[i] != c1[i] ||
			    c3[i] != c1[i] || c0[i] != c1[i])
				ok = 0;
			for (int k = 0; k < 3; k++)
				top = rp[k] > top ? rp[k] : top;
			split_votes += top < 0.75;
		}
		CHECK(ok);
		CHECK(split_votes > 20);	/* rows the early decision must leave to the end */
		model_free(md);
		free(pp);
		free(cp);
		free(c1);
		free(c3);
		free(c0);
	}
	free(b1);
	free(b2);
	model_free(m);
	model_free(m2);
	table_release(&t);
	return check_done();
}
