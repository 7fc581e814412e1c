/*
 * decode.c: frame -> struct fm_pkt (stub).
 */
#include "decode.h"

const char *const fm_skip_names[FM_SKIP_NREASONS] = {
	"ok", "non-IPv4", "IPv6", "unsupported link type", "truncated",
	"wirelen < caplen", "other",
};

enum fm_skip fm_decode(enum fm_profile prof, enum fm_decode mode,
		       const struct fm_rec *rec, struct fm_pkt *out)
{
	(void)prof; (void)mode; (void)rec; (void)out;
	return FM_SKIP_OTHER;
}
