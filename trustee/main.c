/*
 * trustee: distill a trained model into a small decision tree and show its
 * rules (Trustee, Jacobs et al., CCS 2022). See docs/trustee.md.
 *
 *   trustee explain MODEL DATA.csv [options]   the explanation (text, JSON, DOT, SVG)
 *   trustee report MODEL DATA.csv [options]    top features/nodes/branches, pruning analysis
 *   ... DATA.csv --predictions P.csv | --predictions-column NAME | --expert-cmd 'CMD'
 *                                              the same for a model known by its answers
 *   trustee check MODEL TRAIN.csv [options]    remove the top feature, retrain, compare (check.c)
 */
#include "check.h"
#include "explain.h"
#include "input.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: trustee explain MODEL DATA.csv [options]\n"
	"       trustee explain DATA.csv --predictions PRED.csv [options]\n"
	"       trustee explain DATA.csv --predictions-column NAME [options]\n"
	"       trustee explain DATA.csv --expert-cmd 'CMD' [options]\n"
	"       trustee report ... (the same ways)\n"
	"       trustee check MODEL TRAIN.csv [--test TEST.csv] [options]\n"
	"Distill a model into a small decision tree (Trustee) and show what it\n"
	"keys on. The model is a file made by `forest train`, or any model at all\n"
	"through its answers: a predictions file, a column of DATA, or a command.\n"
	"\n"
	"  explain   fidelity report, agreement, reward, the pruned tree as rules,\n"
	"            the top branches and shortcut hints\n"
	"  report    top features, top nodes, top branches of the best tree and a\n"
	"            pruning analysis (top-k 1..10, max depth 1..10)\n"
	"  check     remove the feature the explanation rests on, retrain, explain\n"
	"            again, and compare (`trustee check --help`)\n"
	"\n"
	"The expert (the model explained) without a model file:\n"
	"      --predictions FILE   its answer for every row of DATA, in order, in\n"
	"                           column Predicted (what `forest predict` writes)\n"
	"      --predictions-column NAME\n"
	"                           that column (alone: a column of DATA itself)\n"
	"      --expert-cmd 'CMD'   run CMD with /bin/sh once: the feature columns of\n"
	"                           DATA as CSV on its stdin, one label per line (or\n"
	"                           a CSV with a Predicted column) on its stdout\n"
	"Data:\n"
	"      --label-column NAME  true-label column (default Label; optional);\n"
	"                           --label NAME is the same\n"
	"      --features A,B,...   without a model file: exactly these features\n"
	"      --exclude A,B,...    or every numeric column but these, the label,\n"
	"                           the predictions column and the identifiers\n"
	"      --keep-identifiers   do not leave out Flow ID, Src IP, Dst IP, Timestamp\n"
	"      --nonfinite POLICY   NaN/Infinity in a feature: error (default),\n"
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
	"  -j, --threads N          worker threads (default: all cores, at most 256)\n"
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
	OPT_TOPK, OPT_MAX_LEAVES, OPT_MAX_DEPTH, OPT_SEED, OPT_AGGREGATE, OPT_DOT,
	OPT_SVG, OPT_JSON, OPT_NONFINITE, OPT_EXACT, OPT_HIST_MIN, OPT_PREDICTIONS, OPT_PRED_COLUMN,
	OPT_EXPERT_CMD, OPT_FEATURES, OPT_EXCLUDE, OPT_KEEPID,
};

/* At most this many students (S x N) in one run: the paper's suggestion is 500. */
#define MAX_STUDENTS 100000
/* At most this many rows in Trustee's growing data set D (4 bytes each). */
#define MAX_D_ROWS ((size_t)1 << 30)

struct cli {
	const char *cmd, *model, *data, *label;
	const char *dot, *svg, *json;
	const char *predictions, *pred_column, *expert_cmd;
	const char *features, *exclude;
	int keep_ids;
	explain_opts e;
	int samples_set, frac_set;
	enum table_nonfinite nonfinite;
};

typedef int (*writer_fn)(FILE *fp, const explain_data *d, const explain_opts *o,
			 const explain_info *info, const explain_result *r);

static int write_file(const char *path, writer_fn fn, const struct cli *c, const explain_data *d,
		      const explain_info *info, const explain_result *r)
{
	outfile o;

	if (out_open(&o, path))
		return -1;
	fn(o.fp, d, &c->e, info, r);
	return out_commit(&o);
}

static int cmd_explain(const struct cli *c, const explain_data *d, const explain_info *info)
{
	explain_result r;
	int rc = 0, to_stdout;

	if (explain_run(d, &c->e, &r))
		return -1;
	to_stdout = (c->json && !strcmp(c->json, "-")) || (c->dot && !strcmp(c->dot, "-")) ||
		    (c->svg && !strcmp(c->svg, "-"));
	if (!to_stdout) {
		explain_write_text(stdout, d, &c->e, info, &r);
		fflush(stdout);
	}
	if (c->json && write_file(c->json, explain_write_json, c, d, info, &r))
		rc = -1;
	if (c->dot && write_file(c->dot, explain_write_dot, c, d, info, &r))
		rc = -1;
	if (c->svg && write_file(c->svg, explain_write_svg, c, d, info, &r))
		rc = -1;
	explain_release(&r);
	return rc;
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

/* Which expert, from how many positional arguments and the expert options. */
static void check_expert(struct cli *c, int n_args, char **args)
{
	const char *how = c->predictions ? "--predictions" : c->expert_cmd ? "--expert-cmd" :
			  c->pred_column ? "--predictions-column" : NULL;

	if (c->predictions && c->expert_cmd)
		die_usage("--predictions and --expert-cmd exclude each other (one expert at a time)");
	if (c->pred_column && c->expert_cmd)
		die_usage("--predictions-column goes with --predictions or alone, not with --expert-cmd");
	if (c->expert_cmd && !c->expert_cmd[0])
		die_usage("--expert-cmd needs a command");
	if (c->pred_column && !c->pred_column[0])
		die_usage("--predictions-column needs a column name");
	if (!how) {
		if (n_args < 2)
			die_usage("%s needs MODEL and DATA.csv (or DATA.csv with --predictions, "
				  "--predictions-column or --expert-cmd)", c->cmd);
		if (n_args > 2)
			die_usage("unexpected argument '%s'", args[2]);
		c->model = args[0];
		c->data = args[1];
		if (c->features || c->exclude || c->keep_ids)
			die_usage("--features, --exclude and --keep-identifiers choose the features "
				  "without a model file (a model uses its own)");
		return;
	}
	if (n_args < 1)
		die_usage("%s needs DATA.csv", c->cmd);
	if (n_args > 1)
		die_usage("%s explains DATA.csv without a model file: give MODEL or %s, not both "
			  "(unexpected argument '%s')", how, how, args[1]);
	c->data = args[0];
	if (!strcmp(c->data, "-"))
		die_usage("DATA.csv must be a file with %s (it is read twice)", how);
	if (c->features && c->exclude)
		die_usage("--features and --exclude cannot be combined");
	if (!c->pred_column)
		c->pred_column = "Predicted";
	if (!c->predictions && !c->expert_cmd) {
		if (!strcmp(c->pred_column, c->label))
			die_usage("--predictions-column and --label-column both name '%s'", c->label);
		if (c->features) {
			const char *f = c->features;
			size_t n = strlen(c->pred_column);

			while (f) {
				if (!strncmp(f, c->pred_column, n) && (f[n] == ',' || !f[n]))
					die_usage("--features names '%s', the predictions column: the "
						  "expert's answers are never a feature", c->pred_column);
				f = strchr(f, ',');
				f = f ? f + 1 : NULL;
			}
		}
	}
}

static void parse_cli(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "label-column", required_argument, NULL, OPT_LABEL },
		{ "samples", required_argument, NULL, OPT_SAMPLES },
		{ "samples-frac", required_argument, NULL, OPT_SAMPLES_FRAC },
		{ "iter", required_argument, NULL, OPT_ITER },
		{ "stability-iter", required_argument, NULL, OPT_STAB },
		{ "train-size", required_argument, NULL, OPT_TRAIN_SIZE },
		{ "top-k", required_argument, NULL, OPT_TOPK },
		{ "max-leaves", required_argument, NULL, OPT_MAX_LEAVES },
		{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
		{ "threads", required_argument, NULL, 'j' },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "aggregate", required_argument, NULL, OPT_AGGREGATE },
		{ "dot", required_argument, NULL, OPT_DOT },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "nonfinite", required_argument, NULL, OPT_NONFINITE },
		{ "exact", no_argument, NULL, OPT_EXACT },
		{ "hist-min", required_argument, NULL, OPT_HIST_MIN },
		{ "predictions", required_argument, NULL, OPT_PREDICTIONS },
		{ "predictions-column", required_argument, NULL, OPT_PRED_COLUMN },
		{ "expert-cmd", required_argument, NULL, OPT_EXPERT_CMD },
		{ "features", required_argument, NULL, OPT_FEATURES },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "keep-identifiers", no_argument, NULL, OPT_KEEPID },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, n_stdout = 0;

	memset(c, 0, sizeof(*c));
	c->label = "Label";
	explain_opts_default(&c->e);
	c->e.d.threads = default_threads();
	c->e.d.progress = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hVj:", opts, NULL)) != -1) {
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
			c->e.d.samples = (size_t)int_arg("--samples", optarg, 2);
			c->samples_set = 1;
			break;
		case OPT_SAMPLES_FRAC:
			c->e.d.samples_frac = frac_arg("--samples-frac", optarg, 1);
			c->frac_set = 1;
			break;
		case OPT_ITER:
			c->e.d.iter = int_arg("--iter", optarg, 1);
			break;
		case OPT_STAB:
			c->e.d.stability_iter = int_arg("--stability-iter", optarg, 1);
			break;
		case OPT_TRAIN_SIZE:
			c->e.d.train_size = frac_arg("--train-size", optarg, 0);
			break;
		case OPT_TOPK:
			c->e.d.top_k = (size_t)int_arg("--top-k", optarg, 1);
			break;
		case OPT_MAX_LEAVES:
			c->e.max_leaves = int_arg("--max-leaves", optarg, 2);
			break;
		case OPT_MAX_DEPTH:
			c->e.max_depth = int_arg("--max-depth", optarg, 1);
			break;
		case 'j':
			if (parse_int(optarg, 1, 256, &c->e.d.threads))
				die_usage("invalid --threads value '%s' (expected an integer from 1 to 256)",
					  optarg);
			break;
		case OPT_SEED:
			if (parse_uint64(optarg, &c->e.d.seed))
				die_usage("invalid --seed value '%s' (expected an unsigned integer)", optarg);
			break;
		case OPT_AGGREGATE:
			if (!strcmp(optarg, "all"))
				c->e.d.aggregate = DISTILL_AGG_ALL;
			else if (!strcmp(optarg, "misclassified"))
				c->e.d.aggregate = DISTILL_AGG_MISCLASSIFIED;
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
			c->e.exact = 1;
			break;
		case OPT_HIST_MIN:
			c->e.hist_min = (size_t)int_arg("--hist-min", optarg, 1);
			break;
		case OPT_NONFINITE:
			if (table_parse_nonfinite(optarg, &c->nonfinite))
				die_usage("invalid --nonfinite value '%s' (expected error, drop, zero or clip)",
					  optarg);
			break;
		case OPT_PREDICTIONS:
			c->predictions = optarg;
			break;
		case OPT_PRED_COLUMN:
			c->pred_column = optarg;
			break;
		case OPT_EXPERT_CMD:
			c->expert_cmd = optarg;
			break;
		case OPT_FEATURES:
			c->features = optarg;
			break;
		case OPT_EXCLUDE:
			c->exclude = optarg;
			break;
		case OPT_KEEPID:
			c->keep_ids = 1;
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
	if ((long long)c->e.d.iter * c->e.d.stability_iter > MAX_STUDENTS)
		die_usage("--iter %d x --stability-iter %d = %lld students is too many (at most %d; "
			  "Trustee's default is 5 x 50 = 250)", c->e.d.iter, c->e.d.stability_iter,
			  (long long)c->e.d.iter * c->e.d.stability_iter, MAX_STUDENTS);
	if (optind >= argc)
		die_usage("missing command (explain or report)");
	c->cmd = argv[optind++];
	if (strcmp(c->cmd, "explain") && strcmp(c->cmd, "report"))
		die_usage("unknown command '%s' (expected explain or report)", c->cmd);
	check_expert(c, argc - optind, argv + optind);
	if (!strcmp(c->cmd, "report") && (c->dot || c->svg || c->json))
		die_usage("--json, --dot and --svg belong to explain");
}

/* Inputs first, then every output: none may be an input or another output (exit 2). */
static void check_files(const struct cli *c)
{
	out_note_input(c->model);
	out_note_input(c->data);
	out_note_input(c->predictions);
	if ((c->json && out_check(c->json)) || (c->dot && out_check(c->dot)) ||
	    (c->svg && out_check(c->svg)))
		exit(2);
}

/* Trustee's data set D grows by the held-out part of every draw: refuse a size beyond MAX_D_ROWS. */
static void check_work(const struct cli *c, size_t n_rows)
{
	const distill_opts *o = &c->e.d;
	size_t pool = distill_train_count(n_rows, o->train_size);
	size_t m = o->samples_frac > 0 ? distill_train_count(pool, o->samples_frac) : o->samples;
	size_t held = m - distill_train_count(m, o->train_size);
	double rows = (double)pool + (double)held * o->iter * o->stability_iter;

	if (o->aggregate != DISTILL_AGG_NONE && rows > (double)MAX_D_ROWS)
		die_usage("--iter %d x --stability-iter %d students would grow Trustee's data set to "
			  "%.0f rows (%.1f GB); at most %zu rows: ask for fewer iterations or samples",
			  o->iter, o->stability_iter, rows, rows * 4 / 1e9, MAX_D_ROWS);
}

static char *quoted(const char *what, const char *s)
{
	size_t n = strlen(what) + strlen(s) + 4;
	char *r = xmalloc(n);

	snprintf(r, n, "%s '%s'", what, s);
	return r;
}

int main(int argc, char **argv)
{
	struct cli c;
	input in;
	input_opts io;
	explain_data d;
	explain_info info;
	tree_bins *bins;
	char *what = NULL;
	int rc;

	util_set_progname("trustee");
	out_install_signals();
	if (argc > 1 && !strcmp(argv[1], "check"))
		return check_main(argc - 1, argv + 1);
	parse_cli(argc, argv, &c);
	check_files(&c);
	memset(&io, 0, sizeof(io));
	io.kind = c.model ? EXPERT_MODEL : c.expert_cmd ? EXPERT_COMMAND : EXPERT_PREDICTIONS;
	io.model = c.model;
	io.predictions = c.predictions;
	io.column = c.pred_column;
	io.command = c.expert_cmd;
	io.data = c.data;
	io.label = c.label;
	io.features = c.features;
	io.exclude = c.exclude;
	io.keep_identifiers = c.keep_ids;
	io.nonfinite = c.nonfinite;
	io.threads = c.e.d.threads;
	if (input_open(&in, &io))
		return 1;
	check_work(&c, in.n_rows);
	d.X = in.X;
	d.n_rows = in.n_rows;
	d.n_features = in.n_features;
	d.features = (const char *const *)in.features;
	d.expert = in.expert;
	d.n_classes = in.n_classes;
	d.classes = (const char *const *)in.classes;
	d.truth = in.truth;
	d.n_truth_classes = in.n_truth_classes;
	memset(&info, 0, sizeof(info));
	info.data = c.data;
	info.label = c.label;
	info.n_dropped = in.n_dropped;
	if (c.model) {
		info.model = c.model;
		info.model_kind = in.model_kind;
		info.expert_kind = in.model_kind;
		info.expert_file = c.model;
	} else if (c.expert_cmd) {
		info.expert_kind = "command";
		info.expert_command = c.expert_cmd;
		info.expert_what = what = quoted("command", c.expert_cmd);
	} else {
		info.expert_kind = "predictions";
		info.expert_file = c.predictions ? c.predictions : c.data;
		info.expert_column = c.pred_column;
		if (c.predictions) {
			info.expert_what = what = quoted("predictions", c.predictions);
		} else {
			size_t n = strlen(c.pred_column) + strlen(c.data) + 32;

			what = xmalloc(n);
			snprintf(what, n, "predictions column '%s' of '%s'", c.pred_column, c.data);
			info.expert_what = what;
		}
	}
	bins = explain_bins(&d, &c.e);
	c.e.bins = bins;
	rc = !strcmp(c.cmd, "explain") ? cmd_explain(&c, &d, &info) : explain_report(stdout, &d, &c.e, &info);
	tree_bins_free(bins);
	input_release(&in);
	free(what);
	if (rc)
		return 1;
	return close_stdout() ? 1 : 0;
}
