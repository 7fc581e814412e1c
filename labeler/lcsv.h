/*
 * lcsv.h: the labeler's CSV reader. Same format and messages as common/csv.h
 * (RFC 4180 quoting, LF or CRLF, blank lines skipped, UTF-8 BOM dropped,
 * "file:line: expected N fields, found M"), but it also hands out the raw
 * bytes of every field (quotes included), so rows are passed through
 * byte for byte, and it splits unquoted records with a fast path.
 */
#ifndef LCSV_H
#define LCSV_H

#include "expr.h"

#include <stddef.h>

typedef struct lcsv lcsv;

/* Open path ("-" = stdin) and read its header; NULL after an error message. */
lcsv *lcsv_open(const char *path);
void lcsv_free(lcsv *r);	/* NULL-safe */

size_t lcsv_ncols(const lcsv *r);
const char *const *lcsv_colnames(const lcsv *r);
/* 1 when the header line ended with CRLF. */
int lcsv_crlf(const lcsv *r);

/*
 * Next record: 1, 0 at end of file, -1 after an error message naming
 * file:line. *cells gets the values (quotes removed, "" unescaped), *raw the
 * field bytes as they are in the file; both have ncols entries, valid until
 * the next call.
 */
int lcsv_read(lcsv *r, expr_cell **cells, expr_cell **raw);
/* Raw bytes of the last record (no line end). */
const char *lcsv_record(const lcsv *r, size_t *len);
size_t lcsv_line(const lcsv *r);
const char *lcsv_name(const lcsv *r);

#endif
