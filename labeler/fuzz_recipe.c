/* Fuzz target: the YAML recipe loader, then compiling its expressions against a header. */
#include "rules.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const cols[] = { "Src IP", "Src Port", "Dst IP", "Dst Port", "Protocol",
				    "Total Fwd Packet", "Total Bwd packets", "Label" };

static void try_compile(const rules_recipe *r, const rules_expr *e)
{
	expr_free(rules_compile(r, e, cols, 8, NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rules_recipe *r;
	static int init;
	if (!init) {
		util_set_progname("fuzz_recipe");
		init = 1;
	}
	r = rules_parse("fuzz.yaml", (const char *)data, size);
	if (!r)
		return 0;
	try_compile(r, r->match);
	try_compile(r, r->drop);
	for (size_t i = 0; i < r->nrules; i++)
		try_compile(r, &r->rules[i].when);
	for (size_t s = 0; s < r->nsrc; s++) {
		try_compile(r, r->src[s].match);
		try_compile(r, r->src[s].drop);
		for (size_t i = 0; i < r->src[s].nrules; i++)
			try_compile(r, &r->src[s].rules[i].when);
	}
	rules_free(r);
	return 0;
}
