/*
 * Fuzz target: the handshake parsers of names.c (TLS, QUIC, HTTP, DNS).
 * First byte % 6 picks what the rest is:
 *   0 a ClientHello handshake message   1 a TLS stream (records)
 *   2 an HTTP request head               3 a DNS message
 *   4 a QUIC datagram, opened with the v1 keys of its own DCID
 *   5 a packet sequence through names_packet/names_flow: records of
 *     flags(1) length(2) seq(4) payload; flags bit 0 = from the server,
 *     bit 1 = UDP, bit 2 = SYN, bits 3-4 = client port choice, bit 5 = DNS
 *     (from port 53)
 * Every name found must be text names_csv can write.
 */
#include "names.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, enum names_src src)
{
	static char csv[NAMES_CSV_MAX];
	size_t n = strlen(s);

	if (n > 4 * NAMES_NAME_MAX)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			__builtin_trap();	/* control bytes must be escaped */
	if (names_csv(csv, s, src) >= NAMES_CSV_MAX)
		__builtin_trap();
}

static void dns_fn(void *ctx, uint8_t af, const uint8_t *addr, const char *name)
{
	(void)ctx;
	(void)addr;
	if (af != 4 && af != 6)
		__builtin_trap();
	check_text(name, NAMES_DNS);
}

static void sequence(const uint8_t *d, size_t n)
{
	static const uint8_t cli[16] = { 10, 0, 0, 1 }, srv[16] = { 10, 0, 0, 2 };
	names *nm = names_new(4);
	const char *name;
	enum names_src src;
	int64_t ts = 0;

	while (n >= 7) {
		unsigned fl = d[0];
		size_t len = (size_t)d[1] << 8 | d[2];
		struct fm_pkt p;
		uint16_t cport = (uint16_t)(40000 + ((fl >> 3) & 3));
		memset(&p, 0, sizeof(p));
		p.af = 4;
		p.ts = ts++;
		p.proto = fl & 2 ? 17 : 6;
		p.flags = fl & 4 ? FM_SYN : FM_ACK;
		p.seq = (uint32_t)d[3] << 24 | (uint32_t)d[4] << 16 | (uint32_t)d[5] << 8 | d[6];
		memcpy(fl & 1 ? p.src : p.dst, srv, 16);
		memcpy(fl & 1 ? p.dst : p.src, cli, 16);
		p.sport = fl & 32 ? 53 : fl & 1 ? 443 : cport;
		p.dport = fl & 1 ? cport : 443;
		d += 7;
		n -= 7;
		if (len > n)
			len = n;
		names_packet(nm, &p, d, len);
		d += len;
		n -= len;
	}
	for (uint16_t port = 40000; port < 40004; port++) {
		for (uint8_t proto = 6; proto <= 17; proto += 11) {
			src = names_flow(nm, 4, proto, cli, port, srv, 443, ts, &name);
			if (src == NAMES_NONE && name[0])
				__builtin_trap();
			check_text(name, src);
		}
	}
	names_free(nm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[4 * NAMES_NAME_MAX + 1];
	static uint8_t plain[65536];
	const uint8_t *d = data + 1;
	size_t n = size ? size - 1 : 0;
	int loop;

	if (!size)
		return 0;
	switch (data[0] % 6) {
	case 0:
		if (names_client_hello(d, n, out) == 1)
			check_text(out, NAMES_SNI);
		break;
	case 1:
		if (names_tls_stream(d, n, out) == 1)
			check_text(out, NAMES_SNI);
		break;
	case 2:
		if (names_http_host(d, n, out) == 1)
			check_text(out, NAMES_HTTP);
		break;
	case 3:
		names_dns_response(d, n, dns_fn, NULL, &loop);
		break;
	case 4:
		if (n >= 6 && d[5] <= 20 && n >= 6 + (size_t)d[5]) {
			struct names_quic_keys k;
			size_t plen, pktlen;
			if (!names_quic_keys(1, d + 6, d[5], 0, &k) && n <= sizeof(plain) &&
			    !names_quic_open(&k, d, n, plain, &plen, &pktlen) &&
			    (plen > n || pktlen > n))
				__builtin_trap();
		}
		break;
	default:
		sequence(d, n);
		break;
	}
	return 0;
}
