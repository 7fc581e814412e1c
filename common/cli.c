/*
 * cli.c: see cli.h.
 */
#include "cli.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void cli_bad_value(const char *opt, const char *value, const char *expected)
{
	die_usage("invalid value '%s' for %s (%s)", value, opt, expected);
}

int cli_int(const char *opt, const char *s, int min, int max)
{
	char what[96];
	int v;

	if (parse_int(s, min, max, &v) < 0) {
		snprintf(what, sizeof(what), "an integer from %d to %d", min, max);
		cli_bad_value(opt, s, what);
	}
	return v;
}

uint64_t cli_uint64(const char *opt, const char *s)
{
	uint64_t v;

	if (parse_uint64(s, &v) < 0)
		cli_bad_value(opt, s, "an integer >= 0");
	return v;
}

double cli_double(const char *opt, const char *s, double lo, int lo_open, double hi,
		  const char *expected)
{
	double v;

	if (parse_double(s, 0, &v) < 0 || (lo_open ? !(v > lo) : !(v >= lo)) || v > hi)
		cli_bad_value(opt, s, expected);
	return v;
}

double cli_fraction(const char *opt, const char *s, int upto_one)
{
	double v;

	if (parse_double(s, 0, &v) < 0 || !(v > 0) || v > 1 || (!upto_one && v == 1))
		cli_bad_value(opt, s, upto_one ? "a number > 0 and <= 1" : "a number > 0 and < 1");
	return v;
}

int cli_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > CLI_MAX_THREADS ? CLI_MAX_THREADS : (int)n;
}

int cli_threads(const char *opt, const char *s)
{
	return cli_int(opt, s, 1, CLI_MAX_THREADS);
}

static const char *const nonfinite_words[] = { "error", "drop", "zero", "clip", "keep" };
#define N_NONFINITE_WORDS (sizeof(nonfinite_words) / sizeof(nonfinite_words[0]))

int cli_nonfinite_word(const char *s)
{
	for (size_t i = 0; i < N_NONFINITE_WORDS; i++)
		if (!strcmp(s, nonfinite_words[i]))
			return (int)i;
	return -1;
}

enum cli_nonfinite cli_nonfinite(const char *opt, const char *s, unsigned allowed)
{
	char what[96] = "";
	size_t n = 0, k = 0;

	for (size_t i = 0; i < N_NONFINITE_WORDS; i++)
		if (allowed & CLI_NONFINITE_BIT(i) && !strcmp(s, nonfinite_words[i]))
			return (enum cli_nonfinite)i;
	for (size_t i = 0; i < N_NONFINITE_WORDS; i++)
		n += (allowed & CLI_NONFINITE_BIT(i)) != 0;
	for (size_t i = 0; i < N_NONFINITE_WORDS; i++) {
		if (!(allowed & CLI_NONFINITE_BIT(i)))
			continue;
		k++;
		strcat(what, k == 1 ? "" : k == n ? " or " : ", ");
		strcat(what, nonfinite_words[i]);
	}
	cli_bad_value(opt, s, what);
}

const char *cli_option_name(int val, const struct option *opts)
{
	static char buf[128];

	for (const struct option *o = opts; o->name; o++)
		if (o->val == val && !o->flag) {
			snprintf(buf, sizeof(buf), "--%s", o->name);
			return buf;
		}
	snprintf(buf, sizeof(buf), "-%c", val);
	return buf;
}

void cli_getopt_error(int c, char **argv, const struct option *opts)
{
	/* A long option is argv[optind - 1]; a short one is optopt (argv may
	 * still point before a cluster like -qx). */
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	int is_long = arg[0] == '-' && arg[1] == '-' && arg[2];

	if (c == ':') {
		if (is_long)
			die_usage("option '%.*s' needs a value", (int)strcspn(arg, "="), arg);
		for (const struct option *o = opts; o->name; o++)
			if (o->val == optopt && !o->flag)
				die_usage("option '-%c' (--%s) needs a value", optopt, o->name);
		die_usage("option '-%c' needs a value", optopt);
	}
	if (is_long) {
		const char *names[256];
		size_t n = 0, len = strcspn(arg + 2, "=");
		char given[128];

		for (const struct option *o = opts; o->name && n < 256; o++)
			names[n++] = o->name;
		snprintf(given, sizeof(given), "%.*s", (int)len, arg + 2);
		const char *near = util_closest(given, names, n);
		/* a hint only for a slip (a letter or two), not for another word */
		if (near && util_edit_distance(given, near) <= 1 + strlen(given) / 4)
			die_usage("unknown option '--%s' (did you mean '--%s'?)", given, near);
		die_usage("unknown option '--%s'", given);
	}
	if (optopt > 0 && optopt < 128)
		die_usage("unknown option '-%c'", optopt);
	die_usage("unknown option '%s'", arg);
}

void cli_option_scope(const char *opt, unsigned allowed, size_t cmd, const char *const *cmds,
		      size_t n_cmds)
{
	char where[256] = "";
	size_t n = 0, k = 0;

	if (allowed & (1u << cmd))
		return;
	for (size_t i = 0; i < n_cmds; i++)
		n += (allowed & (1u << i)) != 0;
	for (size_t i = 0; i < n_cmds; i++) {
		if (!(allowed & (1u << i)))
			continue;
		k++;
		if (strlen(where) + strlen(cmds[i]) + 8 >= sizeof(where))
			break;
		strcat(where, k == 1 ? "" : k == n ? " and " : ", ");
		strcat(where, cmds[i]);
	}
	die_usage("%s: option '%s' does not apply (an option of %s)", cmds[cmd], opt, where);
}
