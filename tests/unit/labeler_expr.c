/* Unit tests for labeler/expr.c: parsing, precedence, types, evaluation on text cells. */
#include "check.h"
#include "expr.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cols[] = { "Src IP", "Src Port", "Dst IP", "Dst Port", "Protocol",
				    "Total Fwd Packet", "Total Bwd packets", "Flow Bytes/s", "Label",
				    "a", "b" };
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* Row values in the order of cols. */
static const char *row1[NCOLS] = { "10.1.2.3", "51000", "2001:db8::1", "443", "6",
				   "31", "2", "NaN", "other", "1.2E7", "abc" };
static const char *row2[NCOLS] = { "192.168.1.7", "53", "8.8.8.8", "40000", "17",
				   "3", "30", "Infinity", "it's", "-Infinity", "12" };

static int eval_on(const char *text, const char *const *vals, const char *label)
{
	expr_error err;
	expr_cell cells[NCOLS];
	expr *e = expr_compile(text, strlen(text), cols, NCOLS, &err);
	int v;
	if (!e) {
		fprintf(stderr, "compile failed for \"%s\": %zu: %s\n", text, err.pos, err.msg);
		return -1;
	}
	for (size_t i = 0; i < NCOLS; i++) {
		cells[i].s = vals[i];
		cells[i].len = strlen(vals[i]);
	}
	v = expr_eval(e, cells, label, label ? strlen(label) : 0);
	expr_free(e);
	return v;
}

#define T1(text, want) CHECK_EQ(eval_on(text, row1, "youtube"), want)
#define T2(text, want) CHECK_EQ(eval_on(text, row2, "vimeo"), want)

/* Compile error: returns the 0-based position, message copied to msg. */
static long compile_err(const char *text, char *msg, size_t size)
{
	expr_error err;
	expr *e = expr_compile(text, strlen(text), cols, NCOLS, &err);
	if (e) {
		expr_free(e);
		snprintf(msg, size, "(compiled)");
		return -1;
	}
	snprintf(msg, size, "%s", err.msg);
	return (long)err.pos;
}

#define TERR(text, pos, msg)                                      \
	do {                                                      \
		char m_[512];                                     \
		CHECK_EQ(compile_err(text, m_, sizeof(m_)), pos); \
		CHECK_STR(m_, msg);                               \
	} while (0)

int main(void)
{
	util_set_progname("labeler_expr");

	/* the expressions */
	T1("`Total Fwd Packet` > 30 or `Total Bwd packets` > 30", 1);
	T2("`Total Fwd Packet` > 30 or `Total Bwd packets` > 30", 0);
	T1("Protocol == 17 and Label == 'other'", 0);
	T2("Protocol == 17 and Label == 'it''s'", 1);
	T2("Protocol == 17 and Label == \"it's\"", 1);

	/* precedence: not > and > or; * / over + -; parentheses */
	T1("1 + 2 * 3 == 7", 1);
	T1("(1 + 2) * 3 == 9", 1);
	T1("10 - 4 - 3 == 3", 1);
	T1("12 / 3 / 2 == 2", 1);
	T1("-2 * -3 == 6", 1);
	T1("Protocol == 6 or Protocol == 17 and Label == 'x'", 1);
	T1("(Protocol == 6 or Protocol == 17) and Label == 'x'", 0);
	T1("not Protocol == 17 and Label == 'other'", 1);
	T1("not (Protocol == 6 and Label == 'other')", 0);
	T1("not not Protocol == 6", 1);
	T1("`Total Fwd Packet` + `Total Bwd packets` == 33", 1);
	T1("`Total Fwd Packet` / `Total Bwd packets` > 15", 1);
	T1("`Total Fwd Packet` / 0 == Infinity", 1);

	/* numbers as CICFlowMeter writes them */
	T1("a == 12000000", 1);
	T1("a == 1.2E7 and a > 1.1e7 and a < 1.3E+7", 1);
	T2("a == -Infinity and a < -1E300", 1);
	T2("`Flow Bytes/s` == Infinity and `Flow Bytes/s` > 1E308", 1);
	T2("b == 12 and b == 12.0 and b == 1.2E1", 1);

	/* NaN: equal to NaN, unordered otherwise; text cells are NaN where a number is needed */
	T1("`Flow Bytes/s` == NaN", 1);
	T1("`Flow Bytes/s` != NaN", 0);
	T1("`Flow Bytes/s` != 1", 1);
	T1("`Flow Bytes/s` > 0 or `Flow Bytes/s` <= 0", 0);
	T1("b > 1 or b <= 1", 0);
	T1("b == NaN", 1);
	T1("NaN == NaN", 1);

	/* strings, column against column (numeric when both are numbers, else text) */
	T1("Label == 'other' and Label != 'Other'", 1);
	T1("Label < 'p' and Label > 'o'", 1);
	T1("b == 'abc'", 1);
	T1("`Total Fwd Packet` > `Total Bwd packets`", 1);	/* 31 > 2, not "31" < "2" */
	T2("`Total Fwd Packet` < `Total Bwd packets`", 1);	/* 3 < 30 */
	T1("Label > b", 1);					/* text: "other" > "abc" */
	T1("$label == 'youtube'", 1);
	T2("$label == 'youtube'", 0);
	T1("Label == $label", 0);

	/* in [..] */
	T1("Protocol in [6, 17]", 1);
	T2("Protocol in [6, 17]", 1);
	T1("Protocol in [1]", 0);
	T1("Protocol not in [1, 2]", 1);
	T1("Label in ['x', 'other']", 1);
	T1("Protocol in [6.0]", 1);
	T1("Protocol + 1 in [7]", 1);
	T1("`Flow Bytes/s` in [NaN]", 1);
	T2("a in [-Infinity]", 1);
	T1("`Src IP` in [192.168.0.0/16, 10.0.0.0/8]", 1);

	/* CIDR, IPv4 and IPv6; host and port in either direction */
	T1("`Src IP` in 10.0.0.0/8", 1);
	T1("`Src IP` in 10.1.2.0/24 and `Src IP` in 10.1.2.3/32", 1);
	T1("`Src IP` in 10.1.2.4/31", 0);
	T1("`Src IP` in 10.1.2.2/31", 1);
	T1("`Src IP` in 0.0.0.0/0", 1);
	T1("`Dst IP` in 0.0.0.0/0", 0);	/* IPv6 address, IPv4 network */
	T1("`Dst IP` in 2001:db8::/32", 1);
	T1("`Dst IP` in 2001:db9::/32", 0);
	T1("`Dst IP` in ::/0", 1);
	T1("`Dst IP` == 2001:db8:0::1", 1);
	T1("`Src IP` == 10.1.2.3 and `Src IP` != 10.1.2.4", 1);
	T1("host 2001:db8::/48", 1);
	T1("host 10.1.0.0/16", 1);
	T1("host 192.168.0.0/16", 0);
	T2("host 192.168.0.0/16 and host 8.8.8.8", 1);
	T2("host [1.1.1.1, 8.8.8.0/24]", 1);
	T1("port 443 and port 51000", 1);
	T2("port 53", 1);
	T2("port [80, 443]", 0);
	T1("`Src IP` in 10.0.0.0/8 and not host 2001:db8::2", 1);
	T2("`Src IP` in 192.168.1.7/32", 1);

	/* cells that are not numbers / addresses do not match */
	T1("b in 10.0.0.0/8", 0);
	T1("b == 10.0.0.1", 0);

	/* errors and their positions */
	TERR("Protocol ==", 11, "unexpected end of expression, expected a column, number or '('");
	TERR("Protocol == 17 and and Label == 'x'", 19,
	     "unexpected 'and', expected a column, number or '('");
	TERR("`Total Fwd Packets` > 30", 0,
	     "unknown column 'Total Fwd Packets' (did you mean 'Total Fwd Packet'?)");
	TERR("Dst Port == 53", 0, "unknown column 'Dst' (names with spaces go in backquotes: `Dst Port`)");
	TERR("Protocol = 6", 9, "unexpected '=' (use '==' to compare)");
	TERR("(Protocol == 6", 14, "unexpected end of expression, expected ')'");
	TERR("Protocol == 6)", 13, "unexpected ')', expected an operator, 'and' or 'or'");
	TERR("Label == 'x", 9, "unterminated string");
	TERR("`Label", 0, "unterminated column name");
	TERR("Protocol", 0, "expected a condition, found a column");
	TERR("Protocol == 6 and 7", 18, "expected a condition, found a number");
	TERR("1 < 2 < 3", 6, "comparisons do not chain: use 'and'");
	TERR("Protocol == 'x' + 1", 12, "'+' needs numbers, found a string");
	TERR("1 == 'x'", 2, "cannot compare a number with a string");
	TERR("`Src IP` in 10.0.0.0/33", 20, "bad prefix length in '10.0.0.0/33'");
	TERR("`Src IP` < 10.0.0.0/8", 9, "addresses compare with '==' or '!=' only");
	TERR("host 443", 5, "'host' needs an address or network");
	TERR("port 1.5", 5, "'port' needs a port number");
	TERR("Protocol in [1, 'a'", 19, "unexpected end of expression, expected ',' or ']'");
	TERR("$lable == 'x'", 0, "unknown variable '$lable' (only $label exists)");
	TERR("Protocol == 6 # x", 14, "unexpected character '#'");
	TERR("1.2.3 == 4", 0, "bad number '1.2.3'");
	TERR("", 0, "empty expression");
	TERR("   ", 3, "empty expression");
	TERR("12abc == 1", 0, "bad number '12a'");

	/* the Protocl case, message checked in full */
	{
		char m[512];
		CHECK_EQ(compile_err("Protocl == 6", m, sizeof(m)), 0);
		CHECK_STR(m, "unknown column 'Protocl' (did you mean 'Protocol'?)");
	}

	/* columns are found ignoring surrounding spaces (CIC-IDS2017 headers) */
	{
		static const char *const sp[] = { " Destination Port", " Label" };
		expr_error err;
		expr *e = expr_compile("`Destination Port` == 80 and Label == 'x'", 41, sp, 2, &err);
		expr_cell c[2] = { { "80", 2 }, { "x", 1 } };
		CHECK(e != NULL);
		if (e) {
			CHECK_EQ(expr_eval(e, c, NULL, 0), 1);
			CHECK_EQ(expr_max_column(e), 1);
			expr_free(e);
		}
	}

	/* the fast number path agrees with strtod */
	{
		rng r;
		static const char *const fixed[] = { "0", "-0", "0.0", "1.5", "21.920310216782973",
						     "252032.52032520322", "1.2E7", "9.9E-5", "123456789012345",
						     "0.1", "0.3", "1e22", "1e23", "4.35E8", "-17.25" };
		rng_seed(&r, 42);
		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
			double v = 0;
			CHECK(csv_number(fixed[i], strlen(fixed[i]), &v));
			CHECK(v == strtod(fixed[i], NULL));
		}
		for (int i = 0; i < 20000; i++) {
			char buf[64];
			double v = 0, want;
			int digits = 1 + (int)rng_below(&r, 15), point = (int)rng_below(&r, (uint64_t)digits + 1);
			size_t n = 0;
			for (int d = 0; d < digits; d++) {
				if (d == point && d)
					buf[n++] = '.';
				buf[n++] = (char)('0' + rng_below(&r, 10));
			}
			if (rng_below(&r, 3) == 0)
				n += (size_t)sprintf(buf + n, "E%d", (int)rng_below(&r, 30) - 15);
			buf[n] = '\0';
			want = strtod(buf, NULL);
			CHECK(csv_number(buf, n, &v) && v == want);
		}
		double v;
		CHECK(csv_number("NaN", 3, &v) && isnan(v));
		CHECK(csv_number("-Infinity", 9, &v) && v == -INFINITY);
		CHECK(!csv_number("", 0, &v));
		CHECK(!csv_number("abc", 3, &v));
		CHECK(!csv_number("1.2.3", 5, &v));
		CHECK(!csv_number("1e", 2, &v));
		CHECK(!csv_number("0x10", 4, &v));
	}

	/* non-finite cells (nonfinite: drop) */
	CHECK(csv_nonfinite("", 0));
	CHECK(csv_nonfinite("NaN", 3));
	CHECK(csv_nonfinite("Infinity", 8));
	CHECK(csv_nonfinite("-Infinity", 9));
	CHECK(csv_nonfinite("inf", 3));
	CHECK(!csv_nonfinite("0.0", 3));
	CHECK(!csv_nonfinite("Infinite", 8));
	CHECK(!csv_nonfinite("Nano", 4));
	CHECK(!csv_nonfinite("-", 1));
	CHECK(!csv_nonfinite("1.2E7", 5));

	return check_done();
}
