/*
 * flowid.c: Flow ID text and its Java hash (see flowid.h).
 */
#include "flowid.h"

char *fm_addr_text(char *p, const uint8_t *a, int af)
{
	static const char hex[] = "0123456789abcdef";

	if (af != 6) {
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = fm_put_dec(p, a[i]);
		}
		return p;
	}
	/* Inet6Address.getHostAddress: 8 groups, no "::" compression */
	for (int i = 0; i < 8; i++) {
		unsigned g = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		int started = 0;

		if (i)
			*p++ = ':';
		for (int sh = 12; sh >= 0; sh -= 4) {
			unsigned d = (g >> sh) & 15;
			if (d || started || sh == 0) {
				*p++ = hex[d];
				started = 1;
			}
		}
	}
	return p;
}

size_t fm_flowid_text(char *buf, const struct fm_key *k)
{
	char *p = buf;

	p = fm_addr_text(p, k->a, k->af);
	*p++ = '-';
	p = fm_addr_text(p, k->b, k->af);
	*p++ = '-';
	p = fm_put_dec(p, k->pa);
	*p++ = '-';
	p = fm_put_dec(p, k->pb);
	*p++ = '-';
	p = fm_put_dec(p, k->proto);
	return (size_t)(p - buf);
}

uint32_t fm_flowid_jhash(const struct fm_key *k)
{
	char buf[FM_FLOWID_MAX];
	size_t n = fm_flowid_text(buf, k);
	uint32_t h = 0;

	for (size_t i = 0; i < n; i++)
		h = 31 * h + (uint8_t)buf[i];
	return h ^ (h >> 16);
}
