/*
 * table_fastparse: the exact number fast path (csv_number_fast, csv_number)
 * against strtod bit for bit, hard spellings and random decimals; and
 * table_load's one-pass row parser (csv_next + fast_row) against the
 * general path: the same floats, rows, labels and source lines for rows
 * that take it and rows that do not, and the same errors (file, line,
 * column) wherever the bad cell or field count is.
 */
#include "check.h"
#include "csv.h"
#include "table.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int same_bits(double a, double b)
{
	return !memcmp(&a, &b, sizeof(a));
}

/* csv_number agrees with strtod on s (a whole-string parse), and the fast path either declines or agrees. */
static void check_spelling(const char *s, int want_ok)
{
	double v = 12345, f = 54321, ref;
	char *end;
	size_t n = strlen(s), k = csv_number_fast(s, n, &f);
	int ok = csv_number(s, n, &v);

	if (ok != want_ok)
		fprintf(stderr, "csv_number('%s') = %d, want %d\n", s, ok, want_ok);
	CHECK(ok == want_ok);
	if (n && k == n) {
		CHECK(ok);
		if (!same_bits(f, v))
			fprintf(stderr, "'%s': fast %.17g, csv_number %.17g\n", s, f, v);
		CHECK(same_bits(f, v));
	}
	if (!ok)
		return;
	ref = strtod(s, &end);
	if (*end == '\0' && end != s) {
		if (!(same_bits(v, ref) || (isnan(v) && isnan(ref))))
			fprintf(stderr, "'%s': csv_number %.17g, strtod %.17g\n", s, v, ref);
		CHECK(same_bits(v, ref) || (isnan(v) && isnan(ref)));
	}
}

static rng gen;

/* the project's own generator, one fixed stream: the same decimals every run */
static uint64_t next_rand(void)
{
	return rng_next(&gen);
}

/* A random plain decimal: sign, 0-24 integer and 0-24 fraction digits, maybe an exponent. */
static void random_decimal(char *b)
{
	size_t o = 0, ni = next_rand() % 25, nfr = next_rand() % 25;

	if (next_rand() % 4 == 0)
		b[o++] = next_rand() % 2 ? '-' : '+';
	for (size_t i = 0; i < ni; i++)
		b[o++] = (char)('0' + next_rand() % 10);
	if (next_rand() % 2) {
		b[o++] = '.';
		for (size_t i = 0; i < nfr; i++)
			b[o++] = (char)('0' + next_rand() % 10);
	}
	if (next_rand() % 3 == 0)
		o += (size_t)sprintf(b + o, "%c%s%d", next_rand() % 2 ? 'e' : 'E',
				     next_rand() % 2 ? "-" : next_rand() % 2 ? "+" : "",
				     (int)(next_rand() % (next_rand() % 4 ? 40 : 400)));
	b[o] = '\0';
}

static char tpath[64];

static const char *write_tmp(const char *text)
{
	int fd;

	strcpy(tpath, "/tmp/table_fastparse_XXXXXX");
	fd = mkstemp(tpath);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return tpath;
}

#include "load_msg.h"

/* A bad CSV: table_load fails and its message holds want. */
static void check_error(const char *csv, const char *want)
{
	table t;
	table_opts o;
	char msg[512];

	table_opts_default(&o);
	CHECK(load_msg(&t, write_tmp(csv), &o, msg, sizeof(msg)) < 0);
	if (!strstr(msg, want))
		fprintf(stderr, "error for %s: got '%s', want '%s'\n", csv, msg, want);
	CHECK(strstr(msg, want) != NULL);
	unlink(tpath);
}

int main(void)
{
	static const char *const good[] = {
		"0", "-0", "+0", "-0.0", "5", "+5", "5.", ".5", "-.5", "0.1", "0.3", "95.162",
		"3.88141e+06", "1E+05", "1e22", "1e-22", "1e23", "1e-23", "123e-25", "1.5e300",
		"9007199254740992", "9007199254740993", "9007199254740991.5",
		"1234567890123456789", "12345678901234567890", "0.0000000000000000001",
		"000000000000000000000000001", "123456789012345.6", "1.7976931348623157e308",
		"4.9e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
		"2.2250738585072014e-308", "1e-400", "-1e-400", "1e999", "-1E+400", "1e0999",
		"NaN", "nan", "-nan", "Infinity", "-Infinity", "inf", "-inf", "INF",
		"3.4028235e38", "3.4028236e38", "1e-45", "1.401298464324817e-45",
		"0.000001", "65535", "28960", "252696", "1286.12", "-1", "1e1", "1e01", "1e001",
	};
	static const char *const bad[] = {
		"", "-", "+", ".", "-.", "e5", "1e", "1e+", "1e-", "1.2.3", "1e5.5", "0x10", " 1",
		"1 ", "1,", "--1", "+-1", "1e+-5", "abc", "1a", "nann", "infinit", "1\r",
	};
	char b[128];
	double v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check_spelling(good[i], 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_spelling(bad[i], 0);
	/* -0 keeps its sign; what the fast path declines */
	CHECK(csv_number_fast("-0", 2, &v) == 2 && v == 0 && signbit(v));
	CHECK(csv_number_fast("9007199254740993", 16, &v) == 0);	/* > 2^53 */
	CHECK(csv_number_fast("12345678901234567890", 20, &v) == 0);	/* 20 digits */
	CHECK(csv_number_fast("1e23", 4, &v) == 0);
	CHECK(csv_number_fast("1e1000", 6, &v) == 0);	/* a 4-digit exponent */
	CHECK(csv_number_fast("4.9e-324", 8, &v) == 0);
	CHECK(csv_number_fast("NaN", 3, &v) == 0);
	/* the bytes it takes: the caller checks what follows */
	CHECK(csv_number_fast("12,5", 4, &v) == 2 && v == 12);
	CHECK(csv_number_fast("-1.5e3x", 7, &v) == 6 && v == -1500);
	CHECK(csv_number_fast("7", 1, &v) == 1 && v == 7);
	CHECK(csv_number_fast("77", 1, &v) == 1 && v == 7);	/* never reads past len */
	rng_seed(&gen, 20261204);
	for (int i = 0; i < 200000; i++) {
		char *end;

		random_decimal(b);
		(void)strtod(b, &end);	/* a number when strtod takes all of it */
		check_spelling(b, *b && *end == '\0');
	}

	/* table_load: fast rows and general rows give the same table */
	{
		static const char *const cells[] = {
			"1", "-0", "0.1", "95.162", "3.88141e+06", "12345678901234567890",
			"9007199254740993", "4.9e-324", "1e23", "2.2250738585072011e-308", "1e-400",
			"65535", "+7", ".5", "5.", "3.4028234e38", "1e-45", "9e37",
		};
		size_t nc = sizeof(cells) / sizeof(cells[0]);
		char *csv = xmalloc(65536), *q = csv;
		table t;
		table_opts o;

		q += sprintf(q, "Flow ID,A,B,Label,C\n");
		for (size_t i = 0; i < nc; i++)
			q += sprintf(q, "id%zu,%s,%s,%s,%s\n", i, cells[i], cells[nc - 1 - i],
				     i % 3 ? "x" : "y z", cells[(i * 7) % nc]);
		/* a quoted row, a CRLF row, a blank line, quoted label */
		q += sprintf(q, "\"id,q\",\"2\",3,x,4\n\nidr,5,6,y z,7\r\nidl,8,9,\"x\",10\n");
		table_opts_default(&o);
		CHECK(table_load(&t, write_tmp(csv), &o) == 0);
		CHECK(t.n_rows == nc + 3 && t.n_features == 3 && t.n_classes == 2);
		for (size_t i = 0; i < nc && t.n_rows == nc + 3; i++) {
			const char *want[3] = { cells[i], cells[nc - 1 - i], cells[(i * 7) % nc] };

			for (size_t j = 0; j < 3; j++) {
				float w = (float)strtod(want[j], NULL);

				if (memcmp(&t.X[j * t.n_rows + i], &w, sizeof(w)))
					fprintf(stderr, "row %zu col %zu '%s': got %.9g want %.9g\n", i, j,
						want[j], (double)t.X[j * t.n_rows + i], (double)w);
				CHECK(!memcmp(&t.X[j * t.n_rows + i], &w, sizeof(w)));
			}
			CHECK(t.src_line[i] == i + 2);
			CHECK_STR(t.classes[t.y[i]], i % 3 ? "x" : "y z");
		}
		if (t.n_rows == nc + 3) {
			size_t r = nc, n = t.n_rows;

			CHECK(t.X[r] == 2 && t.X[n + r] == 3 && t.X[2 * n + r] == 4);
			CHECK(t.X[r + 1] == 5 && t.X[n + r + 1] == 6 && t.X[2 * n + r + 1] == 7);
			CHECK(t.X[r + 2] == 8 && t.X[2 * n + r + 2] == 10);
			CHECK(t.src_line[r] == nc + 2 && t.src_line[r + 1] == nc + 4 &&
			      t.src_line[r + 2] == nc + 5);
			CHECK_STR(t.classes[t.y[r + 1]], "y z");
			CHECK_STR(t.classes[t.y[r + 2]], "x");
		}
		table_release(&t);
		unlink(tpath);
		free(csv);
	}

	/* errors name the file's line and the column wherever the bad cell is */
	check_error("A,B,C,Label\n1,2,3,x\nq,2,3,x\n", ":3: column 'A': 'q' is not a number");
	check_error("A,B,C,Label\n1,2,3,x\n1,2x,3,x\n", ":3: column 'B': '2x' is not a number");
	check_error("A,B,C,Label\n1,2,3,x\n1,2,3 ,x\n", ":3: column 'C': '3 ' is not a number");
	check_error("A,B,Label,C\n1,2,x,3\n1,2,x,\n", ":3: column 'C': empty value");
	check_error("A,B,Label,C\n1,2,x,3\n1,,x,3\n", ":3: column 'B': empty value");
	check_error("A,B,Label\n1,2,x\n1,2\n", ":3: expected 3 fields, found 2");
	check_error("A,B,Label\n1,2,x\n1,2,x,\n", ":3: expected 3 fields, found 4");
	check_error("A,B,Label\n1,2,x\n1,2,x,4\n", ":3: expected 3 fields, found 4");
	check_error("A,B,Label\n1,2,x\n\"1,2,x\n", "unterminated quoted field");
	check_error("A,B,Label\n1,2,x\n1,NaN,x\n", ":3: column 'B': value 'NaN' is NaN");
	check_error("A,B,Label\n1,2,x\n1,2,x\n-Infinity,2,x\n", ":4: column 'A': value '-Infinity' is infinite");
	check_error("A,B,Label\n1,2,x\n1,2e,x\n", ":3: column 'B': '2e' is not a number");
	check_error("A,B,Label\n1,2,x\n1,\"2\"x,x\n", "unexpected character after closing quote");
	return check_done();
}
