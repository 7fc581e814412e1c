/*
 * csv.c: streaming CSV reader and writer. See csv.h.
 *
 * The reader keeps a growable buffer; a record is located first (its end is
 * the first LF outside quotes), then split into fields in place: separators
 * become NULs and quoted fields are unescaped within their own bytes.
 */
#include "csv.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct csv_reader {
	FILE *fp;
	int own;
	char *name;
	char *buf;
	size_t cap, start, end;	/* unread bytes are buf[start..end) */
	int eof;
	size_t line;		/* lines consumed so far */
	size_t rec_line;	/* first line of the last record */
	size_t ncols;
	char **names;
	csv_field *fields;
	size_t fcap;
};

static int fill(csv_reader *r)
{
	size_t n;
	if (r->eof)
		return 0;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		r->cap = st_mult(r->cap, 2);
		r->buf = xrealloc(r->buf, r->cap + 1);
	}
	n = fread(r->buf + r->end, 1, r->cap - r->end, r->fp);
	if (n == 0) {
		if (ferror(r->fp))
			return error("error reading '%s': %s", r->name, strerror(errno ? errno : EIO));
		r->eof = 1;
		return 0;
	}
	r->end += n;
	return 1;
}

/*
 * Locate the next record: sets *len to its length (excluding the LF) and
 * *nlines to the number of line breaks it spans. Returns 1, 0 at EOF, -1 on error.
 */
static int locate(csv_reader *r, size_t *len, size_t *nlines)
{
	size_t i = 0;
	int inq = 0;
	size_t lines = 0;
	for (;;) {
		char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		for (; i < avail; i++) {
			char c = p[i];
			if (c == '"')
				inq = !inq;
			else if (c == '\n') {
				lines++;
				if (!inq) {
					*len = i;
					*nlines = lines;
					return 1;
				}
			}
		}
		int f = fill(r);
		if (f < 0)
			return -1;
		if (f == 0) {
			if (r->end == r->start)
				return 0;
			if (inq)
				return error("%s:%zu: unterminated quoted field", r->name, r->line + 1);
			*len = r->end - r->start;
			*nlines = lines + 1;
			/* make room for the NUL the splitter writes */
			if (r->end == r->cap) {
				r->cap = st_mult(r->cap, 2);
				r->buf = xrealloc(r->buf, r->cap + 1);
			}
			return 1;
		}
	}
}

/* Split buf[0..len) into fields in place; returns field count or -1. */
static long split(csv_reader *r, char *s, size_t len)
{
	size_t nf = 0, i = 0;
	if (len && s[len - 1] == '\r')
		len--;
	s[len] = '\0';
	for (;;) {
		char *out, *beg;
		ALLOC_GROW(r->fields, nf + 1, r->fcap);
		if (i < len && s[i] == '"') {
			beg = out = s + i;
			i++;
			for (;;) {
				if (i >= len)
					return error("%s:%zu: unterminated quoted field", r->name, r->rec_line);
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						*out++ = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				*out++ = s[i++];
			}
			if (i < len && s[i] != ',')
				return error("%s:%zu: unexpected character after closing quote in field %zu",
					     r->name, r->rec_line, nf + 1);
		} else {
			beg = s + i;
			while (i < len && s[i] != ',') {
				if (s[i] == '"')
					return error("%s:%zu: stray quote in unquoted field %zu",
						     r->name, r->rec_line, nf + 1);
				i++;
			}
			out = s + i;
		}
		r->fields[nf].s = beg;
		r->fields[nf].len = (size_t)(out - beg);
		nf++;
		if (i >= len) {
			*out = '\0';
			break;
		}
		*out = '\0';	/* the separator (or earlier, after unescaping) */
		i++;		/* skip ',' */
		if (i == len) {	/* trailing comma: one more empty field */
			ALLOC_GROW(r->fields, nf + 1, r->fcap);
			r->fields[nf].s = s + len;
			r->fields[nf].len = 0;
			nf++;
			break;
		}
	}
	return (long)nf;
}

/* Next non-blank record split into fields; returns count, 0 at EOF, -1 error. */
static long next_record(csv_reader *r)
{
	for (;;) {
		size_t len = 0, nlines = 0;
		int rc = locate(r, &len, &nlines);
		if (rc <= 0)
			return rc;
		char *s = r->buf + r->start;
		r->rec_line = r->line + 1;
		r->line += nlines;
		r->start += len + (r->start + len < r->end ? 1 : 0);
		if (len == 0 || (len == 1 && s[0] == '\r'))
			continue;
		return split(r, s, len);
	}
}

csv_reader *csv_open_fp(FILE *fp, const char *name)
{
	csv_reader *r = xcalloc(1, sizeof(*r));
	long nf;
	r->fp = fp;
	r->name = xstrdup(name);
	r->cap = 1 << 16;
	r->buf = xmalloc(r->cap + 1);
	nf = next_record(r);
	if (nf <= 0) {
		if (nf == 0)
			error("'%s': empty file, no header", name);
		csv_free(r);
		return NULL;
	}
	r->ncols = (size_t)nf;
	r->names = xcalloc(r->ncols, sizeof(*r->names));
	for (size_t i = 0; i < r->ncols; i++) {
		const char *s = r->fields[i].s;
		if (i == 0 && !strncmp(s, "\xEF\xBB\xBF", 3))	/* UTF-8 BOM */
			s += 3;
		r->names[i] = xstrdup(s);
	}
	return r;
}

csv_reader *csv_open(const char *path)
{
	FILE *fp;
	csv_reader *r;
	if (!strcmp(path, "-"))
		return csv_open_fp(stdin, "<stdin>");
	fp = fopen(path, "rb");
	if (!fp) {
		error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	r = csv_open_fp(fp, path);
	if (r)
		r->own = 1;
	else
		fclose(fp);
	return r;
}

void csv_free(csv_reader *r)
{
	if (!r)
		return;
	if (r->own)
		fclose(r->fp);
	for (size_t i = 0; i < r->ncols; i++)
		free(r->names[i]);
	free(r->names);
	free(r->fields);
	free(r->buf);
	free(r->name);
	free(r);
}

size_t csv_ncols(const csv_reader *r)
{
	return r->ncols;
}

const char *csv_colname(const csv_reader *r, size_t i)
{
	return i < r->ncols ? r->names[i] : NULL;
}

const char *const *csv_colnames(const csv_reader *r)
{
	return (const char *const *)r->names;
}

static int trimmed_eq(const char *a, const char *b)
{
	size_t la, lb;
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	la = strlen(a);
	lb = strlen(b);
	while (la && a[la - 1] == ' ')
		la--;
	while (lb && b[lb - 1] == ' ')
		lb--;
	return la == lb && !memcmp(a, b, la);
}

long csv_colindex(const csv_reader *r, const char *name)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (!strcmp(r->names[i], name))
			return (long)i;
	for (size_t i = 0; i < r->ncols; i++)
		if (trimmed_eq(r->names[i], name))
			return (long)i;
	return -1;
}

int csv_read(csv_reader *r, csv_field **fields)
{
	long nf = next_record(r);
	if (nf <= 0)
		return (int)nf;
	if ((size_t)nf != r->ncols)
		return error("%s:%zu: expected %zu fields, found %ld", r->name, r->rec_line,
			     r->ncols, nf);
	*fields = r->fields;
	return 1;
}

size_t csv_line(const csv_reader *r)
{
	return r->rec_line;
}

const char *csv_name(const csv_reader *r)
{
	return r->name;
}

void csv_write_field(FILE *fp, const char *s, size_t len)
{
	int quote = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') {
			quote = 1;
			break;
		}
	if (!quote) {
		fwrite(s, 1, len, fp);
		return;
	}
	putc('"', fp);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			putc('"', fp);
		putc(s[i], fp);
	}
	putc('"', fp);
}

void csv_write_row(FILE *fp, const char *const *fields, const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc(',', fp);
		csv_write_field(fp, fields[i], lens ? lens[i] : strlen(fields[i]));
	}
	putc('\n', fp);
}
