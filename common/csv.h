/*
 * csv.h: streaming CSV reader and writer (RFC 4180 quoting, CRLF or LF), the
 * one CSV reader of the toolkit (forest, trustee and labeler).
 *
 * The reader hands out one record at a time as an array of fields that
 * point into its own buffers; they stay valid until the next csv_read().
 * Each field has a pointer and a length; quotes are removed and "" is
 * unescaped. In the default mode every value is also NUL-terminated.
 *
 * Raw mode (csv_open_raw, the labeler's pass-through) does not write into
 * the record: values of a record without quotes are spans of the input
 * (not NUL-terminated), csv_raw() gives each field's bytes as they are in
 * the file (quotes included) and csv_record() the whole record, so rows can
 * be copied byte for byte.
 *
 * Format rules, the same in both modes:
 *  - a record ends at a LF outside quotes; a CR before it is dropped; blank
 *    lines are skipped;
 *  - a UTF-8 byte order mark at the start of the file is not part of the
 *    first column's name (csv_bom() says it was there);
 *  - CR-only line ends (old Mac files) are refused: a header holding an
 *    unquoted CR is an error naming the file, line and column;
 *  - a NUL byte in a header name is an error naming file, line and column;
 *  - a record longer than CSV_MAX_RECORD bytes (a file without line breaks,
 *    /dev/zero, an unterminated quote) is an error naming the file and line,
 *    so no input is buffered without limit.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>
#include <stdio.h>

/* Longest record (header or row) the reader buffers: 64 MB. */
#define CSV_MAX_RECORD ((size_t)64 << 20)

typedef struct csv_field {
	const char *s;	/* quotes removed, "" unescaped; NUL-terminated unless raw mode */
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
/* Same as csv_open and csv_open_fp in raw mode (see above). */
csv_reader *csv_open_raw(const char *path);
csv_reader *csv_open_fp_raw(FILE *fp, const char *name);
void csv_free(csv_reader *r);	/* NULL-safe; closes the file unless stdin */

/* Header: number of columns and their names. */
size_t csv_ncols(const csv_reader *r);
const char *csv_colname(const csv_reader *r, size_t i);
/* Column index of name, or -1: see csv_index_find. */
long csv_colindex(const csv_reader *r, const char *name);
/* The column names array (ncols entries) */
const char *const *csv_colnames(const csv_reader *r);
/* 1 when the header line ended with CRLF; 1 when the file began with a UTF-8 BOM. */
int csv_crlf(const csv_reader *r);
int csv_bom(const csv_reader *r);

/*
 * Read the next record. Returns 1 and sets *fields (ncols entries, plus one
 * spare entry at index ncols the caller may use), 0 at end of file, -1 on
 * error after printing "tool: file:line: expected N fields, found M", a
 * quoting error or a read error. Blank lines are skipped.
 */
int csv_read(csv_reader *r, csv_field **fields);
/*
 * The next non-blank record without splitting it (for callers with a faster
 * parser of their own): 1 with *rec and *len its bytes without the line end
 * (quotes and all; valid until the next read), 0 at end of file, -1 on error.
 * csv_split then gives its fields exactly as csv_read would have, errors
 * included (1, or -1 after printing the error).
 */
int csv_next(csv_reader *r, const char **rec, size_t *len);
int csv_split(csv_reader *r, csv_field **fields);
/*
 * Raw mode: the bytes of each field of the last record as in the file
 * (ncols + 1 entries). For a record without quotes this is the fields array
 * of csv_read itself (values and bytes coincide).
 */
csv_field *csv_raw(csv_reader *r);
/* Raw mode: the bytes of the last record, without its line end. */
const char *csv_record(const csv_reader *r, size_t *len);
/* Line number (1-based) where the last record returned started. */
size_t csv_line(const csv_reader *r);
const char *csv_name(const csv_reader *r);

/*
 * Column lookup by name over a header, in constant time per name (hash
 * tables): an exact match first (the first column of that name), then a
 * match ignoring surrounding spaces (CIC-IDS2017 headers read " Label").
 * The index keeps the names pointer: names must outlive it.
 */
typedef struct csv_index csv_index;
csv_index *csv_index_new(const char *const *names, size_t n);
void csv_index_free(csv_index *ix);	/* NULL-safe */
long csv_index_find(const csv_index *ix, const char *name);
const char *const *csv_index_names(const csv_index *ix, size_t *n);

/*
 * A cell as a number, the way CICFlowMeter writes them (12, -0.5, 1.2E7,
 * NaN, Infinity, -Infinity, inf, nan): 1 with *out set, 0 when it is not a
 * number. A finite spelling beyond the double range (1e999) is the infinity
 * it overflows to. Plain decimals take an exact fast path (csv_number_fast
 * below), the same value as strtod.
 */
int csv_number(const char *s, size_t len, double *out);
/*
 * The exact fast path of csv_number on the start of s[0..len): a plain
 * decimal ([+-]digits[.digits][e[+-]d{1,3}], at least one digit) of at most
 * 19 significant digits with a mantissa m <= 2^53 and a power of ten p,
 * |p| <= 22, is m * 10^p or m / 10^-p in one rounding (Clinger), the value
 * strtod gives. Returns the bytes it took with *out set, or 0 when the start
 * is not such a number (csv_number takes the slow path then). The caller
 * checks what follows (a comma, the end).
 */
extern const double csv_pow10[23];
static inline size_t csv_number_fast(const char *s, size_t len, double *out)
{
	const char *p = s, *e = s + len, *d;
	unsigned long long m = 0;
	int neg = 0, frac = 0, x = 0;
	size_t digits;

	if (p < e && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	d = p;
	while (p < e && (unsigned)(*p - '0') < 10)
		m = m * 10 + (unsigned)(*p++ - '0');
	digits = (size_t)(p - d);
	if (p < e && *p == '.') {
		const char *f = ++p;

		while (p < e && (unsigned)(*p - '0') < 10)
			m = m * 10 + (unsigned)(*p++ - '0');
		frac = (int)(p - f);
		digits += (size_t)frac;
	}
	/* 19 digits cannot wrap m */
	if (digits == 0 || digits > 19 || m > (1ULL << 53))
		return 0;
	if (p < e && (*p == 'e' || *p == 'E')) {
		int xneg = 0, xd = 0;

		p++;
		if (p < e && (*p == '-' || *p == '+'))
			xneg = *p++ == '-';
		while (p < e && (unsigned)(*p - '0') < 10 && xd < 4) {
			x = x * 10 + (*p++ - '0');
			xd++;
		}
		if (xd == 0 || xd >= 4)
			return 0;
		if (xneg)
			x = -x;
	}
	x -= frac;
	if (x < -22 || x > 22)
		return 0;
	{
		double v = (double)m;

		v = x >= 0 ? v * csv_pow10[x] : v / csv_pow10[-x];
		*out = neg ? -v : v;
	}
	return (size_t)(p - s);
}
/*
 * 1 when the cell is empty or a number that is NaN or infinite (NaN,
 * -Infinity, 1e999). Inline: the common case, a cell ending in a digit with
 * no 3-digit exponent (which cannot overflow), is decided in a few compares.
 */
int csv_nonfinite_slow(const char *s, size_t len);
static inline int csv_nonfinite(const char *s, size_t len)
{
	if (len && len < 300 && s[len - 1] >= '0' && s[len - 1] <= '9') {
		char c = len >= 5 ? s[len - 4] : '0';
		if ((c | 0x20) != 'e' && c != '+' && c != '-')
			return 0;
	}
	return csv_nonfinite_slow(s, len);
}

/* Writer helpers: write one field, quoting only when needed (, " CR LF). */
void csv_write_field(FILE *fp, const char *s, size_t len);
/* Write a whole record of n fields followed by "\n". */
void csv_write_row(FILE *fp, const char *const *fields, const size_t *lens, size_t n);

#endif
