/*
 * forest: train and apply random forest and LIBLINEAR models.
 *   forest train DATA.csv -o MODEL [options]
 *   forest predict MODEL DATA.csv [-o OUT.csv] [--proba]
 *   forest eval MODEL DATA.csv [--json]
 *   forest importance MODEL [DATA.csv]
 *   forest info MODEL
 */
#include "forest.h"
#include "model.h"
#include "report.h"
#include "table.h"
#include "csv.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"Usage: forest COMMAND [options] ...\n"
	"Train and apply random forest (scikit-learn RandomForestClassifier parity) and\n"
	"LIBLINEAR models on labelled flow CSVs.\n"
	"\n"
	"Commands:\n"
	"  train DATA.csv -o MODEL   train a model\n"
	"  predict MODEL DATA.csv    add a Predicted column (and probabilities) to the rows\n"
	"  eval MODEL DATA.csv       classification report and confusion matrix\n"
	"  importance MODEL [DATA]   impurity (MDI) and, with DATA, permutation importances\n"
	"  info MODEL                kind, version, features, classes, options, tree sizes\n"
	"\n"
	"train options:\n"
	"  -o, --output FILE         model file to write (required; - = stdout)\n"
	"      --label NAME          label column (default Label)\n"
	"      --features A,B,...    use exactly these feature columns\n"
	"      --exclude A,B,...     leave these columns out\n"
	"      --keep-identifiers    do not exclude Flow ID, Src IP, Dst IP, Timestamp\n"
	"      --trees N             number of trees (default 100)\n"
	"      --max-features SPEC   features tried per node: sqrt (default), log2, all, N, 0.F\n"
	"      --max-depth N         maximum depth (default: none)\n"
	"      --min-samples-leaf N  minimum distinct rows per leaf (default 1)\n"
	"      --min-samples-split N minimum distinct rows to split a node (default 2)\n"
	"      --class-weight balanced  weight classes by n / (K * count)\n"
	"      --bootstrap, --no-bootstrap  draw n rows with replacement per tree (default on)\n"
	"      --oob                 report the out-of-bag accuracy\n"
	"      --hist-min N          nodes with at least N rows search splits on 256-bin\n"
	"                            histograms (default 512; 0 = exact search everywhere)\n"
	"      --linear              train a LIBLINEAR model instead of a forest\n"
	"      --C C                 LIBLINEAR cost (default 1)\n"
	"      --solver lr|svm       LIBLINEAR solver (default lr: logistic regression)\n"
	"\n"
	"Common options:\n"
	"  -o, --output FILE         output file for predict (default stdout)\n"
	"      --proba               predict: add one probability column per class\n"
	"      --json                eval: one JSON object instead of text\n"
	"      --repeats N           importance: permutation repeats (default 5)\n"
	"      --dump                info: every node (tree, node, feature, threshold, children,\n"
	"                            rows, weight, impurity, weighted class counts)\n"
	"  -j, --threads N           worker threads (default 1)\n"
	"      --seed S              random seed (default 0)\n"
	"      --nonfinite POLICY    NaN/Infinity in features: error (default), drop, zero, clip\n"
	"  -q, --quiet               no progress line\n"
	"  -h, --help                show this help and exit\n"
	"  -V, --version             show the version and exit\n";

enum {
	OPT_LABEL = 256, OPT_FEATURES, OPT_EXCLUDE, OPT_TREES, OPT_MAXF, OPT_MAXD, OPT_MSL, OPT_MSS,
	OPT_CW, OPT_BOOT, OPT_NOBOOT, OPT_OOB, OPT_HIST, OPT_LINEAR, OPT_C, OPT_SOLVER, OPT_PROBA,
	OPT_JSON, OPT_REPEATS, OPT_SEED, OPT_NONFINITE, OPT_KEEPID, OPT_DUMP,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "output", required_argument, NULL, 'o' },
	{ "threads", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "keep-identifiers", no_argument, NULL, OPT_KEEPID },
	{ "dump", no_argument, NULL, OPT_DUMP },
	{ "trees", required_argument, NULL, OPT_TREES },
	{ "max-features", required_argument, NULL, OPT_MAXF },
	{ "max-depth", required_argument, NULL, OPT_MAXD },
	{ "min-samples-leaf", required_argument, NULL, OPT_MSL },
	{ "min-samples-split", required_argument, NULL, OPT_MSS },
	{ "class-weight", required_argument, NULL, OPT_CW },
	{ "bootstrap", no_argument, NULL, OPT_BOOT },
	{ "no-bootstrap", no_argument, NULL, OPT_NOBOOT },
	{ "oob", no_argument, NULL, OPT_OOB },
	{ "hist-min", required_argument, NULL, OPT_HIST },
	{ "linear", no_argument, NULL, OPT_LINEAR },
	{ "C", required_argument, NULL, OPT_C },
	{ "solver", required_argument, NULL, OPT_SOLVER },
	{ "proba", no_argument, NULL, OPT_PROBA },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "repeats", required_argument, NULL, OPT_REPEATS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "nonfinite", required_argument, NULL, OPT_NONFINITE },
	{ NULL, 0, NULL, 0 },
};

struct cli {
	const char *output, *label, *features, *exclude, *max_features, *solver;
	int threads, quiet, linear, proba, json, repeats, keep_ids, dump;
	double C;
	enum table_nonfinite nonfinite;
	forest_opts fo;
	char *args[4];
	int n_args;
};

static int int_arg(const char *opt, const char *s, int min, int max)
{
	int v;

	if (parse_int(s, min, max, &v) < 0)
		die_usage("invalid value '%s' for %s (an integer from %d to %d)", s, opt, min, max);
	return v;
}

static void parse_cli(struct cli *c, int argc, char **argv, const char *cmd)
{
	int o;

	memset(c, 0, sizeof(*c));
	c->label = "Label";
	c->threads = 1;
	c->C = 1.0;
	c->solver = "lr";
	c->repeats = 5;
	forest_opts_default(&c->fo);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":ho:j:qV", long_opts, NULL)) != -1) {
		switch (o) {
		case 'h':
			fputs(usage_text, stdout);
			exit(close_stdout() ? 1 : 0);
		case 'V':
			printf("forest %s\n", TOOLKIT_VERSION);
			exit(close_stdout() ? 1 : 0);
		case 'o':
			c->output = optarg;
			break;
		case 'j':
			c->threads = int_arg("--threads", optarg, 1, 64);
			break;
		case 'q':
			c->quiet = 1;
			break;
		case OPT_LABEL:
			c->label = optarg;
			break;
		case OPT_FEATURES:
			c->features = optarg;
			break;
		case OPT_EXCLUDE:
			c->exclude = optarg;
			break;
		case OPT_DUMP:
			c->dump = 1;
			break;
		case OPT_KEEPID:
			c->keep_ids = 1;
			break;
		case OPT_TREES:
			c->fo.n_trees = int_arg("--trees", optarg, 1, 100000);
			break;
		case OPT_MAXF:
			c->max_features = optarg;
			break;
		case OPT_MAXD:
			c->fo.max_depth = int_arg("--max-depth", optarg, 1, 100000);
			break;
		case OPT_MSL:
			c->fo.min_samples_leaf = int_arg("--min-samples-leaf", optarg, 1, INT32_MAX);
			break;
		case OPT_MSS:
			c->fo.min_samples_split = int_arg("--min-samples-split", optarg, 2, INT32_MAX);
			break;
		case OPT_CW:
			if (strcmp(optarg, "balanced") && strcmp(optarg, "none"))
				die_usage("invalid value '%s' for --class-weight (balanced or none)", optarg);
			c->fo.balanced = !strcmp(optarg, "balanced");
			break;
		case OPT_BOOT:
			c->fo.bootstrap = 1;
			break;
		case OPT_NOBOOT:
			c->fo.bootstrap = 0;
			break;
		case OPT_OOB:
			c->fo.oob = 1;
			break;
		case OPT_HIST:
			c->fo.hist_min = (size_t)int_arg("--hist-min", optarg, 0, INT32_MAX);
			break;
		case OPT_LINEAR:
			c->linear = 1;
			break;
		case OPT_C:
			if (parse_double(optarg, 0, &c->C) < 0 || !(c->C > 0))
				die_usage("invalid value '%s' for --C (a number > 0)", optarg);
			break;
		case OPT_SOLVER:
			if (strcmp(optarg, "lr") && strcmp(optarg, "svm"))
				die_usage("invalid value '%s' for --solver (lr or svm)", optarg);
			c->solver = optarg;
			break;
		case OPT_PROBA:
			c->proba = 1;
			break;
		case OPT_JSON:
			c->json = 1;
			break;
		case OPT_REPEATS:
			c->repeats = int_arg("--repeats", optarg, 1, 1000);
			break;
		case OPT_SEED:
			if (parse_uint64(optarg, &c->fo.seed) < 0)
				die_usage("invalid value '%s' for --seed (an integer >= 0)", optarg);
			break;
		case OPT_NONFINITE:
			if (table_parse_nonfinite(optarg, &c->nonfinite) < 0)
				die_usage("invalid value '%s' for --nonfinite (error, drop, zero or clip)",
					  optarg);
			break;
		case ':':
			die_usage("option '%s' needs a value", argv[optind - 1]);
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (c->n_args == 4)
			die_usage("%s: too many arguments", cmd);
		c->args[c->n_args++] = argv[i];
	}
	c->fo.threads = c->threads;
	c->fo.progress = !c->quiet;
}

/* Every file argument is an input of the run: never written. */
static void note_inputs(const struct cli *c)
{
	for (int i = 0; i < c->n_args; i++)
		out_note_input(c->args[i]);
}

static void need_args(const struct cli *c, int min, int max, const char *cmd, const char *what)
{
	if (c->n_args < min || c->n_args > max)
		die_usage("%s: expected %s", cmd, what);
}

static int finish(void)
{
	return close_stdout() ? 1 : 0;
}

static void print_excluded(const table *t)
{
	if (!t->n_excluded)
		return;
	fprintf(stderr, "forest: excluded identifier columns:");
	for (size_t i = 0; i < t->n_excluded; i++)
		fprintf(stderr, "%s %s", i ? "," : "", t->excluded[i]);
	fprintf(stderr, " (--keep-identifiers keeps them)\n");
}

static void print_nonfinite(const table *t)
{
	if (t->n_dropped)
		warning("dropped %zu rows with NaN or infinite features", t->n_dropped);
	if (t->n_fixed)
		warning("replaced %zu NaN or infinite feature values", t->n_fixed);
}

/*
 * A label column with about one class per row (an identifier or a number
 * taken for the label) makes every tree grow one leaf per row and a class
 * vector per node: warn, with the expected size, before building it.
 */
static void warn_many_classes(const table *t, const struct cli *c)
{
	double bytes;

	if (t->n_classes <= 20 || (t->n_classes <= 1000 && t->n_classes * 2 <= t->n_rows))
		return;
	/* a tree has about 2 nodes per distinct bootstrap row (63% of the rows),
	 * each with K doubles of class weights */
	bytes = 1.26 * (double)t->n_rows * (double)t->n_classes * 8.0 * (double)c->fo.n_trees;
	warning("%zu classes in '%s' for %zu rows: is it the label column? (the forest may take "
		"about %.0f MB)", t->n_classes, c->label, t->n_rows, bytes / 1e6);
}

static int cmd_train(struct cli *c)
{
	table t;
	table_opts to;
	ml_model *m;

	need_args(c, 1, 1, "train", "one DATA.csv");
	if (!c->output)
		die_usage("train: -o MODEL is required");
	if (c->features && c->exclude)
		die_usage("train: --features and --exclude cannot be combined");
	out_note_input(c->args[0]);
	if (out_check(c->output) < 0)
		exit(2);
	table_opts_default(&to);
	to.label = c->label;
	to.features = c->features;
	to.exclude = c->exclude;
	to.nonfinite = c->nonfinite;
	to.keep_identifiers = c->keep_ids;
	if (table_load(&t, c->args[0], &to) < 0)
		return 1;
	print_excluded(&t);
	print_nonfinite(&t);
	if (t.n_rows == 0) {
		error("%s: no data rows", c->args[0]);
		table_release(&t);
		return 1;
	}
	if (c->linear) {
		m = forest_train_linear(&t, c->C, c->solver, c->fo.seed);
	} else {
		if (forest_max_features(c->max_features, t.n_features, &c->fo.max_features) < 0) {
			size_t nf = t.n_features;

			table_release(&t);
			die_usage("invalid value '%s' for --max-features (sqrt, log2, all, an integer "
				  "from 1 to %zu, or a fraction 0.F in (0, 1])", c->max_features, nf);
		}
		warn_many_classes(&t, c);
		c->fo.max_features_spec = c->max_features ? c->max_features : "sqrt";
		m = forest_train(&t, &c->fo);
	}
	if (!m || model_save(m, c->output) < 0) {
		model_free(m);
		table_release(&t);
		return 1;
	}
	if (strcmp(c->output, "-")) {
		printf("%s: %s model, %zu rows, %zu features, %zu classes", c->output,
		       model_kind_name(m), t.n_rows, t.n_features, t.n_classes);
		if (m->kind == MODEL_FOREST) {
			size_t nodes = 0;

			for (size_t i = 0; i < m->n_trees; i++)
				nodes += m->trees[i]->n_nodes;
			printf(", %zu trees, %zu nodes", m->n_trees, nodes);
		}
		printf("\n");
		if (!isnan(m->oob_score))
			printf("OOB accuracy: %.4f\n", m->oob_score);
	}
	model_free(m);
	table_release(&t);
	return finish();
}

/* Model features from a CSV (errors name a missing feature). */
static int load_for_model(const ml_model *m, const char *path, const struct cli *c, int need_label,
			  table *t)
{
	table_opts to;

	table_opts_default(&to);
	to.label = c->label;
	to.label_optional = !need_label;
	to.want = (const char *const *)m->features;
	to.n_want = m->n_features;
	to.classes = (const char *const *)m->classes;
	to.n_classes = m->n_classes;
	to.nonfinite = c->nonfinite;
	if (table_load(t, path, &to) < 0)
		return -1;
	print_nonfinite(t);
	return 0;
}

/* A score over no rows means nothing: an error (the table is released). */
static int no_rows(table *t, const char *path)
{
	if (t->n_rows)
		return 0;
	if (t->n_dropped)
		error("%s: no data rows left (%zu dropped for NaN or infinite features)", path,
		      t->n_dropped);
	else
		error("%s: no data rows", path);
	table_release(t);
	return 1;
}

static int cmd_predict(struct cli *c)
{
	ml_model *m;
	table t;
	int32_t *pred;
	double *proba = NULL;
	csv_reader *r;
	csv_field *f;
	outfile o;
	size_t K, row = 0;
	int rc;

	need_args(c, 2, 2, "predict", "MODEL DATA.csv");
	if (!strcmp(c->args[1], "-"))
		die_usage("predict: DATA.csv must be a file (it is read twice)");
	note_inputs(c);
	if (c->output && out_check(c->output) < 0)
		exit(2);
	m = model_load(c->args[0]);
	if (!m)
		return 1;
	K = m->n_classes;
	c->label = NULL;
	if (load_for_model(m, c->args[1], c, 0, &t) < 0) {
		model_free(m);
		return 1;
	}
	pred = xcalloc(t.n_rows + 1, sizeof(int32_t));
	if (c->proba)
		proba = xcalloc(st_mult(t.n_rows + 1, K), sizeof(double));
	model_predict_proba_mt(m, t.X, t.n_rows, c->threads, proba, pred);
	r = csv_open(c->args[1]);
	if (!r || out_open(&o, c->output ? c->output : "-") < 0) {
		csv_free(r);
		goto fail;
	}
	{
		size_t nc = csv_ncols(r);

		for (size_t i = 0; i < nc; i++) {
			const char *s = csv_colname(r, i);

			if (i)
				fputc(',', o.fp);
			csv_write_field(o.fp, s, strlen(s));
		}
		fputs(nc ? ",Predicted" : "Predicted", o.fp);
		for (size_t k = 0; c->proba && k < K; k++) {
			char name[512];

			snprintf(name, sizeof(name), "Proba %s", m->classes[k]);
			fputc(',', o.fp);
			csv_write_field(o.fp, name, strlen(name));
		}
		fputc('\n', o.fp);
		while ((rc = csv_read(r, &f)) > 0) {
			int have = row < t.n_rows && t.src_line[row] == csv_line(r);

			for (size_t i = 0; i < nc; i++) {
				if (i)
					fputc(',', o.fp);
				csv_write_field(o.fp, f[i].s, f[i].len);
			}
			fputc(',', o.fp);
			if (have)
				csv_write_field(o.fp, m->classes[pred[row]], strlen(m->classes[pred[row]]));
			for (size_t k = 0; c->proba && k < K; k++) {
				if (have)
					fprintf(o.fp, ",%.6g", proba[row * K + k]);
				else
					fputc(',', o.fp);
			}
			fputc('\n', o.fp);
			if (have)
				row++;
		}
	}
	csv_free(r);
	if (rc < 0) {
		out_abort(&o);
		goto fail;
	}
	if (out_commit(&o) < 0)
		goto fail;
	free(pred);
	free(proba);
	table_release(&t);
	model_free(m);
	return finish();
fail:
	free(pred);
	free(proba);
	table_release(&t);
	model_free(m);
	return 1;
}

static int cmd_eval(struct cli *c)
{
	ml_model *m;
	table t;
	int32_t *pred;
	report rep;

	need_args(c, 2, 2, "eval", "MODEL DATA.csv");
	m = model_load(c->args[0]);
	if (!m)
		return 1;
	if (load_for_model(m, c->args[1], c, 1, &t) < 0 || no_rows(&t, c->args[1])) {
		model_free(m);
		return 1;
	}
	pred = xcalloc(t.n_rows + 1, sizeof(int32_t));
	model_predict_mt(m, t.X, t.n_rows, c->threads, pred);
	report_compute(&rep, t.y, pred, t.n_rows, t.n_classes);
	if (c->json) {
		report_print_json(stdout, &rep, (const char *const *)t.classes);
	} else {
		report_print_text(stdout, &rep, (const char *const *)t.classes, 4);
		printf("\nconfusion matrix (rows: true, columns: predicted)\n");
		report_print_confusion(stdout, &rep, (const char *const *)t.classes);
	}
	report_release(&rep);
	free(pred);
	table_release(&t);
	model_free(m);
	return finish();
}

struct imp_row {
	size_t f;
	double mdi, mean, sd;
};

static int by_importance(const void *a, const void *b)
{
	const struct imp_row *x = a, *y = b;
	double kx = isnan(x->mean) ? x->mdi : x->mean, ky = isnan(y->mean) ? y->mdi : y->mean;

	if (kx != ky)
		return kx < ky ? 1 : -1;
	return x->f < y->f ? -1 : x->f > y->f;
}

static int cmd_importance(struct cli *c)
{
	ml_model *m;
	size_t F;
	double *mdi;
	struct imp_row *rows;
	int have_data = 0;

	need_args(c, 1, 2, "importance", "MODEL [DATA.csv]");
	m = model_load(c->args[0]);
	if (!m)
		return 1;
	F = m->n_features;
	mdi = xcalloc(F, sizeof(double));
	model_importances(m, mdi);
	rows = xcalloc(F, sizeof(*rows));
	for (size_t f = 0; f < F; f++)
		rows[f] = (struct imp_row){ f, mdi[f], NAN, NAN };
	if (c->n_args == 2) {
		table t;
		int32_t *pred;
		double base;
		float *save;

		if (load_for_model(m, c->args[1], c, 1, &t) < 0 || no_rows(&t, c->args[1])) {
			free(rows);
			free(mdi);
			model_free(m);
			return 1;
		}
		have_data = 1;
		pred = xcalloc(t.n_rows + 1, sizeof(int32_t));
		save = xcalloc(t.n_rows + 1, sizeof(float));
		model_predict_mt(m, t.X, t.n_rows, c->threads, pred);
		base = report_accuracy(t.y, pred, t.n_rows);
		for (size_t f = 0; f < F; f++) {
			float *col = t.X + f * t.n_rows;
			double s = 0, s2 = 0;

			memcpy(save, col, t.n_rows * sizeof(float));
			for (int rep = 0; rep < c->repeats; rep++) {
				rng r;
				double d;

				rng_seed(&r, rng_derive(c->fo.seed, f * 1000 + (size_t)rep));
				memcpy(col, save, t.n_rows * sizeof(float));
				for (size_t i = t.n_rows; i > 1; i--) {
					size_t j = (size_t)rng_below(&r, i);
					float tmp = col[i - 1];

					col[i - 1] = col[j];
					col[j] = tmp;
				}
				model_predict_mt(m, t.X, t.n_rows, c->threads, pred);
				d = base - report_accuracy(t.y, pred, t.n_rows);
				s += d;
				s2 += d * d;
			}
			memcpy(col, save, t.n_rows * sizeof(float));
			rows[f].mean = s / c->repeats;
			rows[f].sd = sqrt(fmax(0, s2 / c->repeats - rows[f].mean * rows[f].mean));
		}
		free(save);
		free(pred);
		table_release(&t);
	}
	qsort(rows, F, sizeof(*rows), by_importance);
	if (have_data)
		printf("%-4s %-32s %10s %12s %10s\n", "rank", "feature", "mdi", "permutation", "sd");
	else
		printf("%-4s %-32s %10s\n", "rank", "feature", "mdi");
	for (size_t i = 0; i < F; i++) {
		printf("%-4zu %-32s %10.6f", i + 1, m->features[rows[i].f], rows[i].mdi);
		if (have_data)
			printf(" %12.6f %10.6f", rows[i].mean, rows[i].sd);
		printf("\n");
	}
	free(rows);
	free(mdi);
	model_free(m);
	return finish();
}

static int cmd_info(struct cli *c)
{
	ml_model *m;

	need_args(c, 1, 1, "info", "MODEL");
	m = model_load(c->args[0]);
	if (!m)
		return 1;
	printf("kind: %s\n", model_kind_name(m));
	printf("format version: %u\n", (unsigned)m->format_version);
	printf("written by: %s\n", m->tool_version);
	printf("options: %s\n", m->options);
	printf("seed: %llu\n", (unsigned long long)m->seed);
	printf("training rows: %llu\n", (unsigned long long)m->n_train);
	if (!isnan(m->oob_score))
		printf("oob accuracy: %.6f\n", m->oob_score);
	printf("classes (%zu):", m->n_classes);
	for (size_t k = 0; k < m->n_classes; k++)
		printf("%s %s", k ? "," : "", m->classes[k]);
	printf("\nfeatures (%zu):", m->n_features);
	for (size_t f = 0; f < m->n_features; f++)
		printf("%s %s", f ? "," : "", m->features[f]);
	printf("\n");
	if (m->kind == MODEL_FOREST) {
		size_t nodes = 0, leaves = 0, mn = SIZE_MAX, mx = 0;
		int depth = 0;

		for (size_t i = 0; i < m->n_trees; i++) {
			const tree *t = m->trees[i];
			int d = tree_depth(t);

			nodes += t->n_nodes;
			leaves += tree_n_leaves(t);
			if (t->n_nodes < mn)
				mn = t->n_nodes;
			if (t->n_nodes > mx)
				mx = t->n_nodes;
			if (d > depth)
				depth = d;
		}
		printf("trees: %zu\n", m->n_trees);
		printf("nodes: %zu total, %zu leaves, %.1f per tree (min %zu, max %zu)\n", nodes, leaves,
		       (double)nodes / (double)m->n_trees, mn, mx);
		printf("max depth: %d\n", depth);
		for (size_t i = 0; c->dump && i < m->n_trees; i++) {
			const tree *t = m->trees[i];

			for (size_t n = 0; n < t->n_nodes; n++) {
				const tree_node *nd = &t->nodes[n];

				printf("node %zu %zu", i, n);
				if (nd->left == TREE_LEAF)
					printf(" leaf");
				else
					printf(" %d %.9g %d %d", nd->feature, (double)nd->threshold, nd->left,
					       nd->right);
				printf(" n=%u w=%.17g gini=%.17g value=", nd->n_samples, nd->weighted,
				       nd->impurity);
				for (size_t k = 0; k < m->n_classes; k++)
					printf("%s%.17g", k ? "," : "", t->value[n * m->n_classes + k]);
				printf("\n");
			}
		}
	} else {
		printf("solver: %d (%s), C=%g, bias=%g, weight vectors: %d, probabilities: %s\n",
		       m->lin.solver, m->lin.solver == 0 ? "L2R_LR" : "L2R_L2LOSS_SVC_DUAL", m->lin.C,
		       m->lin.bias, m->lin.nr_w, m->lin.probability ? "yes" : "no (one-hot)");
	}
	model_free(m);
	return finish();
}

int main(int argc, char **argv)
{
	static const struct option top[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c;
	const char *cmd;
	int o;

	util_set_progname("forest");
	out_install_signals();
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+hV", top, NULL)) != -1) {
		switch (o) {
		case 'h':
			fputs(usage_text, stdout);
			return finish();
		case 'V':
			printf("forest %s\n", TOOLKIT_VERSION);
			return finish();
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		die_usage("missing command (train, predict, eval, importance or info)");
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	parse_cli(&c, argc, argv, cmd);
	if (!strcmp(cmd, "train"))
		return cmd_train(&c);
	if (!strcmp(cmd, "predict"))
		return cmd_predict(&c);
	if (!strcmp(cmd, "eval"))
		return cmd_eval(&c);
	if (!strcmp(cmd, "importance"))
		return cmd_importance(&c);
	if (!strcmp(cmd, "info"))
		return cmd_info(&c);
	die_usage("unknown command '%s' (train, predict, eval, importance or info)", cmd);
}
