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
#include "cli.h"
#include "explain.h"
#include "input.h"
#include "options.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	"Options may come before or after the command; an option of another\n"
	"command is an error.\n"
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
	"Output:\n"
	"  -o, --output FILE        the text report (default stdout)\n"
	"explain only (FILE '-' = stdout, which then replaces the text report there):\n"
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
	OPT_LABEL = 256, OPT_MAX_LEAVES, OPT_MAX_DEPTH, OPT_AGGREGATE, OPT_DOT,
	OPT_SVG, OPT_JSON, OPT_NONFINITE, OPT_EXACT, OPT_HIST_MIN, OPT_PREDICTIONS, OPT_PRED_COLUMN,
	OPT_EXPERT_CMD, OPT_FEATURES, OPT_EXCLUDE, OPT_KEEPID,
};

/* At most this many rows in Trustee's growing data set D (4 bytes each). */
#define MAX_D_ROWS ((size_t)1 << 30)

struct cli {
	const char *cmd, *model, *data, *label;
	const char *output, *dot, *svg, *json;
	const char *predictions, *pred_column, *expert_cmd;
	const char *features, *exclude;
	int keep_ids;
	explain_opts e;
	trustee_distill_seen seen;
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

/* The text of explain (explain_write_text) or report (explain_report) on
 * -o FILE, else on stdout. */
static int write_text(const struct cli *c, const explain_data *d, const explain_info *info,
		      const explain_result *r)
{
	outfile o;

	if (!c->output || !strcmp(c->output, "-")) {
		if (r)
			explain_write_text(stdout, d, &c->e, info, r);
		else if (explain_report(stdout, d, &c->e, info))
			return -1;
		fflush(stdout);
		return 0;
	}
	if (out_open(&o, c->output))
		return -1;
	/* a write error is out_commit's to report; a failed report has said why */
	if (r)
		explain_write_text(o.fp, d, &c->e, info, r);
	else if (explain_report(o.fp, d, &c->e, info) && !ferror(o.fp)) {
		out_abort(&o);
		return -1;
	}
	return out_commit(&o);
}

static int cmd_explain(const struct cli *c, const explain_data *d, const explain_info *info)
{
	explain_result r;
	int rc = 0, to_stdout;

	if (explain_run(d, &c->e, &r))
		return -1;
	/* a picture or JSON on stdout replaces the text there (-o FILE keeps it) */
	to_stdout = (c->json && !strcmp(c->json, "-")) || (c->dot && !strcmp(c->dot, "-")) ||
		    (c->svg && !strcmp(c->svg, "-"));
	if ((!to_stdout || (c->output && strcmp(c->output, "-"))) && write_text(c, d, info, &r))
		rc = -1;
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

/* Commands, in the order of their scope bits (common/cli's cli_option_scope). */
enum { CMD_EXPLAIN, CMD_REPORT, CMD_CHECK, N_CMDS };
static const char *const cmd_names[N_CMDS] = { "explain", "report", "check" };
#define EXPLAIN (1u << CMD_EXPLAIN)
#define REPORT (1u << CMD_REPORT)
#define CHECK (1u << CMD_CHECK)

static const struct option long_opts[] = {
	CLI_OPTIONS_LABEL_COLUMN(OPT_LABEL),
	TRUSTEE_DISTILL_OPTIONS,
	{ "max-leaves", required_argument, NULL, OPT_MAX_LEAVES },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	CLI_OPTION_THREADS,
	{ "aggregate", required_argument, NULL, OPT_AGGREGATE },
	{ "output", required_argument, NULL, 'o' },
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

/* The commands among explain and report that take an option of long_opts
 * (check's own options are in check_long_options, check.c). */
static unsigned option_scope(int val)
{
	switch (val) {
	case OPT_DOT:
	case OPT_JSON:
	case OPT_SVG:
		return EXPLAIN;
	default:
		return EXPLAIN | REPORT;
	}
}

/*
 * The command is the first argument that is not an option or an option's
 * value, wherever the options are. A first pass over the options of all
 * commands finds it; an option given to a command it does not belong to is
 * then a usage error (unknown options are left to the command's parser,
 * which names them). Returns the command's index, or -1 when it is missing
 * or unknown (parse_cli says so).
 */
static int find_command(int argc, char **argv)
{
	size_t n_main = sizeof(long_opts) / sizeof(long_opts[0]) - 1, n_check = 0, n;
	struct option *all;
	struct seen { int i; } *seen;
	char **args;
	int o, longindex, n_seen = 0, cmd = -1;

	while (check_long_options[n_check].name)
		n_check++;
	all = xcalloc(n_main + n_check + 1, sizeof(*all));
	seen = xcalloc((size_t)argc + 1, sizeof(*seen));
	for (n = 0; n < n_main; n++) {
		all[n] = long_opts[n];
		all[n].val = (int)option_scope(long_opts[n].val);
	}
	for (size_t i = 0; i < n_check; i++) {
		size_t k = 0;

		while (k < n && strcmp(all[k].name, check_long_options[i].name))
			k++;
		if (k == n)
			all[n++] = check_long_options[i];
		all[k].val = (k < n_main ? all[k].val : 0) | (int)CHECK;
	}
	/* on a copy: getopt_long moves the arguments it has seen, which would
	 * give a trailing option without value the next word in the real parse */
	args = xcalloc((size_t)argc + 1, sizeof(*args));
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	opterr = 0;
	optind = 0;
	while ((longindex = -1, o = getopt_long(argc, args, ":hVj:o:", all, &longindex)) != -1)
		if (longindex >= 0 && all[longindex].val > 0 && all[longindex].val < 8)
			seen[n_seen++].i = longindex;
	for (int i = 0; optind < argc && i < N_CMDS; i++)
		if (!strcmp(args[optind], cmd_names[i]))
			cmd = i;
	free(args);
	for (int i = 0; cmd >= 0 && i < n_seen; i++) {
		char name[64];

		snprintf(name, sizeof(name), "--%s", all[seen[i].i].name);
		cli_option_scope(name, (unsigned)all[seen[i].i].val, (size_t)cmd, cmd_names, N_CMDS);
	}
	free(seen);
	free(all);
	optind = 0;
	return cmd;
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
	int opt, longindex, n_stdout = 0;

	memset(c, 0, sizeof(*c));
	c->label = CLI_LABEL_COLUMN_DEFAULT;
	explain_opts_default(&c->e);
	c->e.d.threads = cli_default_threads();
	c->e.d.progress = 1;
	opterr = 0;
	optind = 0;
	while ((longindex = -1, opt = getopt_long(argc, argv, ":hVj:o:", long_opts, &longindex)) != -1) {
		if (trustee_distill_option(opt, optarg, &c->e.d, &c->seen))
			continue;
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
		case OPT_MAX_LEAVES:
			c->e.max_leaves = cli_int("--max-leaves", optarg, 2, TRUSTEE_COUNT_MAX);
			break;
		case OPT_MAX_DEPTH:
			c->e.max_depth = cli_int("--max-depth", optarg, 1, TRUSTEE_COUNT_MAX);
			break;
		case 'j':
			c->e.d.threads = cli_threads(longindex >= 0 ? "--threads" : "-j", optarg);
			break;
		case OPT_AGGREGATE:
			if (!strcmp(optarg, "all"))
				c->e.d.aggregate = DISTILL_AGG_ALL;
			else if (!strcmp(optarg, "misclassified"))
				c->e.d.aggregate = DISTILL_AGG_MISCLASSIFIED;
			else
				cli_bad_value("--aggregate", optarg, "all or misclassified");
			break;
		case 'o':
			c->output = optarg;
			n_stdout += !strcmp(optarg, "-");
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
			c->e.hist_min = (size_t)cli_int("--hist-min", optarg, 1, TRUSTEE_COUNT_MAX);
			break;
		case OPT_NONFINITE:
			c->nonfinite = (enum table_nonfinite)cli_nonfinite("--nonfinite", optarg,
									   CLI_NONFINITE_NUMERIC);
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
		default:
			cli_getopt_error(opt, argv, long_opts);
		}
	}
	trustee_distill_options_done(&c->e.d, &c->seen);
	if (n_stdout > 1)
		die_usage("only one of -o, --json, --dot and --svg can write to stdout");
	if (optind >= argc)
		die_usage("missing command (explain, report or check)");
	c->cmd = argv[optind++];
	if (strcmp(c->cmd, "explain") && strcmp(c->cmd, "report"))
		die_usage("unknown command '%s' (explain, report or check)", c->cmd);
	check_expert(c, argc - optind, argv + optind);
}

/* Inputs first, then every output: none may be an input or another output (exit 2). */
static void check_files(const struct cli *c)
{
	out_note_input(c->model);
	out_note_input(c->data);
	out_note_input(c->predictions);
	if ((c->output && out_check(c->output)) || (c->json && out_check(c->json)) ||
	    (c->dot && out_check(c->dot)) || (c->svg && out_check(c->svg)))
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
	util_keep_freed_memory();
	out_install_signals();
	if (find_command(argc, argv) == CMD_CHECK)
		return check_main(argc, argv);
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
		info.expert_what = what = xasprintf("command '%s'", c.expert_cmd);
	} else {
		info.expert_kind = "predictions";
		info.expert_file = c.predictions ? c.predictions : c.data;
		info.expert_column = c.pred_column;
		if (c.predictions) {
			info.expert_what = what = xasprintf("predictions '%s'", c.predictions);
		} else {
			info.expert_what = what = xasprintf("predictions column '%s' of '%s'",
							    c.pred_column, c.data);
		}
	}
	bins = explain_bins(&d, &c.e);
	c.e.bins = bins;
	rc = !strcmp(c.cmd, "explain") ? cmd_explain(&c, &d, &info) : write_text(&c, &d, &info, NULL);
	tree_bins_free(bins);
	input_release(&in);
	free(what);
	if (rc)
		return 1;
	return close_stdout() ? 1 : 0;
}
