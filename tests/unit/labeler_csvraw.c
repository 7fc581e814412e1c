/*
 * Unit tests for the raw mode of common/csv.c (the labeler's reader): on
 * random CSV text (quotes, embedded commas and line breaks, CRLF, blank
 * lines, long fields across the 64-byte blocks and the read buffer) it
 * returns the same values as the default mode, raw fields that are the
 * input bytes, tile the record and unquote to the values, and the same
 * line numbers and errors.
 */
#include "check.h"
#include "csv.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[] = "/tmp/labeler_csv_XXXXXX";

static void put(const char *text, size_t n)
{
	FILE *fp = fopen(path, "wb");
	fwrite(text, 1, n, fp);
	fclose(fp);
}

/* Random field: mostly plain, sometimes quoted with , " CR LF inside. */
static size_t field(rng *r, char *out)
{
	size_t n = 0, len = rng_below(r, 8) == 0 ? 40 + rng_below(r, 200) : rng_below(r, 12);
	int quoted = rng_below(r, 6) == 0;
	if (quoted)
		out[n++] = '"';
	for (size_t i = 0; i < len; i++) {
		uint64_t k = rng_below(r, 30);
		if (quoted && k == 0) {
			out[n++] = '"';
			out[n++] = '"';
		} else if (quoted && k == 1) {
			out[n++] = ',';
		} else if (quoted && k == 2) {
			out[n++] = '\n';
		} else {
			out[n++] = (char)('a' + (int)rng_below(r, 26));
		}
	}
	if (quoted)
		out[n++] = '"';
	return n;
}

/* Undo the quoting of one raw field. */
static size_t unquote(const char *s, size_t n, char *out)
{
	size_t o = 0;
	if (!n || s[0] != '"') {
		memcpy(out, s, n);
		return n;
	}
	for (size_t i = 1; i + 1 < n; i++) {
		out[o++] = s[i];
		if (s[i] == '"')
			i++;
	}
	return o;
}

static void compare_modes(const char *text, size_t n, int *rows_out)
{
	csv_reader *a, *b;
	csv_field *fa, *cb, *rb;
	int ra, rbv, rows = 0;
	char *tmp = xmalloc(n + 1);
	put(text, n);
	a = csv_open(path);
	b = csv_open_raw(path);
	CHECK((a == NULL) == (b == NULL));
	if (!a || !b) {
		csv_free(a);
		csv_free(b);
		free(tmp);
		return;
	}
	CHECK_EQ(csv_ncols(a), csv_ncols(b));
	for (size_t i = 0; i < csv_ncols(a) && i < csv_ncols(b); i++)
		CHECK_STR(csv_colnames(b)[i], csv_colname(a, i));
	for (;;) {
		size_t rl;
		const char *rec;
		ra = csv_read(a, &fa);
		rbv = csv_read(b, &cb);
		CHECK_EQ(rbv, ra);
		if (ra != 1 || rbv != 1)
			break;
		rows++;
		rb = csv_raw(b);
		rec = csv_record(b, &rl);
		CHECK_EQ(csv_line(b), csv_line(a));
		for (size_t i = 0; i < csv_ncols(a); i++) {
			CHECK(cb[i].len == fa[i].len && !memcmp(cb[i].s, fa[i].s, fa[i].len));
			CHECK(fa[i].s[fa[i].len] == '\0');
			/* raw bytes lie inside the record and unquote to the value */
			CHECK(rb[i].s >= rec && rb[i].s + rb[i].len <= rec + rl);
			CHECK(unquote(rb[i].s, rb[i].len, tmp) == cb[i].len && !memcmp(tmp, cb[i].s, cb[i].len));
			/* fields and separators tile the record */
			if (i + 1 < csv_ncols(a))
				CHECK(rb[i].s + rb[i].len < rec + rl && rb[i].s[rb[i].len] == ',' &&
				      rb[i + 1].s == rb[i].s + rb[i].len + 1);
		}
		CHECK(rb[0].s == rec && rb[csv_ncols(a) - 1].s + rb[csv_ncols(a) - 1].len == rec + rl);
	}
	*rows_out = rows;
	csv_free(a);
	csv_free(b);
	free(tmp);
}

int main(void)
{
	rng r;
	int fd = mkstemp(path);
	size_t cap = 1 << 24;
	char *buf = xmalloc(cap);
	int rows = 0, total = 0;

	util_set_progname("labeler_csvraw");
	CHECK(fd >= 0);
	close(fd);
	rng_seed(&r, 7);

	/* random files, some large enough to cross the 4 MiB read buffer */
	for (int t = 0; t < 40; t++) {
		size_t n = 0, ncols = 1 + rng_below(&r, 90);
		size_t nrows = t < 3 ? 20000 : rng_below(&r, 200);
		int crlf = rng_below(&r, 3) == 0;
		for (size_t row = 0; row <= nrows; row++) {
			if (n + 300 * ncols > cap)
				break;
			for (size_t c = 0; c < ncols; c++) {
				if (c)
					buf[n++] = ',';
				n += field(&r, buf + n);
			}
			if (crlf)
				buf[n++] = '\r';
			buf[n++] = '\n';
			if (rng_below(&r, 50) == 0)
				buf[n++] = '\n';	/* blank line */
		}
		if (rng_below(&r, 4) == 0 && n > 1)
			n--;	/* no final line break */
		rows = 0;
		compare_modes(buf, n, &rows);
		total += rows;
	}
	fprintf(stderr, "%d rows compared\n", total);
	CHECK(total > 20000);

	/* errors: same messages are printed; here the return codes */
	{
		static const char *const bad[] = {
			"a,b\n1,2,3\n", "a,b\n1\n", "a,b\n\"1,2\n", "a,b\n1\"x,2\n", "a,b\n\"1\"x,2\n", "",
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			rows = 0;
			compare_modes(bad[i], strlen(bad[i]), &rows);
		}
	}

	/* a record with a quote after the first 64 bytes, and a CRLF header */
	{
		const char *t = "h1,h2\r\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\"x\r\ny\"\r\n";
		csv_reader *b;
		csv_field *c, *rw;
		put(t, strlen(t));
		b = csv_open_raw(path);
		CHECK(b && csv_crlf(b));
		if (b) {
			CHECK_EQ(csv_read(b, &c), 1);
			rw = csv_raw(b);
			CHECK(c[1].len == 4 && !memcmp(c[1].s, "x\r\ny", 4));
			CHECK(rw[1].len == 6 && !memcmp(rw[1].s, "\"x\r\ny\"", 6));
			CHECK_EQ(csv_read(b, &c), 0);
			csv_free(b);
		}
	}
	unlink(path);
	free(buf);
	return check_done();
}
