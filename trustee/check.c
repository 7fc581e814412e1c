/*
 * check.c: `trustee check`: remove the feature an explanation rests on,
 * retrain, explain again, and read the numbers (docs/trustee.md, "check").
 *
 * The idea is the trust report's iterative feature removal (TrusteeML
 * 1.1.6, ../shared/spec/trustee.md section 7, item 6): the next feature is
 * the one with the most samples at the split nodes of the current best
 * (unpruned) student. Unlike the trust report the column is dropped by
 * default (--removal zero zeroes it as the report does), every model is
 * measured on the same test rows, and each step ends in a verdict.
 */
#include "check.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../forest/forest.h"
#include "cli.h"
#include "csv.h"
#include "expert.h"
#include "explain.h"
#include "hints.h"
#include "json.h"
#include "model.h"
#include "options.h"
#include "render.h"
#include "report.h"
#include "table.h"
#include "util.h"

static const char usage_text[] =
	"Usage: trustee check MODEL TRAIN.csv [--test TEST.csv] [options]\n"
	"       trustee check TRAIN.csv --retrain-cmd 'CMD' [--test TEST.csv] [options]\n"
	"Is the feature the model rests on a shortcut or real signal? Explain MODEL\n"
	"on TRAIN, then step by step remove the feature the explanation uses most,\n"
	"retrain with the options and seed stored in MODEL, explain again, and\n"
	"measure accuracy, macro-F1 and fidelity on the same test rows.\n"
	"\n"
	"Check:\n"
	"      --test FILE          test rows (default: a stratified hold-out of TRAIN,\n"
	"                           the model retrained on the rest)\n"
	"      --holdout F          share of TRAIN held out without --test (default 0.3)\n"
	"      --steps N            removal steps (default 3)\n"
	"      --remove A,B         remove these features, one per step, in this order\n"
	"      --removal MODE       drop the column (default) or zero it (as the trust\n"
	"                           report does)\n"
	"      --retrain-cmd 'CMD'  any model: CMD (run with /bin/sh) trains it on the CSV\n"
	"                           named by $TRAIN and prints its answers for the rows\n"
	"                           of the CSV named by $TEST (TRAIN's rows, then the\n"
	"                           test rows), as --expert-cmd does; every model of the\n"
	"                           table, the baseline too, is CMD's\n"
	"      --features A,B       with --retrain-cmd: exactly these features (default:\n"
	"                           as forest train chooses them)\n"
	"Data:\n"
	"      --label-column NAME  true-label column (default Label; required);\n"
	"                           --label NAME is the same\n"
	"      --nonfinite POLICY   NaN/Infinity in a feature: error (default), drop,\n"
	"                           zero or clip (as forest train)\n"
	"Trustee (as trustee explain):\n"
	"      --samples N, --samples-frac F, --iter N, --stability-iter N,\n"
	"      --train-size F, --top-k K\n"
	"  -j, --threads N          worker threads (default: all cores, at most 256)\n"
	"      --seed S             seed of the hold-out and of Trustee (default 0)\n"
	"Output:\n"
	"  -o, --output FILE        the table and verdicts (default stdout)\n"
	"      --json FILE          the check as JSON ('-' = stdout instead of the table)\n"
	"      --svg DIR            each step's pruned tree as DIR/stepN.svg\n"
	"\n"
	"Options may come before or after 'check'.\n"
	"  -h, --help     show this help and exit\n"
	"  -V, --version  show the version and exit\n";

enum {
	OPT_TEST = 256, OPT_HOLDOUT, OPT_STEPS, OPT_REMOVE, OPT_REMOVAL, OPT_LABEL, OPT_NONFINITE,
	OPT_JSON, OPT_SVG, OPT_RETRAIN_CMD, OPT_FEATURES, OPT_EXPERT,
};

/* One row of the verdict table: the baseline (removed < 0) or a step. */
struct step {
	int32_t removed;	/* feature (model index) removed at this step, -1: baseline */
	double accuracy, macro_f1, fidelity;
	int32_t root;		/* root feature (model index) of the pruned tree, -1: a leaf */
	int32_t top;		/* most used feature of the explanation (next removal), -1: none */
	double noise;		/* noise band of the accuracy drop, as a fraction */
	const char *outcome;	/* "holds", "rises", "drops", "falls to the majority rate",
				   "no signal left", "undecided" */
	char *verdict;
};

struct check {
	/* options */
	const char *model_path, *train_path, *test_path, *label, *output, *json, *svg_dir, *remove;
	const char *retrain_cmd, *features;
	char *tmpdir;		/* --retrain-cmd: folder of the step's CSVs */
	double holdout;
	int holdout_set, steps, steps_set, zero, threads;
	trustee_distill_seen seen;
	explain_opts e;
	enum table_nonfinite nonfinite;

	/* inputs */
	ml_model *m;
	table train, test;
	size_t F, K;		/* model features, classes (the training table's) */
	char **names;		/* F feature names (the model's) */
	char **classes;		/* K class names */
	size_t n_tr, n_te;
	float *Xtr, *Xte;	/* column-major, all F features */
	int32_t *ytr, *yte;
	int own_rows;		/* Xtr.. allocated here (hold-out), else borrowed from the tables */
	int32_t *plan;		/* --remove: features in order */
	size_t n_plan;

	/* retraining */
	forest_opts fo;
	char max_features[64];
	double majority;	/* accuracy of always answering TRAIN's most frequent class */

	struct step *st;
	size_t n_st;
	char *stopped;		/* why the steps ended early, or NULL */
};

const char *check_kind(const char *name)
{
	const char *k = hints_classify(name);

	if (!k)
		return "behaviour";
	if (!strcmp(k, "protocol identifier") || !strcmp(k, "TTL-like constant"))
		return "artefact";
	return "identifier";
}

/* ---- retraining with the model's own options ---------------------------- */

/* Value of "key=" in the model's option string into buf; -1 when absent. */
static int opt_value(const char *opts, const char *key, char *buf, size_t n)
{
	size_t kl = strlen(key);

	for (const char *p = opts; p && *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > kl && !strncmp(p, key, kl) && p[kl] == '=') {
			size_t vl = len - kl - 1;

			if (vl >= n)
				return -1;
			memcpy(buf, p + kl + 1, vl);
			buf[vl] = 0;
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}

static int opt_int(const char *opts, const char *key, int min, int *out)
{
	char v[64];

	return opt_value(opts, key, v, sizeof(v)) || parse_int(v, min, INT32_MAX, out) ? -1 : 0;
}

/* Read back the options `forest train` stored; -1 after an error. */
static int retrain_setup(struct check *c)
{
	const char *o = c->m->options ? c->m->options : "";
	char v[64], depth[32];
	int x;

	forest_opts_default(&c->fo);
	c->fo.seed = c->m->seed;
	c->fo.threads = c->threads;
	c->fo.progress = 0;
	c->fo.oob = 0;
	if (c->m->kind == MODEL_LINEAR)
		return 0;
	if (opt_int(o, "trees", 1, &c->fo.n_trees) || opt_value(o, "max_features", v, sizeof(v)) ||
	    opt_value(o, "max_depth", depth, sizeof(depth)) ||
	    opt_int(o, "min_samples_leaf", 1, &c->fo.min_samples_leaf) ||
	    opt_int(o, "min_samples_split", 2, &c->fo.min_samples_split))
		goto bad;
	/* max_features=SPEC(N): the spec is resolved again on the remaining features */
	{
		char *paren = strchr(v, '(');

		if (paren)
			*paren = 0;
		snprintf(c->max_features, sizeof(c->max_features), "%s", v);
	}
	if (!strcmp(depth, "none"))
		c->fo.max_depth = 0;
	else if (parse_int(depth, 1, INT32_MAX, &c->fo.max_depth))
		goto bad;
	if (!opt_value(o, "bootstrap", v, sizeof(v)))
		c->fo.bootstrap = !strcmp(v, "true");
	if (!opt_value(o, "class_weight", v, sizeof(v)))
		c->fo.balanced = !strcmp(v, "balanced");
	if (!opt_int(o, "hist_min", 0, &x))
		c->fo.hist_min = (size_t)x;
	c->fo.max_features_spec = c->max_features;
	return 0;
bad:
	return error("%s: cannot retrain: its training options '%s' are not ones forest train writes",
		     c->model_path, o);
}

/* Train a model like c->m on t (t->n_features may be fewer than the model's). */
static ml_model *retrain(struct check *c, const table *t)
{
	forest_opts fo = c->fo;

	if (c->m->kind == MODEL_LINEAR)
		return forest_train_linear(t, c->m->lin.C, c->m->lin.solver == 0 ? "lr" : "svm",
					   c->m->seed);
	if (forest_max_features(c->max_features, t->n_features, &fo.max_features)) {
		int n;

		/* a fixed count larger than what is left: all that is left */
		if (parse_int(c->max_features, 1, INT32_MAX, &n)) {
			error("%s: cannot resolve max_features=%s for %zu features", c->model_path,
			      c->max_features, t->n_features);
			return NULL;
		}
		fo.max_features = (int)t->n_features;
	}
	return forest_train(t, &fo);
}

/* ---- data ---------------------------------------------------------------- */

static int load_table(struct check *c, table *t, const char *path, const char *const *classes,
		      size_t n_classes)
{
	table_opts o;

	table_opts_default(&o);
	o.label = c->label;
	if (c->m) {
		o.want = (const char *const *)c->m->features;
		o.n_want = c->m->n_features;
	} else if (t != &c->train) {
		o.want = (const char *const *)c->train.features;
		o.n_want = c->train.n_features;
	} else {
		o.features = c->features;
	}
	o.classes = classes;
	o.n_classes = n_classes;
	o.nonfinite = c->nonfinite;
	if (table_load(t, path, &o))
		return -1;
	if (!t->n_rows)
		return error("%s: no data rows%s", path, t->n_dropped ? " with finite values" : "");
	return 0;
}

/* Stratified hold-out of TRAIN: per class, a seeded shuffle sends round(h * n) rows to test. */
static int holdout_split(struct check *c)
{
	const table *t = &c->train;
	size_t n = t->n_rows, *count = xcalloc(c->K, sizeof(size_t));
	size_t **rows = xcalloc(c->K, sizeof(*rows));
	unsigned char *is_test = xcalloc(n ? n : 1, 1);
	size_t *fill = xcalloc(c->K, sizeof(size_t));
	rng r;

	rng_seed(&r, rng_derive(c->e.d.seed, 0x686f6c646f7574ULL));
	for (size_t i = 0; i < n; i++)
		count[t->y[i]]++;
	for (size_t k = 0; k < c->K; k++)
		rows[k] = xcalloc(count[k] ? count[k] : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		rows[t->y[i]][fill[t->y[i]]++] = i;
	for (size_t k = 0; k < c->K; k++) {
		size_t nk = count[k], take = (size_t)floor(c->holdout * (double)nk + 0.5);

		if (nk >= 2 && take == 0)
			take = 1;
		if (take >= nk && nk)
			take = nk - 1;
		for (size_t j = 0; j < take; j++) {	/* partial Fisher-Yates */
			size_t p = j + (size_t)rng_below(&r, nk - j), tmp = rows[k][j];

			rows[k][j] = rows[k][p];
			rows[k][p] = tmp;
			is_test[rows[k][j]] = 1;
		}
		c->n_te += take;
	}
	c->n_tr = n - c->n_te;
	if (!c->n_te || !c->n_tr) {
		error("%s: %zu rows are too few for a hold-out of %g", c->train_path, n, c->holdout);
		goto out;
	}
	c->own_rows = 1;
	c->Xtr = xmalloc(st_mult(st_mult(c->n_tr, c->F), sizeof(float)));
	c->Xte = xmalloc(st_mult(st_mult(c->n_te, c->F), sizeof(float)));
	c->ytr = xmalloc(c->n_tr * sizeof(int32_t));
	c->yte = xmalloc(c->n_te * sizeof(int32_t));
	for (size_t i = 0, a = 0, b = 0; i < n; i++) {
		if (is_test[i])
			c->yte[b++] = t->y[i];
		else
			c->ytr[a++] = t->y[i];
	}
	for (size_t f = 0; f < c->F; f++) {
		const float *col = t->X + f * n;

		for (size_t i = 0, a = 0, b = 0; i < n; i++) {
			if (is_test[i])
				c->Xte[f * c->n_te + b++] = col[i];
			else
				c->Xtr[f * c->n_tr + a++] = col[i];
		}
	}
out:
	for (size_t k = 0; k < c->K; k++)
		free(rows[k]);
	free(rows);
	free(count);
	free(fill);
	free(is_test);
	return c->own_rows ? 0 : -1;
}

static int load_inputs(struct check *c)
{
	if (c->model_path) {
		c->m = model_load(c->model_path);
		if (!c->m)
			return -1;
		if (c->m->kind != MODEL_FOREST && c->m->kind != MODEL_LINEAR)
			return error("%s: cannot retrain a model of this kind", c->model_path);
		if (retrain_setup(c))
			return -1;
	}
	if (load_table(c, &c->train, c->train_path, c->m ? (const char *const *)c->m->classes : NULL,
		       c->m ? c->m->n_classes : 0))
		return -1;
	c->F = c->train.n_features;
	c->K = c->train.n_classes;
	c->names = c->train.features;
	c->classes = c->train.classes;
	if (c->K < 2)
		return error("%s: one class only ('%s'): nothing to tell apart", c->train_path,
			     c->classes[0]);
	if (c->test_path) {
		if (load_table(c, &c->test, c->test_path, (const char *const *)c->train.classes, c->K))
			return -1;
		for (size_t i = 0; i < c->test.n_rows; i++)
			if ((size_t)c->test.y[i] >= c->K)
				return error("%s:%zu: class '%s' is not a class of '%s'", c->test_path,
					     c->test.src_line[i], c->test.classes[c->test.y[i]],
					     c->train_path);
		c->n_tr = c->train.n_rows;
		c->Xtr = c->train.X;
		c->ytr = c->train.y;
		c->n_te = c->test.n_rows;
		c->Xte = c->test.X;
		c->yte = c->test.y;
	} else if (holdout_split(c)) {
		return -1;
	}
	/* majority-class rate: always answering TRAIN's most frequent class */
	{
		size_t *cnt = xcalloc(c->K, sizeof(size_t)), best = 0, hit = 0;

		for (size_t i = 0; i < c->n_tr; i++)
			cnt[c->ytr[i]]++;
		for (size_t k = 1; k < c->K; k++)
			if (cnt[k] > cnt[best])
				best = k;
		for (size_t i = 0; i < c->n_te; i++)
			hit += (size_t)c->yte[i] == best;
		c->majority = (double)hit / (double)c->n_te;
		free(cnt);
	}
	return 0;
}

/* What the features belong to, for messages: MODEL, or TRAIN with --retrain-cmd. */
static const char *source(const struct check *c)
{
	return c->model_path ? c->model_path : c->train_path;
}

/* --remove A,B: model features in order; usage errors for unknown or repeated names. */
static void parse_plan(struct check *c)
{
	char *list = xstrdup(c->remove), *save = NULL;

	c->plan = xcalloc(c->F + 1, sizeof(int32_t));
	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int32_t f = -1;

		for (size_t i = 0; i < c->F; i++)
			if (!strcmp(c->names[i], tok))
				f = (int32_t)i;
		if (f < 0) {
			const char *near = util_closest(tok, (const char *const *)c->names, c->F);

			if (near)
				die_usage("--remove: '%s' is not a feature of '%s' (did you mean '%s'?)", tok,
					  source(c), near);
			die_usage("--remove: '%s' is not a feature of '%s'", tok, source(c));
		}
		for (size_t j = 0; j < c->n_plan; j++)
			if (c->plan[j] == f)
				die_usage("--remove: '%s' is named twice", tok);
		if (c->n_plan + 1 >= c->F)
			die_usage("--remove names every feature of '%s': at least one must stay",
				  source(c));
		c->plan[c->n_plan++] = f;
	}
	free(list);
	if (!c->n_plan)
		die_usage("--remove needs at least one feature name");
}

/* ---- one step ------------------------------------------------------------ */

/* The step's columns: kept[] (model indexes) and X with those columns (drop) or all with zeros. */
static float *step_columns(const struct check *c, const unsigned char *removed, const float *X,
			   size_t n, size_t *kept, size_t *n_kept)
{
	size_t nk = 0;
	float *out;

	for (size_t f = 0; f < c->F; f++)
		if (c->zero || !removed[f])
			kept[nk++] = f;
	out = xmalloc(st_mult(st_mult(nk ? nk : 1, n), sizeof(float)));
	for (size_t j = 0; j < nk; j++) {
		if (c->zero && removed[kept[j]])
			memset(out + j * n, 0, n * sizeof(float));
		else
			memcpy(out + j * n, X + kept[j] * n, n * sizeof(float));
	}
	*n_kept = nk;
	return out;
}

static int write_svg(const struct check *c, size_t k, const explain_result *r,
		     const char *const *names, size_t n_names)
{
	render_names nm = { names, n_names, (const char *const *)c->classes, c->K };
	char *path = xasprintf("%s/step%zu.svg", c->svg_dir, k), *title;
	outfile o;
	int rc;

	if (out_open(&o, path)) {
		free(path);
		return -1;
	}
	if (k)
		title = xasprintf("trustee check: step %zu, without %s - accuracy %.4f, fidelity %.4f", k,
				  c->names[c->st[k].removed], c->st[k].accuracy, c->st[k].fidelity);
	else
		title = xasprintf("trustee check: baseline - accuracy %.4f, fidelity %.4f",
				  c->st[k].accuracy, c->st[k].fidelity);
	render_svg(o.fp, r->res.pruned, &nm, title);
	rc = out_commit(&o);
	free(title);
	free(path);
	return rc;
}

/*
 * Samples of the rows that meet at least one split on each feature: the sum
 * of samples over the feature's split nodes, except nodes below another
 * split on the same feature (the trust report's sum counts those rows again).
 */
static void reach_samples(const tree *t, int32_t node, unsigned *on_path, double *reach)
{
	const tree_node *nd = &t->nodes[node];

	if (nd->left == TREE_LEAF || nd->feature < 0)
		return;
	if (!on_path[nd->feature]++)
		reach[nd->feature] += nd->weighted;
	reach_samples(t, nd->left, on_path, reach);
	reach_samples(t, nd->right, on_path, reach);
	on_path[nd->feature]--;
}

/* The explanation's most used feature (index into its features), -1 for a leaf. */
static int32_t most_used(const explain_result *r, size_t n_features)
{
	const tree *t = r->res.pruned;
	unsigned *on_path = xcalloc(n_features ? n_features : 1, sizeof(unsigned));
	double *reach = xcalloc(n_features ? n_features : 1, sizeof(double));
	int32_t best = -1, root = t->n_nodes && t->nodes[0].left != TREE_LEAF ? t->nodes[0].feature : -1;
	double best_sum = 0;

	if (t->n_nodes)
		reach_samples(t, 0, on_path, reach);
	/* ties: the root feature (tested first), then the trust report's sum (r->feats' order) */
	for (size_t i = 0; i < r->n_feats; i++) {
		int32_t f = r->feats[i].feature;

		if (best < 0 || reach[f] > reach[best] ||
		    (reach[f] == reach[best] && best != root &&
		     (f == root || r->feats[i].samples > best_sum))) {
			best = f;
			best_sum = r->feats[i].samples;
		}
	}
	free(on_path);
	free(reach);
	return best;
}

/* ---- --retrain-cmd -------------------------------------------------------- */

static void csv_header(FILE *fp, char *const *names, size_t n, const char *label)
{
	for (size_t j = 0; j < n; j++) {
		fputs(j ? "," : "", fp);
		csv_write_field(fp, names[j], strlen(names[j]));
	}
	if (label) {
		fputs(n ? "," : "", fp);
		csv_write_field(fp, label, strlen(label));
	}
	fputc('\n', fp);
}

/* Rows of column-major X (n rows, nk columns) as CSV lines, with labels when y is set. */
static void csv_rows(FILE *fp, const float *X, size_t n, size_t nk, const int32_t *y,
		     char *const *classes)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < nk; j++) {
			char buf[32];

			render_float(buf, sizeof(buf), X[j * n + i]);
			fputs(j ? "," : "", fp);
			fputs(buf, fp);
		}
		if (y) {
			fputs(nk ? "," : "", fp);
			csv_write_field(fp, classes[y[i]], strlen(classes[y[i]]));
		}
		fputc('\n', fp);
	}
}

/*
 * Run --retrain-cmd for a step: $TRAIN = the step's training rows (its
 * columns and the label), $TEST = TRAIN's rows then the test rows (its
 * columns only). Answers go to ptr (training rows) and pte (test rows).
 */
static int run_retrain_cmd(struct check *c, const float *Xtr, const float *Xte, char *const *names,
			   size_t nk, int32_t *ptr, int32_t *pte)
{
	char *train = xasprintf("%s/train.csv", c->tmpdir), *test = xasprintf("%s/test.csv", c->tmpdir);
	size_t n = c->n_tr + c->n_te;
	expert_labels l;
	FILE *fp;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	if (out_pending_add(train) || out_pending_add(test))	/* removed by a signal or die() too */
		goto out;
	if (!(fp = fopen(train, "w")))
		goto io;
	csv_header(fp, names, nk, c->label);
	csv_rows(fp, Xtr, c->n_tr, nk, c->ytr, c->classes);
	if (fclose(fp))
		goto io;
	if (!(fp = fopen(test, "w")))
		goto io;
	csv_header(fp, names, nk, NULL);
	csv_rows(fp, Xtr, c->n_tr, nk, NULL, NULL);
	csv_rows(fp, Xte, c->n_te, nk, NULL, NULL);
	if (fclose(fp))
		goto io;
	setenv("TRAIN", train, 1);
	setenv("TEST", test, 1);
	if (expert_cmd_labels("retrain command", c->retrain_cmd, "", 0, n, &l))
		goto out;
	for (size_t i = 0; i < n; i++) {
		int32_t k = -1;

		for (size_t j = 0; j < c->K && k < 0; j++)
			if (!strcmp(l.label[i], c->classes[j]))
				k = (int32_t)j;
		if (k < 0) {
			error("retrain command: answer %zu ('%s') is not a class of '%s'", i + 1, l.label[i],
			      c->train_path);
			goto out;
		}
		if (i < c->n_tr)
			ptr[i] = k;
		else
			pte[i - c->n_tr] = k;
	}
	rc = 0;
	goto out;
io:
	error("cannot write the step's CSVs in '%s': %s", c->tmpdir, strerror(errno));
out:
	expert_labels_free(&l);
	unlink(train);
	unlink(test);
	out_pending_del(train);
	out_pending_del(test);
	free(train);
	free(test);
	return rc;
}

/* Step k: the model without the features marked in removed (k = 0: the baseline). */
static int run_step(struct check *c, size_t k, const unsigned char *removed)
{
	struct step *s = &c->st[k];
	size_t *kept = xcalloc(c->F, sizeof(size_t)), nk;
	float *Xtr = step_columns(c, removed, c->Xtr, c->n_tr, kept, &nk);
	float *Xte = step_columns(c, removed, c->Xte, c->n_te, kept, &nk);
	char **names = xcalloc(nk ? nk : 1, sizeof(char *));
	int32_t *ptr = xmalloc(c->n_tr * sizeof(int32_t)), *pte = xmalloc(c->n_te * sizeof(int32_t));
	int32_t *tree_te = xmalloc(c->n_te * sizeof(int32_t));
	ml_model *m = NULL;
	explain_result r;
	int rc = -1;

	for (size_t j = 0; j < nk; j++)
		names[j] = c->names[kept[j]];
	if (c->retrain_cmd) {
		if (run_retrain_cmd(c, Xtr, Xte, names, nk, ptr, pte))
			goto out;
	} else if (k == 0 && c->test_path) {
		m = c->m;	/* the baseline with --test is MODEL itself */
	} else {
		table t;

		memset(&t, 0, sizeof(t));
		t.n_rows = c->n_tr;
		t.n_features = nk;
		t.X = Xtr;
		t.features = names;
		t.y = c->ytr;
		t.n_classes = t.n_known_classes = c->K;
		t.classes = c->classes;
		m = retrain(c, &t);
		if (!m)
			goto out;
		model_prepare(m);	/* one layout for its two predictions below */
	}
	if (m) {
		model_predict_mt(m, Xtr, c->n_tr, c->threads, ptr);
		model_predict_mt(m, Xte, c->n_te, c->threads, pte);
	}
	s->accuracy = report_accuracy(c->yte, pte, c->n_te);
	s->macro_f1 = report_macro_f1(c->yte, pte, c->n_te, c->K);
	{
		explain_data d = { Xtr, c->n_tr, nk, (const char *const *)names, ptr, c->K,
				   (const char *const *)c->classes, c->ytr, c->K };

		if (explain_run(&d, &c->e, &r))
			goto out;
	}
	distill_predict(r.res.pruned, Xte, c->n_te, NULL, c->n_te, tree_te);
	s->fidelity = report_macro_f1(pte, tree_te, c->n_te, c->K);
	s->root = r.res.pruned->nodes[0].left == TREE_LEAF ? -1 : (int32_t)kept[r.res.pruned->nodes[0].feature];
	s->top = most_used(&r, nk);
	if (s->top >= 0)
		s->top = (int32_t)kept[s->top];
	rc = c->svg_dir ? write_svg(c, k, &r, (const char *const *)names, nk) : 0;
	explain_release(&r);
out:
	if (m != c->m)
		model_free(m);
	free(tree_te);
	free(pte);
	free(ptr);
	free(names);
	free(Xte);
	free(Xtr);
	free(kept);
	return rc;
}

/* ---- verdicts ------------------------------------------------------------ */

/* Two standard errors of an accuracy p measured on n rows, at least one row. */
static double noise_band(double p, size_t n)
{
	double se = sqrt(p * (1 - p) / (double)n);

	return fmax(2 * se, 1.0 / (double)n);
}

static const char *kind_tail(const char *kind)
{
	if (!strcmp(kind, "artefact"))
		return "; by its name a capture artefact: recapture without it";
	if (!strcmp(kind, "identifier"))
		return "; by its name an identifier: the model may have memorised hosts or flows, "
		       "leave it out of the features";
	return "; by its name a behaviour feature: the model needs it, which is signal, not by itself "
	       "a shortcut";
}

static void judge(struct check *c, size_t k)
{
	const struct step *p = &c->st[k - 1];
	struct step *s = &c->st[k];
	const char *f = c->names[s->removed], *kind = check_kind(f);
	const char *root = s->root >= 0 ? c->names[s->root] : NULL;
	double drop = p->accuracy - s->accuracy, pts = 100 * drop, band;
	double chg = 100 * (s->accuracy - p->accuracy);	/* +0.0, never -0.0, for no change */
	char moves[512];

	s->noise = noise_band(p->accuracy, c->n_te);
	band = 100 * s->noise;
	if (!root)
		snprintf(moves, sizeof(moves), "the explanation is a single leaf");
	else if (s->root == p->root)
		snprintf(moves, sizeof(moves), "the root stays %s", root);
	else
		snprintf(moves, sizeof(moves), "the tree moves to %s", root);

	if (p->accuracy <= c->majority + noise_band(c->majority, c->n_te)) {
		s->outcome = "no signal left";
		s->verdict = xasprintf("the model was already no better than always answering the most "
				       "frequent class (%.1f%%, now %.1f%%): removing %s tells nothing more",
				       100 * c->majority, 100 * s->accuracy, f);
	} else if (fabs(drop) <= s->noise && s->accuracy <= c->majority + noise_band(c->majority, c->n_te)) {
		s->outcome = "undecided";
		s->verdict = xasprintf("accuracy changes by %+.1f points, within the noise band of %.1f, but "
				       "ends at %.1f%%, within noise of always answering the most frequent "
				       "class (%.1f%%): on %zu test rows the numbers cannot tell whether %s "
				       "mattered", chg, band, 100 * s->accuracy, 100 * c->majority, c->n_te, f);
	} else if (fabs(drop) <= s->noise) {
		s->outcome = "holds";
		s->verdict = xasprintf("accuracy holds (%+.1f points, within the noise band of %.1f) and "
				       "%s: %s was replaceable", chg, band, moves, f);
	} else if (drop < 0) {
		s->outcome = "rises";
		s->verdict = xasprintf("accuracy rises by %.1f points without %s (beyond the noise band "
				       "of %.1f) and %s: the model does better without it", chg, f, band,
				       moves);
	} else if (s->accuracy <= c->majority + noise_band(c->majority, c->n_te)) {
		s->outcome = "falls to the majority rate";
		s->verdict = xasprintf("the model loses %.1f points of accuracy without %s and falls to "
				       "%.1f%%, no better than always answering the most frequent class "
				       "(%.1f%%): no other feature takes its place, of the features left %s "
				       "alone separated the classes%s", pts, f, 100 * s->accuracy, 100 * c->majority, f,
				       kind_tail(kind));
	} else if (root && !strcmp(check_kind(root), "behaviour")) {
		s->outcome = "drops";
		s->verdict = xasprintf("the model loses %.1f points of accuracy without %s and %s "
				       "(behaviour), which keeps it at %.1f%%, above the majority-class rate "
				       "(%.1f%%): the other features replace %s only in part%s", pts, f, moves,
				       100 * s->accuracy, 100 * c->majority, f, kind_tail(kind));
	} else if (root) {
		s->outcome = "drops";
		s->verdict = xasprintf("the model loses %.1f points of accuracy without %s and %s, which "
				       "by its name is an %s: check it next%s", pts, f, moves,
				       check_kind(root), kind_tail(kind));
	} else {
		s->outcome = "drops";
		s->verdict = xasprintf("the model loses %.1f points of accuracy without %s and %s%s", pts, f,
				       moves, kind_tail(kind));
	}
}

/* ---- output -------------------------------------------------------------- */

static void removal_list(const struct check *c, size_t k, FILE *fp, int json)
{
	for (size_t j = 1; j <= k; j++) {
		fputs(j > 1 ? ", " : "", fp);
		if (json)
			json_string(fp, c->names[c->st[j].removed]);
		else
			fputs(c->names[c->st[j].removed], fp);
	}
}

static void write_text(FILE *fp, const struct check *c)
{
	int wn = (int)strlen("removed"), wr = (int)strlen("root feature");
	char a[64], b[64];

	for (size_t k = 0; k < c->n_st; k++) {
		if (c->st[k].removed >= 0 && (int)strlen(c->names[c->st[k].removed]) > wn)
			wn = (int)strlen(c->names[c->st[k].removed]);
		if (c->st[k].root >= 0 && (int)strlen(c->names[c->st[k].root]) > wr)
			wr = (int)strlen(c->names[c->st[k].root]);
	}
	if (c->m)
		fprintf(fp, "Trustee check of '%s' (%s, %zu features, %zu classes) on '%s'\n",
			c->model_path, model_kind_name(c->m), c->F, c->K, c->train_path);
	else
		fprintf(fp, "Trustee check of the models of --retrain-cmd '%s' (%zu features, %zu classes) "
			"on '%s'\n", c->retrain_cmd, c->F, c->K, c->train_path);
	if (c->test_path)
		fprintf(fp, "test rows: '%s' (%zu rows); explained on the %zu rows of '%s'\n", c->test_path,
			c->n_te, c->n_tr, c->train_path);
	else
		fprintf(fp, "test rows: a stratified hold-out of %g (%zu rows, seed %llu); every model, the "
			"baseline too, trained and explained on the other %zu\n", c->holdout, c->n_te,
			(unsigned long long)c->e.d.seed, c->n_tr);
	fprintf(fp, "each step: %s %s, retrain ", c->zero ? "zero the column of" : "drop",
		c->plan ? "the next feature of --remove" : "the feature the explanation uses most");
	if (c->m)
		fprintf(fp, "(%s, seed %llu)", c->m->options ? c->m->options : model_kind_name(c->m),
			(unsigned long long)c->m->seed);
	else
		fprintf(fp, "(--retrain-cmd)");
	fprintf(fp, ", explain again (seed %llu)\n\n", (unsigned long long)c->e.d.seed);
	fprintf(fp, "%-4s  %-*s  %-10s  %-24s  %-24s  %-*s  %s\n", "step", wn, "removed", "kind",
		"accuracy", "macro-F1", wr, "root feature", "fidelity");
	for (size_t k = 0; k < c->n_st; k++) {
		const struct step *s = &c->st[k];

		if (k) {
			const struct step *p = &c->st[k - 1];

			snprintf(a, sizeof(a), "%.4f -> %.4f (%+.1f)", p->accuracy, s->accuracy,
				 100 * (s->accuracy - p->accuracy));
			snprintf(b, sizeof(b), "%.4f -> %.4f (%+.1f)", p->macro_f1, s->macro_f1,
				 100 * (s->macro_f1 - p->macro_f1));
		} else {
			snprintf(a, sizeof(a), "%.4f", s->accuracy);
			snprintf(b, sizeof(b), "%.4f", s->macro_f1);
		}
		fprintf(fp, "%-4zu  %-*s  %-10s  %-24s  %-24s  %-*s  %.4f\n", k, wn,
			k ? c->names[s->removed] : "-", k ? check_kind(c->names[s->removed]) : "-", a, b,
			wr, s->root >= 0 ? c->names[s->root] : "(a leaf)", s->fidelity);
	}
	fprintf(fp, "\naccuracy and macro-F1 on the %zu test rows, with the feature -> without it "
		"(points); fidelity: pruned tree vs model on the test rows\n", c->n_te);
	fprintf(fp, "noise band: two standard errors of the accuracy on %zu rows; majority-class rate "
		"%.4f\n\n", c->n_te, c->majority);
	for (size_t k = 1; k < c->n_st; k++)
		fprintf(fp, "%zu. %s: %s\n", k, c->names[c->st[k].removed], c->st[k].verdict);
	if (c->stopped)
		fprintf(fp, "stopped after step %zu: %s\n", c->n_st - 1, c->stopped);
}

static void json_step(FILE *fp, const struct check *c, const struct step *s)
{
	fputs("\"root_feature\": ", fp);
	if (s->root >= 0)
		json_string(fp, c->names[s->root]);
	else
		fputs("null", fp);
	fputs(", \"accuracy\": ", fp);
	json_number(fp, s->accuracy);
	fputs(", \"macro_f1\": ", fp);
	json_number(fp, s->macro_f1);
	fputs(", \"fidelity\": ", fp);
	json_number(fp, s->fidelity);
}

static void write_json(FILE *fp, const struct check *c)
{
	fputs("{\n  \"model\": ", fp);
	if (c->model_path)
		json_string(fp, c->model_path);
	else
		fputs("null", fp);
	fputs(",\n  \"train\": ", fp);
	json_string(fp, c->train_path);
	fputs(",\n  \"test\": ", fp);
	if (c->test_path)
		json_string(fp, c->test_path);
	else
		fputs("null", fp);
	fputs(",\n  \"baseline\": {", fp);
	json_step(fp, c, &c->st[0]);
	fputs("},\n  \"steps\": [", fp);
	for (size_t k = 1; k < c->n_st; k++) {
		const struct step *s = &c->st[k], *p = &c->st[k - 1];

		fputs(k > 1 ? ",\n    {\"removed\": [" : "\n    {\"removed\": [", fp);
		removal_list(c, k, fp, 1);
		fputs("], \"feature\": ", fp);
		json_string(fp, c->names[s->removed]);
		fputs(", \"kind\": ", fp);
		json_string(fp, check_kind(c->names[s->removed]));
		fputs(", ", fp);
		json_step(fp, c, s);
		fputs(", \"accuracy_drop\": ", fp);
		json_number(fp, p->accuracy - s->accuracy);
		fputs(", \"macro_f1_drop\": ", fp);
		json_number(fp, p->macro_f1 - s->macro_f1);
		fputs(", \"noise\": ", fp);
		json_number(fp, s->noise);
		fputs(", \"outcome\": ", fp);
		json_string(fp, s->outcome);
		fputs(", \"verdict\": ", fp);
		json_string(fp, s->verdict);
		fputs("}", fp);
	}
	fputs(c->n_st > 1 ? "\n  ],\n  \"stopped\": " : "],\n  \"stopped\": ", fp);
	if (c->stopped)
		json_string(fp, c->stopped);
	else
		fputs("null", fp);
	fputs(",\n  \"majority\": ", fp);
	json_number(fp, c->majority);
	fprintf(fp, ",\n  \"settings\": {\"train_rows\": %zu, \"test_rows\": %zu, \"holdout\": ", c->n_tr,
		c->n_te);
	if (c->test_path)
		fputs("null", fp);
	else
		json_number(fp, c->holdout);
	fprintf(fp, ", \"steps\": %d, \"remove\": ", c->steps);
	if (c->plan) {
		fputs("[", fp);
		for (size_t j = 0; j < c->n_plan; j++) {
			fputs(j ? ", " : "", fp);
			json_string(fp, c->names[c->plan[j]]);
		}
		fputs("]", fp);
	} else {
		fputs("null", fp);
	}
	fprintf(fp, ", \"removal\": \"%s\", \"retrain\": ", c->zero ? "zero" : "drop");
	if (c->m) {
		json_string(fp, c->m->options ? c->m->options : "");
		fprintf(fp, ", \"model_seed\": %llu", (unsigned long long)c->m->seed);
	} else {
		json_string(fp, "command");
		fputs(", \"retrain_cmd\": ", fp);
		json_string(fp, c->retrain_cmd);
	}
	fprintf(fp, ", \"seed\": %llu, \"samples\": %zu, \"samples_frac\": ",
		(unsigned long long)c->e.d.seed, c->e.d.samples);
	json_number(fp, c->e.d.samples_frac);
	fprintf(fp, ", \"iter\": %d, \"stability_iter\": %d, \"train_size\": ", c->e.d.iter,
		c->e.d.stability_iter);
	json_number(fp, c->e.d.train_size);
	fprintf(fp, ", \"top_k\": %zu}\n}\n", c->e.d.top_k);
}

/* ---- options --------------------------------------------------------------- */

const struct option check_long_options[] = {
	{ "test", required_argument, NULL, OPT_TEST },
	{ "holdout", required_argument, NULL, OPT_HOLDOUT },
	{ "steps", required_argument, NULL, OPT_STEPS },
	{ "remove", required_argument, NULL, OPT_REMOVE },
	{ "removal", required_argument, NULL, OPT_REMOVAL },
	CLI_OPTIONS_LABEL_COLUMN(OPT_LABEL),
	{ "nonfinite", required_argument, NULL, OPT_NONFINITE },
	TRUSTEE_DISTILL_OPTIONS,
	CLI_OPTION_THREADS,
	{ "output", required_argument, NULL, 'o' },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "retrain-cmd", required_argument, NULL, OPT_RETRAIN_CMD },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "predictions", required_argument, NULL, OPT_EXPERT },
	{ "predictions-column", required_argument, NULL, OPT_EXPERT },
	{ "expert-cmd", required_argument, NULL, OPT_EXPERT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void parse_cli(struct check *c, int argc, char **argv)
{
	int opt, longindex;

	memset(c, 0, sizeof(*c));
	c->label = CLI_LABEL_COLUMN_DEFAULT;
	c->holdout = 0.3;
	c->steps = 3;
	explain_opts_default(&c->e);
	c->threads = cli_default_threads();
	c->e.d.progress = 1;
	optind = 0;
	opterr = 0;
	while ((longindex = -1,
		opt = getopt_long(argc, argv, ":hVj:o:", check_long_options, &longindex)) != -1) {
		if (trustee_distill_option(opt, optarg, &c->e.d, &c->seen))
			continue;
		switch (opt) {
		case 'h':
			fputs(usage_text, stdout);
			exit(close_stdout() ? 1 : 0);
		case 'V':
			printf("trustee %s\n", TOOLKIT_VERSION);
			exit(close_stdout() ? 1 : 0);
		case 'o':
			c->output = optarg;
			break;
		case OPT_TEST:
			c->test_path = optarg;
			break;
		case OPT_HOLDOUT:
			c->holdout = cli_fraction("--holdout", optarg, 0);
			c->holdout_set = 1;
			break;
		case OPT_STEPS:
			c->steps = cli_int("--steps", optarg, 1, TRUSTEE_COUNT_MAX);
			c->steps_set = 1;
			break;
		case OPT_REMOVE:
			c->remove = optarg;
			break;
		case OPT_REMOVAL:
			if (strcmp(optarg, "drop") && strcmp(optarg, "zero"))
				cli_bad_value("--removal", optarg, "drop or zero");
			c->zero = !strcmp(optarg, "zero");
			break;
		case OPT_LABEL:
			c->label = optarg;
			break;
		case OPT_NONFINITE:
			c->nonfinite = (enum table_nonfinite)cli_nonfinite("--nonfinite", optarg,
									   CLI_NONFINITE_NUMERIC);
			break;
		case 'j':
			c->threads = cli_threads(longindex >= 0 ? "--threads" : "-j", optarg);
			break;
		case OPT_JSON:
			c->json = optarg;
			break;
		case OPT_SVG:
			c->svg_dir = optarg;
			break;
		case OPT_RETRAIN_CMD:
			c->retrain_cmd = optarg;
			break;
		case OPT_FEATURES:
			c->features = optarg;
			break;
		case OPT_EXPERT:
			die_usage("check retrains the model at every step, which it cannot do for a model "
				  "known only by its answers (%s): give --retrain-cmd 'CMD' that trains it",
				  argv[optind - 1]);
		default:
			cli_getopt_error(opt, argv, check_long_options);
		}
	}
	c->e.d.threads = c->threads;
	optind++;	/* the command word "check" (trustee/main.c found it) */
	if (c->output && c->json && !strcmp(c->output, "-") && !strcmp(c->json, "-"))
		die_usage("only one of -o and --json can write to stdout");
	trustee_distill_options_done(&c->e.d, &c->seen);
	if (c->test_path && c->holdout_set)
		die_usage("--holdout is for checks without --test");
	if (c->remove && c->steps_set)
		die_usage("--remove and --steps exclude each other (--remove makes one step per name)");
	if (c->features && !c->retrain_cmd)
		die_usage("--features belongs to --retrain-cmd (a model file brings its own features)");
	if (c->retrain_cmd) {
		if (argc - optind < 1)
			die_usage("check --retrain-cmd needs TRAIN.csv");
		if (argc - optind > 1)
			die_usage("check --retrain-cmd takes TRAIN.csv only (CMD replaces MODEL): "
				  "unexpected argument '%s'", argv[optind + 1]);
		c->train_path = argv[optind];
	} else {
		if (argc - optind == 1)
			die_usage("check TRAIN.csv needs --retrain-cmd 'CMD' (or MODEL TRAIN.csv for a model "
				  "of forest train)");
		if (argc - optind < 1)
			die_usage("check needs MODEL and TRAIN.csv");
		if (argc - optind > 2)
			die_usage("unexpected argument '%s'", argv[optind + 2]);
		c->model_path = argv[optind];
		c->train_path = argv[optind + 1];
	}
	if (!strcmp(c->train_path, "-") || (c->test_path && !strcmp(c->test_path, "-")))
		die_usage("check reads TRAIN.csv and TEST.csv from files, not from standard input");
}

/* Outputs are checked before the long work starts (exit 2 on refusal). */
/* --svg DIR when this run created it: removed again if an output is refused. */
static const char *svg_made;

static void refuse_outputs(void)
{
	if (svg_made)
		rmdir(svg_made);
	exit(2);
}

/*
 * Inputs noted, then the --svg folder made (its step files are claimed by
 * folder and name, so it must exist before -o and --json are checked against
 * them), then -o and --json claimed: anything refused exits 2 before work.
 */
static void check_outputs(struct check *c)
{
	if (c->model_path)
		out_note_input(c->model_path);
	out_note_input(c->train_path);
	if (c->test_path)
		out_note_input(c->test_path);
	if (c->svg_dir) {
		struct stat sb;

		if (!mkdir(c->svg_dir, 0777))
			svg_made = c->svg_dir;
		else if (errno != EEXIST)
			die("cannot create folder '%s': %s", c->svg_dir, strerror(errno));
		if (stat(c->svg_dir, &sb) || !S_ISDIR(sb.st_mode))
			die("--svg: '%s' is not a folder", c->svg_dir);
	}
	if ((c->output && strcmp(c->output, "-") && out_check(c->output)) ||
	    (c->json && strcmp(c->json, "-") && out_check(c->json)))
		refuse_outputs();
}

/* Each step's DIR/stepN.svg, once the number of steps is known. */
static void check_svg_outputs(const struct check *c)
{
	for (size_t k = 0; k <= (c->plan ? c->n_plan : (size_t)c->steps); k++) {
		char *p = xasprintf("%s/step%zu.svg", c->svg_dir, k);
		int bad = out_check(p);

		free(p);
		if (bad)
			refuse_outputs();
	}
}

static void release(struct check *c)
{
	for (size_t k = 0; k < c->n_st; k++)
		free(c->st[k].verdict);
	free(c->st);
	free(c->stopped);
	free(c->plan);
	if (c->tmpdir) {
		rmdir(c->tmpdir);
		out_pending_del(c->tmpdir);
	}
	free(c->tmpdir);
	if (c->own_rows) {
		free(c->Xtr);
		free(c->Xte);
		free(c->ytr);
		free(c->yte);
	}
	table_release(&c->train);
	table_release(&c->test);
	model_free(c->m);
}

/* fn's text in path ("-" = stdout), atomically. */
static int write_file(const char *path, void (*fn)(FILE *, const struct check *),
		      const struct check *c)
{
	outfile o;

	if (out_open(&o, path))
		return -1;
	fn(o.fp, c);
	return out_commit(&o);
}

static int run(struct check *c)
{
	unsigned char *removed;
	size_t n_steps, left;

	check_outputs(c);
	if (load_inputs(c))
		return -1;
	if (c->F < 2)
		return error("%s: %s a single feature ('%s'): there is nothing to remove", source(c),
			     c->m ? "the model has" : "the data has", c->names[0]);
	if (c->remove)
		parse_plan(c);
	if (c->svg_dir)
		check_svg_outputs(c);
	if (c->retrain_cmd) {
		const char *tmp = getenv("TMPDIR");

		c->tmpdir = xasprintf("%s/trustee-check.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(c->tmpdir)) {
			error("cannot create a temporary folder '%s': %s", c->tmpdir, strerror(errno));
			free(c->tmpdir);
			c->tmpdir = NULL;
			return -1;
		}
		if (out_pending_add(c->tmpdir))	/* removed by a signal or die() too */
			return -1;
	}
	n_steps = c->plan ? c->n_plan : (size_t)c->steps;
	c->st = xcalloc(n_steps + 1, sizeof(*c->st));
	removed = xcalloc(c->F, 1);
	c->st[0].removed = -1;
	if (run_step(c, 0, removed))
		goto fail;
	c->n_st = 1;
	left = c->F;
	for (size_t k = 1; k <= n_steps; k++) {
		int32_t f = c->plan ? c->plan[k - 1] : c->st[k - 1].top;

		if (f < 0) {
			c->stopped = xasprintf("the explanation is a single leaf: no feature to remove next");
			break;
		}
		if (left == 1) {
			c->stopped = xasprintf("one feature left ('%s')", c->names[f]);
			break;
		}
		removed[f] = 1;
		left--;
		c->st[k].removed = f;
		if (run_step(c, k, removed))
			goto fail;
		c->n_st = k + 1;
		judge(c, k);
	}
	free(removed);
	if (c->output && strcmp(c->output, "-")) {
		if (write_file(c->output, write_text, c))
			return -1;
	} else if (!c->json || strcmp(c->json, "-")) {
		write_text(stdout, c);
		fflush(stdout);
	}
	if (c->json && write_file(c->json, write_json, c))
		return -1;
	return 0;
fail:
	free(removed);
	return -1;
}

int check_main(int argc, char **argv)
{
	struct check c;
	int rc;

	parse_cli(&c, argc, argv);
	rc = run(&c);
	release(&c);
	if (rc)
		return 1;
	return close_stdout() ? 1 : 0;
}
