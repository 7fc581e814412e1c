/*
 * csv.h: streaming CSV reader and writer (RFC 4180 quoting, CRLF or LF).
 *
 * The reader hands out one record at a time as an array of fields that
 * point into its own buffer; they stay valid until the next csv_read().
 * Fields are NOT NUL-terminated in place of quotes: each field has a pointer
 * and a length, and is also NUL-terminated for convenience.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>
#include <stdio.h>

typedef struct csv_field {
	char *s;	/* NUL-terminated, quotes removed, "" unescaped */
	size_t len;
} csv_field;

typedef struct csv_reader csv_reader;

/*
 * Open path ("-" = stdin) and read its header. Returns NULL after printing
 * "tool: cannot open 'path': ..." or a header error. An empty file is an
 * error ("'path': empty file, no header").
 */
csv_reader *csv_open(const char *path);
/* Same on an already open stream; name is used in messages. */
csv_reader *csv_open_fp(FILE *fp, const char *name);
void csv_free(csv_reader *r);	/* NULL-safe; closes the file unless stdin */

/* Header: number of columns and their names. */
size_t csv_ncols(const csv_reader *r);
const char *csv_colname(const csv_reader *r, size_t i);
/* Column index of name, or -1. Exact match first, then trimmed of spaces. */
long csv_colindex(const csv_reader *r, const char *name);
/* The column names array (ncols entries) */
const char *const *csv_colnames(const csv_reader *r);

/*
 * Read the next record. Returns 1 and sets *fields (ncols entries) on a
 * record, 0 at end of file, -1 on error after printing
 * "tool: file:line: expected N fields, found M" or a quoting error.
 * Blank lines are skipped.
 */
int csv_read(csv_reader *r, csv_field **fields);
/* Line number (1-based) where the last record returned started. */
size_t csv_line(const csv_reader *r);
const char *csv_name(const csv_reader *r);

/* Writer helpers: write one field, quoting only when needed (, " CR LF). */
void csv_write_field(FILE *fp, const char *s, size_t len);
/* Write a whole record of n fields followed by "\n". */
void csv_write_row(FILE *fp, const char *const *fields, const size_t *lens, size_t n);

#endif
