/*
 * json: the shared JSON writer: shortest round-trip numbers, null for NaN
 * and infinities (JSON has neither), escaped strings.
 */
#include "check.h"

#include <math.h>
#include <stdlib.h>

#include "json.h"

static char got[256];

static const char *num(double v)
{
	FILE *fp = fmemopen(got, sizeof(got), "w");

	json_number(fp, v);
	fclose(fp);
	return got;
}

static const char *str(const char *s)
{
	FILE *fp = fmemopen(got, sizeof(got), "w");

	json_string(fp, s);
	fclose(fp);
	return got;
}

int main(void)
{
	CHECK_STR(num(0.1), "0.1");
	CHECK_STR(num(1.0 / 3), "0.3333333333333333");
	CHECK_STR(num(0.825), "0.825");
	CHECK_STR(num(2), "2");
	CHECK_STR(num(1e300), "1e+300");
	CHECK(strtod(num(0.52262035210753155), NULL) == 0.52262035210753155);
	CHECK_STR(num(NAN), "null");
	CHECK_STR(num(INFINITY), "null");
	CHECK_STR(num(-INFINITY), "null");
	CHECK_STR(str("a\"b\\c\n\t\r\x01z"), "\"a\\\"b\\\\c\\n\\t\\r\\u0001z\"");
	CHECK_STR(str("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	return check_done();
}
