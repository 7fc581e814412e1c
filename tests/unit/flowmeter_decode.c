/*
 * Unit tests of flowmeter's packet decoder on hand-built frames: the
 * CICFlowMeter rules (cicflowmeter.md §3, cicflowmeter-fixed.md §3) and the
 * full decoding (link types, IPv6).
 */
#include "check.h"
#include "../../flowmeter/decode.h"

#include <stdint.h>
#include <string.h>

static uint8_t fr[2048];
static size_t flen;

static void put(const void *p, size_t n)
{
	memcpy(fr + flen, p, n);
	flen += n;
}

static void put16(unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(b, 2);
}

static void eth(const uint8_t dst0, unsigned type)
{
	uint8_t mac[12] = { dst0, 1, 2, 3, 4, 5, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	flen = 0;
	put(mac, 12);
	put16(type);
}

/* IPv4 header, 20 bytes, addresses 10.0.0.1 -> 10.0.0.2 */
static void ip4(unsigned proto, unsigned totlen, unsigned frag)
{
	uint8_t h[20] = { 0x45, 0, (uint8_t)(totlen >> 8), (uint8_t)totlen, 0, 1,
			  (uint8_t)(frag >> 8), (uint8_t)frag, 64, (uint8_t)proto, 0, 0,
			  10, 0, 0, 1, 10, 0, 0, 2 };
	put(h, 20);
}

static void tcp(unsigned sport, unsigned dport, unsigned doff, unsigned flags, unsigned win)
{
	uint8_t h[20] = { 0 };
	h[0] = (uint8_t)(sport >> 8); h[1] = (uint8_t)sport;
	h[2] = (uint8_t)(dport >> 8); h[3] = (uint8_t)dport;
	h[4] = 0x11; h[7] = 0x22;	/* seq 0x11000022 */
	h[11] = 0x33;			/* ack 0x33 */
	h[12] = (uint8_t)(doff << 4);
	h[13] = (uint8_t)flags;
	h[14] = (uint8_t)(win >> 8); h[15] = (uint8_t)win;
	put(h, 20);
}

static void udp(unsigned sport, unsigned dport)
{
	put16(sport); put16(dport); put16(8); put16(0);
}

static void zeros(size_t n)
{
	memset(fr + flen, 0, n);
	flen += n;
}

static enum fm_skip dec(enum fm_profile prof, enum fm_decode mode, int dlt, struct fm_pkt *p)
{
	struct fm_rec r = { 1234567, fr, (uint32_t)flen, (uint32_t)flen, dlt };
	return fm_decode(prof, mode, &r, p);
}

static void test_tcp_basic(void)
{
	struct fm_pkt p;

	eth(0x00, 0x0800);
	ip4(6, 20 + 20 + 100, 0x4000);
	tcp(1234, 80, 5, FM_SYN | FM_ACK, 65535);
	zeros(100);
	zeros(6);	/* Ethernet trailer, trimmed when untagged */
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.ts, 1234567);
	CHECK_EQ(p.af, 4);
	CHECK_EQ(p.proto, 6);
	CHECK(!memcmp(p.src, "\x0a\x00\x00\x01", 4) && !memcmp(p.dst, "\x0a\x00\x00\x02", 4));
	CHECK_EQ(p.sport, 1234);
	CHECK_EQ(p.dport, 80);
	CHECK_EQ(p.flags, FM_SYN | FM_ACK);
	CHECK_EQ(p.window, 65535);
	CHECK_EQ(p.payload, 100);
	CHECK_EQ(p.hdr, 20);
	CHECK_EQ(p.seq, 0x11000022u);
	CHECK_EQ(p.ack, 0x33);
	CHECK_EQ(p.icmp_type, -1);
	CHECK_EQ(dec(FM_PROFILE_FIXED, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.payload, 100);
	CHECK_EQ(p.hdr, 20);
}

static void test_vlan_padding(void)
{
	struct fm_pkt p;

	/* with a VLAN tag the Ethernet padding counts as payload (upstream §3.2) */
	eth(0x00, 0x8100);
	put16(5); put16(0x0800);
	ip4(6, 40, 0);
	tcp(1, 2, 5, FM_ACK, 10);
	zeros(2);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.payload, 2);
	/* the full decode trims by the IPv4 total length */
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.payload, 0);
}

static void test_totlen_zero(void)
{
	struct fm_pkt p;

	/* TSO capture: total length 0 cuts the TCP header off upstream... */
	eth(0x00, 0x0800);
	ip4(6, 0, 0);
	tcp(1, 2, 5, FM_ACK, 10);
	zeros(10);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 0);
	CHECK_EQ(p.sport, 0);
	/* ... and the fork's r1500 library uses the captured length */
	CHECK_EQ(dec(FM_PROFILE_FIXED, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.payload, 10);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.payload, 10);
}

static void test_snaplen_cut(void)
{
	struct fm_pkt p;
	struct fm_rec r;

	/* payload = captured bytes, not the IP total length */
	eth(0x00, 0x0800);
	ip4(6, 1440, 0);
	tcp(1, 2, 5, FM_ACK, 10);
	zeros(42);
	r = (struct fm_rec){ 0, fr, (uint32_t)flen, 1454, 1 };
	CHECK_EQ(fm_decode(FM_PROFILE_CIC, FM_DECODE_CIC, &r, &p), FM_OK);
	CHECK_EQ(p.payload, 42);
	/* wirelen < caplen: rejected */
	r.wirelen = (uint32_t)flen - 1;
	CHECK_EQ(fm_decode(FM_PROFILE_CIC, FM_DECODE_CIC, &r, &p), FM_SKIP_WIRELEN);
	CHECK_EQ(fm_decode(FM_PROFILE_CIC, FM_DECODE_FULL, &r, &p), FM_SKIP_WIRELEN);
}

static void test_arp_garbage(void)
{
	struct fm_pkt p;
	static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55,
					 192, 168, 1, 1, 0, 0, 0, 0, 0, 0, 192, 168, 1, 2 };

	/* broadcast ARP request -> protocol-0 packet 8.6.0.1 -> 8.0.6.4 */
	flen = 0;
	put("\xff\xff\xff\xff\xff\xff\x00\x11\x22\x33\x44\x55", 12);
	put16(0x0806);
	put(arp, sizeof(arp));
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK(!memcmp(p.src, "\x08\x06\x00\x01", 4));
	CHECK(!memcmp(p.dst, "\x08\x00\x06\x04", 4));
	CHECK_EQ(p.proto, 0);
	/* full decoding: not IP */
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_SKIP_NOT_IP);
}

static void test_icmp_quote(void)
{
	struct fm_pkt p;

	/* ICMP port unreachable from 10.0.0.1 quoting UDP 10.0.0.2:41011 -> :33434 */
	eth(0x00, 0x0800);
	ip4(1, 20 + 8 + 20 + 8 + 4, 0);
	put("\x03\x03\x00\x00\x00\x00\x00\x00", 8);
	ip4(17, 32, 0);
	udp(41011, 33434);
	zeros(4);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 17);	/* outer addresses, quoted ports */
	CHECK(!memcmp(p.src, "\x0a\x00\x00\x01", 4));
	CHECK_EQ(p.sport, 41011);
	CHECK_EQ(p.dport, 33434);
	CHECK_EQ(p.payload, 4);
	/* fork: ICMP first */
	CHECK_EQ(dec(FM_PROFILE_FIXED, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 1);
	CHECK_EQ(p.icmp_type, 3);
	CHECK_EQ(p.icmp_code, 3);
	CHECK_EQ(p.sport, 0);
	CHECK_EQ(dec(FM_PROFILE_FIXED, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 1);
	CHECK_EQ(p.icmp_type, 3);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 0);
	/* fork: ICMP type >= 64 makes jnetpcap throw: dropped */
	fr[14 + 20] = 70;
	CHECK(dec(FM_PROFILE_FIXED, FM_DECODE_CIC, 1, &p) != FM_OK);
}

static void test_fixed_protocols(void)
{
	struct fm_pkt p;

	eth(0x00, 0x0800);
	ip4(132, 20 + 12 + 16, 0);
	put16(2905); put16(2906); zeros(8);
	zeros(16);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 0);
	CHECK_EQ(dec(FM_PROFILE_FIXED, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 132);
	CHECK_EQ(p.sport, 2905);
	CHECK_EQ(p.hdr, 12);
	CHECK_EQ(p.payload, 16);
	/* IGMP -> 2 in the fork; OSPF (89, not in Ip4Type) -> dropped */
	eth(0x00, 0x0800);
	ip4(2, 28, 0);
	zeros(8);
	CHECK_EQ(dec(FM_PROFILE_FIXED, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 2);
	fr[14 + 9] = 89;
	CHECK(dec(FM_PROFILE_FIXED, FM_DECODE_CIC, 1, &p) != FM_OK);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 0);
}

static void test_tcp_doff(void)
{
	struct fm_pkt p;

	/* data offset < 5 is refused (upstream golden and fork) */
	eth(0x00, 0x0800);
	ip4(6, 60, 0);
	tcp(1, 2, 1, FM_ACK, 1);
	zeros(20);
	CHECK(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p) != FM_OK);
	CHECK(dec(FM_PROFILE_FIXED, FM_DECODE_CIC, 1, &p) != FM_OK);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_SKIP_TRUNCATED);
	/* options: header bytes = data offset * 4 */
	eth(0x00, 0x0800);
	ip4(6, 20 + 32 + 5, 0);
	tcp(1, 2, 8, FM_ACK, 1);
	put("\x01\x01\x08\x0a", 4); zeros(8);
	zeros(5);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.hdr, 32);
	CHECK_EQ(p.payload, 5);
}

static void test_ip_in_ip(void)
{
	struct fm_pkt p;

	/* upstream: tunnel endpoints' addresses with the inner ports */
	eth(0x00, 0x0800);
	ip4(4, 20 + 20 + 8 + 3, 0);
	{
		uint8_t h[20] = { 0x45, 0, 0, 31, 0, 1, 0, 0, 64, 17, 0, 0,
				  192, 168, 0, 1, 192, 168, 0, 2 };
		put(h, 20);
	}
	udp(53, 5353);
	zeros(3);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK(!memcmp(p.src, "\x0a\x00\x00\x01", 4));
	CHECK_EQ(p.sport, 53);
	CHECK_EQ(p.payload, 3);
	/* full decoding: the inner packet */
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK(!memcmp(p.src, "\xc0\xa8\x00\x01", 4));
	CHECK_EQ(p.sport, 53);
	CHECK_EQ(p.proto, 17);
}

static void ip6hdr(unsigned nh, unsigned plen)
{
	uint8_t h[40] = { 0x60, 0, 0, 0, (uint8_t)(plen >> 8), (uint8_t)plen, (uint8_t)nh, 64 };
	h[8] = 0x20; h[9] = 0x01; h[23] = 1;	/* 2001::1 */
	h[24] = 0x20; h[25] = 0x01; h[39] = 2;	/* 2001::2 */
	put(h, 40);
}

static void test_ipv6(void)
{
	struct fm_pkt p;

	/* hop-by-hop + fragment (first) + TCP */
	eth(0x00, 0x86DD);
	ip6hdr(0, 8 + 8 + 20 + 7);
	put("\x2c\x00\x01\x04\x00\x00\x00\x00", 8);	/* HBH, next = fragment */
	put("\x06\x00\x00\x01\x00\x00\x00\x01", 8);	/* fragment offset 0, M=1 */
	tcp(443, 50000, 5, FM_PSH | FM_ACK, 100);
	zeros(7);
	zeros(4);	/* trailer */
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_SKIP_IPV6);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.af, 6);
	CHECK_EQ(p.src[0], 0x20);
	CHECK_EQ(p.src[15], 1);
	CHECK_EQ(p.dst[15], 2);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.sport, 443);
	CHECK_EQ(p.payload, 7);
	CHECK_EQ(p.hdr, 20);
	/* a later fragment: no transport header */
	fr[14 + 40 + 8 + 3] = 0x08;
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 0);
	CHECK_EQ(p.sport, 0);
	/* ICMPv6 in the fork: its own protocol with type/code */
	eth(0x00, 0x86DD);
	ip6hdr(58, 8);
	put("\x80\x00\x00\x00\x00\x01\x00\x01", 8);
	CHECK_EQ(dec(FM_PROFILE_FIXED, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 58);
	CHECK_EQ(p.icmp_type, 128);
	/* truncated extension header */
	eth(0x00, 0x86DD);
	ip6hdr(60, 16);
	put("\x11\x05", 2);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_SKIP_TRUNCATED);
}

static void test_linktypes(void)
{
	struct fm_pkt p;
	size_t i;

	/* Linux SLL: nothing upstream (byte 0 gives IHL < 5), proper with full */
	flen = 0;
	put("\x00\x00\x00\x01\x00\x06\x00\x11\x22\x33\x44\x55\x00\x00", 14);
	put16(0x0800);
	ip4(17, 28 + 5, 0);
	udp(1000, 2000);
	zeros(5);
	CHECK(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 113, &p) != FM_OK);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 113, &p), FM_SKIP_LINKTYPE);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 113, &p), FM_OK);
	CHECK_EQ(p.sport, 1000);
	CHECK_EQ(p.payload, 5);
	/* raw IPv4: works upstream through the fallback */
	flen = 0;
	ip4(17, 28, 0);
	udp(7, 9);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 101, &p), FM_OK);
	CHECK_EQ(p.dport, 9);
	for (i = 0; i < 3; i++) {
		static const int dlt[3] = { 12, 101, 228 };
		CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, dlt[i], &p), FM_OK);
		CHECK_EQ(p.dport, 9);
	}
	/* BSD loopback, IPv6 (family 30 little-endian), and DLT_LOOP (big-endian 2) */
	flen = 0;
	put("\x1e\x00\x00\x00", 4);
	ip6hdr(17, 8);
	udp(1, 2);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 0, &p), FM_OK);
	CHECK_EQ(p.af, 6);
	CHECK_EQ(p.dport, 2);
	flen = 0;
	put("\x00\x00\x00\x02", 4);
	ip4(17, 28, 0);
	udp(3, 4);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 108, &p), FM_OK);
	CHECK_EQ(p.sport, 3);
	/* PPPoE session in Ethernet, MPLS stack, QinQ */
	eth(0x00, 0x8864);
	put("\x11\x00\x00\x01\x00\x1e", 6);
	put16(0x0021);
	ip4(17, 28, 0);
	udp(5, 6);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.sport, 5);
	eth(0x00, 0x8847);
	put("\x00\x01\x00\x40\x00\x02\x01\x40", 8);	/* two labels, S bit on the second */
	ip4(6, 40, 0);
	tcp(8, 9, 5, FM_SYN, 1);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.flags, FM_SYN);
	eth(0x00, 0x88A8);
	put16(1); put16(0x8100); put16(2); put16(0x0800);
	ip4(17, 28, 0);
	udp(11, 12);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_CIC, 1, &p), FM_OK);
	CHECK_EQ(p.sport, 11);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 1, &p), FM_OK);
	CHECK_EQ(p.sport, 11);
	/* PPP with address/control and compressed protocol */
	flen = 0;
	put("\xff\x03\x21", 3);
	ip4(17, 28, 0);
	udp(13, 14);
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 9, &p), FM_OK);
	CHECK_EQ(p.sport, 13);
	/* unsupported link type, every truncation of a frame: no crash */
	CHECK_EQ(dec(FM_PROFILE_CIC, FM_DECODE_FULL, 147, &p), FM_SKIP_LINKTYPE);
	eth(0x00, 0x8100);
	put16(5); put16(0x86DD);
	ip6hdr(0, 8 + 20);
	put("\x06\x00\x00\x00\x00\x00\x00\x00", 8);
	tcp(1, 2, 5, 0, 0);
	for (size_t n = flen; n-- > 0;) {
		struct fm_rec r = { 0, fr, (uint32_t)n, (uint32_t)n, 1 };
		for (int prof = 0; prof < 2; prof++)
			for (int mode = 0; mode < 2; mode++)
				(void)fm_decode((enum fm_profile)prof, (enum fm_decode)mode, &r, &p);
	}
	CHECK(1);
}

int main(void)
{
	CHECK_STR(fm_skip_names[FM_SKIP_IPV6], "IPv6");
	test_tcp_basic();
	test_vlan_padding();
	test_totlen_zero();
	test_snaplen_cut();
	test_arp_garbage();
	test_icmp_quote();
	test_fixed_protocols();
	test_tcp_doff();
	test_ip_in_ip();
	test_ipv6();
	test_linktypes();
	return check_done();
}
