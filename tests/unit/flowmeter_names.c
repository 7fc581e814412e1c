/*
 * Unit tests of flowmeter's server-name module (names.c): RFC 9001
 * Appendix A vectors (Initial keys, the server Initial of A.3 decrypted, the
 * client Initial of A.2 rebuilt and read), TLS ClientHello SNI with
 * reassembly across segments and records, HTTP Host, DNS answers with
 * CNAME chains and loops, the bounded DNS table, and bad input.
 */
#include "check.h"
#include "../../flowmeter/names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	for (; h[0] && h[1]; h += 2) {
		unsigned v;
		while (*h == ' ')
			h++;
		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static int eqhex(const uint8_t *b, size_t n, const char *h)
{
	uint8_t w[64];

	return unhex(h, w) == n && !memcmp(b, w, n);
}

static const uint8_t CLI[16] = { 10, 0, 0, 1 }, SRV[16] = { 93, 184, 216, 34 };

static struct fm_pkt mkpkt(int from_client, uint8_t proto, uint16_t cport, uint16_t sport,
			   int64_t ts, uint32_t seq, uint8_t flags)
{
	struct fm_pkt p;

	memset(&p, 0, sizeof(p));
	p.af = 4;
	p.proto = proto;
	p.ts = ts;
	p.seq = seq;
	p.flags = flags;
	memcpy(from_client ? p.src : p.dst, CLI, 16);
	memcpy(from_client ? p.dst : p.src, SRV, 16);
	p.sport = from_client ? cport : sport;
	p.dport = from_client ? sport : cport;
	return p;
}

static enum names_src flow_name(names *nm, uint8_t proto, uint16_t cport, uint16_t sport,
				int64_t start, const char **name)
{
	return names_flow(nm, 4, proto, CLI, cport, SRV, sport, start, name);
}

/* ---- TLS ---- */

static size_t client_hello(uint8_t *o, const uint8_t *sni, size_t sni_len, int ext_len_delta)
{
	size_t n = 0, hs_len_at, ext_at;

	o[n++] = 1;
	hs_len_at = n;
	n += 3;
	o[n++] = 3, o[n++] = 3;
	memset(o + n, 0xAB, 32), n += 32;
	o[n++] = 0;			/* session id */
	o[n++] = 0, o[n++] = 2, o[n++] = 0x13, o[n++] = 0x01;
	o[n++] = 1, o[n++] = 0;		/* compression */
	ext_at = n;
	n += 2;
	/* a padding extension first */
	o[n++] = 0, o[n++] = 21, o[n++] = 0, o[n++] = 3, o[n++] = 0, o[n++] = 0, o[n++] = 0;
	if (sni) {
		size_t l = sni_len + 5;
		o[n++] = 0, o[n++] = 0;
		o[n++] = (uint8_t)((l + ext_len_delta) >> 8), o[n++] = (uint8_t)(l + ext_len_delta);
		o[n++] = (uint8_t)((sni_len + 3) >> 8), o[n++] = (uint8_t)(sni_len + 3);
		o[n++] = 0;
		o[n++] = (uint8_t)(sni_len >> 8), o[n++] = (uint8_t)sni_len;
		memcpy(o + n, sni, sni_len), n += sni_len;
	}
	o[ext_at] = (uint8_t)((n - ext_at - 2) >> 8);
	o[ext_at + 1] = (uint8_t)(n - ext_at - 2);
	o[hs_len_at] = (uint8_t)((n - 4) >> 16);
	o[hs_len_at + 1] = (uint8_t)((n - 4) >> 8);
	o[hs_len_at + 2] = (uint8_t)(n - 4);
	return n;
}

/* the handshake message hs as TLS records of at most rec bytes */
static size_t records(uint8_t *o, const uint8_t *hs, size_t n, size_t rec)
{
	size_t len = 0;

	for (size_t off = 0; off < n; off += rec) {
		size_t l = n - off < rec ? n - off : rec;
		o[len++] = 22, o[len++] = 3, o[len++] = 1;
		o[len++] = (uint8_t)(l >> 8), o[len++] = (uint8_t)l;
		memcpy(o + len, hs + off, l);
		len += l;
	}
	return len;
}

static void test_tls(void)
{
	uint8_t hs[1024], st[1200];
	char out[4 * NAMES_NAME_MAX + 1];
	const char *name;
	size_t n = client_hello(hs, (const uint8_t *)"www.example.com", 15, 0), m;
	names *nm;
	struct fm_pkt p;

	CHECK_EQ(names_client_hello(hs, n, out), 1);
	CHECK_STR(out, "www.example.com");
	CHECK_EQ(names_client_hello(hs, n - 1, out), -2);	/* truncated */
	m = records(st, hs, n, 16384);
	CHECK_EQ(names_tls_stream(st, m, out), 1);
	CHECK_STR(out, "www.example.com");
	/* the handshake message spread over 7-byte records */
	m = records(st, hs, n, 7);
	CHECK_EQ(names_tls_stream(st, m, out), 1);
	CHECK_STR(out, "www.example.com");
	CHECK_EQ(names_tls_stream(st, m - 3, out), -2);

	/* over TCP: three segments, the last two out of order, a retransmission */
	nm = names_new(NAMES_MAX_DEFAULT);
	m = records(st, hs, n, 16384);
	p = mkpkt(1, 6, 40000, 443, 1000, 100, FM_SYN);
	names_packet(nm, &p, NULL, 0);
	p = mkpkt(1, 6, 40000, 443, 2000, 101, FM_ACK | FM_PSH);
	names_packet(nm, &p, st, 20);
	p = mkpkt(0, 6, 40000, 443, 2100, 5000, FM_ACK);	/* server data: ignored */
	names_packet(nm, &p, st, 20);
	CHECK_EQ(flow_name(nm, 6, 40000, 443, 1000, &name), NAMES_NONE);
	p = mkpkt(1, 6, 40000, 443, 2200, 101 + 50, FM_ACK);
	names_packet(nm, &p, st + 50, m - 50);
	p = mkpkt(1, 6, 40000, 443, 2300, 101, FM_ACK);		/* retransmitted */
	names_packet(nm, &p, st, 20);
	CHECK_EQ(flow_name(nm, 6, 40000, 443, 1000, &name), NAMES_NONE);
	p = mkpkt(1, 6, 40000, 443, 2400, 101 + 20, FM_ACK);
	names_packet(nm, &p, st + 20, 30);
	CHECK_EQ(flow_name(nm, 6, 40000, 443, 1000, &name), NAMES_SNI);
	CHECK_STR(name, "www.example.com");
	/* either direction, any flow of the connection */
	CHECK_EQ(names_flow(nm, 4, 6, SRV, 443, CLI, 40000, 99999, &name), NAMES_SNI);
	/* a second ClientHello does not replace the first name */
	n = client_hello(hs, (const uint8_t *)"other.example", 13, 0);
	m = records(st, hs, n, 16384);
	p = mkpkt(1, 6, 40000, 443, 3000, 9000, FM_ACK);
	names_packet(nm, &p, st, m);
	CHECK_EQ(flow_name(nm, 6, 40000, 443, 1000, &name), NAMES_SNI);
	CHECK_STR(name, "www.example.com");
	/* a new SYN on the 5-tuple: a new connection, the old name ends */
	p = mkpkt(1, 6, 40000, 443, 4000, 777, FM_SYN);
	names_packet(nm, &p, NULL, 0);
	CHECK_EQ(flow_name(nm, 6, 40000, 443, 4000, &name), NAMES_NONE);
	CHECK_STR(name, "");
	names_free(nm);
}

static void test_tls_bad(void)
{
	uint8_t hs[1024], st[1200];
	char out[4 * NAMES_NAME_MAX + 1], csv[NAMES_CSV_MAX];
	size_t n;

	/* oversized server_name extension (length past the extensions) */
	n = client_hello(hs, (const uint8_t *)"a.example", 9, 1000);
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	CHECK_STR(out, "");
	/* zero-length extension data, and a zero-length host name */
	n = client_hello(hs, (const uint8_t *)"", 0, -5);
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	n = client_hello(hs, (const uint8_t *)"", 0, 0);
	CHECK_EQ(names_client_hello(hs, n, out), 0);
	CHECK_STR(out, "");
	/* no server_name at all */
	n = client_hello(hs, NULL, 0, 0);
	CHECK_EQ(names_client_hello(hs, n, out), 0);
	/* not a ClientHello, not a handshake record */
	hs[0] = 2;
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	memcpy(st, "\x17\x03\x03\x00\x10", 5);
	CHECK_EQ(names_tls_stream(st, 21, out), -1);
	/* a huge handshake length: more bytes wanted (the stream gives up at NAMES_STREAM_MAX) */
	memcpy(st, "\x16\x03\x01\x00\x08\x01\xff\xff\xff\x03\x03\x00\x00", 13);
	CHECK_EQ(names_tls_stream(st, 13, out), -2);

	/* names with commas, quotes, control bytes, a backslash, invalid UTF-8 */
	n = client_hello(hs, (const uint8_t *)"a,b\"c\x01\\\xff\xc3\xa9.de", 13, 0);
	CHECK_EQ(names_client_hello(hs, n, out), 1);
	CHECK_STR(out, "a,b\"c\\x01\\x5c\\xff\xc3\xa9.de");
	names_csv(csv, out, NAMES_SNI);
	CHECK_STR(csv, ",\"a,b\"\"c\\x01\\x5c\\xff\xc3\xa9.de\",sni");
	names_csv(csv, "plain.example", NAMES_HTTP);
	CHECK_STR(csv, ",plain.example,http");
	names_csv(csv, "", NAMES_NONE);
	CHECK_STR(csv, ",,");
	/* overlong UTF-8, a surrogate, a C1 control: escaped */
	n = client_hello(hs, (const uint8_t *)"\xc0\xaf\xed\xa0\x80\xc2\x85", 7, 0);
	CHECK_EQ(names_client_hello(hs, n, out), 1);
	CHECK_STR(out, "\\xc0\\xaf\\xed\\xa0\\x80\\xc2\\x85");
}

/* a ClientHello whose extensions block is ext[0..n) with its length field
 * off by ext_delta */
static size_t hello_exts(uint8_t *o, const uint8_t *ext, size_t n, int ext_delta)
{
	static const uint8_t head[] = { 3, 3 };
	size_t len = 4;

	memcpy(o + len, head, 2), len += 2;
	memset(o + len, 0xCD, 32), len += 32;
	o[len++] = 0;				/* session id */
	o[len++] = 0, o[len++] = 2, o[len++] = 0x13, o[len++] = 0x01;
	o[len++] = 1, o[len++] = 0;		/* compression */
	o[len++] = (uint8_t)((n + ext_delta) >> 8), o[len++] = (uint8_t)(n + ext_delta);
	memcpy(o + len, ext, n), len += n;
	o[0] = 1, o[1] = 0;
	o[2] = (uint8_t)((len - 4) >> 8), o[3] = (uint8_t)(len - 4);
	return len;
}

/* zero-length and oversized extensions around the server name, long names */
static void test_tls_extensions(void)
{
	/* extended_master_secret (23) and session_ticket (35), both empty, then SNI */
	static const uint8_t empty_first[] = {
		0, 23, 0, 0, 0, 35, 0, 0,
		0, 0, 0, 14, 0, 12, 0, 0, 9, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	};
	/* SNI, then an extension whose length runs past the block: damaged, no
	 * name although the name came first */
	static const uint8_t bad_after[] = {
		0, 0, 0, 14, 0, 12, 0, 0, 9, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		0, 16, 0xff, 0xff, 0,
	};
	/* an empty extension whose length says 1000, before the SNI */
	static const uint8_t bad_before[] = {
		0, 23, 0x03, 0xe8,
		0, 0, 0, 14, 0, 12, 0, 0, 9, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	};
	/* server_name_list longer than the extension; host name longer than the list */
	static const uint8_t list_long[] = { 0, 0, 0, 14, 0, 40, 0, 0, 9, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e' };
	static const uint8_t host_long[] = { 0, 0, 0, 14, 0, 12, 0, 0, 90, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e' };
	/* a zero-length server_name_list; a name of another name_type, then a host name */
	static const uint8_t list_empty[] = { 0, 0, 0, 2, 0, 0 };
	static const uint8_t other_type[] = {
		0, 0, 0, 18, 0, 16, 7, 0, 1, 'x',
		0, 0, 9, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	};
	uint8_t hs[1200], ext[600];
	char out[4 * NAMES_NAME_MAX + 1];
	size_t n;

	n = hello_exts(hs, empty_first, sizeof(empty_first), 0);
	CHECK_EQ(names_client_hello(hs, n, out), 1);
	CHECK_STR(out, "a.example");
	n = hello_exts(hs, bad_after, sizeof(bad_after), 0);
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	CHECK_STR(out, "");
	n = hello_exts(hs, bad_before, sizeof(bad_before), 0);
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	CHECK_STR(out, "");
	n = hello_exts(hs, list_long, sizeof(list_long), 0);
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	n = hello_exts(hs, host_long, sizeof(host_long), 0);
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	CHECK_STR(out, "");
	n = hello_exts(hs, list_empty, sizeof(list_empty), 0);
	CHECK_EQ(names_client_hello(hs, n, out), 0);
	n = hello_exts(hs, other_type, sizeof(other_type), 0);
	CHECK_EQ(names_client_hello(hs, n, out), 1);
	CHECK_STR(out, "a.example");
	/* the extensions block: longer or shorter than the ClientHello says */
	n = hello_exts(hs, empty_first, sizeof(empty_first), 1);
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	n = hello_exts(hs, empty_first, sizeof(empty_first), -1);
	CHECK_EQ(names_client_hello(hs, n, out), -1);
	/* a 300-byte name of 'é' and a quote: cut at 255 bytes, the cut letter escaped */
	for (size_t i = 0; i < 300; i += 2)
		ext[9 + i] = 0xC3, ext[10 + i] = 0xA9;
	ext[9] = '"';
	ext[10] = 'x';
	memcpy(ext, "\0\0\1\x31\1\x2f\0\1\x2c", 9);
	n = hello_exts(hs, ext, 309, 0);
	CHECK_EQ(names_client_hello(hs, n, out), 1);
	CHECK_EQ(strlen(out), 2 + 126 * 2 + 4);	/* "x, 126 é, then \xc3 */
	CHECK(!strncmp(out, "\"x\xc3\xa9", 4));
	CHECK_STR(out + strlen(out) - 4, "\\xc3");
	{
		char csv[NAMES_CSV_MAX];
		size_t l = names_csv(csv, out, NAMES_SNI);
		CHECK(l < NAMES_CSV_MAX);
		CHECK(!strncmp(csv, ",\"\"\"x", 5));
		CHECK_STR(csv + l - 9, "\\xc3\",sni");
	}
}

/* ---- HTTP ---- */

static void test_http(void)
{
	static const char req[] = "GET /index.html HTTP/1.1\r\nUser-Agent: t\r\n"
				  "HOST:  example.org:8080 \r\nAccept: */*\r\n\r\n";
	char out[4 * NAMES_NAME_MAX + 1];
	const char *name;
	names *nm = names_new(10);
	struct fm_pkt p;

	CHECK_EQ(names_http_host((const uint8_t *)req, strlen(req), out), 1);
	CHECK_STR(out, "example.org");
	CHECK_EQ(names_http_host((const uint8_t *)req, 30, out), -2);
	CHECK_EQ(names_http_host((const uint8_t *)"GET / HTTP/1.0\r\n\r\n", 18, out), 0);
	CHECK_EQ(names_http_host((const uint8_t *)"GET / SPDY/3\r\nHost: x\r\n", 23, out), -1);
	CHECK_EQ(names_http_host((const uint8_t *)"GET / HTTP/1.1\r\nHost: [::1]:80\r\n", 32,
				 out), 1);
	CHECK_STR(out, "[::1]:80");
	/* split over two segments */
	p = mkpkt(1, 6, 40001, 80, 10, 1, FM_ACK);
	names_packet(nm, &p, (const uint8_t *)req, 30);
	p = mkpkt(1, 6, 40001, 80, 11, 31, FM_ACK);
	names_packet(nm, &p, (const uint8_t *)req + 30, strlen(req) - 30);
	CHECK_EQ(flow_name(nm, 6, 40001, 80, 10, &name), NAMES_HTTP);
	CHECK_STR(name, "example.org");
	names_free(nm);
}

/* ---- a load balancer's PROXY protocol header before the client's bytes ---- */

static void test_proxy(void)
{
	static const char v1[] = "PROXY TCP4 192.0.2.1 198.51.100.2 52176 443\r\n";
	static const uint8_t v2[28] = {
		'\r', '\n', '\r', '\n', 0, '\r', '\n', 'Q', 'U', 'I', 'T', '\n',
		0x21, 0x11, 0, 12, 192, 0, 2, 1, 198, 51, 100, 2, 0xcb, 0xd0, 0, 80,
	};
	static const char req[] = "GET / HTTP/1.1\r\nHost: lb.example\r\n\r\n";
	uint8_t hs[1024], st[1400];
	const char *name;
	size_t n, m, h = sizeof(v1) - 1;
	names *nm = names_new(NAMES_MAX_DEFAULT);
	struct fm_pkt p;

	/* v1, then a ClientHello whose second half comes in the next segment */
	n = client_hello(hs, (const uint8_t *)"behind.example", 14, 0);
	memcpy(st, v1, h);
	m = h + records(st + h, hs, n, 16384);
	p = mkpkt(1, 6, 40020, 443, 10, 1, FM_ACK | FM_PSH);
	names_packet(nm, &p, st, h + 30);
	CHECK_EQ(flow_name(nm, 6, 40020, 443, 10, &name), NAMES_NONE);
	p = mkpkt(1, 6, 40020, 443, 11, (uint32_t)(1 + h + 30), FM_ACK | FM_PSH);
	names_packet(nm, &p, st + h + 30, m - h - 30);
	CHECK_EQ(flow_name(nm, 6, 40020, 443, 10, &name), NAMES_SNI);
	CHECK_STR(name, "behind.example");
	/* v2 (binary), then an HTTP request in the same segment */
	memcpy(st, v2, sizeof(v2));
	memcpy(st + sizeof(v2), req, sizeof(req) - 1);
	p = mkpkt(1, 6, 40021, 80, 10, 1, FM_ACK | FM_PSH);
	names_packet(nm, &p, st, sizeof(v2) + sizeof(req) - 1);
	CHECK_EQ(flow_name(nm, 6, 40021, 80, 10, &name), NAMES_HTTP);
	CHECK_STR(name, "lb.example");
	/* a v1 line without its CR LF, a v2 header longer than the segment: not read */
	memcpy(st, "PROXY UNKNOWN\n", 14);
	memcpy(st + 14, req, sizeof(req) - 1);
	p = mkpkt(1, 6, 40022, 80, 10, 1, FM_ACK | FM_PSH);
	names_packet(nm, &p, st, 14 + sizeof(req) - 1);
	CHECK_EQ(flow_name(nm, 6, 40022, 80, 10, &name), NAMES_NONE);
	memcpy(st, v2, sizeof(v2));
	st[15] = 200;
	memcpy(st + sizeof(v2), req, sizeof(req) - 1);
	p = mkpkt(1, 6, 40023, 80, 10, 1, FM_ACK | FM_PSH);
	names_packet(nm, &p, st, sizeof(v2) + sizeof(req) - 1);
	CHECK_EQ(flow_name(nm, 6, 40023, 80, 10, &name), NAMES_NONE);
	names_free(nm);
}

/* ---- DNS ---- */

static size_t put_name(uint8_t *o, const char *dotted)
{
	size_t n = 0;

	while (*dotted) {
		const char *dot = strchr(dotted, '.');
		size_t l = dot ? (size_t)(dot - dotted) : strlen(dotted);
		o[n++] = (uint8_t)l;
		memcpy(o + n, dotted, l);
		n += l;
		dotted += l + (dot ? 1 : 0);
	}
	o[n++] = 0;
	return n;
}

static size_t put_rr(uint8_t *o, const char *owner, unsigned type, const uint8_t *rd, size_t rdlen,
		     const char *target)
{
	size_t n = put_name(o, owner);
	uint8_t tn[300];

	if (target)
		rdlen = put_name(tn, target), rd = tn;
	o[n++] = (uint8_t)(type >> 8), o[n++] = (uint8_t)type;
	o[n++] = 0, o[n++] = 1;
	o[n++] = 0, o[n++] = 0, o[n++] = 0, o[n++] = 60;
	o[n++] = (uint8_t)(rdlen >> 8), o[n++] = (uint8_t)rdlen;
	memcpy(o + n, rd, rdlen);
	return n + rdlen;
}

static size_t dns_msg(uint8_t *o, const char *q, int nan)
{
	size_t n = 12;

	memset(o, 0, 12);
	o[2] = 0x81, o[3] = 0x80;
	o[5] = q ? 1 : 0;
	o[7] = (uint8_t)nan;
	if (q) {
		n += put_name(o + n, q);
		o[n++] = 0, o[n++] = 1, o[n++] = 0, o[n++] = 1;
	}
	return n;
}

struct got {
	int n;
	char name[8][64];
	uint8_t af[8];
};

static void got_fn(void *ctx, uint8_t af, const uint8_t *addr, const char *name)
{
	struct got *g = ctx;

	(void)addr;
	if (g->n < 8) {
		snprintf(g->name[g->n], 64, "%s", name);
		g->af[g->n++] = af;
	}
}

static void test_dns(void)
{
	uint8_t m[1024], a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	size_t n;
	struct got g;
	int loop;
	const char *name;
	names *nm;
	struct fm_pkt p;

	/* www.youtube.com CNAME youtube-ui.l.google.com, A and AAAA of it */
	n = dns_msg(m, "www.youtube.com", 3);
	n += put_rr(m + n, "www.youtube.com", 5, NULL, 0, "youtube-ui.l.google.com");
	n += put_rr(m + n, "youtube-ui.l.google.com", 1, SRV, 4, NULL);
	n += put_rr(m + n, "YOUTUBE-UI.l.google.com", 28, a6, 16, NULL);
	memset(&g, 0, sizeof(g));
	CHECK_EQ(names_dns_response(m, n, got_fn, &g, &loop), 2);
	CHECK_EQ(loop, 0);
	CHECK_STR(g.name[0], "www.youtube.com");
	CHECK_EQ(g.af[0], 4);
	CHECK_STR(g.name[1], "www.youtube.com");
	CHECK_EQ(g.af[1], 6);

	/* through the table: only flows that start after the answer */
	nm = names_new(NAMES_MAX_DEFAULT);
	p = mkpkt(0, 17, 5353, 53, 1000, 0, 0);
	memcpy(p.src, (const uint8_t[16]){ 8, 8, 8, 8 }, 16);
	names_packet(nm, &p, m, n);
	CHECK_EQ(flow_name(nm, 6, 40002, 443, 999, &name), NAMES_NONE);
	CHECK_EQ(flow_name(nm, 6, 40002, 443, 1000, &name), NAMES_DNS);
	CHECK_STR(name, "www.youtube.com");
	CHECK_EQ(names_flow(nm, 6, 17, a6, 1, a6, 443, 5000, &name), NAMES_DNS);
	/* a later answer for the same address wins for later flows only */
	n = dns_msg(m, "cdn.example", 1);
	n += put_rr(m + n, "cdn.example", 1, SRV, 4, NULL);
	p.ts = 2000;
	names_packet(nm, &p, m, n);
	CHECK_EQ(flow_name(nm, 6, 40002, 443, 1500, &name), NAMES_DNS);
	CHECK_STR(name, "www.youtube.com");
	CHECK_EQ(flow_name(nm, 6, 40002, 443, 2500, &name), NAMES_DNS);
	CHECK_STR(name, "cdn.example");
	names_free(nm);

	/* CNAME cycle a -> b -> a, with an A record of a: no hang, loop seen */
	n = dns_msg(m, "a.example", 3);
	n += put_rr(m + n, "a.example", 5, NULL, 0, "b.example");
	n += put_rr(m + n, "b.example", 5, NULL, 0, "a.example");
	n += put_rr(m + n, "a.example", 1, SRV, 4, NULL);
	memset(&g, 0, sizeof(g));
	CHECK_EQ(names_dns_response(m, n, got_fn, &g, &loop), 1);
	CHECK_EQ(loop, 1);
	CHECK_STR(g.name[0], "a.example");
	/* an A record outside the chain keeps its own name */
	n = dns_msg(m, "q.example", 1);
	n += put_rr(m + n, "other.example", 1, SRV, 4, NULL);
	memset(&g, 0, sizeof(g));
	CHECK_EQ(names_dns_response(m, n, got_fn, &g, &loop), 1);
	CHECK_STR(g.name[0], "other.example");
	/* compression pointer to itself, and a forward pointer: damaged */
	n = dns_msg(m, NULL, 1);
	m[n] = 0xC0, m[n + 1] = (uint8_t)n;
	memset(m + n + 2, 0, 10);
	CHECK_EQ(names_dns_response(m, n + 12, got_fn, &g, &loop), -1);
	m[n + 1] = (uint8_t)(n + 4);
	CHECK_EQ(names_dns_response(m, n + 12, got_fn, &g, &loop), -1);
	/* a query (QR = 0) and a truncated answer */
	n = dns_msg(m, "a.example", 1);
	n += put_rr(m + n, "a.example", 1, SRV, 4, NULL);
	CHECK_EQ(names_dns_response(m, n - 1, got_fn, &g, &loop), -1);
	m[2] = 0x01;
	CHECK_EQ(names_dns_response(m, n, got_fn, &g, &loop), -1);
}

static void test_dns_bound(void)
{
	uint8_t m[512], a[16] = { 0 };
	const char *name;
	names *nm = names_new(2);
	struct fm_pkt p = mkpkt(0, 17, 5353, 53, 10, 0, 0);
	struct names_stats st;
	char q[32];

	for (int i = 1; i <= 3; i++) {
		size_t n;
		snprintf(q, sizeof(q), "h%d.example", i);
		a[0] = 192, a[3] = (uint8_t)i;
		n = dns_msg(m, q, 1);
		n += put_rr(m + n, q, 1, a, 4, NULL);
		names_packet(nm, &p, m, n);
	}
	names_get_stats(nm, &st);
	CHECK_EQ(st.dns_answers, 3);
	CHECK_EQ(st.dns_dropped, 1);
	a[3] = 1;
	CHECK_EQ(names_flow(nm, 4, 6, CLI, 1, a, 2, 100, &name), NAMES_NONE);
	a[3] = 2;
	CHECK_EQ(names_flow(nm, 4, 6, CLI, 1, a, 2, 100, &name), NAMES_DNS);
	CHECK_STR(name, "h2.example");
	a[3] = 3;
	CHECK_EQ(names_flow(nm, 4, 6, CLI, 1, a, 2, 100, &name), NAMES_DNS);
	CHECK_STR(name, "h3.example");
	names_free(nm);

	/* many answers through a small table: only the newest stay */
	nm = names_new(100);
	for (int i = 0; i < 1000; i++) {
		size_t n;
		snprintf(q, sizeof(q), "n%d.example", i);
		a[0] = 10, a[2] = (uint8_t)(i >> 8), a[3] = (uint8_t)i;
		n = dns_msg(m, q, 1);
		n += put_rr(m + n, q, 1, a, 4, NULL);
		names_packet(nm, &p, m, n);
	}
	names_get_stats(nm, &st);
	CHECK_EQ(st.dns_dropped, 900);
	a[2] = 999 >> 8, a[3] = (uint8_t)999;
	CHECK_EQ(names_flow(nm, 4, 6, CLI, 1, a, 2, 100, &name), NAMES_DNS);
	CHECK_STR(name, "n999.example");
	a[2] = 0, a[3] = 5;
	CHECK_EQ(names_flow(nm, 4, 6, CLI, 1, a, 2, 100, &name), NAMES_NONE);
	names_free(nm);
}

/* ---- QUIC (RFC 9001 Appendix A) ---- */

static const char A2_CRYPTO[] =
	"060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
	"04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
	"616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
	"04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
	"baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
	"0d0010000e0403050306030203080408050806002d00020101001c0002400100"
	"3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
	"75300901100f088394c8f03e51570806048000ffff";
static const char A3_PROTECTED[] =
	"cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a"
	"5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3"
	"dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84"
	"022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4"
	"2158407dd074ee";
static const char A3_PAYLOAD[] =
	"02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
	"88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
	"0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
	"020304";
static const uint8_t DCID[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };

static size_t seal(uint8_t *out, const struct names_quic_keys *k, const uint8_t *hdr,
		   size_t hlen, size_t pnl, uint64_t pn, const uint8_t *pl, size_t plen)
{
	return names_quic_seal(k, hdr, hlen, pnl, pn, pl, plen, out);
}

static uint8_t a2_payload[1162];

static size_t client_initial(uint8_t *pkt, uint32_t version)
{
	uint8_t hdr[64];
	size_t hl = unhex("c300000001088394c8f03e5157080000449e00000002", hdr);
	struct names_quic_keys k;

	hdr[1] = (uint8_t)(version >> 24), hdr[2] = (uint8_t)(version >> 16);
	hdr[3] = (uint8_t)(version >> 8), hdr[4] = (uint8_t)version;
	memset(a2_payload, 0, sizeof(a2_payload));
	unhex(A2_CRYPTO, a2_payload);
	names_quic_keys(version, DCID, 8, 0, &k);
	return seal(pkt, &k, hdr, hl, 4, 2, a2_payload, sizeof(a2_payload));
}

static void test_quic(void)
{
	struct names_quic_keys k;
	static uint8_t pkt[1500], plain[1500];
	size_t n, plen, pktlen;
	const char *name;
	names *nm;
	struct fm_pkt p;
	struct names_stats st;

	/* A.1 */
	CHECK_EQ(names_quic_keys(1, DCID, 8, 0, &k), 0);
	CHECK(eqhex(k.key, 16, "1f369613dd76d5467730efcbe3b1a22d"));
	CHECK(eqhex(k.iv, 12, "fa044b2f42a3fd3b46fb255c"));
	CHECK(eqhex(k.hp, 16, "9f50449e04a0e810283a1e9933adedd2"));
	CHECK_EQ(names_quic_keys(1, DCID, 8, 1, &k), 0);
	CHECK(eqhex(k.key, 16, "cf3a5331653c364c88f0f379b6067e37"));
	CHECK(eqhex(k.iv, 12, "0ac1493ca1905853b0bba03e"));
	CHECK(eqhex(k.hp, 16, "c206b8d9b9f0f37644430b490eeaa314"));
	CHECK_EQ(names_quic_keys(2, DCID, 8, 0, &k), -1);	/* not v1 or a draft */
	CHECK_EQ(names_quic_keys(0xff000016, DCID, 8, 0, &k), -1);	/* draft-22: another scheme */
	CHECK_EQ(names_quic_keys(0x6b3343cf, DCID, 8, 0, &k), -1);	/* v2: not read */
	{
		/* drafts 29 to 32 share a salt, drafts 23 to 28 another one */
		struct names_quic_keys a, b, c;
		CHECK_EQ(names_quic_keys(0xff00001d, DCID, 8, 0, &a), 0);
		CHECK_EQ(names_quic_keys(0xff000020, DCID, 8, 0, &b), 0);
		CHECK_EQ(names_quic_keys(0xff00001c, DCID, 8, 0, &c), 0);
		CHECK(!memcmp(&a, &b, sizeof(a)));
		CHECK(memcmp(&a, &c, sizeof(a)) != 0);
	}

	/* A.3: the published server Initial decrypts to the published payload */
	names_quic_keys(1, DCID, 8, 1, &k);
	n = unhex(A3_PROTECTED, pkt);
	CHECK_EQ(names_quic_open(&k, pkt, n, plain, &plen, &pktlen), 0);
	CHECK_EQ(pktlen, n);
	CHECK_EQ(plen, strlen(A3_PAYLOAD) / 2);
	{
		uint8_t want[128];
		CHECK(unhex(A3_PAYLOAD, want) == plen && !memcmp(plain, want, plen));
	}
	pkt[40] ^= 1;	/* a damaged packet does not decrypt */
	CHECK_EQ(names_quic_open(&k, pkt, n, plain, &plen, &pktlen), -1);

	/* A.2: names_quic_seal gives the published protected header and
	 * sample, so it is the RFC's packet; names finds "example.com" */
	n = client_initial(pkt, 1);
	CHECK_EQ(n, 1200);
	CHECK(eqhex(pkt, 22, "c000000001088394c8f03e5157080000449e7b9aec34"));
	CHECK(eqhex(pkt + 22, 16, "d1b1c98dd7689fb8ec11d242b123dc9b"));
	names_quic_keys(1, DCID, 8, 0, &k);
	CHECK_EQ(names_quic_open(&k, pkt, n, plain, &plen, &pktlen), 0);
	CHECK_EQ(plen, sizeof(a2_payload));
	nm = names_new(NAMES_MAX_DEFAULT);
	p = mkpkt(1, 17, 50000, 443, 100, 0, 0);
	names_packet(nm, &p, pkt, n);
	CHECK_EQ(flow_name(nm, 17, 50000, 443, 100, &name), NAMES_QUIC);
	CHECK_STR(name, "example.com");

	/* draft-29 */
	n = client_initial(pkt, 0xff00001d);
	p = mkpkt(1, 17, 50001, 443, 100, 0, 0);
	names_packet(nm, &p, pkt, n);
	CHECK_EQ(flow_name(nm, 17, 50001, 443, 100, &name), NAMES_QUIC);
	CHECK_STR(name, "example.com");

	/* an Initial that does not decrypt: no name, counted */
	n = client_initial(pkt, 1);
	pkt[600] ^= 0x55;
	p = mkpkt(1, 17, 50002, 443, 100, 0, 0);
	names_packet(nm, &p, pkt, n);
	CHECK_EQ(flow_name(nm, 17, 50002, 443, 100, &name), NAMES_NONE);
	names_get_stats(nm, &st);
	CHECK_EQ(st.quic_undecryptable, 1);
	CHECK_EQ(st.quic, 2);
	/* truncated datagrams */
	for (size_t cut = 0; cut < 1200; cut += 37) {
		n = client_initial(pkt, 1);
		p = mkpkt(1, 17, 50003, 443, 100, 0, 0);
		names_packet(nm, &p, pkt, cut);
	}
	CHECK_EQ(flow_name(nm, 17, 50003, 443, 100, &name), NAMES_NONE);
	names_free(nm);

	/* the ClientHello split over two Initials (CRYPTO frames, second first) */
	{
		uint8_t hdr[64], pl[600];
		size_t hl = unhex("c300000001088394c8f03e5157080000449e00000002", hdr), cl;
		uint8_t crypto[300];
		static uint8_t p1[1500], p2[1500];
		size_t n1, n2;

		cl = unhex(A2_CRYPTO, crypto) - 4;	/* the ClientHello: after 06 00 40 f1 */
		names_quic_keys(1, DCID, 8, 0, &k);
		memset(pl, 0, sizeof(pl));
		/* CRYPTO offset 0, length 100 */
		pl[0] = 6, pl[1] = 0, pl[2] = 0x40, pl[3] = 100;
		memcpy(pl + 4, crypto + 4, 100);
		/* Length = 4 (pn) + 580 + 16 = 600, packet numbers 0 and 1 */
		hdr[16] = 0x42, hdr[17] = 0x58, hdr[21] = 0;
		n1 = seal(p1, &k, hdr, hl, 4, 0, pl, 580);
		memset(pl, 0, sizeof(pl));
		pl[0] = 6, pl[1] = 0x40, pl[2] = 100, pl[3] = 0x40, pl[4] = (uint8_t)(cl - 100);
		memcpy(pl + 5, crypto + 4 + 100, cl - 100);
		hdr[21] = 1;
		n2 = seal(p2, &k, hdr, hl, 4, 1, pl, 580);
		nm = names_new(10);
		p = mkpkt(1, 17, 50004, 443, 100, 0, 0);
		names_packet(nm, &p, p2, n2);
		CHECK_EQ(flow_name(nm, 17, 50004, 443, 100, &name), NAMES_NONE);
		names_packet(nm, &p, p1, n1);
		CHECK_EQ(flow_name(nm, 17, 50004, 443, 100, &name), NAMES_QUIC);
		CHECK_STR(name, "example.com");
		names_free(nm);
	}
}

static void test_priority(void)
{
	uint8_t m[512], hs[1024], st[1200];
	size_t n;
	const char *name;
	names *nm = names_new(100);
	struct fm_pkt p = mkpkt(0, 17, 5353, 53, 10, 0, 0);

	n = dns_msg(m, "dns.example", 1);
	n += put_rr(m + n, "dns.example", 1, SRV, 4, NULL);
	names_packet(nm, &p, m, n);
	n = records(st, hs, client_hello(hs, (const uint8_t *)"sni.example", 11, 0), 16384);
	p = mkpkt(1, 6, 40010, 443, 20, 1, FM_ACK);
	names_packet(nm, &p, st, n);
	CHECK_EQ(flow_name(nm, 6, 40010, 443, 20, &name), NAMES_SNI);
	CHECK_STR(name, "sni.example");
	CHECK_EQ(flow_name(nm, 6, 40011, 443, 20, &name), NAMES_DNS);
	CHECK_STR(name, "dns.example");
	names_free(nm);
}

int main(void)
{
	test_tls();
	test_tls_bad();
	test_tls_extensions();
	test_http();
	test_proxy();
	test_dns();
	test_dns_bound();
	test_quic();
	test_priority();
	return check_done();
}
