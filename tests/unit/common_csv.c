/* Unit tests for common/csv: quoting, CRLF, blank lines, ragged rows, big records. */
#include "check.h"
#include "csv.h"
#include "util.h"

#include <stdlib.h>

static csv_reader *from_string(const char *s)
{
	FILE *fp = fmemopen((void *)(uintptr_t)s, strlen(s), "r");
	return csv_open_fp(fp, "mem.csv");
}

static void test_basic(void)
{
	csv_field *f;
	csv_reader *r = from_string("a,b c,\"d,e\"\r\n1,\"x \"\"q\"\"\",\r\n\n\"multi\nline\",2,3");
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ(csv_ncols(r), 3);
	CHECK_STR(csv_colname(r, 1), "b c");
	CHECK_STR(csv_colname(r, 2), "d,e");
	CHECK_EQ(csv_colindex(r, "d,e"), 2);
	CHECK_EQ(csv_colindex(r, " a "), 0);
	CHECK_EQ(csv_colindex(r, "zz"), -1);
	CHECK_EQ(csv_read(r, &f), 1);
	CHECK_STR(f[0].s, "1");
	CHECK_STR(f[1].s, "x \"q\"");
	CHECK_EQ(f[1].len, 5);
	CHECK_STR(f[2].s, "");
	CHECK_EQ(csv_line(r), 2);
	CHECK_EQ(csv_read(r, &f), 1);	/* blank line skipped */
	CHECK_STR(f[0].s, "multi\nline");
	CHECK_STR(f[2].s, "3");
	CHECK_EQ(csv_line(r), 4);
	CHECK_EQ(csv_read(r, &f), 0);
	CHECK_EQ(csv_read(r, &f), 0);
	csv_free(r);
}

static void test_errors(void)
{
	csv_field *f;
	csv_reader *r = from_string("a,b\n1,2\n1,2,3\n");
	CHECK(r && csv_read(r, &f) == 1);
	fprintf(stderr, "(expected error follows)\n");
	CHECK(r && csv_read(r, &f) == -1);
	csv_free(r);
	r = from_string("a,b\n\"unterminated,2\n");
	CHECK(r && csv_read(r, &f) == -1);
	csv_free(r);
	r = from_string("a,b\nx\"y,2\n");
	CHECK(r && csv_read(r, &f) == -1);
	csv_free(r);
	r = from_string("");
	CHECK(r == NULL);
	r = from_string("\xEF\xBB\xBFh1,h2\n");
	CHECK(r && !strcmp(csv_colname(r, 0), "h1"));
	CHECK(r && csv_read(r, &f) == 0);
	csv_free(r);
	r = from_string("a,b\n1,\n");	/* trailing empty field */
	CHECK(r && csv_read(r, &f) == 1 && f[1].len == 0);
	csv_free(r);
	CHECK(csv_open("/nonexistent/x.csv") == NULL);
}

static void test_big(void)
{
	/* records larger than the initial buffer, many rows */
	size_t n = 200000;
	char *s = xmalloc(n + 50000 * 16 + 100);
	size_t k = 0;
	csv_field *f;
	k += (size_t)sprintf(s, "big,small\n");
	for (size_t i = 0; i < n; i++)
		s[k++] = 'x';
	k += (size_t)sprintf(s + k, ",1\n");
	for (int i = 0; i < 50000; i++)
		k += (size_t)sprintf(s + k, "%d,%d\n", i, i * 2);
	s[k] = 0;
	FILE *fp = fmemopen(s, k, "r");
	csv_reader *r = csv_open_fp(fp, "big.csv");
	CHECK(r && csv_read(r, &f) == 1 && f[0].len == n);
	int rows = 0, okv = 1;
	while (r && csv_read(r, &f) == 1) {
		if (atoi(f[1].s) != 2 * atoi(f[0].s))
			okv = 0;
		rows++;
	}
	CHECK_EQ(rows, 50000);
	CHECK(okv);
	csv_free(r);
	fclose(fp);
	free(s);
}

static void test_writer(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	const char *row[] = { "plain", "with,comma", "q\"uote", "" };
	csv_write_row(fp, row, NULL, 4);
	fclose(fp);
	CHECK_STR(buf, "plain,\"with,comma\",\"q\"\"uote\",\n");
	/* round trip */
	csv_field *f;
	char *doc = xmalloc(len + 16);
	sprintf(doc, "a,b,c,d\n%s", buf);
	csv_reader *r = from_string(doc);
	CHECK(r && csv_read(r, &f) == 1);
	if (r) {
		CHECK_STR(f[1].s, "with,comma");
		CHECK_STR(f[2].s, "q\"uote");
	}
	csv_free(r);
	free(doc);
	free(buf);
}

int main(void)
{
	util_set_progname("test");
	test_basic();
	test_errors();
	test_big();
	test_writer();
	return check_done();
}
