/*
 * Unit tests for labeler/lcsv.c: on random CSV text (quotes, embedded commas
 * and line breaks, CRLF, blank lines, long fields across the 64-byte blocks
 * and the read buffer) it returns the same values as common/csv.c, raw
 * fields that are the input bytes, and the same errors.
 */
#include "check.h"
#include "csv.h"
#include "lcsv.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[] = "/tmp/labeler_lcsv_XXXXXX";

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

static void compare_with_common(const char *text, size_t n, int *rows_out)
{
	csv_reader *a;
	lcsv *b;
	csv_field *fa;
	expr_cell *cb, *rb;
	int ra, rbv, rows = 0;
	put(text, n);
	a = csv_open(path);
	b = lcsv_open(path);
	CHECK((a == NULL) == (b == NULL));
	if (!a || !b) {
		csv_free(a);
		lcsv_free(b);
		return;
	}
	CHECK_EQ(csv_ncols(a), lcsv_ncols(b));
	for (size_t i = 0; i < csv_ncols(a) && i < lcsv_ncols(b); i++)
		CHECK_STR(lcsv_colnames(b)[i], csv_colname(a, i));
	for (;;) {
		ra = csv_read(a, &fa);
		rbv = lcsv_read(b, &cb, &rb);
		CHECK_EQ(rbv, ra);
		if (ra != 1 || rbv != 1)
			break;
		rows++;
		CHECK_EQ(lcsv_line(b), csv_line(a));
		for (size_t i = 0; i < csv_ncols(a); i++) {
			CHECK(cb[i].len == fa[i].len && !memcmp(cb[i].s, fa[i].s, fa[i].len));
			/* raw bytes lie inside the input and unquote to the value */
			CHECK(rb[i].s >= lcsv_record(b, &(size_t){ 0 }));
			if (rb[i].len && rb[i].s[0] == '"')
				CHECK(rb[i].len >= cb[i].len + 2);
			else
				CHECK(rb[i].len == cb[i].len && !memcmp(rb[i].s, cb[i].s, cb[i].len));
		}
	}
	*rows_out = rows;
	csv_free(a);
	lcsv_free(b);
}

int main(void)
{
	rng r;
	int fd = mkstemp(path);
	size_t cap = 1 << 24;
	char *buf = xmalloc(cap);
	int rows = 0, total = 0;

	util_set_progname("labeler_lcsv");
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
		compare_with_common(buf, n, &rows);
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
			compare_with_common(bad[i], strlen(bad[i]), &rows);
		}
	}

	/* a record with a quote after the first 64 bytes, and a CRLF header */
	{
		const char *t = "h1,h2\r\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\"x\r\ny\"\r\n";
		lcsv *b;
		expr_cell *c, *rw;
		put(t, strlen(t));
		b = lcsv_open(path);
		CHECK(b && lcsv_crlf(b));
		if (b) {
			CHECK_EQ(lcsv_read(b, &c, &rw), 1);
			CHECK(c[1].len == 4 && !memcmp(c[1].s, "x\r\ny", 4));
			CHECK(rw[1].len == 6 && !memcmp(rw[1].s, "\"x\r\ny\"", 6));
			CHECK_EQ(lcsv_read(b, &c, &rw), 0);
			lcsv_free(b);
		}
	}
	unlink(path);
	free(buf);
	return check_done();
}
