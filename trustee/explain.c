/*
 * explain.c: Trustee (trustee/distill) with common/tree's CART students,
 * the measurements of its result on all rows, and its renderings.
 */
#include "explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "render.h"
#include "report.h"
#include "util.h"

void explain_opts_default(explain_opts *o)
{
	memset(o, 0, sizeof(*o));
	distill_opts_default(&o->d);
	o->d.threads = 1;
	o->d.progress = 0;
	o->hist_min = 200;
}

tree_bins *explain_bins(const explain_data *d, const explain_opts *o)
{
	tree_data td = { d->X, d->n_rows, d->n_features, d->expert, d->n_classes };

	if (o->exact)
		return NULL;
	return tree_bins_build(&td, o->d.threads);
}

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

int explain_distill(const explain_data *d, const explain_opts *o, int max_depth, distill_result *res)
{
	struct fit_ctx fc;
	distill_data dd = { d->X, d->n_rows, d->n_features, d->expert, d->n_classes };
	tree_bins *own = NULL;
	int rc;

	fc.td.X = d->X;
	fc.td.n_rows = d->n_rows;
	fc.td.n_features = d->n_features;
	fc.td.y = d->expert;
	fc.td.n_classes = d->n_classes;
	tree_opts_default(&fc.to);
	fc.to.max_depth = max_depth ? max_depth : o->max_depth;
	fc.to.max_leaves = o->max_leaves;
	fc.bins = o->bins;
	if (!o->exact && !fc.bins)
		fc.bins = own = explain_bins(d, o);
	fc.hist_min = o->hist_min;
	rc = distill_run(&dd, &o->d, fit_tree, &fc, free_tree, res);
	tree_bins_free(own);
	return rc;
}

void explain_distill_release(distill_result *res)
{
	distill_result_release(res, free_tree);
}

/* ---- numbers --------------------------------------------------------------- */

static void predict_all(const explain_data *d, const tree *t, int32_t *out)
{
	distill_predict(t, d->X, d->n_rows, NULL, d->n_rows, out);
}

static double fidelity_buf(const explain_data *d, const tree *t, int32_t *buf)
{
	predict_all(d, t, buf);
	return report_macro_f1(d->expert, buf, d->n_rows, d->n_classes);
}

static double score_buf(const explain_data *d, const tree *t, int32_t *buf)
{
	if (!d->truth)
		return NAN;
	predict_all(d, t, buf);
	return report_macro_f1(d->truth, buf, d->n_rows, d->n_truth_classes);
}

static int32_t *row_buf(const explain_data *d)
{
	return xreallocarray(NULL, d->n_rows ? d->n_rows : 1, sizeof(int32_t));
}

double explain_fidelity(const explain_data *d, const tree *t)
{
	int32_t *buf = row_buf(d);
	double f = fidelity_buf(d, t, buf);

	free(buf);
	return f;
}

double explain_score(const explain_data *d, const tree *t)
{
	int32_t *buf;
	double s;

	if (!d->truth)
		return NAN;
	buf = row_buf(d);
	s = score_buf(d, t, buf);
	free(buf);
	return s;
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

int explain_run(const explain_data *d, const explain_opts *o, explain_result *r)
{
	int32_t *buf;

	memset(r, 0, sizeof(*r));
	if (explain_distill(d, o, 0, &r->res))
		return -1;
	buf = row_buf(d);
	r->pred = row_buf(d);
	predict_all(d, r->res.pruned, r->pred);
	r->fidelity = report_macro_f1(d->expert, r->pred, d->n_rows, d->n_classes);
	r->fidelity_unpruned = fidelity_buf(d, r->res.student, buf);
	r->score = score_buf(d, r->res.pruned, buf);
	r->n_branches = prune_branches(r->res.pruned, &r->branches);
	prune_sort_branches(r->branches, r->n_branches);
	r->n_hints = hints_find(r->res.pruned, d->features, d->n_features, o->d.top_k, &r->hints);
	r->feats = xcalloc(d->n_features ? d->n_features : 1, sizeof(*r->feats));
	r->n_feats = prune_top_features(r->res.pruned, d->n_features, r->feats, NULL);
	r->top_features = xcalloc(d->n_features ? d->n_features : 1, sizeof(*r->top_features));
	r->n_top_features = prune_top_features(r->res.student, d->n_features, r->top_features,
					       &r->top_features_total);
	free(buf);
	return 0;
}

void explain_release(explain_result *r)
{
	hints_free(r->hints, r->n_hints);
	prune_branches_free(r->branches, r->n_branches);
	free(r->feats);
	free(r->top_features);
	free(r->pred);
	distill_result_release(&r->res, free_tree);
	memset(r, 0, sizeof(*r));
}

static render_names names_of(const explain_data *d)
{
	render_names nm = { d->features, d->n_features, d->classes, d->n_classes };

	return nm;
}

static int stream_status(FILE *fp)
{
	return ferror(fp) ? -1 : 0;
}

/* "'m.rf' (forest, 3 classes)" or "predictions 'p.csv' (3 classes)". */
static void print_expert(FILE *fp, const explain_info *info, size_t n_classes)
{
	if (info->model)
		fprintf(fp, "'%s' (%s, %zu classes)", info->model, info->model_kind, n_classes);
	else
		fprintf(fp, "%s (%zu classes)", info->expert_what, n_classes);
}

int explain_write_text(FILE *fp, const explain_data *d, const explain_opts *o,
		       const explain_info *info, const explain_result *e)
{
	const distill_result *r = &e->res;
	render_names nm = names_of(d);
	size_t top = o->d.top_k < e->n_branches ? o->d.top_k : e->n_branches;

	fprintf(fp, "Trustee explanation of ");
	print_expert(fp, info, d->n_classes);
	fprintf(fp, " on '%s' (%zu rows, %zu feature%s", info->data, d->n_rows, d->n_features,
		d->n_features == 1 ? "" : "s");
	if (info->n_dropped)
		fprintf(fp, ", %zu rows with non-finite values dropped", info->n_dropped);
	fprintf(fp, ")\n");
	fprintf(fp, "%d x %d students on %zu of %zu training rows each (train size %g), "
		"agreement set %zu rows, top-k %zu, aggregate %s, seed %llu\n\n",
		o->d.stability_iter, o->d.iter, r->n_student_train, r->n_pool, o->d.train_size, r->n_agree,
		o->d.top_k, aggregate_name(o->d.aggregate), (unsigned long long)o->d.seed);
	fprintf(fp, "Fidelity of the pruned tree to the model on all %zu rows:\n", d->n_rows);
	class_report(fp, d->expert, e->pred, d->n_rows, d->classes, d->n_classes);
	fprintf(fp, "\n");
	fprintf(fp, "fidelity (macro-F1, pruned tree vs model):     %.4f\n", e->fidelity);
	fprintf(fp, "fidelity of the unpruned tree:                 %.4f\n", e->fidelity_unpruned);
	if (isnan(e->score))
		fprintf(fp, "score (macro-F1, pruned tree vs true labels):  n/a (no '%s' column)\n",
			info->label);
	else
		fprintf(fp, "score (macro-F1, pruned tree vs true labels):  %.4f\n", e->score);
	fprintf(fp, "agreement (mean over the %d pruned top trees):  %.4f\n", o->d.stability_iter,
		r->agreement);
	fprintf(fp, "reward (unpruned tree on its inner hold-out):  %.4f\n", r->reward);
	fprintf(fp, "pruned tree: %zu leaves, depth %d, %zu feature%s (unpruned: %zu leaves, depth %d)\n\n",
		tree_n_leaves(r->pruned), tree_depth(r->pruned), e->n_feats, e->n_feats == 1 ? "" : "s",
		tree_n_leaves(r->student), tree_depth(r->student));

	fprintf(fp, "Rules (pruned tree; samples are the student's training rows):\n");
	render_text(fp, r->pruned, &nm, 0);
	fprintf(fp, "\nTop %zu branch%s:\n", top, top == 1 ? "" : "es");
	for (size_t i = 0; i < top; i++) {
		const prune_branch *b = &e->branches[i];
		char *rule = render_rule(r->pruned, b, &nm);
		double root = r->pruned->nodes[0].weighted;

		fprintf(fp, "%3zu. %s => %s  (samples %.0f = %.1f%%, purity %.1f%%)\n", i + 1, rule,
			d->classes[b->cls], b->samples, root > 0 ? 100 * b->samples / root : 0,
			100 * b->purity);
		free(rule);
	}
	fprintf(fp, "\nShortcut hints (hints to check, not verdicts):\n");
	if (!e->n_hints)
		fprintf(fp, "  none: the root split and the top branches test no identifier or capture "
			"artefact, and no single feature carries most of the split samples\n");
	for (size_t i = 0; i < e->n_hints; i++)
		fprintf(fp, "  - %s\n", e->hints[i].message);
	return stream_status(fp);
}

int explain_write_json(FILE *fp, const explain_data *d, const explain_opts *o,
		       const explain_info *info, const explain_result *e)
{
	const distill_result *r = &e->res;
	render_names nm = names_of(d);
	size_t top = o->d.top_k < e->n_branches ? o->d.top_k : e->n_branches;
	const tree *p = r->pruned;
	double root = p->nodes[0].weighted;

	fputs("{\n  \"model\": ", fp);
	if (info->model)
		json_string(fp, info->model);
	else
		fputs("null", fp);
	if (info->expert_kind) {
		fputs(",\n  \"expert\": {\"kind\": ", fp);
		json_string(fp, info->expert_kind);
		if (info->expert_file) {
			fputs(", \"file\": ", fp);
			json_string(fp, info->expert_file);
		}
		if (info->expert_column) {
			fputs(", \"column\": ", fp);
			json_string(fp, info->expert_column);
		}
		if (info->expert_command) {
			fputs(", \"command\": ", fp);
			json_string(fp, info->expert_command);
		}
		fputs("}", fp);
	}
	fputs(",\n  \"data\": ", fp);
	json_string(fp, info->data);
	fprintf(fp, ",\n  \"rows\": %zu,\n  \"root_feature\": ", d->n_rows);
	if (p->nodes[0].left == TREE_LEAF)
		fputs("null", fp);
	else
		json_string(fp, d->features[p->nodes[0].feature]);
	fputs(",\n  \"fidelity\": ", fp);
	json_number(fp, e->fidelity);
	fputs(",\n  \"fidelity_unpruned\": ", fp);
	json_number(fp, e->fidelity_unpruned);
	fputs(",\n  \"score\": ", fp);
	json_number(fp, e->score);
	fputs(",\n  \"agreement\": ", fp);
	json_number(fp, r->agreement);
	fputs(",\n  \"reward\": ", fp);
	json_number(fp, r->reward);
	fprintf(fp, ",\n  \"leaves\": %zu,\n  \"depth\": %d,\n  \"nodes\": %zu,\n", tree_n_leaves(p),
		tree_depth(p), p->n_nodes);
	fprintf(fp, "  \"unpruned_leaves\": %zu,\n  \"unpruned_depth\": %d,\n  \"features_used\": [",
		tree_n_leaves(r->student), tree_depth(r->student));
	for (size_t i = 0; i < e->n_feats; i++) {
		fputs(i ? ", " : "", fp);
		json_string(fp, d->features[e->feats[i].feature]);
	}
	fputs("],\n  \"top_branches\": [", fp);
	for (size_t i = 0; i < top; i++) {
		const prune_branch *b = &e->branches[i];
		char *rule = render_rule(p, b, &nm);

		fputs(i ? ",\n    {\"rule\": " : "\n    {\"rule\": ", fp);
		json_string(fp, rule);
		fputs(", \"class\": ", fp);
		json_string(fp, d->classes[b->cls]);
		fprintf(fp, ", \"samples\": %.0f, \"share\": ", b->samples);
		json_number(fp, root > 0 ? b->samples / root : 0);
		fputs(", \"purity\": ", fp);
		json_number(fp, b->purity);
		fputs("}", fp);
		free(rule);
	}
	fputs(top ? "\n  ],\n  \"hints\": [" : "],\n  \"hints\": [", fp);
	for (size_t i = 0; i < e->n_hints; i++) {
		const hint *h = &e->hints[i];

		fputs(i ? ",\n    {\"feature\": " : "\n    {\"feature\": ", fp);
		json_string(fp, d->features[h->feature]);
		fputs(", \"kind\": ", fp);
		json_string(fp, h->kind);
		fputs(", \"where\": ", fp);
		json_string(fp, h->where);
		fputs(", \"share\": ", fp);
		json_number(fp, h->share);
		fputs(", \"root_share\": ", fp);
		json_number(fp, h->root_share);
		fputs(", \"split_share\": ", fp);
		json_number(fp, h->split_share);
		fputs(", \"message\": ", fp);
		json_string(fp, h->message);
		fputs("}", fp);
	}
	fputs(e->n_hints ? "\n  ],\n" : "],\n", fp);
	fprintf(fp, "  \"settings\": {\"iter\": %d, \"stability_iter\": %d, \"train_size\": ", o->d.iter,
		o->d.stability_iter);
	json_number(fp, o->d.train_size);
	fprintf(fp, ", \"samples\": %zu, \"top_k\": %zu, \"max_leaves\": %d, \"max_depth\": %d, "
		"\"aggregate\": \"%s\", \"seed\": %llu}\n}\n", r->n_samples, o->d.top_k, o->max_leaves,
		o->max_depth, aggregate_name(o->d.aggregate), (unsigned long long)o->d.seed);
	return stream_status(fp);
}

int explain_write_dot(FILE *fp, const explain_data *d, const explain_opts *o,
		      const explain_info *info, const explain_result *e)
{
	render_names nm = names_of(d);

	(void)o;
	(void)info;
	render_dot(fp, e->res.pruned, &nm);
	return stream_status(fp);
}

int explain_write_svg(FILE *fp, const explain_data *d, const explain_opts *o,
		      const explain_info *info, const explain_result *e)
{
	render_names nm = names_of(d);
	char title[512];

	snprintf(title, sizeof(title), "trustee: %s on %s - fidelity %.4f, %zu leaves, top-k %zu",
		 info->model ? info->model : info->expert_what, info->data, e->fidelity,
		 tree_n_leaves(e->res.pruned), o->d.top_k);
	render_svg(fp, e->res.pruned, &nm, title);
	return stream_status(fp);
}

/* ---- report ---------------------------------------------------------------- */

static void print_size_row(FILE *fp, const char *label, const tree *t, const explain_data *d,
			   int32_t *buf)
{
	double f = fidelity_buf(d, t, buf), s = score_buf(d, t, buf);

	fprintf(fp, "%8s %7zu %7zu %6d %9.4f ", label, t->n_nodes, tree_n_leaves(t), tree_depth(t), f);
	if (isnan(s))
		fprintf(fp, "%9s\n", "n/a");
	else
		fprintf(fp, "%9.4f\n", s);
}

int explain_report(FILE *fp, const explain_data *d, const explain_opts *o, const explain_info *info)
{
	distill_result res;
	render_names nm = names_of(d);
	int32_t *buf;
	prune_feature_stat *fs;
	prune_node_stat *ns;
	prune_branch *b;
	size_t nf, nn, nb, k = o->d.top_k;
	double total, root;
	const tree *t;

	if (explain_distill(d, o, 0, &res))
		return -1;
	buf = row_buf(d);
	fs = xcalloc(d->n_features ? d->n_features : 1, sizeof(*fs));
	t = res.student;
	root = t->nodes[0].weighted > 0 ? t->nodes[0].weighted : 1;
	fprintf(fp, "Trust report of ");
	print_expert(fp, info, d->n_classes);
	fprintf(fp, " on '%s' (%zu rows, %zu feature%s)\n", info->data, d->n_rows, d->n_features,
		d->n_features == 1 ? "" : "s");
	fprintf(fp, "best student (unpruned): %zu nodes, %zu leaves, depth %d, fidelity %.4f; "
		"agreement %.4f, reward %.4f\n\n", t->n_nodes, tree_n_leaves(t), tree_depth(t),
		fidelity_buf(d, t, buf), res.agreement, res.reward);

	nf = prune_top_features(t, d->n_features, fs, &total);
	fprintf(fp, "Top %zu features (split nodes and their samples)\n", nf < k ? nf : k);
	fprintf(fp, "  %-32s %15s %21s\n", "feature", "nodes", "samples");
	for (size_t i = 0; i < nf && i < k; i++)
		fprintf(fp, "  %-32s %6zu (%5.1f%%) %12.0f (%5.1f%%)\n", d->features[fs[i].feature],
			fs[i].nodes, 100.0 * (double)fs[i].nodes / (double)(t->n_nodes - tree_n_leaves(t)),
			fs[i].samples, total > 0 ? 100 * fs[i].samples / total : 0);

	nn = prune_top_nodes(t, &ns);
	fprintf(fp, "\nTop %zu nodes (samples x |gini left - gini right|)\n", nn < k ? nn : k);
	fprintf(fp, "  %-40s %5s %15s %17s\n", "decision", "level", "gini left/right", "data left/right");
	for (size_t i = 0; i < nn && i < k; i++) {
		const tree_node *nd = &t->nodes[ns[i].node];
		char thr[32], dec[256];
		double w = nd->weighted > 0 ? nd->weighted : 1;

		render_float(thr, sizeof(thr), nd->threshold);
		snprintf(dec, sizeof(dec), "%s <= %s", d->features[nd->feature], thr);
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
			d->classes[b[i].cls], b[i].samples, 100 * b[i].samples / root, 100 * b[i].purity);
		free(rule);
	}
	prune_branches_free(b, nb);

	fprintf(fp, "\nPruning analysis: Trustee top-k pruning of the best student (fidelity vs model, "
		"score vs labels, on all rows)\n");
	fprintf(fp, "%8s %7s %7s %6s %9s %9s\n", "top-k", "nodes", "leaves", "depth", "fidelity", "score");
	for (size_t kk = 1; kk <= 10; kk++) {
		tree *p = prune_top_k(t, kk, o->d.max_impurity);
		char label[16];

		snprintf(label, sizeof(label), "%zu", kk);
		print_size_row(fp, label, p, d, buf);
		prune_tree_free(p);
	}
	fflush(fp);

	fprintf(fp, "\nPruning analysis: max depth (one Trustee run per depth, unpruned best student)\n");
	fprintf(fp, "%8s %7s %7s %6s %9s %9s\n", "depth", "nodes", "leaves", "depth", "fidelity", "score");
	for (int dd = 1; dd <= 10; dd++) {
		distill_result rd;
		char label[16];

		if (explain_distill(d, o, dd, &rd))
			break;
		snprintf(label, sizeof(label), "%d", dd);
		print_size_row(fp, label, rd.student, d, buf);
		fflush(fp);
		distill_result_release(&rd, free_tree);
	}
	distill_result_release(&res, free_tree);
	free(buf);
	free(fs);
	return stream_status(fp);
}
