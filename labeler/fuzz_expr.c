/* Fuzz target: the expression compiler and evaluator on arbitrary text. */
#include "expr.h"
#include "util.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const cols[] = { "Src IP", "Src Port", "Dst IP", "Dst Port", "Protocol",
				    "Total Fwd Packet", "Flow Bytes/s", "Label" };
static const char *const rows[][8] = {
	{ "10.1.2.3", "443", "2001:db8::1", "51000", "6", "31", "NaN", "other" },
	{ "", "x", "::", "-1", "1.2E7", "Infinity", "-Infinity", "" },
	{ "300.1.1.1", "53", "1.2.3", "0", "17", "0.0", "1e999", "\"q\"" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	expr_error err;
	expr *e;
	static int init;
	if (!init) {
		util_set_progname("fuzz_expr");
		init = 1;
	}
	e = expr_compile((const char *)data, size, cols, 8, &err);
	if (!e) {
		if (err.pos > size || !err.msg[0])
			__builtin_trap();
		return 0;
	}
	if (expr_max_column(e) >= 8)
		__builtin_trap();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		expr_cell c[8];
		for (size_t k = 0; k < 8; k++) {
			c[k].s = rows[i][k];
			c[k].len = strlen(rows[i][k]);
		}
		(void)expr_eval(e, c, "youtube", 7);
	}
	expr_free(e);
	return 0;
}
