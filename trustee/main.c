/*
 * trustee: distill a trained model into a small decision tree and show its
 * rules (Trustee, Jacobs et al., CCS 2022). See docs/trustee.md.
 *
 *   trustee explain MODEL DATA.csv [options]   the explanation (text, JSON, DOT, SVG)
 *   trustee report MODEL DATA.csv [options]    top features/nodes/branches, pruning analysis
 */
#include "distill.h"
#include "hints.h"
#include "input.h"
#include "prune.h"
#include "render.h"
#include "report.h"
#include "tree.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: trustee explain MODEL DATA.csv [options]\n"
	"       trustee report MODEL DATA.csv [options]\n"
	"Distill a model made by `forest train` into a small decision tree (Trustee)\n"
	"and show what it keys on.\n"
	"\n"
	"  explain   fidelity report, agreement, reward, the pruned tree as rules,\n"
	"            the top branches and shortcut hints\n"
	"  report    top features, top nodes, top branches of the best tree and a\n"
	"            pruning analysis (top-k 1..10, max depth 1..10)\n"
	"\n"
	"Data:\n"
	"      --label NAME         true-label column (default Label; optional)\n"
	"      --nonfinite POLICY   NaN/Infinity in a model feature: error (default),\n"
	"                           drop the row, zero, or clip (as forest train)\n"
	"Trustee (defaults as TrusteeML 1.1.6):\n"
	"      --samples N          rows drawn per student (default 2000)\n"
	"      --samples-frac F     or a fraction of the training rows (0 < F <= 1)\n"
	"      --iter N             students per outer iteration (default 50)\n"
	"      --stability-iter N   outer iterations (default 5)\n"
	"      --train-size F       train share of both splits (default 0.7)\n"
	"      --top-k K            branches kept by pruning (default 10)\n"
	"      --max-leaves N       limit the students' leaves (default: none)\n"
	"      --max-depth N        limit the students' depth (default: none)\n"
	"      --exact              grow students with exact CART split search at\n"
	"                           every node (scikit-learn's; slower)\n"
	"      --hist-min N         otherwise nodes of at least N rows search 256\n"
	"                           quantile bins per feature (default 200)\n"
	"      --aggregate MODE     held-out rows added to the data: all (Trustee's\n"
	"                           code, default) or misclassified (the paper)\n"
	"      --threads N          worker threads (default: all cores)\n"
	"      --seed S             seed of every random draw (default 0)\n"
	"Output (FILE '-' = stdout, which then replaces the text report):\n"
	"      --json FILE          the explanation as JSON\n"
	"      --dot FILE           the pruned tree for Graphviz\n"
	"      --svg FILE           the pruned tree as a picture\n"
	"\n"
	"  -h, --help     show this help and exit\n"
	"  -V, --version  show the version and exit\n"
	"\n"
	"The tutorial's fit(num_samples=len//2, num_iter=20, train_size=0.99) is\n"
	"--samples-frac 0.5 --iter 20 --train-size 0.99.\n";

enum {
	OPT_LABEL = 256, OPT_SAMPLES, OPT_SAMPLES_FRAC, OPT_ITER, OPT_STAB, OPT_TRAIN_SIZE,
	OPT_TOPK, OPT_MAX_LEAVES, OPT_MAX_DEPTH, OPT_THREADS, OPT_SEED, OPT_AGGREGATE, OPT_DOT,
	OPT_SVG, OPT_JSON, OPT_NONFINITE, OPT_EXACT, OPT_HIST_MIN,
};

struct cli {
	const char *cmd, *model, *data, *label;
	const char *dot, *svg, *json;
	distill_opts d;
	int max_leaves, max_depth;
	int samples_set, frac_set;
	int exact;
	size_t hist_min;
	tree_bins *bins;	/* built once, shared by every run */
	enum table_nonfinite nonfinite;
};

/* ---- students: common/tree's CART --------------------------------------- */

struct fit_ctx {
	tree_data td;
	tree_opts to;
	const tree_bins *bins;	/* NULL: exact CART at every node */
	size_t hist_min;
};

static tree *fit_tree(void *ctx, const uint32_t *rows, size_t n, const double *w, const int32_t *y,
		      uint64_t seed)
{
	struct fit_ctx *c = ctx;
	tree_data td = c->td;
	tree_opts to = c->to;

	td.y = y;
	to.seed = seed;
	if (c->bins)
		return tree_grow_binned(&td, c->bins, c->hist_min, w, rows, n, &to);
	return tree_grow(&td, w, rows, n, &to);
}

static void free_tree(tree *t)
{
	tree_free(t);
}

/* ---- numbers --------------------------------------------------------------- */

static void predict_all(const tree *t, const input *in, int32_t *out)
{
	distill_predict(t, in->X, in->n_rows, NULL, in->n_rows, out);
}

static double fidelity_of(const tree *t, const input *in, int32_t *buf)
{
	predict_all(t, in, buf);
	return distill_macro_f1(in->expert, buf, in->n_rows, in->n_classes);
}

static double score_of(const tree *t, const input *in, int32_t *buf)
{
	if (!in->truth)
		return NAN;
	predict_all(t, in, buf);
	return distill_macro_f1(in->truth, buf, in->n_rows, in->n_truth_classes);
}

/* scikit-learn's classification_report (common/report), 4 digits. */
static void class_report(FILE *fp, const int32_t *truth, const int32_t *pred, size_t n,
			 const char *const *names, size_t k)
{
	report r;

	report_compute(&r, truth, pred, n, k);
	report_print_text(fp, &r, names, 4);
	report_release(&r);
}

static const char *aggregate_name(enum distill_aggregate a)
{
	return a == DISTILL_AGG_MISCLASSIFIED ? "misclassified" : a == DISTILL_AGG_NONE ? "none" : "all";
}

/* ---- explain --------------------------------------------------------------- */

struct explanation {
	distill_result res;
	double fidelity, fidelity_unpruned, score;
	prune_branch *branches;	/* of the pruned tree, ranked */
	size_t n_branches;
	hint *hints;
	size_t n_hints;
	prune_feature_stat *feats;	/* features of the pruned tree, ranked */
	size_t n_feats;
	int32_t *pred;		/* pruned tree predictions on all rows */
};

static int run_distill(const struct cli *c, const input *in, int max_depth, distill_result *res)
{
	struct fit_ctx fc;
	distill_data dd = { in->X, in->n_rows, in->n_features, in->expert, in->n_classes };

	fc.td.X = in->X;
	fc.td.n_rows = in->n_rows;
	fc.td.n_features = in->n_features;
	fc.td.y = in->expert;
	fc.td.n_classes = in->n_classes;
	tree_opts_default(&fc.to);
	fc.to.max_depth = max_depth;
	fc.to.max_leaves = c->max_leaves;
	fc.bins = c->bins;
	fc.hist_min = c->hist_min;
	return distill_run(&dd, &c->d, fit_tree, &fc, free_tree, res);
}

static void explain_text(FILE *fp, const struct cli *c, const input *in, const struct explanation *e)
{
	const distill_result *r = &e->res;
	render_names nm = { (const char *const *)in->features, in->n_features,
			    (const char *const *)in->classes, in->n_classes };
	size_t top = c->d.top_k < e->n_branches ? c->d.top_k : e->n_branches;

	fprintf(fp, "Trustee explanation of '%s' (%s, %zu classes) on '%s' (%zu rows, %zu feature%s",
		c->model, in->model_kind, in->n_classes, c->data, in->n_rows, in->n_features,
		in->n_features == 1 ? "" : "s");
	if (in->n_dropped)
		fprintf(fp, ", %zu rows with non-finite values dropped", in->n_dropped);
	fprintf(fp, ")\n");
	fprintf(fp, "%d x %d students on %zu of %zu training rows each (train size %g), "
		"agreement set %zu rows, top-k %zu, aggregate %s, seed %llu\n\n",
		c->d.stability_iter, c->d.iter, r->n_student_train, r->n_pool, c->d.train_size, r->n_agree,
		c->d.top_k, aggregate_name(c->d.aggregate), (unsigned long long)c->d.seed);
	fprintf(fp, "Fidelity of the pruned tree to the model on all %zu rows:\n", in->n_rows);
	class_report(fp, in->expert, e->pred, in->n_rows, (const char *const *)in->classes, in->n_classes);
	fprintf(fp, "\n");
	fprintf(fp, "fidelity (macro-F1, pruned tree vs model):     %.4f\n", e->fidelity);
	fprintf(fp, "fidelity of the unpruned tree:                 %.4f\n", e->fidelity_unpruned);
	if (isnan(e->score))
		fprintf(fp, "score (macro-F1, pruned tree vs true labels):  n/a (no '%s' column)\n", c->label);
	else
		fprintf(fp, "score (macro-F1, pruned tree vs true labels):  %.4f\n", e->score);
	fprintf(fp, "agreement (mean over the %d pruned top trees):  %.4f\n", c->d.stability_iter,
		r->agreement);
	fprintf(fp, "reward (unpruned tree on its inner hold-out):  %.4f\n", r->reward);
	fprintf(fp, "pruned tree: %zu leaves, depth %d, %zu feature%s (unpruned: %zu leaves, depth %d)\n\n",
		prune_n_leaves(r->pruned), prune_depth(r->pruned), e->n_feats, e->n_feats == 1 ? "" : "s",
		prune_n_leaves(r->student), prune_depth(r->student));

	fprintf(fp, "Rules (pruned tree; samples are the student's training rows):\n");
	render_text(fp, r->pruned, &nm, 0);
	fprintf(fp, "\nTop %zu branch%s:\n", top, top == 1 ? "" : "es");
	for (size_t i = 0; i < top; i++) {
		const prune_branch *b = &e->branches[i];
		char *rule = render_rule(r->pruned, b, &nm);
		double root = r->pruned->nodes[0].weighted;

		fprintf(fp, "%3zu. %s => %s  (samples %.0f = %.1f%%, purity %.1f%%)\n", i + 1, rule,
			in->classes[b->cls], b->samples, root > 0 ? 100 * b->samples / root : 0,
			100 * b->purity);
		free(rule);
	}
	fprintf(fp, "\nShortcut hints (hints to check, not verdicts):\n");
	if (!e->n_hints)
		fprintf(fp, "  none: the root split and the top branches test no identifier or capture "
			"artefact, and no single feature carries most of the split samples\n");
	for (size_t i = 0; i < e->n_hints; i++)
		fprintf(fp, "  - %s\n", e->hints[i].message);
}

static void explain_json(FILE *fp, const struct cli *c, const input *in, const struct explanation *e)
{
	const distill_result *r = &e->res;
	render_names nm = { (const char *const *)in->features, in->n_features,
			    (const char *const *)in->classes, in->n_classes };
	size_t top = c->d.top_k < e->n_branches ? c->d.top_k : e->n_branches;
	const tree *p = r->pruned;
	double root = p->nodes[0].weighted;

	fputs("{\n  \"model\": ", fp);
	render_json_string(fp, c->model);
	fputs(",\n  \"data\": ", fp);
	render_json_string(fp, c->data);
	fprintf(fp, ",\n  \"rows\": %zu,\n  \"root_feature\": ", in->n_rows);
	if (p->nodes[0].left == TREE_LEAF)
		fputs("null", fp);
	else
		render_json_string(fp, in->features[p->nodes[0].feature]);
	fputs(",\n  \"fidelity\": ", fp);
	render_json_number(fp, e->fidelity);
	fputs(",\n  \"fidelity_unpruned\": ", fp);
	render_json_number(fp, e->fidelity_unpruned);
	fputs(",\n  \"score\": ", fp);
	render_json_number(fp, e->score);
	fputs(",\n  \"agreement\": ", fp);
	render_json_number(fp, r->agreement);
	fputs(",\n  \"reward\": ", fp);
	render_json_number(fp, r->reward);
	fprintf(fp, ",\n  \"leaves\": %zu,\n  \"depth\": %d,\n  \"nodes\": %zu,\n", prune_n_leaves(p),
		prune_depth(p), p->n_nodes);
	fprintf(fp, "  \"unpruned_leaves\": %zu,\n  \"unpruned_depth\": %d,\n  \"features_used\": [",
		prune_n_leaves(r->student), prune_depth(r->student));
	for (size_t i = 0; i < e->n_feats; i++) {
		fputs(i ? ", " : "", fp);
		render_json_string(fp, in->features[e->feats[i].feature]);
	}
	fputs("],\n  \"top_branches\": [", fp);
	for (size_t i = 0; i < top; i++) {
		const prune_branch *b = &e->branches[i];
		char *rule = render_rule(p, b, &nm);

		fputs(i ? ",\n    {\"rule\": " : "\n    {\"rule\": ", fp);
		render_json_string(fp, rule);
		fputs(", \"class\": ", fp);
		render_json_string(fp, in->classes[b->cls]);
		fprintf(fp, ", \"samples\": %.0f, \"share\": ", b->samples);
		render_json_number(fp, root > 0 ? b->samples / root : 0);
		fputs(", \"purity\": ", fp);
		render_json_number(fp, b->purity);
		fputs("}", fp);
		free(rule);
	}
	fputs(top ? "\n  ],\n  \"hints\": [" : "],\n  \"hints\": [", fp);
	for (size_t i = 0; i < e->n_hints; i++) {
		const hint *h = &e->hints[i];

		fputs(i ? ",\n    {\"feature\": " : "\n    {\"feature\": ", fp);
		render_json_string(fp, in->features[h->feature]);
		fputs(", \"kind\": ", fp);
		render_json_string(fp, h->kind);
		fputs(", \"where\": ", fp);
		render_json_string(fp, h->where);
		fputs(", \"share\": ", fp);
		render_json_number(fp, h->share);
		fputs(", \"root_share\": ", fp);
		render_json_number(fp, h->root_share);
		fputs(", \"split_share\": ", fp);
		render_json_number(fp, h->split_share);
		fputs(", \"message\": ", fp);
		render_json_string(fp, h->message);
		fputs("}", fp);
	}
	fputs(e->n_hints ? "\n  ],\n" : "],\n", fp);
	fprintf(fp, "  \"settings\": {\"iter\": %d, \"stability_iter\": %d, \"train_size\": ", c->d.iter,
		c->d.stability_iter);
	render_json_number(fp, c->d.train_size);
	fprintf(fp, ", \"samples\": %zu, \"top_k\": %zu, \"max_leaves\": %d, \"max_depth\": %d, "
		"\"aggregate\": \"%s\", \"seed\": %llu}\n}\n", r->n_samples, c->d.top_k, c->max_leaves,
		c->max_depth, aggregate_name(c->d.aggregate), (unsigned long long)c->d.seed);
}

typedef void (*writer_fn)(FILE *fp, const struct cli *c, const input *in, const struct explanation *e);

static void write_dot(FILE *fp, const struct cli *c, const input *in, const struct explanation *e)
{
	render_names nm = { (const char *const *)in->features, in->n_features,
			    (const char *const *)in->classes, in->n_classes };

	(void)c;
	render_dot(fp, e->res.pruned, &nm);
}

static void write_svg(FILE *fp, const struct cli *c, const input *in, const struct explanation *e)
{
	render_names nm = { (const char *const *)in->features, in->n_features,
			    (const char *const *)in->classes, in->n_classes };
	char title[512];

	snprintf(title, sizeof(title), "trustee: %s on %s - fidelity %.4f, %zu leaves, top-k %zu",
		 c->model, c->data, e->fidelity, prune_n_leaves(e->res.pruned), c->d.top_k);
	render_svg(fp, e->res.pruned, &nm, title);
}

static int write_file(const char *path, writer_fn fn, const struct cli *c, const input *in,
		      const struct explanation *e)
{
	outfile o;

	if (out_open(&o, path))
		return -1;
	fn(o.fp, c, in, e);
	return out_commit(&o);
}

static int cmd_explain(const struct cli *c, const input *in)
{
	struct explanation e;
	int32_t *buf = xreallocarray(NULL, in->n_rows ? in->n_rows : 1, sizeof(*buf));
	int rc = 0, to_stdout;

	memset(&e, 0, sizeof(e));
	if (run_distill(c, in, c->max_depth, &e.res)) {
		free(buf);
		return -1;
	}
	e.pred = xreallocarray(NULL, in->n_rows ? in->n_rows : 1, sizeof(*e.pred));
	predict_all(e.res.pruned, in, e.pred);
	e.fidelity = distill_macro_f1(in->expert, e.pred, in->n_rows, in->n_classes);
	e.fidelity_unpruned = fidelity_of(e.res.student, in, buf);
	e.score = score_of(e.res.pruned, in, buf);
	e.n_branches = prune_branches(e.res.pruned, &e.branches);
	prune_sort_branches(e.branches, e.n_branches);
	e.n_hints = hints_find(e.res.pruned, (const char *const *)in->features, in->n_features,
			       c->d.top_k, &e.hints);
	e.feats = xcalloc(in->n_features ? in->n_features : 1, sizeof(*e.feats));
	e.n_feats = prune_top_features(e.res.pruned, in->n_features, e.feats, NULL);

	to_stdout = (c->json && !strcmp(c->json, "-")) || (c->dot && !strcmp(c->dot, "-")) ||
		    (c->svg && !strcmp(c->svg, "-"));
	if (!to_stdout) {
		explain_text(stdout, c, in, &e);
		fflush(stdout);
	}
	if (c->json && write_file(c->json, explain_json, c, in, &e))
		rc = -1;
	if (c->dot && write_file(c->dot, write_dot, c, in, &e))
		rc = -1;
	if (c->svg && write_file(c->svg, write_svg, c, in, &e))
		rc = -1;

	hints_free(e.hints, e.n_hints);
	prune_branches_free(e.branches, e.n_branches);
	free(e.feats);
	free(e.pred);
	free(buf);
	distill_result_release(&e.res, free_tree);
	return rc;
}

/* ---- report ---------------------------------------------------------------- */

static void print_size_row(FILE *fp, const char *label, const tree *t, const input *in, int32_t *buf)
{
	double f = fidelity_of(t, in, buf), s = score_of(t, in, buf);

	fprintf(fp, "%8s %7zu %7zu %6d %9.4f ", label, t->n_nodes, prune_n_leaves(t), prune_depth(t), f);
	if (isnan(s))
		fprintf(fp, "%9s\n", "n/a");
	else
		fprintf(fp, "%9.4f\n", s);
}

static int cmd_report(const struct cli *c, const input *in)
{
	distill_result res;
	render_names nm = { (const char *const *)in->features, in->n_features,
			    (const char *const *)in->classes, in->n_classes };
	int32_t *buf = xreallocarray(NULL, in->n_rows ? in->n_rows : 1, sizeof(*buf));
	prune_feature_stat *fs = xcalloc(in->n_features ? in->n_features : 1, sizeof(*fs));
	prune_node_stat *ns;
	prune_branch *b;
	size_t nf, nn, nb, k = c->d.top_k;
	double total, root;
	const tree *t;
	FILE *fp = stdout;

	if (run_distill(c, in, c->max_depth, &res)) {
		free(buf);
		free(fs);
		return -1;
	}
	t = res.student;
	root = t->nodes[0].weighted > 0 ? t->nodes[0].weighted : 1;
	fprintf(fp, "Trust report of '%s' (%s, %zu classes) on '%s' (%zu rows, %zu feature%s)\n", c->model,
		in->model_kind, in->n_classes, c->data, in->n_rows, in->n_features,
		in->n_features == 1 ? "" : "s");
	fprintf(fp, "best student (unpruned): %zu nodes, %zu leaves, depth %d, fidelity %.4f; "
		"agreement %.4f, reward %.4f\n\n", t->n_nodes, prune_n_leaves(t), prune_depth(t),
		fidelity_of(t, in, buf), res.agreement, res.reward);

	nf = prune_top_features(t, in->n_features, fs, &total);
	fprintf(fp, "Top %zu features (split nodes and their samples)\n", nf < k ? nf : k);
	fprintf(fp, "  %-32s %15s %21s\n", "feature", "nodes", "samples");
	for (size_t i = 0; i < nf && i < k; i++)
		fprintf(fp, "  %-32s %6zu (%5.1f%%) %12.0f (%5.1f%%)\n", in->features[fs[i].feature],
			fs[i].nodes, 100.0 * (double)fs[i].nodes / (double)(t->n_nodes - prune_n_leaves(t)),
			fs[i].samples, total > 0 ? 100 * fs[i].samples / total : 0);

	nn = prune_top_nodes(t, &ns);
	fprintf(fp, "\nTop %zu nodes (samples x |gini left - gini right|)\n", nn < k ? nn : k);
	fprintf(fp, "  %-40s %5s %15s %17s\n", "decision", "level", "gini left/right", "data left/right");
	for (size_t i = 0; i < nn && i < k; i++) {
		const tree_node *nd = &t->nodes[ns[i].node];
		char thr[32], dec[256];
		double w = nd->weighted > 0 ? nd->weighted : 1;

		render_float(thr, sizeof(thr), nd->threshold);
		snprintf(dec, sizeof(dec), "%s <= %s", in->features[nd->feature], thr);
		fprintf(fp, "  %-40s %5d   %.3f / %.3f   %5.1f%% / %5.1f%%\n", dec, ns[i].level,
			t->nodes[nd->left].impurity, t->nodes[nd->right].impurity,
			100 * t->nodes[nd->left].weighted / w, 100 * t->nodes[nd->right].weighted / w);
	}
	free(ns);

	nb = prune_branches(t, &b);
	prune_sort_branches(b, nb);
	fprintf(fp, "\nTop %zu branches (of %zu)\n", nb < k ? nb : k, nb);
	for (size_t i = 0; i < nb && i < k; i++) {
		char *rule = render_rule(t, &b[i], &nm);

		fprintf(fp, "%3zu. %s => %s  (samples %.0f = %.1f%%, purity %.1f%%)\n", i + 1, rule,
			in->classes[b[i].cls], b[i].samples, 100 * b[i].samples / root, 100 * b[i].purity);
		free(rule);
	}
	prune_branches_free(b, nb);

	fprintf(fp, "\nPruning analysis: Trustee top-k pruning of the best student (fidelity vs model, "
		"score vs labels, on all rows)\n");
	fprintf(fp, "%8s %7s %7s %6s %9s %9s\n", "top-k", "nodes", "leaves", "depth", "fidelity", "score");
	for (size_t kk = 1; kk <= 10; kk++) {
		tree *p = prune_top_k(t, kk, c->d.max_impurity);
		char label[16];

		snprintf(label, sizeof(label), "%zu", kk);
		print_size_row(fp, label, p, in, buf);
		prune_tree_free(p);
	}
	fflush(fp);

	fprintf(fp, "\nPruning analysis: max depth (one Trustee run per depth, unpruned best student)\n");
	fprintf(fp, "%8s %7s %7s %6s %9s %9s\n", "depth", "nodes", "leaves", "depth", "fidelity", "score");
	for (int d = 1; d <= 10; d++) {
		distill_result rd;
		char label[16];

		if (run_distill(c, in, d, &rd))
			break;
		snprintf(label, sizeof(label), "%d", d);
		print_size_row(fp, label, rd.student, in, buf);
		fflush(fp);
		distill_result_release(&rd, free_tree);
	}
	distill_result_release(&res, free_tree);
	free(buf);
	free(fs);
	return 0;
}

/* ---- options --------------------------------------------------------------- */

static int default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

static int int_arg(const char *opt, const char *s, int min)
{
	int v;

	if (parse_int(s, min, 1 << 30, &v))
		die_usage("invalid %s value '%s' (expected an integer >= %d)", opt, s, min);
	return v;
}

static double frac_arg(const char *opt, const char *s, int inclusive_one)
{
	double v;

	if (parse_double(s, 0, &v) || !(v > 0) || v > 1 || (!inclusive_one && v >= 1))
		die_usage("invalid %s value '%s' (expected a number between 0 and 1%s)", opt, s,
			  inclusive_one ? "" : ", exclusive");
	return v;
}

static void parse_cli(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "samples", required_argument, NULL, OPT_SAMPLES },
		{ "samples-frac", required_argument, NULL, OPT_SAMPLES_FRAC },
		{ "iter", required_argument, NULL, OPT_ITER },
		{ "stability-iter", required_argument, NULL, OPT_STAB },
		{ "train-size", required_argument, NULL, OPT_TRAIN_SIZE },
		{ "top-k", required_argument, NULL, OPT_TOPK },
		{ "max-leaves", required_argument, NULL, OPT_MAX_LEAVES },
		{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "aggregate", required_argument, NULL, OPT_AGGREGATE },
		{ "dot", required_argument, NULL, OPT_DOT },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "nonfinite", required_argument, NULL, OPT_NONFINITE },
		{ "exact", no_argument, NULL, OPT_EXACT },
		{ "hist-min", required_argument, NULL, OPT_HIST_MIN },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, n_stdout = 0;

	memset(c, 0, sizeof(*c));
	c->label = "Label";
	distill_opts_default(&c->d);
	c->d.threads = default_threads();
	c->d.progress = 1;
	c->hist_min = 200;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage_text, stdout);
			exit(close_stdout() ? 1 : 0);
		case 'V':
			printf("trustee %s\n", TOOLKIT_VERSION);
			exit(close_stdout() ? 1 : 0);
		case OPT_LABEL:
			c->label = optarg;
			break;
		case OPT_SAMPLES:
			c->d.samples = (size_t)int_arg("--samples", optarg, 2);
			c->samples_set = 1;
			break;
		case OPT_SAMPLES_FRAC:
			c->d.samples_frac = frac_arg("--samples-frac", optarg, 1);
			c->frac_set = 1;
			break;
		case OPT_ITER:
			c->d.iter = int_arg("--iter", optarg, 1);
			break;
		case OPT_STAB:
			c->d.stability_iter = int_arg("--stability-iter", optarg, 1);
			break;
		case OPT_TRAIN_SIZE:
			c->d.train_size = frac_arg("--train-size", optarg, 0);
			break;
		case OPT_TOPK:
			c->d.top_k = (size_t)int_arg("--top-k", optarg, 1);
			break;
		case OPT_MAX_LEAVES:
			c->max_leaves = int_arg("--max-leaves", optarg, 2);
			break;
		case OPT_MAX_DEPTH:
			c->max_depth = int_arg("--max-depth", optarg, 1);
			break;
		case OPT_THREADS:
			c->d.threads = int_arg("--threads", optarg, 1);
			break;
		case OPT_SEED:
			if (parse_uint64(optarg, &c->d.seed))
				die_usage("invalid --seed value '%s' (expected an unsigned integer)", optarg);
			break;
		case OPT_AGGREGATE:
			if (!strcmp(optarg, "all"))
				c->d.aggregate = DISTILL_AGG_ALL;
			else if (!strcmp(optarg, "misclassified"))
				c->d.aggregate = DISTILL_AGG_MISCLASSIFIED;
			else
				die_usage("invalid --aggregate value '%s' (expected all or misclassified)",
					  optarg);
			break;
		case OPT_DOT:
			c->dot = optarg;
			n_stdout += !strcmp(optarg, "-");
			break;
		case OPT_SVG:
			c->svg = optarg;
			n_stdout += !strcmp(optarg, "-");
			break;
		case OPT_JSON:
			c->json = optarg;
			n_stdout += !strcmp(optarg, "-");
			break;
		case OPT_EXACT:
			c->exact = 1;
			break;
		case OPT_HIST_MIN:
			c->hist_min = (size_t)int_arg("--hist-min", optarg, 1);
			break;
		case OPT_NONFINITE:
			if (table_parse_nonfinite(optarg, &c->nonfinite))
				die_usage("invalid --nonfinite value '%s' (expected error, drop, zero or clip)",
					  optarg);
			break;
		case ':':
			die_usage("option '%s' needs a value", argv[optind - 1]);
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (c->samples_set && c->frac_set)
		die_usage("--samples and --samples-frac exclude each other");
	if (n_stdout > 1)
		die_usage("only one of --json, --dot and --svg can write to stdout");
	if (optind >= argc)
		die_usage("missing command (explain or report)");
	c->cmd = argv[optind++];
	if (strcmp(c->cmd, "explain") && strcmp(c->cmd, "report"))
		die_usage("unknown command '%s' (expected explain or report)", c->cmd);
	if (argc - optind < 2)
		die_usage("%s needs MODEL and DATA.csv", c->cmd);
	if (argc - optind > 2)
		die_usage("unexpected argument '%s'", argv[optind + 2]);
	c->model = argv[optind];
	c->data = argv[optind + 1];
	if (!strcmp(c->cmd, "report") && (c->dot || c->svg || c->json))
		die_usage("--json, --dot and --svg belong to explain");
}

int main(int argc, char **argv)
{
	struct cli c;
	input in;
	int rc;

	util_set_progname("trustee");
	out_install_signals();
	parse_cli(argc, argv, &c);
	if (input_load(&in, c.model, c.data, c.label, c.nonfinite, c.d.threads))
		return 1;
	if (!c.exact) {
		tree_data td = { in.X, in.n_rows, in.n_features, in.expert, in.n_classes };

		c.bins = tree_bins_build(&td, c.d.threads);
	}
	rc = !strcmp(c.cmd, "explain") ? cmd_explain(&c, &in) : cmd_report(&c, &in);
	tree_bins_free(c.bins);
	input_release(&in);
	if (rc)
		return 1;
	return close_stdout() ? 1 : 0;
}
