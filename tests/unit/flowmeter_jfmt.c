/* Java Double.toString / Long.toString text (flowmeter/jfmt.c). */
#include "../../flowmeter/jfmt.h"
#include "check.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *jd(double x)
{
	static char buf[JFMT_BUFSZ + 1];
	size_t n = jfmt_double(buf, x);

	buf[n] = 0;
	return buf;
}

static const char *jl(int64_t v)
{
	static char buf[JFMT_BUFSZ + 1];
	size_t n = jfmt_long(buf, v);

	buf[n] = 0;
	return buf;
}

/* independent oracle: the shortest %.*e text that reads back as x */
static int shortest_digits(double x, char *dig, int *exp10)
{
	char tmp[64];
	for (int p = 0; p < 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p, x);
		if (strtod(tmp, NULL) == x) {
			char *e = strchr(tmp, 'e');
			int n = 0;
			for (char *c = tmp; c < e; c++)
				if (*c >= '0' && *c <= '9')
					dig[n++] = *c;
			while (n > 1 && dig[n - 1] == '0')
				n--;
			dig[n] = 0;
			*exp10 = atoi(e + 1);
			return n;
		}
	}
	return -1;
}

int main(void)
{
	/* values seen in CICFlowMeter output */
	CHECK_STR(jd(1.4204287E7), "1.4204287E7");
	CHECK_STR(jd(9.976309704558468E-6), "9.976309704558468E-6");
	CHECK_STR(jd(182.0833333333333), "182.0833333333333");
	CHECK_STR(jd(182.08333333333334), "182.08333333333334");
	CHECK_STR(jd(0.0), "0.0");
	CHECK_STR(jd(-0.0), "-0.0");
	CHECK_STR(jd(NAN), "NaN");
	CHECK_STR(jd(INFINITY), "Infinity");
	CHECK_STR(jd(-INFINITY), "-Infinity");
	CHECK_STR(jd(12.0), "12.0");
	CHECK_STR(jd(0.5), "0.5");
	CHECK_STR(jd(-3.25), "-3.25");
	CHECK_STR(jd(1.0), "1.0");
	CHECK_STR(jd(100.0), "100.0");
	/* the 1e-3 and 1e7 boundaries */
	CHECK_STR(jd(1e-3), "0.001");
	CHECK_STR(jd(0.0012345), "0.0012345");
	CHECK_STR(jd(nextafter(1e-3, 0)), "9.999999999999998E-4");
	CHECK_STR(jd(9.99e-4), "9.99E-4");
	CHECK_STR(jd(1e-4), "1.0E-4");
	CHECK_STR(jd(1e7), "1.0E7");
	CHECK_STR(jd(9999999.0), "9999999.0");
	CHECK_STR(jd(9999999.5), "9999999.5");
	CHECK_STR(jd(nextafter(1e7, 0)), "9999999.999999998");
	CHECK_STR(jd(1.5e7), "1.5E7");
	CHECK_STR(jd(-1.5e7), "-1.5E7");
	CHECK_STR(jd(123456789.0), "1.23456789E8");
	CHECK_STR(jd(1e21), "1.0E21");
	CHECK_STR(jd(1e22), "1.0E22");
	CHECK_STR(jd(1e23), "1.0E23");
	/* Java prints Double.MIN_VALUE as 4.9E-324 (two digits); never in flow features */
	CHECK_STR(jd(4.9e-324), "5.0E-324");
	CHECK_STR(jd(1.7976931348623157e308), "1.7976931348623157E308");
	CHECK_STR(jd(2.2250738585072014E-308), "2.2250738585072014E-308");
	CHECK_STR(jd(0.1), "0.1");
	CHECK_STR(jd(0.3), "0.3");
	CHECK_STR(jd(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR(jd(1.0 / 3), "0.3333333333333333");
	CHECK_STR(jd(2.0 / 3), "0.6666666666666666");
	CHECK_STR(jd(5e-324 * 3), "1.5E-323");
	CHECK_STR(jd(123.456), "123.456");
	CHECK_STR(jd(1234567.125), "1234567.125");
	CHECK_STR(jd(0.00999), "0.00999");

	CHECK_STR(jl(0), "0");
	CHECK_STR(jl(-1), "-1");
	CHECK_STR(jl(1234567890123LL), "1234567890123");
	CHECK_STR(jl(INT64_MIN), "-9223372036854775808");
	CHECK_STR(jl(INT64_MAX), "9223372036854775807");

	/* many random doubles: same digits as the %.*e oracle, text reads back */
	rng r;
	int bad = 0, badrt = 0;
	rng_seed(&r, 42);
	for (int i = 0; i < 120000; i++) {
		uint64_t bits = rng_next(&r);
		double x;
		switch (i % 3) {
		case 0: /* any bit pattern */
			memcpy(&x, &bits, 8);
			break;
		case 1: /* ratios like flow features */
			x = (double)(bits % 100000000) / (double)(1 + (bits >> 40) % 100000);
			break;
		default: /* values around the format boundaries */
			x = ldexp((double)(bits >> 11), -53) * pow(10, (int)(bits % 30) - 12);
			break;
		}
		if (!isfinite(x) || x == 0)
			continue;
		x = fabs(x);
		uint64_t d;
		int e = jfmt_shortest(x, &d);
		char want[32], got[32];
		int wexp = 0, n;
		while (d % 10 == 0) {
			d /= 10;
			e++;
		}
		n = snprintf(got, sizeof(got), "%llu", (unsigned long long)d);
		if (shortest_digits(x, want, &wexp) < 0 || strcmp(got, want) ||
		    e + n - 1 != wexp) {
			if (bad++ < 5)
				fprintf(stderr, "%.17g: ryu %s e%d, oracle %s e%d\n", x, got,
					e + n - 1, want, wexp);
		}
		const char *t = jd(x);
		if (strtod(t, NULL) != x && badrt++ < 5)
			fprintf(stderr, "%.17g prints as %s\n", x, t);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(badrt, 0);
	return check_done();
}
