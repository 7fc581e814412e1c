/*
 * lcsv.c: the labeler's CSV reader. See lcsv.h.
 *
 * A record is found with memchr for its LF; when it holds no quote (the
 * CICFlowMeter case) it is split on commas in one pass and the raw and value
 * spans coincide. Records with quotes take a slow path that tracks quoting
 * across line breaks and unescapes values into a side buffer.
 */
#include "lcsv.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lcsv {
	FILE *fp;
	int own;
	char *name;
	char *buf;
	size_t cap, start, end;	/* unread bytes are buf[start..end) */
	int eof;
	size_t line, rec_line;
	const char *rec;
	size_t reclen;
	size_t ncols;
	char **names;
	int crlf, lastcr;
	expr_cell *cells, *raw;
	size_t fcap;		/* entries in cells/raw */
	size_t *pos, pcap;	/* comma positions of a plain record */
	char *vbuf;		/* unescaped values of a quoted record */
	size_t vcap;
};

static int fill(lcsv *r)
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
 * Find the next record at buf[start..): *len excludes the LF, *nlines is the
 * number of lines it spans. The fast mode takes the next LF as its end
 * (*quoted = 0); scan_quotes tracks quoting (*quoted = 1), for records that
 * split_plain found a quote in.
 * Returns 1, 0 at end of file, -1 on error.
 */
static int locate(lcsv *r, size_t *len, size_t *nlines, int *quoted, int scan_quotes)
{
	size_t scanned = 0;
	while (!scan_quotes) {
		char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *q = memchr(p + scanned, '\n', avail - scanned);
		if (q) {
			*len = (size_t)(q - p);
			*nlines = 1;
			*quoted = 0;	/* split_plain finds quotes, if any */
			return 1;
		}
		scanned = avail;
		int f = fill(r);
		if (f < 0)
			return -1;
		if (f == 0) {
			if (avail == 0)
				return 0;
			*len = avail;
			*nlines = 1;
			*quoted = 0;
			return 1;
		}
	}
	/* quoted: a LF inside quotes does not end the record */
	size_t i = 0, lines = 0;
	int inq = 0;
	*quoted = 1;
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
			if (inq)
				return error("%s:%zu: unterminated quoted field", r->name, r->line + 1);
			*len = avail;
			*nlines = lines + 1;
			return 1;
		}
	}
}

static void grow_fields(lcsv *r, size_t need)
{
	if (need > r->fcap) {
		size_t n = r->fcap ? r->fcap : 16;
		while (n < need)
			n = st_mult(n, 2);
		r->cells = xreallocarray(r->cells, n, sizeof(*r->cells));
		r->raw = xreallocarray(r->raw, n, sizeof(*r->raw));
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
 * (a CICFlowMeter row has about one comma per 9 bytes).
 */
static long split_plain(lcsv *r, const char *s, size_t len)
{
	size_t n = 0, i = 0, b = 0, max = r->fcap, *pos;
	expr_cell *c = r->cells;
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
	return (long)(n + 1);
}

/* Split a record holding quotes; returns the field count or -1. */
static long split_quoted(lcsv *r, const char *s, size_t len)
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
		grow_fields(r, nf + 1);
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
		r->cells[nf].s = vb;
		r->cells[nf].len = (size_t)(out - vb);
		r->raw[nf].s = s + rb;
		r->raw[nf].len = i - rb;
		nf++;
		if (i >= len)
			break;
		i++;	/* the comma */
		if (i == len) {
			grow_fields(r, nf + 1);
			r->cells[nf].s = r->raw[nf].s = s + len;
			r->cells[nf].len = r->raw[nf].len = 0;
			nf++;
			break;
		}
	}
	return (long)nf;
}

/* Next non-blank record split into fields: count, 0 at EOF, -1 on error. */
static long next_record(lcsv *r, int *quoted)
{
	for (;;) {
		size_t len = 0, nlines = 0, reclen;
		long nf = 0;
		int rc = locate(r, &len, &nlines, quoted, 0);
		char *s;
		if (rc <= 0)
			return rc;
		s = r->buf + r->start;
		reclen = len && s[len - 1] == '\r' ? len - 1 : len;
		if (reclen && (nf = split_plain(r, s, reclen)) == -2) {
			rc = locate(r, &len, &nlines, quoted, 1);	/* may move the buffer */
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
		if (*quoted)
			return split_quoted(r, s, reclen);
		return nf;
	}
}

lcsv *lcsv_open(const char *path)
{
	lcsv *r = xcalloc(1, sizeof(*r));
	long nf;
	int quoted;
	if (!strcmp(path, "-")) {
		r->fp = stdin;
		r->name = xstrdup("<stdin>");
	} else {
		r->fp = fopen(path, "rb");
		if (!r->fp) {
			error("cannot open '%s': %s", path, strerror(errno));
			free(r);
			return NULL;
		}
		r->own = 1;
		r->name = xstrdup(path);
	}
	r->cap = 1 << 22;
	r->buf = xmalloc(r->cap + 1);
	grow_fields(r, 256);
	nf = next_record(r, &quoted);
	if (nf <= 0) {
		if (nf == 0)
			error("'%s': empty file, no header", r->name);
		lcsv_free(r);
		return NULL;
	}
	if (!quoted && (size_t)nf > r->fcap) {	/* wide header: split again */
		grow_fields(r, (size_t)nf);
		(void)split_plain(r, r->rec, r->reclen);
	}
	r->crlf = r->lastcr;
	r->ncols = (size_t)nf;
	r->names = xcalloc(r->ncols, sizeof(*r->names));
	for (size_t i = 0; i < r->ncols; i++) {
		const char *s = r->cells[i].s;
		size_t n = r->cells[i].len;
		if (i == 0 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
			s += 3;
			n -= 3;
		}
		r->names[i] = xstrndup(s, n);
	}
	grow_fields(r, r->ncols + 1);
	return r;
}

void lcsv_free(lcsv *r)
{
	if (!r)
		return;
	if (r->own)
		fclose(r->fp);
	for (size_t i = 0; i < r->ncols; i++)
		free(r->names[i]);
	free(r->names);
	free(r->cells);
	free(r->raw);
	free(r->vbuf);
	free(r->pos);
	free(r->buf);
	free(r->name);
	free(r);
}

size_t lcsv_ncols(const lcsv *r)
{
	return r->ncols;
}

const char *const *lcsv_colnames(const lcsv *r)
{
	return (const char *const *)r->names;
}

int lcsv_crlf(const lcsv *r)
{
	return r->crlf;
}

int lcsv_read(lcsv *r, expr_cell **cells, expr_cell **raw)
{
	int quoted;
	long nf = next_record(r, &quoted);
	if (nf <= 0)
		return (int)nf;
	if ((size_t)nf != r->ncols)
		return error("%s:%zu: expected %zu fields, found %ld", r->name, r->rec_line, r->ncols, nf);
	*cells = r->cells;
	*raw = quoted ? r->raw : r->cells;
	return 1;
}

const char *lcsv_record(const lcsv *r, size_t *len)
{
	*len = r->reclen;
	return r->rec;
}

size_t lcsv_line(const lcsv *r)
{
	return r->rec_line;
}

const char *lcsv_name(const lcsv *r)
{
	return r->name;
}
