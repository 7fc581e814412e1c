/*
 * expert.h: where the expert's labels come from. Trustee only ever asks the
 * expert about rows of the data it was given, so for a deterministic model
 * one answer per row is all it needs. The answers come from
 *  - a model file of `forest train` (asked in process: trustee/input),
 *  - a predictions CSV (one row per data row, column Predicted by default,
 *    what `forest predict` writes), or a column of the data itself,
 *  - a command run through /bin/sh that reads the feature columns as CSV on
 *    its standard input and writes one label per line, or a CSV with a
 *    Predicted column, on its standard output.
 *
 * The command runner is generic ("run a command with a CSV on stdin and
 * collect one label per row"); `trustee check` runs its --retrain-cmd with it.
 * Every function returns 0, or -1 after printing one error on stderr
 * ("trustee: ..."), naming the file or the command and the row.
 */
#ifndef EXPERT_H
#define EXPERT_H

#include <stddef.h>

enum expert_kind {
	EXPERT_MODEL,		/* a model file of `forest train` */
	EXPERT_PREDICTIONS,	/* a predictions CSV, or a column of the data */
	EXPERT_COMMAND,		/* a command */
};

/* The labels of n rows, as strings (expert_labels_free). */
typedef struct expert_labels {
	char **label;		/* n labels, each a new string ("" when the source had none) */
	size_t *line;		/* n: line of the source where each one is (0 for a command's list) */
	size_t n;
} expert_labels;
void expert_labels_free(expert_labels *l);	/* NULL-safe, leaves *l zeroed */

/*
 * Read column `column` of CSV path ("-" = stdin): one label per record, in
 * order (RFC 4180: quotes, CRLF). A missing column is an error naming the
 * file and the columns it has; a header without rows is an error.
 */
int expert_read_column(const char *path, const char *column, expert_labels *out);

/*
 * Run cmd with /bin/sh -c, write in[0..in_len) to its standard input while
 * reading its standard output (no pipe deadlock), then wait for it. what
 * names it in messages ("expert command"). A non-zero exit status or a
 * signal is an error with the last line of its stderr
 * ("expert command exited with status 3: <line>"). While it runs, SIGINT,
 * SIGTERM and SIGHUP sent to this process are passed on to it, then this
 * process ends as it would have. *out gets its standard output (free(),
 * NUL-terminated; *out_len excludes the NUL).
 */
int expert_cmd_run(const char *what, const char *cmd, const char *in, size_t in_len, char **out,
		   size_t *out_len);

/*
 * Parse a command's output as n_rows labels: one label per line (LF or
 * CRLF; a line in double quotes is a CSV field), or a CSV whose header has
 * a `column` field (default "Predicted" when column is NULL). Errors name
 * what and the row: no output, binary output (NUL or control bytes), a
 * wrong number of answers ("expert command gave 998 answers for 1000 rows").
 */
int expert_parse_labels(const char *what, const char *column, const char *text, size_t len,
			size_t n_rows, expert_labels *out);

/* expert_cmd_run, then expert_parse_labels with the default column. */
int expert_cmd_labels(const char *what, const char *cmd, const char *in, size_t in_len,
		      size_t n_rows, expert_labels *out);

#endif
