/*
 * labeler: label, filter, select and merge flow CSVs by rules, from a YAML
 * recipe or from command-line options. CLI only; the work is in rules.c
 * (recipes), run.c (the run), expr.c (expressions); CSV input is common/csv.c in raw mode.
 */
#include "cli.h"
#include "rules.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: labeler RECIPE.yaml [-o OUT.csv] [--stats]\n"
	"   or: labeler IN.csv[=LABEL]... [--match EXPR] [--file-label NAME] [--default NAME]\n"
	"               [--drop EXPR] [--columns a,b,c] [--nonfinite WORD] [--tz ZONE] [--stats]\n"
	"               [-o OUT.csv]\n"
	"Label, filter, select and merge flow CSVs by rules.\n"
	"\n"
	"For each source in order, rows matching --match get the source's label\n"
	"(IN.csv=LABEL, else --file-label), other rows get --default; then rows matching\n"
	"--drop are removed; then only --columns are kept, in that order. An empty,\n"
	"NaN, Infinity or -Infinity kept cell is copied (--nonfinite keep, the\n"
	"default), refused (error), removes its row (drop), becomes 0 (zero), or\n"
	"becomes 0, or +/-3.4028234663852886E38 (float32's largest) for infinities\n"
	"(clip). Other cells are copied unchanged. The output is stdout unless -o\n"
	"(or the recipe's 'output') names a file. Recipe keys: sources (path, label,\n"
	"match, drop, rules), default, match, drop, rules ({when, label}), columns,\n"
	"nonfinite, label_column, timezone, output.\n"
	"\n"
	"  -o, --output FILE        write the CSV to FILE ('-' = stdout)\n"
	"      --match EXPR         rows that get the source's label (default: all)\n"
	"      --file-label NAME    label of sources given without =LABEL (--label NAME\n"
	"                           is a deprecated spelling of it)\n"
	"      --default NAME       label of the rows --match rejects\n"
	"      --drop EXPR          remove rows matching EXPR (after labelling)\n"
	"      --columns a,b,c      keep these columns, in this order\n"
	"      --nonfinite WORD     missing or non-finite kept cells: keep (default),\n"
	"                           error, drop, zero or clip\n"
	"      --label-column NAME  the label column (default: Label; added if absent)\n"
	"      --stats              per source and label: rows, after drop, kept (stderr)\n"
	"      --tz ZONE            zone of Timestamp cells and time literals (default UTC;\n"
	"                           +HH:MM or a tz name like Europe/Berlin); overrides 'timezone'\n"
	"  -h, --help               show this help and exit\n"
	"  -V, --version            show the version and exit\n"
	"\n"
	"Expressions: `Total Fwd Packet` > 30 or Protocol == 17, Label == 'other',\n"
	"Protocol in [6, 17], `Src IP` in 10.0.0.0/8, host 192.168.1.0/24, port 443,\n"
	"$label, not, and, or, + - * /, NaN, Infinity, `Server Name` like '*.vimeo.com',\n"
	"name ['*.googlevideo.com', '*.youtube.com'], Timestamp >= time '2017-07-07 13:55',\n"
	"time in ['2017-07-07 13:55', '2017-07-07 14:35'). See docs/labeler.md.\n";

enum { O_MATCH = 256, O_LABEL, O_OLD_LABEL, O_DEFAULT, O_DROP, O_COLUMNS, O_NONFINITE, O_LABELCOL, O_STATS, O_TZ };

static int is_recipe(const char *p)
{
	size_t n = strlen(p);
	return (n > 5 && !strcmp(p + n - 5, ".yaml")) || (n > 4 && !strcmp(p + n - 4, ".yml"));
}

static void split_columns(rules_recipe *r, const char *list)
{
	const char *p = list;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		r->columns = xreallocarray(r->columns, r->ncolumns + 1, sizeof(*r->columns));
		r->columns[r->ncolumns++] = xstrndup(p, n);
		if (!c)
			break;
		p = c + 1;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "match", required_argument, NULL, O_MATCH },
		{ "file-label", required_argument, NULL, O_LABEL },
		{ "label", required_argument, NULL, O_OLD_LABEL },
		{ "default", required_argument, NULL, O_DEFAULT },
		{ "drop", required_argument, NULL, O_DROP },
		{ "columns", required_argument, NULL, O_COLUMNS },
		{ "nonfinite", required_argument, NULL, O_NONFINITE },
		{ "label-column", required_argument, NULL, O_LABELCOL },
		{ "stats", no_argument, NULL, O_STATS },
		{ "tz", required_argument, NULL, O_TZ },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *match = NULL, *label = NULL, *defl = NULL, *drop = NULL;
	const char *columns = NULL, *labelcol = NULL, *tz = NULL;
	const char *cli_opt = NULL;
	int nonfinite = -1, stats = 0, c, rc;
	rules_recipe *r;

	util_set_progname("labeler");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case O_MATCH: match = optarg; cli_opt = "--match"; break;
		case O_LABEL: label = optarg; cli_opt = "--file-label"; break;
		case O_OLD_LABEL:
			/* before issue 16; forest and trustee read --label as the column */
			warning("--label NAME is deprecated: it is --file-label NAME, the label of files "
				"given without =LABEL (the label column is --label-column)");
			label = optarg;
			cli_opt = "--label";
			break;
		case O_DEFAULT: defl = optarg; cli_opt = "--default"; break;
		case O_DROP: drop = optarg; cli_opt = "--drop"; break;
		case O_COLUMNS: columns = optarg; cli_opt = "--columns"; break;
		case O_LABELCOL: labelcol = optarg; cli_opt = "--label-column"; break;
		case O_NONFINITE:
			nonfinite = (int)cli_nonfinite("--nonfinite", optarg,
						       CLI_NONFINITE_NUMERIC |
						       CLI_NONFINITE_BIT(CLI_NONFINITE_KEEP));
			cli_opt = "--nonfinite";
			break;
		case O_STATS: stats = 1; break;
		case O_TZ: tz = optarg; break;
		case 'h':
			fputs(usage_text, stdout);
			return close_stdout() ? 1 : 0;
		case 'V':
			printf("labeler %s\n", TOOLKIT_VERSION);
			return close_stdout() ? 1 : 0;
		default:
			cli_getopt_error(c, argv, opts);
		}
	}
	if (optind >= argc)
		die_usage("no input: give RECIPE.yaml or CSV files");

	if (optind + 1 == argc && is_recipe(argv[optind])) {
		if (cli_opt)
			die_usage("%s cannot be combined with a recipe (put it in the recipe)", cli_opt);
		r = rules_load(argv[optind]);
		if (!r)
			return 1;
	} else {
		r = rules_new();
		for (int i = optind; i < argc; i++) {
			const char *a = argv[i], *eq = strrchr(a, '=');
			rules_source *s;
			if (is_recipe(a))
				die_usage("a recipe ('%s') is given alone, without CSV files", a);
			r->src = xreallocarray(r->src, r->nsrc + 1, sizeof(*r->src));
			s = &r->src[r->nsrc++];
			memset(s, 0, sizeof(*s));
			/* IN.csv=LABEL, unless a file of that whole name exists */
			if (eq && eq != a && strcmp(a, "-") && access(a, F_OK) != 0) {
				s->path = xstrndup(a, (size_t)(eq - a));
				s->label = xstrdup(eq + 1);
			} else {
				s->path = xstrdup(a);
				s->label = label ? xstrdup(label) : NULL;
			}
		}
		if (match)
			r->match = rules_expr_new(match, "--match");
		if (drop)
			r->drop = rules_expr_new(drop, "--drop");
		if (defl)
			r->defl = xstrdup(defl);
		if (columns)
			split_columns(r, columns);
		if (labelcol) {
			free(r->label_column);
			r->label_column = xstrdup(labelcol);
		}
		if (nonfinite >= 0)
			r->nonfinite = nonfinite;
	}
	if (tz && expr_timezone(tz) < 0)
		cli_bad_value("--tz", tz, "UTC, +HH:MM, or a tz database name such as Europe/Berlin");
	if (!out)
		out = r->output ? r->output : "-";
	/* never write over what the run reads: the sources and the recipe */
	if (r->name[0])
		out_note_input(r->name);
	for (size_t i = 0; i < r->nsrc; i++)
		out_note_input(r->src[i].path);
	if (strcmp(out, "-") && out_check(out) < 0) {
		rules_free(r);
		return 2;
	}
	out_install_signals();
	rc = rules_run(r, out, stats);
	rules_free(r);
	if (rc < 0)
		return 1;
	return close_stdout() ? 1 : 0;
}
