/*
 * csv.c: streaming CSV reader and writer. See csv.h.
 *
 * The reader keeps a growable buffer. A record is found with memchr for its
 * LF; when it holds no quote (the CICFlowMeter case) it is split on commas
 * in one pass (64 bytes at a time with SSE2) and its values are spans of the
 * buffer (NUL-terminated in place unless raw mode). A record with quotes is
 * located again tracking quotes across line breaks and its values are
 * unescaped into a side buffer, NUL-terminated, while the raw spans keep
 * the bytes of the file.
 */
#include "csv.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

struct csv_reader {
	FILE *fp;
	int own;
	int raw;		/* raw mode: never write into the record */
	char *name;
	char *buf;
	size_t cap, start, end;	/* unread bytes are buf[start..end) */
	int eof;
	size_t line;		/* lines consumed so far */
	size_t rec_line;	/* first line of the last record */
	char *rec;		/* the last record, reclen bytes without line end */
	size_t reclen;
	int quoted;		/* the last record held a quote */
	size_t ncols;
	char **names;
	csv_index *ix;
	int crlf, lastcr, bom;
	csv_field *fields, *rawf;
	size_t fcap;		/* entries in fields/rawf */
	size_t *pos, pcap;	/* comma positions of a plain record */
	char *vbuf;		/* unescaped values of a quoted record */
	size_t vcap;
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

static int too_long(const csv_reader *r, int quoted)
{
	return error("%s:%zu: record longer than %zu MB (%s)", r->name, r->line + 1,
		     CSV_MAX_RECORD >> 20,
		     quoted ? "a quote that is never closed?" : "no line break: not a CSV file?");
}

/*
 * Find the next record at buf[start..): *len excludes the LF, *nlines is the
 * number of lines it spans. The fast mode takes the next LF as its end;
 * scan_quotes tracks quoting, for records split_plain found a quote in.
 * Returns 1, 0 at end of file, -1 on error.
 */
static int locate(csv_reader *r, size_t *len, size_t *nlines, int scan_quotes)
{
	size_t scanned = 0;
	while (!scan_quotes) {
		char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *q = memchr(p + scanned, '\n', avail - scanned);
		if (q) {
			*len = (size_t)(q - p);
			*nlines = 1;
			return 1;
		}
		if (avail > CSV_MAX_RECORD)
			return too_long(r, memchr(p, '"', avail) != NULL);
		scanned = avail;
		int f = fill(r);
		if (f < 0)
			return -1;
		if (f == 0) {
			if (avail == 0)
				return 0;
			*len = avail;
			*nlines = 1;
			return 1;
		}
	}
	/* quoted: a LF inside quotes does not end the record */
	size_t i = 0, lines = 0;
	int inq = 0;
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
		if (avail > CSV_MAX_RECORD)
			return too_long(r, inq);
		int f = fill(r);
		if (f < 0)
			return -1;
		if (f == 0) {
			if (inq)
				return error("%s:%zu: unterminated quoted field", r->name, r->line + 1);
			*len = avail;
			*nlines = lines + 1;
			return 1;
		}
	}
}

static void grow_fields(csv_reader *r, size_t need)
{
	if (need > r->fcap) {
		size_t n = r->fcap ? r->fcap : 16;
		while (n < need)
			n = st_mult(n, 2);
		r->fields = xreallocarray(r->fields, n, sizeof(*r->fields));
		r->rawf = xreallocarray(r->rawf, n, sizeof(*r->rawf));
		r->fcap = n;
	}
}

/* Bit count without a libgcc call when the target has no POPCNT instruction. */
static inline int popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}

/*
 * Split a record on commas; returns the field count (fields beyond fcap are
 * counted only), or -2 when the record holds a quote (it needs split_quoted).
 * With SSE2, 64 bytes at a time: one mask of comma positions, whose bits are
 * turned into positions eight at a time without data-dependent branches
 * (a CICFlowMeter row has about one comma per 9 bytes). Outside raw mode the
 * commas and the record end become NULs.
 */
static long split_plain(csv_reader *r, char *s, size_t len)
{
	size_t n = 0, i = 0, b = 0, max = r->fcap, *pos;
	csv_field *c = r->fields;
	if (len + 80 > r->pcap) {
		r->pcap = st_add(len, 80);
		r->pos = xreallocarray(r->pos, r->pcap, sizeof(*r->pos));
	}
	pos = r->pos;
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
	for (; i + 64 <= len; i += 64) {
		__m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
		__m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 32));
		__m128i v3 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 48));
		__m128i q = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v0, quote), _mm_cmpeq_epi8(v1, quote)),
					 _mm_or_si128(_mm_cmpeq_epi8(v2, quote), _mm_cmpeq_epi8(v3, quote)));
		uint64_t m;
		size_t *p = pos + n;
		int cnt;
		if (_mm_movemask_epi8(q))
			return -2;
		m = (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v0, comma)) |
		    (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v1, comma)) << 16 |
		    (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v2, comma)) << 32 |
		    (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v3, comma)) << 48;
		cnt = popcount64(m);
		/* the top bit keeps ctz defined once m runs out; those slots are past n */
		for (int k = 0; k < 8; k++) {
			p[k] = i + (size_t)__builtin_ctzll(m | 0x8000000000000000ULL);
			m &= m - 1;
		}
		for (int k = 8; k < cnt; k++) {
			p[k] = i + (size_t)__builtin_ctzll(m);
			m &= m - 1;
		}
		n += (size_t)cnt;
	}
#endif
	for (; i < len; i++) {
		if (s[i] == ',')
			pos[n++] = i;
		else if (s[i] == '"')
			return -2;
	}
	for (size_t k = 0; k < n && k < max; k++) {
		c[k].s = s + b;
		c[k].len = pos[k] - b;
		b = pos[k] + 1;
	}
	if (n < max) {
		c[n].s = s + b;
		c[n].len = len - b;
	}
	if (!r->raw && n < max) {	/* (a too wide record is split again or refused) */
		for (size_t k = 0; k < n; k++)
			s[pos[k]] = '\0';
		s[len] = '\0';
	}
	return (long)(n + 1);
}

/* Split a record holding quotes; returns the field count or -1. */
static long split_quoted(csv_reader *r, const char *s, size_t len)
{
	size_t nf = 0, i = 0;
	char *out;
	if (len + 1 > r->vcap) {
		r->vcap = len + 1;
		r->vbuf = xrealloc(r->vbuf, r->vcap);
	}
	out = r->vbuf;
	for (;;) {
		size_t rb = i;
		char *vb = out;
		grow_fields(r, nf + 2);
		if (i < len && s[i] == '"') {
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
			while (i < len && s[i] != ',') {
				if (s[i] == '"')
					return error("%s:%zu: stray quote in unquoted field %zu", r->name,
						     r->rec_line, nf + 1);
				*out++ = s[i++];
			}
		}
		r->fields[nf].s = vb;
		r->fields[nf].len = (size_t)(out - vb);
		*out++ = '\0';	/* room: the comma, or the byte after the record */
		r->rawf[nf].s = s + rb;
		r->rawf[nf].len = i - rb;
		nf++;
		if (i >= len)
			break;
		i++;	/* the comma */
		if (i == len) {
			r->fields[nf].s = r->rawf[nf].s = s + len;
			r->fields[nf].len = r->rawf[nf].len = 0;
			if (!r->raw)
				r->fields[nf].s = "";
			nf++;
			break;
		}
	}
	return (long)nf;
}

/*
 * Next non-blank record into r->rec/r->reclen: split into fields (split:
 * the count; split_plain finds any quote on the way) or not (a quote is
 * looked for with memchr; returns 1). 0 at EOF, -1 on error.
 */
static long take_record(csv_reader *r, int split)
{
	for (;;) {
		size_t len = 0, nlines = 0, reclen;
		long nf = 1;
		int rc = locate(r, &len, &nlines, 0);
		char *s;
		if (rc <= 0)
			return rc;
		s = r->buf + r->start;
		reclen = len && s[len - 1] == '\r' ? len - 1 : len;
		if (split)
			r->quoted = reclen && (nf = split_plain(r, s, reclen)) == -2;
		else
			r->quoted = reclen && memchr(s, '"', reclen) != NULL;
		if (r->quoted) {
			rc = locate(r, &len, &nlines, 1);	/* may move the buffer */
			if (rc <= 0)
				return rc < 0 ? -1 : 0;
			s = r->buf + r->start;
			reclen = len && s[len - 1] == '\r' ? len - 1 : len;
		}
		r->rec_line = r->line + 1;
		r->line += nlines;
		r->start += len + (r->start + len < r->end ? 1 : 0);
		r->lastcr = reclen < len;
		if (reclen == 0)
			continue;
		r->rec = s;
		r->reclen = reclen;
		if (split && r->quoted)
			return split_quoted(r, s, reclen);
		return nf;
	}
}

/* Next non-blank record split into fields: count, 0 at EOF, -1 on error. */
static long next_record(csv_reader *r)
{
	return take_record(r, 1);
}

/* Header checks: CR-only line ends, NUL bytes in names. */
static int check_header(csv_reader *r)
{
	const csv_field *raw = r->quoted ? r->rawf : r->fields;
	size_t off = r->bom ? 3 : 0;
	for (size_t i = 0; i < r->ncols; i++) {
		const char *f = raw[i].s, *p;
		size_t col = off + (size_t)(f - r->rec) + 1;
		if (raw[i].len && f[0] != '"' && (p = memchr(f, '\r', raw[i].len)))
			return error("%s:%zu:%zu: carriage return inside the header: CR-only line ends are "
				     "not supported (convert them to LF, e.g. tr '\\r' '\\n')",
				     r->name, r->rec_line, col + (size_t)(p - f));
		if ((p = memchr(f, '\0', raw[i].len)))
			return error("%s:%zu:%zu: NUL byte in the name of column %zu", r->name,
				     r->rec_line, col + (size_t)(p - f), i + 1);
	}
	return 0;
}

static csv_reader *open_fp(FILE *fp, const char *name, int raw, int own)
{
	csv_reader *r = xcalloc(1, sizeof(*r));
	long nf;
	r->fp = fp;
	r->own = own;
	r->raw = raw;
	r->name = xstrdup(name);
	/* 256 KB stays in cache and is faulted in once (a record longer than
	 * that doubles it, fill) */
	r->cap = 1 << 18;
	r->buf = xmalloc(r->cap + 1);
	grow_fields(r, 256);
	nf = fill(r);
	if (nf > 0 && r->end >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3)) {	/* UTF-8 BOM */
		r->bom = 1;
		r->start = 3;
	}
	if (nf > 0)
		nf = next_record(r);
	if (nf <= 0) {
		if (nf == 0)
			error("'%s': empty file, no header", name);
		r->own = 0;	/* the caller closes fp */
		csv_free(r);
		return NULL;
	}
	if (!r->quoted && (size_t)nf > r->fcap) {	/* wide header: split again */
		grow_fields(r, (size_t)nf);
		(void)split_plain(r, r->rec, r->reclen);
	}
	r->crlf = r->lastcr;
	r->ncols = (size_t)nf;
	if (check_header(r) < 0) {
		r->ncols = 0;
		r->own = 0;
		csv_free(r);
		return NULL;
	}
	r->names = xcalloc(r->ncols, sizeof(*r->names));
	for (size_t i = 0; i < r->ncols; i++)
		r->names[i] = xstrndup(r->fields[i].s, r->fields[i].len);
	grow_fields(r, r->ncols + 1);
	r->ix = csv_index_new((const char *const *)r->names, r->ncols);
	return r;
}

csv_reader *csv_open_fp(FILE *fp, const char *name)
{
	return open_fp(fp, name, 0, 0);
}

csv_reader *csv_open_fp_raw(FILE *fp, const char *name)
{
	return open_fp(fp, name, 1, 0);
}

static csv_reader *open_path(const char *path, int raw)
{
	FILE *fp;
	csv_reader *r;
	if (!strcmp(path, "-"))
		return open_fp(stdin, "<stdin>", raw, 0);
	fp = fopen(path, "rb");
	if (!fp) {
		error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	r = open_fp(fp, path, raw, 1);
	if (!r)
		fclose(fp);
	return r;
}

csv_reader *csv_open(const char *path)
{
	return open_path(path, 0);
}

csv_reader *csv_open_raw(const char *path)
{
	return open_path(path, 1);
}

void csv_free(csv_reader *r)
{
	if (!r)
		return;
	if (r->own)
		fclose(r->fp);
	for (size_t i = 0; i < r->ncols && r->names; i++)
		free(r->names[i]);
	free(r->names);
	csv_index_free(r->ix);
	free(r->fields);
	free(r->rawf);
	free(r->pos);
	free(r->vbuf);
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

int csv_crlf(const csv_reader *r)
{
	return r->crlf;
}

int csv_bom(const csv_reader *r)
{
	return r->bom;
}

long csv_colindex(const csv_reader *r, const char *name)
{
	return csv_index_find(r->ix, name);
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

int csv_next(csv_reader *r, const char **rec, size_t *len)
{
	long rc = take_record(r, 0);
	if (rc <= 0)
		return (int)rc;
	*rec = r->rec;
	*len = r->reclen;
	return 1;
}

int csv_split(csv_reader *r, csv_field **fields)
{
	long nf = r->quoted ? split_quoted(r, r->rec, r->reclen) : split_plain(r, r->rec, r->reclen);
	if (nf < 0)
		return -1;
	if ((size_t)nf != r->ncols)
		return error("%s:%zu: expected %zu fields, found %ld", r->name, r->rec_line,
			     r->ncols, nf);
	*fields = r->fields;
	return 1;
}

csv_field *csv_raw(csv_reader *r)
{
	return r->quoted ? r->rawf : r->fields;
}

const char *csv_record(const csv_reader *r, size_t *len)
{
	*len = r->reclen;
	return r->rec;
}

size_t csv_line(const csv_reader *r)
{
	return r->rec_line;
}

const char *csv_name(const csv_reader *r)
{
	return r->name;
}

/* ---- column index ---- */

struct csv_index {
	const char *const *names;
	size_t n, mask;
	size_t *exact, *trim;	/* open addressing: column + 1, 0 = empty */
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ (h >> 29);
}

static void trim_span(const char *s, const char **b, size_t *n)
{
	size_t l;
	while (*s == ' ')
		s++;
	l = strlen(s);
	while (l && s[l - 1] == ' ')
		l--;
	*b = s;
	*n = l;
}

/* Slot of (s, n) in tab: the slot holding it, or the empty slot where it goes. */
static size_t slot(const csv_index *ix, const size_t *tab, const char *s, size_t n, int trimmed)
{
	size_t h = (size_t)hash_bytes(s, n) & ix->mask;
	for (;; h = (h + 1) & ix->mask) {
		const char *b;
		size_t bn;
		if (!tab[h])
			return h;
		if (trimmed)
			trim_span(ix->names[tab[h] - 1], &b, &bn);
		else {
			b = ix->names[tab[h] - 1];
			bn = strlen(b);
		}
		if (bn == n && !memcmp(b, s, n))
			return h;
	}
}

csv_index *csv_index_new(const char *const *names, size_t n)
{
	csv_index *ix = xcalloc(1, sizeof(*ix));
	size_t size = 16;
	while (size < st_mult(n, 2))
		size *= 2;
	ix->names = names;
	ix->n = n;
	ix->mask = size - 1;
	ix->exact = xcalloc(size, sizeof(*ix->exact));
	ix->trim = xcalloc(size, sizeof(*ix->trim));
	for (size_t i = 0; i < n; i++) {
		const char *b;
		size_t bn, h = slot(ix, ix->exact, names[i], strlen(names[i]), 0);
		if (!ix->exact[h])	/* the first column of a name wins */
			ix->exact[h] = i + 1;
		trim_span(names[i], &b, &bn);
		h = slot(ix, ix->trim, b, bn, 1);
		if (!ix->trim[h])
			ix->trim[h] = i + 1;
	}
	return ix;
}

void csv_index_free(csv_index *ix)
{
	if (!ix)
		return;
	free(ix->exact);
	free(ix->trim);
	free(ix);
}

long csv_index_find(const csv_index *ix, const char *name)
{
	const char *b;
	size_t bn, h = slot(ix, ix->exact, name, strlen(name), 0);
	if (ix->exact[h])
		return (long)ix->exact[h] - 1;
	trim_span(name, &b, &bn);
	h = slot(ix, ix->trim, b, bn, 1);
	return ix->trim[h] ? (long)ix->trim[h] - 1 : -1;
}

const char *const *csv_index_names(const csv_index *ix, size_t *n)
{
	*n = ix->n;
	return ix->names;
}

/* ---- numbers ---- */

const double csv_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Digits, sign, point and exponent only, beyond parse_double_n's reach: overflow -> +-inf. */
static int overflow_number(const char *s, size_t n, double *out)
{
	char *buf, *end;
	double v;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '+' || s[i] == '.' ||
		      s[i] == 'e' || s[i] == 'E'))
			return 0;
	buf = xstrndup(s, n);
	errno = 0;
	v = strtod(buf, &end);
	if (end != buf + n || end == buf) {
		free(buf);
		return 0;
	}
	free(buf);
	*out = v;
	return 1;
}

int csv_number(const char *s, size_t n, double *out)
{
	if (n == 0)
		return 0;
	if (csv_number_fast(s, n, out) == n)
		return 1;
	if (parse_double_n(s, n, 1, out) == 0)
		return 1;
	return overflow_number(s, n, out);
}

int csv_nonfinite_slow(const char *s, size_t n)
{
	double v;
	if (n == 0)
		return 1;
	if (s[n - 1] >= '0' && s[n - 1] <= '9') {
		/* a finite spelling is non-finite only when it overflows: a 3-digit
		 * exponent (1e999, 1E+400) or 300 digits and more */
		char c = n >= 5 ? s[n - 4] : '0';
		if ((c | 0x20) == 'e' || c == '+' || c == '-' || n >= 300)
			return csv_number(s, n, &v) && !isfinite(v);
		return 0;
	}
	if (s[0] == '-' || s[0] == '+') {
		s++;
		n--;
	}
	if (n == 0 || !(s[0] == 'N' || s[0] == 'n' || s[0] == 'I' || s[0] == 'i'))
		return 0;
	return (n == 3 && (!strncasecmp(s, "nan", 3) || !strncasecmp(s, "inf", 3))) ||
	       (n == 8 && !strncasecmp(s, "infinity", 8));
}

/* ---- writer ---- */

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
