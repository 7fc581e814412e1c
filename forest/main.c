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
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"Usage: forest COMMAND [options] ARGS...\n"
	"Train and apply random forest (scikit-learn RandomForestClassifier parity) and\n"
	"LIBLINEAR models on labelled flow CSVs. Options may come before or after the\n"
	"command; an option of another command is an error.\n"
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
	"predict options:\n"
	"      --proba               add one probability column per class\n"
	"eval options:\n"
	"      --json                one JSON object instead of text\n"
	"importance options:\n"
	"      --repeats N           permutation repeats (default 5)\n"
	"info options:\n"
	"      --dump                every node (tree, node, feature, threshold, children,\n"
	"                            rows, weight, impurity, weighted class counts)\n"
	"\n"
	"Options of several commands:\n"
	"  -o, --output FILE         predict, eval, importance, info: write to FILE\n"
	"                            (default stdout); never over an input\n"
	"      --label-column NAME   train, eval, importance: label column (default Label;\n"
	"                            --label NAME is the same)\n"
	"      --nonfinite POLICY    train, predict, eval, importance: NaN/Infinity in\n"
	"                            features: error (default), drop, zero, clip\n"
	"  -j, --threads N           train, predict, eval, importance: worker threads\n"
	"                            (default: all cores, at most 256)\n"
	"      --seed S              train, importance: random seed (default 0)\n"
	"  -q, --quiet               no progress line\n"
	"  -h, --help                show this help and exit\n"
	"  -V, --version             show the version and exit\n";

enum {
	OPT_LABEL = 256, OPT_FEATURES, OPT_EXCLUDE, OPT_TREES, OPT_MAXF, OPT_MAXD, OPT_MSL, OPT_MSS,
	OPT_CW, OPT_BOOT, OPT_NOBOOT, OPT_OOB, OPT_HIST, OPT_LINEAR, OPT_C, OPT_SOLVER, OPT_PROBA,
	OPT_JSON, OPT_REPEATS, OPT_SEED, OPT_NONFINITE, OPT_KEEPID, OPT_DUMP,
};

/* Commands, in the order of their scope bits. */
enum { CMD_TRAIN, CMD_PREDICT, CMD_EVAL, CMD_IMPORTANCE, CMD_INFO, N_CMDS };
static const char *const cmd_names[N_CMDS] = { "train", "predict", "eval", "importance", "info" };
#define TRAIN (1u << CMD_TRAIN)
#define PREDICT (1u << CMD_PREDICT)
#define EVAL (1u << CMD_EVAL)
#define IMPORTANCE (1u << CMD_IMPORTANCE)
#define INFO (1u << CMD_INFO)
#define ALL_CMDS (TRAIN | PREDICT | EVAL | IMPORTANCE | INFO)
#define DATA_CMDS (TRAIN | PREDICT | EVAL | IMPORTANCE)

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "output", required_argument, NULL, 'o' },
	CLI_OPTION_THREADS,
	{ "quiet", no_argument, NULL, 'q' },
	CLI_OPTIONS_LABEL_COLUMN(OPT_LABEL),
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

/* The commands each option belongs to. */
static unsigned option_scope(int val)
{
	switch (val) {
	case 'o':
	case 'q':
		return ALL_CMDS;
	case 'j':
	case OPT_NONFINITE:
		return DATA_CMDS;
	case OPT_LABEL:
		return TRAIN | EVAL | IMPORTANCE;
	case OPT_SEED:
		return TRAIN | IMPORTANCE;
	case OPT_PROBA:
		return PREDICT;
	case OPT_JSON:
		return EVAL;
	case OPT_REPEATS:
		return IMPORTANCE;
	case OPT_DUMP:
		return INFO;
	default:
		return TRAIN;
	}
}

struct cli {
	const char *output, *label, *features, *exclude, *max_features, *solver;
	int threads, quiet, linear, proba, json, repeats, keep_ids, dump;
	double C;
	enum table_nonfinite nonfinite;
	forest_opts fo;
	int cmd;
	char *args[4];
	int n_args;
};

static int find_command(const char *name)
{
	for (int i = 0; i < N_CMDS; i++)
		if (!strcmp(name, cmd_names[i]))
			return i;
	die_usage("unknown command '%s' (train, predict, eval, importance or info)", name);
}

/*
 * The whole command line at once: options before and after the command (the
 * first argument that is not an option), each checked against the command's
 * scope once the command is known.
 */
static void parse_cli(struct cli *c, int argc, char **argv)
{
	struct seen { int val; const char *name; } *seen = xcalloc((size_t)argc + 1, sizeof(*seen));
	int o, longindex, n_seen = 0;

	memset(c, 0, sizeof(*c));
	c->label = CLI_LABEL_COLUMN_DEFAULT;
	c->threads = cli_default_threads();
	c->C = 1.0;
	c->solver = "lr";
	c->repeats = 5;
	forest_opts_default(&c->fo);
	opterr = 0;
	while ((longindex = -1, o = getopt_long(argc, argv, ":ho:j:qV", long_opts, &longindex)) != -1) {
		/* the spelling shown in messages: the long name used, or -c */
		const char *name = longindex >= 0 ? long_opts[longindex].name : NULL;

		switch (o) {
		case 'h':
			fputs(usage_text, stdout);
			exit(close_stdout() ? 1 : 0);
		case 'V':
			printf("forest %s\n", TOOLKIT_VERSION);
			exit(close_stdout() ? 1 : 0);
		case ':':
		case '?':
			cli_getopt_error(o, argv, long_opts);
		}
		seen[n_seen].val = o;
		seen[n_seen++].name = name;
		switch (o) {
		case 'o':
			c->output = optarg;
			break;
		case 'j':
			c->threads = cli_threads(name ? "--threads" : "-j", optarg);
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
			c->fo.n_trees = cli_int("--trees", optarg, 1, 100000);
			break;
		case OPT_MAXF:
			c->max_features = optarg;
			break;
		case OPT_MAXD:
			c->fo.max_depth = cli_int("--max-depth", optarg, 1, 100000);
			break;
		case OPT_MSL:
			c->fo.min_samples_leaf = cli_int("--min-samples-leaf", optarg, 1, INT32_MAX);
			break;
		case OPT_MSS:
			c->fo.min_samples_split = cli_int("--min-samples-split", optarg, 2, INT32_MAX);
			break;
		case OPT_CW:
			if (strcmp(optarg, "balanced") && strcmp(optarg, "none"))
				cli_bad_value("--class-weight", optarg, "balanced or none");
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
			c->fo.hist_min = (size_t)cli_int("--hist-min", optarg, 0, INT32_MAX);
			break;
		case OPT_LINEAR:
			c->linear = 1;
			break;
		case OPT_C:
			c->C = cli_double("--C", optarg, 0, 1, HUGE_VAL, "a number > 0");
			break;
		case OPT_SOLVER:
			if (strcmp(optarg, "lr") && strcmp(optarg, "svm"))
				cli_bad_value("--solver", optarg, "lr or svm");
			c->solver = optarg;
			break;
		case OPT_PROBA:
			c->proba = 1;
			break;
		case OPT_JSON:
			c->json = 1;
			break;
		case OPT_REPEATS:
			c->repeats = cli_int("--repeats", optarg, 1, 1000);
			break;
		case OPT_SEED:
			c->fo.seed = cli_uint64("--seed", optarg);
			break;
		case OPT_NONFINITE:
			c->nonfinite = (enum table_nonfinite)cli_nonfinite("--nonfinite", optarg,
									   CLI_NONFINITE_NUMERIC);
			break;
		}
	}
	if (optind >= argc)
		die_usage("missing command (train, predict, eval, importance or info)");
	c->cmd = find_command(argv[optind]);
	for (int i = 0; i < n_seen; i++) {
		char shortname[3] = { '-', (char)seen[i].val, '\0' };
		char longname[64];
		const char *shown = shortname;

		if (seen[i].name) {
			snprintf(longname, sizeof(longname), "--%s", seen[i].name);
			shown = longname;
		}
		cli_option_scope(shown, option_scope(seen[i].val), (size_t)c->cmd, cmd_names, N_CMDS);
	}
	free(seen);
	for (int i = optind + 1; i < argc; i++) {
		if (c->n_args == 4)
			die_usage("%s: too many arguments", cmd_names[c->cmd]);
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

/* Every input noted, the output checked, before any work: refusal exits 2. */
static void check_outputs(const struct cli *c)
{
	note_inputs(c);
	if (c->output && out_check(c->output) < 0)
		exit(2);
}

/* The report of eval, importance and info: -o FILE or standard output. */
static FILE *open_report(const struct cli *c, outfile *o)
{
	return out_open(o, c->output ? c->output : "-") < 0 ? NULL : o->fp;
}

static int close_report(outfile *o)
{
	if (out_commit(o) < 0)
		return 1;
	return finish();
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
	check_outputs(c);
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

	model_table_opts(m, &to);
	to.label = c->label;
	to.label_optional = !need_label;
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

/* forest predict's output, batch by batch (table_opts.on_batch). */
struct pred_out {
	const ml_model *m;
	const struct cli *c;
	FILE *fp;
	int32_t *pred;
	double *proba;
	char **cname;	/* each class as written in a CSV field */
	size_t *clen;
	int header;	/* written */
	/* --threads 2 and more: the batch being predicted and written by th
	 * while table_load parses the next one */
	pthread_t th;
	int running;
	const float *X;
	size_t n_rows;
	table_batch b;
};

static void predict_header(struct pred_out *po, const table_batch *b)
{
	FILE *fp = po->fp;

	for (size_t i = 0; i < b->n_header; i++) {
		if (i)
			fputc(',', fp);
		csv_write_field(fp, b->header[i], strlen(b->header[i]));
	}
	fputs(b->n_header ? ",Predicted" : "Predicted", fp);
	for (size_t k = 0; po->c->proba && k < po->m->n_classes; k++) {
		char name[512];

		snprintf(name, sizeof(name), "Proba %s", po->m->classes[k]);
		fputc(',', fp);
		csv_write_field(fp, name, strlen(name));
	}
	fputc('\n', fp);
	po->header = 1;
}

/* Predict a batch's rows and write its records, each with its prediction (dropped rows: empty). */
static void write_batch(struct pred_out *po, const float *X, size_t n_rows, const table_batch *b)
{
	size_t K = po->m->n_classes;
	FILE *fp = po->fp;

	if (!po->header)
		predict_header(po, b);
	if (n_rows)
		model_predict_proba_mt(po->m, X, n_rows, po->c->threads, po->proba, po->pred);
	for (size_t i = 0; i < b->n_recs; i++) {
		int64_t r = b->row[i];

		fwrite(b->text + b->off[i], 1, b->off[i + 1] - b->off[i], fp);
		putc(',', fp);
		if (r >= 0)
			fwrite(po->cname[po->pred[r]], 1, po->clen[po->pred[r]], fp);
		for (size_t k = 0; po->c->proba && k < K; k++) {
			if (r >= 0)
				fprintf(fp, ",%.6g", po->proba[(size_t)r * K + k]);
			else
				fputc(',', fp);
		}
		putc('\n', fp);
	}
}

static int predict_batch(void *ctx, const table *t, const table_batch *b)
{
	write_batch(ctx, t->X, t->n_rows, b);
	return 0;
}

static void *predict_job(void *arg)
{
	struct pred_out *po = arg;

	write_batch(po, po->X, po->n_rows, &po->b);
	return NULL;
}

/*
 * With threads: the previous batch is finished, then this one goes to a
 * thread of its own (table_load keeps its buffers until the next call), so
 * the parse of the next batch runs beside the prediction; the batches are
 * still written in order. NULL t: finish the last one.
 */
static int predict_batch_async(void *ctx, const table *t, const table_batch *b)
{
	struct pred_out *po = ctx;

	if (po->running) {
		pthread_join(po->th, NULL);
		po->running = 0;
	}
	if (!t)
		return 0;
	po->X = t->X;
	po->n_rows = t->n_rows;
	po->b = *b;
	if (pthread_create(&po->th, NULL, predict_job, po))
		predict_job(po);
	else
		po->running = 1;
	return 0;
}

/*
 * Records a batch of forest predict parses, predicts and writes at a time:
 * 8192 (2.5 MB of 78 features, in L2/L3 as it is predicted), with threads
 * 32768 times the threads (each thread's share many chunks long, so none
 * waits long for the last chunk).
 */
#define PREDICT_BATCH 8192
/* at most this many bytes of feature values a batch (a wide CSV: fewer rows) */
#define PREDICT_BATCH_BYTES ((size_t)32 << 20)

static int cmd_predict(struct cli *c)
{
	ml_model *m;
	table t;
	table_opts to;
	struct pred_out po = { 0 };
	outfile o;
	size_t K, batch = c->threads > 1 ? (size_t)32768 * (size_t)c->threads : PREDICT_BATCH;
	int rc = 1;

	need_args(c, 2, 2, "predict", "MODEL DATA.csv");
	check_outputs(c);
	m = model_load(c->args[0]);
	if (!m)
		return 1;
	K = m->n_classes;
	{
		size_t cap = PREDICT_BATCH_BYTES / st_mult(m->n_features ? m->n_features : 1, sizeof(float));

		cap = st_mult(cap ? cap : 1, c->threads > 1 ? (size_t)c->threads : 1);
		if (batch > cap)
			batch = cap;
	}
	if (out_open(&o, c->output ? c->output : "-") < 0) {
		model_free(m);
		return 1;
	}
	po.m = m;
	po.c = c;
	po.fp = o.fp;
	po.pred = xcalloc(batch + 1, sizeof(int32_t));
	if (c->proba)
		po.proba = xcalloc(st_mult(batch + 1, K), sizeof(double));
	po.cname = xcalloc(K, sizeof(char *));
	po.clen = xcalloc(K, sizeof(size_t));
	for (size_t k = 0; k < K; k++) {
		FILE *mf = open_memstream(&po.cname[k], &po.clen[k]);

		if (!mf)
			die("out of memory");
		csv_write_field(mf, m->classes[k], strlen(m->classes[k]));
		fclose(mf);
	}
	/* one pass: each batch of rows parsed, predicted and written out */
	model_table_opts(m, &to);
	to.label = NULL;
	to.label_optional = 1;
	to.nonfinite = c->nonfinite;
	to.batch_rows = batch;
	to.on_batch = c->threads > 1 ? predict_batch_async : predict_batch;
	to.batch_keep = c->threads > 1;
	to.ctx = &po;
	if (table_load(&t, c->args[1], &to) < 0) {
		out_abort(&o);
	} else {
		print_nonfinite(&t);
		table_release(&t);
		rc = out_commit(&o) < 0;
	}
	table_free_strs(po.cname, K);
	free(po.clen);
	free(po.pred);
	free(po.proba);
	model_free(m);
	return rc ? 1 : finish();
}

static int cmd_eval(struct cli *c)
{
	ml_model *m;
	table t;
	int32_t *pred;
	report rep;
	outfile o;
	FILE *out;

	need_args(c, 2, 2, "eval", "MODEL DATA.csv");
	check_outputs(c);
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
	if (!(out = open_report(c, &o))) {
		report_release(&rep);
		free(pred);
		table_release(&t);
		model_free(m);
		return 1;
	}
	if (c->json) {
		report_print_json(out, &rep, (const char *const *)t.classes);
	} else {
		report_print_text(out, &rep, (const char *const *)t.classes, 4);
		fprintf(out, "\nconfusion matrix (rows: true, columns: predicted)\n");
		report_print_confusion(out, &rep, (const char *const *)t.classes);
	}
	report_release(&rep);
	free(pred);
	table_release(&t);
	model_free(m);
	return close_report(&o);
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
	outfile o;
	FILE *out;

	need_args(c, 1, 2, "importance", "MODEL [DATA.csv]");
	check_outputs(c);
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
	if (!(out = open_report(c, &o))) {
		free(rows);
		free(mdi);
		model_free(m);
		return 1;
	}
	if (have_data)
		fprintf(out, "%-4s %-32s %10s %12s %10s\n", "rank", "feature", "mdi", "permutation", "sd");
	else
		fprintf(out, "%-4s %-32s %10s\n", "rank", "feature", "mdi");
	for (size_t i = 0; i < F; i++) {
		fprintf(out, "%-4zu %-32s %10.6f", i + 1, m->features[rows[i].f], rows[i].mdi);
		if (have_data)
			fprintf(out, " %12.6f %10.6f", rows[i].mean, rows[i].sd);
		fprintf(out, "\n");
	}
	free(rows);
	free(mdi);
	model_free(m);
	return close_report(&o);
}

static int cmd_info(struct cli *c)
{
	ml_model *m;
	outfile o;
	FILE *out;

	need_args(c, 1, 1, "info", "MODEL");
	check_outputs(c);
	m = model_load(c->args[0]);
	if (!m)
		return 1;
	if (!(out = open_report(c, &o))) {
		model_free(m);
		return 1;
	}
	fprintf(out, "kind: %s\n", model_kind_name(m));
	fprintf(out, "format version: %u\n", (unsigned)m->format_version);
	fprintf(out, "written by: %s\n", m->tool_version);
	fprintf(out, "options: %s\n", m->options);
	fprintf(out, "seed: %llu\n", (unsigned long long)m->seed);
	fprintf(out, "training rows: %llu\n", (unsigned long long)m->n_train);
	if (!isnan(m->oob_score))
		fprintf(out, "oob accuracy: %.6f\n", m->oob_score);
	fprintf(out, "classes (%zu):", m->n_classes);
	for (size_t k = 0; k < m->n_classes; k++)
		fprintf(out, "%s %s", k ? "," : "", m->classes[k]);
	fprintf(out, "\nfeatures (%zu):", m->n_features);
	for (size_t f = 0; f < m->n_features; f++)
		fprintf(out, "%s %s", f ? "," : "", m->features[f]);
	fprintf(out, "\n");
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
		fprintf(out, "trees: %zu\n", m->n_trees);
		fprintf(out, "nodes: %zu total, %zu leaves, %.1f per tree (min %zu, max %zu)\n", nodes, leaves,
		       (double)nodes / (double)m->n_trees, mn, mx);
		fprintf(out, "max depth: %d\n", depth);
		for (size_t i = 0; c->dump && i < m->n_trees; i++) {
			const tree *t = m->trees[i];

			for (size_t n = 0; n < t->n_nodes; n++) {
				const tree_node *nd = &t->nodes[n];

				fprintf(out, "node %zu %zu", i, n);
				if (nd->left == TREE_LEAF)
					fprintf(out, " leaf");
				else
					fprintf(out, " %d %.9g %d %d", nd->feature, (double)nd->threshold, nd->left,
					       nd->right);
				fprintf(out, " n=%u w=%.17g gini=%.17g value=", nd->n_samples, nd->weighted,
				       nd->impurity);
				for (size_t k = 0; k < m->n_classes; k++)
					fprintf(out, "%s%.17g", k ? "," : "", t->value[n * m->n_classes + k]);
				fprintf(out, "\n");
			}
		}
	} else {
		fprintf(out, "solver: %d (%s), C=%g, bias=%g, weight vectors: %d, probabilities: %s\n",
		       m->lin.solver, m->lin.solver == 0 ? "L2R_LR" : "L2R_L2LOSS_SVC_DUAL", m->lin.C,
		       m->lin.bias, m->lin.nr_w, m->lin.probability ? "yes" : "no (one-hot)");
	}
	model_free(m);
	return close_report(&o);
}

int main(int argc, char **argv)
{
	static int (*const run[N_CMDS])(struct cli *) = {
		cmd_train, cmd_predict, cmd_eval, cmd_importance, cmd_info,
	};
	struct cli c;

	util_set_progname("forest");
	out_install_signals();
	parse_cli(&c, argc, argv);
	return run[c.cmd](&c);
}
