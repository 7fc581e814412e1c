/*
 * expr.h: the labeler's row expressions ("`Total Fwd Packet` > 30 or
 * host 10.0.0.0/8"), compiled once against a CSV header to a small tree with
 * column indexes resolved, then evaluated on the text cells of each row.
 *
 * Language (docs/labeler.md has the full description):
 *   columns       Protocol, `Flow Bytes/s` (backquotes; `` doubles one)
 *   literals      30  1.2E7  NaN  Infinity  'text' "text"  10.0.0.0/8  fe80::/10
 *   source label  $label
 *   operators     or  and  not  == != < <= > >=  + - * /  in [..]  not in [..]
 *   address       `Src IP` in 10.0.0.0/8    host 10.1.2.3   host [a, b/16]
 *   port          port 443   port [80, 443]   (either direction)
 * Cells are parsed as numbers only where a number is needed; a cell that is
 * not a number is NaN there. NaN == NaN is true (so `x == NaN` finds NaN
 * cells); <, <=, >, >= with a NaN operand are false.
 */
#ifndef EXPR_H
#define EXPR_H

#include "csv.h"

#include <stddef.h>

/* A cell of the current row: text and length (need not be NUL-terminated). */
typedef csv_field expr_cell;

typedef struct expr expr;

/* A compile error: byte offset into the expression text and a message. */
typedef struct expr_error {
	size_t pos;
	char msg[512];
} expr_error;

/*
 * Compile text[0..len) against the column names cols[0..ncols) (matched
 * exactly first, then ignoring surrounding spaces: csv_index_find).
 * Returns the expression (free with expr_free) or NULL with *err filled in;
 * an unknown column's message names the closest existing column.
 */
expr *expr_compile(const char *text, size_t len, const char *const *cols, size_t ncols,
		   expr_error *err);
void expr_free(expr *e);

/*
 * Evaluate on one row (cells indexed like cols at compile time); label is
 * the value of $label. Returns 1 (true) or 0.
 */
int expr_eval(const expr *e, const expr_cell *row, const char *label, size_t labellen);

/* Largest column index the expression reads, or -1 if none. */
long expr_max_column(const expr *e);

#endif
