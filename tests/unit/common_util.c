/* Unit tests for common/util: strict parsing, PRNG, closest name, atomic output. */
#include "check.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_parse(void)
{
	int64_t i;
	uint64_t u;
	int n;
	double d;

	CHECK(parse_int64("42", &i) == 0 && i == 42);
	CHECK(parse_int64("-7", &i) == 0 && i == -7);
	CHECK(parse_int64("10x", &i) < 0);
	CHECK(parse_int64("", &i) < 0);
	CHECK(parse_int64(" 5", &i) < 0);
	CHECK(parse_int64("5 ", &i) < 0);
	CHECK(parse_int64("99999999999999999999", &i) < 0);
	CHECK(parse_uint64("-1", &u) < 0);
	CHECK(parse_uint64("18446744073709551615", &u) == 0 && u == UINT64_MAX);
	CHECK(parse_int("100", 1, 99, &n) < 0);
	CHECK(parse_int("99", 1, 99, &n) == 0 && n == 99);
	CHECK(parse_int("0x10", 0, 100, &n) < 0);

	CHECK(parse_double("1.5", 0, &d) == 0 && d == 1.5);
	CHECK(parse_double("1.2E7", 0, &d) == 0 && d == 1.2e7);
	CHECK(parse_double("-3e-2", 0, &d) == 0 && d == -0.03);
	CHECK(parse_double("1e999", 0, &d) < 0);
	CHECK(parse_double("-1e999", 1, &d) < 0);
	CHECK(parse_double("10x", 0, &d) < 0);
	CHECK(parse_double("", 0, &d) < 0);
	CHECK(parse_double(".", 0, &d) < 0);
	CHECK(parse_double("e5", 0, &d) < 0);
	CHECK(parse_double("0x1p3", 0, &d) < 0);
	CHECK(parse_double(" 1", 0, &d) < 0);
	CHECK(parse_double("NaN", 0, &d) < 0);
	CHECK(parse_double("NaN", 1, &d) == 0 && isnan(d));
	CHECK(parse_double("Infinity", 1, &d) == 0 && isinf(d) && d > 0);
	CHECK(parse_double("-Infinity", 1, &d) == 0 && isinf(d) && d < 0);
	CHECK(parse_double("Infinityx", 1, &d) < 0);
	CHECK(parse_double("nan(123)", 1, &d) < 0);
	CHECK(parse_double_n("12,5", 2, 0, &d) == 0 && d == 12);
	CHECK(parse_double_n("1", 0, 0, &d) < 0);
}

static void test_rng(void)
{
	rng a, b;
	int same = 1, counts[10] = { 0 };
	rng_seed(&a, 42);
	rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		if (rng_next(&a) != rng_next(&b))
			same = 0;
	CHECK(same);
	/* reference value pins the algorithm: changing it changes every model */
	rng_seed(&a, 1);
	uint64_t first = rng_next(&a);
	rng_seed(&b, 2);
	CHECK(first != rng_next(&b));
	rng_seed(&a, 7);
	for (int i = 0; i < 100000; i++) {
		uint64_t v = rng_below(&a, 10);
		CHECK(v < 10);
		counts[v]++;
	}
	for (int i = 0; i < 10; i++)
		CHECK(counts[i] > 9500 && counts[i] < 10500);
	for (int i = 0; i < 1000; i++) {
		double x = rng_double(&a);
		CHECK(x >= 0 && x < 1);
	}
	CHECK(rng_derive(5, 0) != rng_derive(5, 1));
	CHECK(rng_derive(5, 3) == rng_derive(5, 3));
	CHECK(rng_below(&a, 1) == 0);
}

static void test_closest(void)
{
	const char *names[] = { "Total Fwd Packet", "Total Bwd packets", "Protocol", "Flow Duration" };
	CHECK_STR(util_closest("Total Fwd Packets", names, 4), "Total Fwd Packet");
	CHECK_STR(util_closest("protocol", names, 4), "Protocol");
	CHECK(util_closest("zzzzzzzzzzzzzzzzzzzz", names, 4) == NULL);
}

static void test_outfile(void)
{
	outfile o;
	char buf[64];
	FILE *fp;
	CHECK(out_open(&o, "out-test.txt") == 0);
	fputs("hello\n", o.fp);
	CHECK(access("out-test.txt", F_OK) != 0);	/* not visible before commit */
	CHECK(out_commit(&o) == 0);
	fp = fopen("out-test.txt", "r");
	CHECK(fp != NULL);
	if (fp) {
		CHECK(fgets(buf, sizeof(buf), fp) != NULL);
		CHECK_STR(buf, "hello\n");
		fclose(fp);
	}
	/* abort keeps the old file */
	CHECK(out_open(&o, "out-test.txt") == 0);
	fputs("partial", o.fp);
	out_abort(&o);
	fp = fopen("out-test.txt", "r");
	CHECK(fp && fgets(buf, sizeof(buf), fp) && !strcmp(buf, "hello\n"));
	if (fp)
		fclose(fp);
	unlink("out-test.txt");
	CHECK(out_open(&o, "no-such-dir/x.txt") < 0);
	/* devices are written in place, never renamed over */
	CHECK(out_open(&o, "/dev/null") == 0 && o.tmp == NULL);
	fputs("x", o.fp);
	CHECK(out_commit(&o) == 0);
	CHECK(out_open(&o, "/dev/full") == 0);
	fputs("x", o.fp);
	fprintf(stderr, "(expected error follows)\n");
	CHECK(out_commit(&o) < 0);
	struct stat st;
	CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
}

/* Inputs and claimed outputs are refused as outputs, by inode, not by name. */
static void test_guard(void)
{
	FILE *fp = fopen("guard-in.txt", "w");
	CHECK(fp != NULL);
	if (fp)
		fclose(fp);
	CHECK(link("guard-in.txt", "guard-link.txt") == 0);
	out_note_input("guard-in.txt");
	out_note_input("no-such-input.txt");	/* ignored */
	out_note_input("-");			/* ignored */
	fprintf(stderr, "(expected refusals follow)\n");
	CHECK(out_check("guard-in.txt") < 0);
	CHECK(out_check("./guard-link.txt") < 0);	/* same inode, other name */
	outfile o;
	CHECK(out_open(&o, "guard-in.txt") < 0 && o.fp == NULL);
	CHECK(out_check("guard-out.txt") == 0);		/* does not exist yet */
	CHECK(out_check("./guard-out.txt") < 0);	/* claimed: same folder and name */
	CHECK(out_open(&o, "guard-out.txt") == 0);	/* the claimant may open it */
	fputs("x", o.fp);
	CHECK(out_commit(&o) == 0);
	CHECK(out_check("-") == 0 && out_check("-") == 0);
	CHECK(out_check("no-such-input.txt") == 0);
	unlink("guard-in.txt");
	unlink("guard-link.txt");
	unlink("guard-out.txt");
}

int main(void)
{
	util_set_progname("test");
	test_parse();
	test_rng();
	test_closest();
	test_outfile();
	test_guard();
	return check_done();
}
