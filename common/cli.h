/*
 * cli.h: the command-line conventions shared by the tools, written once.
 *
 * Every tool parses with getopt_long (opterr = 0, optstring starting with
 * ':') and reports usage errors through one template, printed by die_usage()
 * of util.h:
 *
 *     tool: MESSAGE
 *     Try 'tool --help' for more information.
 *
 * and exit status 2. MESSAGE is one of these forms (the functions below
 * build them, so the tools cannot drift apart):
 *
 *     invalid value 'V' for --opt (WHAT IS EXPECTED)        cli_bad_value()
 *     option '--opt' needs a value                          cli_getopt_error()
 *     unknown option '--x' (did you mean '--y'?)            cli_getopt_error()
 *     CMD: option '--opt' does not apply (an option of A)   cli_option_scope()
 *     CMD: expected WHAT                                    (argument counts, by the tool)
 *
 * Shared flags, the same words and limits in every tool:
 *
 *     -j, --threads N          1..CLI_MAX_THREADS, default all cores (cli_default_threads)
 *     --nonfinite WORD         error|drop|zero|clip, and keep where copying is the default
 *     --label-column NAME      the label column (default "Label"); forest and trustee
 *                              also accept --label NAME as an alias
 *     -o, --output FILE        an output file ("-" = standard output), checked with
 *                              out_check() before work starts (util.h)
 *     --seed S                 an integer >= 0 (cli_uint64)
 *
 * Nothing here keeps state; every parser dies with the template on a bad
 * value (main.c code only: library code never exits).
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

/* The most worker threads any tool accepts. */
#define CLI_MAX_THREADS 256

/* The default label column. */
#define CLI_LABEL_COLUMN_DEFAULT "Label"

/*
 * struct option entries of the shared flags, for a tool's long option table:
 * CLI_OPTION_THREADS returns 'j' (pair it with "j:" in the optstring);
 * CLI_OPTIONS_LABEL_COLUMN(code) gives --label-column and its alias --label
 * the same code.
 */
#define CLI_OPTION_THREADS { "threads", required_argument, NULL, 'j' }
#define CLI_OPTIONS_LABEL_COLUMN(code)                                         \
	{ "label-column", required_argument, NULL, (code) },                   \
	{ "label", required_argument, NULL, (code) }

/* "invalid value 'value' for opt (expected)", exit 2. opt as the user wrote it
 * ("--trees", "-j"); expected says what is accepted ("an integer from 1 to 9"). */
_Noreturn void cli_bad_value(const char *opt, const char *value, const char *expected);

/* An integer from min to max, or cli_bad_value() "an integer from MIN to MAX". */
int cli_int(const char *opt, const char *s, int min, int max);

/* An integer >= 0 that fits 64 bits (seeds), or cli_bad_value(). */
uint64_t cli_uint64(const char *opt, const char *s);

/* A finite number > 0 (lo_open) or >= 0, up to hi (inclusive), or
 * cli_bad_value() with expected as given. */
double cli_double(const char *opt, const char *s, double lo, int lo_open, double hi,
		  const char *expected);

/* A fraction: a number > 0 and <= 1 (upto_one) or < 1, else cli_bad_value()
 * "a number > 0 and <= 1" / "a number > 0 and < 1". */
double cli_fraction(const char *opt, const char *s, int upto_one);

/* Number of online cores, from 1 to CLI_MAX_THREADS: the default of --threads. */
int cli_default_threads(void);

/* The value of --threads / -j: 1..CLI_MAX_THREADS, else cli_bad_value()
 * "an integer from 1 to 256". opt is the spelling used. */
int cli_threads(const char *opt, const char *s);

/* --nonfinite words. The first four have the values of enum table_nonfinite. */
enum cli_nonfinite {
	CLI_NONFINITE_ERROR = 0,	/* refuse the input, naming file:line and column */
	CLI_NONFINITE_DROP,		/* drop the row */
	CLI_NONFINITE_ZERO,		/* NaN and infinities become 0 */
	CLI_NONFINITE_CLIP,		/* NaN -> 0, infinities -> the largest finite value */
	CLI_NONFINITE_KEEP,		/* copy as they are (tools that copy cells) */
};
#define CLI_NONFINITE_BIT(w) (1u << (w))
/* The words of a tool that reads numbers (forest, trustee). */
#define CLI_NONFINITE_NUMERIC                                                  \
	(CLI_NONFINITE_BIT(CLI_NONFINITE_ERROR) | CLI_NONFINITE_BIT(CLI_NONFINITE_DROP) |  \
	 CLI_NONFINITE_BIT(CLI_NONFINITE_ZERO) | CLI_NONFINITE_BIT(CLI_NONFINITE_CLIP))

/* The word s among the allowed ones (a mask of CLI_NONFINITE_BIT), or
 * cli_bad_value() listing exactly the allowed words ("error, drop, zero or clip"). */
enum cli_nonfinite cli_nonfinite(const char *opt, const char *s, unsigned allowed);

/* The word s as an enum cli_nonfinite, or -1 (for words read from files). */
int cli_nonfinite_word(const char *s);

/*
 * After getopt_long() returned ':' (missing value) or '?' (unknown option):
 * the matching message, exit 2. argv and opts are those given to
 * getopt_long; an unknown long option gets the closest known name as a hint.
 */
_Noreturn void cli_getopt_error(int c, char **argv, const struct option *opts);

/*
 * The name to show for option code val: "--" and its first long name in
 * opts, else "-c" for a short option. Returns a static buffer.
 */
const char *cli_option_name(int val, const struct option *opts);

/*
 * Subcommand scopes: an option given to a command it does not belong to is
 * a usage error. cmds[0..n_cmds) are the command names, allowed a mask of
 * (1u << index) of the commands that take the option. When bit cmd is not in
 * allowed: "CMD: option 'OPT' does not apply (an option of A and B)", exit 2.
 */
void cli_option_scope(const char *opt, unsigned allowed, size_t cmd, const char *const *cmds,
		      size_t n_cmds);

#endif
