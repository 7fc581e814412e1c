/*
 * flowid.h: the Flow ID of a flow key, "a-b-pa-pb-proto" with the addresses
 * in Java's getHostAddress form, and its java.lang.String hash, which
 * decides CICFlowMeter's HashMap order (flow table) and is the first CSV
 * column (CSV writer). Also the address and decimal text both use.
 */
#ifndef FM_FLOWID_H
#define FM_FLOWID_H

#include <stddef.h>
#include <stdint.h>

#include "flowfeat.h"

/* Longest Flow ID text: two IPv6 addresses of 39 characters, two ports,
 * a protocol and four dashes. */
#define FM_FLOWID_MAX 100

/* Decimal text of v at p; returns the end of the text. */
static inline char *fm_put_dec(char *p, uint64_t v)
{
	char tmp[24], *e = tmp + sizeof(tmp), *s = e;

	do {
		*--s = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	__builtin_memcpy(p, s, (size_t)(e - s));
	return p + (e - s);
}

/* Address text at p as Java prints it: dotted quad (af 4), or 8 groups of
 * lower-case hex without "::" compression (af 6); returns the end. */
char *fm_addr_text(char *p, const uint8_t *a, int af);
/* Flow ID text of k into buf (FM_FLOWID_MAX bytes, no NUL); returns the
 * length. */
size_t fm_flowid_text(char *buf, const struct fm_key *k);
/* Java String.hashCode of the Flow ID text, spread as java.util.HashMap
 * does (h ^ h >>> 16). */
uint32_t fm_flowid_jhash(const struct fm_key *k);

#endif
