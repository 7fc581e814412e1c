/*
 * model_roundtrip: save/load gives identical bytes; damaged buffers are
 * refused with a clear message; forest and linear predictions agree across
 * thread counts and (linear) with LIBLINEAR's own predict_probability.
 */
#include "check.h"
#include "forest.h"
#include "model.h"
#include "table.h"

#include <linear.h>
#include <math.h>
#include <stdlib.h>
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
		char name[16];

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
		free(p1);
		free(p3);
		free(pr);
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
	bad[8] = 2;
	CHECK(parse_capture(bad, l1, msg, sizeof(msg)) == NULL);
	CHECK(strstr(msg, "model format version 2 is not supported") != NULL);
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
	free(b1);
	model_free(m);
	model_free(m2);

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
	free(b1);
	free(b2);
	model_free(m);
	model_free(m2);
	table_release(&t);
	return check_done();
}
