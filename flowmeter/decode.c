/*
 * decode.c: one captured frame -> struct fm_pkt.
 *
 * FM_DECODE_CIC reproduces what CICFlowMeter's PacketReader got from the
 * jnetpcap 1.4 native scanner (upstream r1425, or the fork's patched r1500
 * for FM_PROFILE_FIXED): the frame is scanned as Ethernet II, the first
 * IPv4 header and the first TCP/UDP (fixed: ICMP/TCP/UDP/SCTP) header
 * found anywhere are combined, and when that fails the frame is re-scanned
 * as if an IPv4 header started at byte 0 (the "VPN" fallback that turns ARP
 * into 8.6.0.1 -> 8.0.6.4 packets). See spec/cicflowmeter.md §3 and
 * cicflowmeter-fixed.md §3; every odd rule below is a behaviour of the real
 * tool, not a bug of this file.
 *
 * FM_DECODE_FULL dispatches on the link type (Ethernet with 802.1Q/802.1ad/
 * QinQ, MPLS, PPPoE and LLC/SNAP; Linux SLL and SLL2; raw IP 12/14/101/228/
 * 229; BSD NULL/LOOP; PPP, PPP-serial, PPPoE, Cisco HDLC; 802.11 and
 * radiotap; FDDI; Frame Relay; NFLOG), decodes IPv4 and IPv6 (extension
 * headers, fragments) properly and never invents packets from non-IP
 * frames. Padding is removed using the IP length fields, IP-in-IP, 6in4 and
 * 4in6 are decapsulated (inner addresses and ports), ICMP errors are ICMP
 * (their quoted headers are not followed), non-first fragments are
 * protocol-0 packets; payload and header bytes are counted as the profile
 * counts them (captured bytes after the L4 header; TCP data offset * 4).
 *
 * All reads are bounds-checked against the captured length; nothing is
 * allocated per packet.
 */
#include "decode.h"

#include <string.h>

const char *const fm_skip_names[FM_SKIP_NREASONS] = {
	[FM_OK] = "ok",
	[FM_SKIP_NOT_IP] = "non-IP",
	[FM_SKIP_IPV6] = "IPv6",
	[FM_SKIP_LINKTYPE] = "unsupported link type",
	[FM_SKIP_TRUNCATED] = "truncated",
	[FM_SKIP_WIRELEN] = "wirelen < caplen",
	[FM_SKIP_OTHER] = "other",
};

static inline unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ethertypes (both decoders) */
enum {
	ET_IP4 = 0x0800, ET_IP6 = 0x86DD, ET_VLAN = 0x8100, ET_QINQ = 0x88A8,
	ET_QINQ_OLD1 = 0x9100, ET_QINQ_OLD2 = 0x9200, ET_MPLS = 0x8847, ET_MPLS_MC = 0x8848,
	ET_PPPOE = 0x8864, ET_MIN = 0x0600 /* below: an 802.3 length */
};

/* PPP protocol field (RFC 1661) */
enum { PPP_IP4 = 0x0021, PPP_IP6 = 0x0057 };

/* ICMP errors that quote an IPv4 header (the scanner follows it), the L2TP
 * UDP port */
enum { ICMP_UNREACH = 3, ICMP_PARAMPROB = 12, PORT_L2TP = 1701 };

/* address families in BSD NULL/LOOP and NFLOG headers (AF_INET6 differs:
 * Linux, NetBSD/OpenBSD, FreeBSD, Darwin) */
enum { AF_IP4 = 2, AF_IP6_LINUX = 10, AF_IP6_BSD = 24, AF_IP6_FREEBSD = 28, AF_IP6_DARWIN = 30 };

/* Frame Relay NLPIDs (RFC 2427) */
enum { NLPID_SNAP = 0x80, NLPID_IP6 = 0x8e, NLPID_IP4 = 0xcc };

/* ------------------------------------------------------------------------
 * The jnetpcap scanner walk (FM_DECODE_CIC)
 * ------------------------------------------------------------------------ */

enum hdr { H_NONE, H_ETH, H_VLAN, H_IP4, H_IP6, H_ICMP, H_TCP, H_UDP, H_SCTP,
	   H_L2TP, H_PPP };

/* First instance of each header the scanner found. Offsets into the frame;
 * a negative length means "Java would throw when decoding this header". */
struct scan_res {
	int has_ip4, has_tcp, has_udp, has_icmp, has_sctp;
	uint32_t ip4_off;
	int32_t ip4_hlen;	/* effective header length, -1 = exception */
	uint32_t ip4_ihl;	/* IHL * 4 */
	uint32_t tcp_off;
	int32_t tcp_hlen;	/* -1 = exception in option decoding */
	uint32_t tcp_pay;
	uint32_t udp_off, udp_pay;
	uint32_t sctp_off, sctp_pay;
	uint8_t icmp_type, icmp_code;
};

static enum hdr ethertype_next(unsigned t)
{
	switch (t) {
	case ET_IP4: return H_IP4;
	case ET_IP6: return H_IP6;
	case ET_VLAN: case ET_QINQ: case ET_QINQ_OLD1: return H_VLAN;
	default: return H_NONE;
	}
}

/*
 * Walk the headers from `first` like jnetpcap's JScanner. `fixed` selects the
 * r1500 library changes (IPv4 total length 0, truncated fragment headers).
 * Trailer trimming changes the scanner's idea of the frame length (blen).
 */
static void scan(const uint8_t *buf, uint32_t len, enum hdr first, int fixed,
		 struct scan_res *f)
{
	uint32_t blen = len, off = 0, hlen = 0;
	enum hdr cur = first, prev = H_NONE, nxt;
	int depth = 0;

	memset(f, 0, sizeof(*f));
	while (cur != H_NONE && off < blen && depth < 32) {
		uint32_t rem = blen - off;

		depth++;
		switch (cur) {
		case H_ETH:
			if (rem < 14)
				return;
			hlen = 14;
			if (be16(buf + off + 12) < ET_MIN)
				return;	/* 802.3/LLC: not followed */
			nxt = ethertype_next(be16(buf + off + 12));
			break;
		case H_VLAN:
			if (rem < 4)
				return;
			hlen = 4;
			if (be16(buf + off + 2) < ET_MIN)
				return;
			nxt = ethertype_next(be16(buf + off + 2));
			break;
		case H_IP4: {
			uint32_t tot, frag;
			int64_t ip_pay, hdr_eff;

			if (rem < 20)
				return;
			hlen = (buf[off] & 0x0F) * 4u;
			if (!hlen)
				return;
			tot = be16(buf + off + 2);
			if (fixed && !tot)	/* r1500: TSO/GSO captures */
				tot = (blen - off) & 0xFFFF;
			/* Ethernet trailer trimming (compares with the whole
			 * frame length, as the scanner does) */
			if (prev == H_ETH && tot <= blen && blen - off > tot)
				blen = off + tot;
			frag = be16(buf + off + 6);
			ip_pay = (int64_t)tot - hlen;
			if (frag & 0x2000)
				ip_pay = (int64_t)blen - hlen - off;
			hdr_eff = hlen;
			if ((int64_t)off + hlen + ip_pay > blen && off + hlen > blen)
				hdr_eff = blen > off ? blen - off : 0;
			if (!f->has_ip4) {
				f->has_ip4 = 1;
				f->ip4_off = off;
				f->ip4_ihl = hlen;
				f->ip4_hlen = off + hdr_eff <= len ? (int32_t)hdr_eff : -1;
				if (fixed && hdr_eff < hlen && (frag & 0x3FFF))
					f->ip4_hlen = -1;
			}
			if (hdr_eff < hlen || (frag & 0x1FFF))
				return;
			switch (buf[off + 9]) {
			case FM_IP_ICMP: nxt = H_ICMP; break;
			case FM_IP_IPIP: nxt = H_IP4; break;
			case FM_IP_TCP: nxt = H_TCP; break;
			case FM_IP_UDP: nxt = H_UDP; break;
			case FM_IP_L2TP: nxt = H_L2TP; break;
			case FM_IP_SCTP: nxt = H_SCTP; break;
			default: nxt = H_NONE; break;
			}
			break;
		}
		case H_IP6: {
			/* only matters for IPv4 in IPv6 (next header 4) */
			uint32_t b = off + 40;
			unsigned nh;

			if (rem < 40)
				return;
			hlen = 40;
			nh = buf[off + 6];
			for (;;) {
				if (nh == FM_IP_IPIP)
					break;
				if (nh == FM_IP_HOPOPT || nh == FM_IP_IPV6_ROUTE ||
				    nh == FM_IP_IPV6_FRAG || nh == FM_IP_ESP || nh == FM_IP_AH ||
				    nh == FM_IP_IPV6_OPTS || nh == FM_IP_MOBILITY) {
					uint32_t ln;
					if ((uint64_t)b + 2 > blen)
						return;
					ln = buf[b + 1] * 8u + 8;
					nh = buf[b];
					hlen += ln;
					b += ln;
					continue;
				}
				return;
			}
			nxt = H_IP4;
			break;
		}
		case H_ICMP:
			if (rem < 4)
				return;
			if (!f->has_icmp) {
				f->has_icmp = 1;
				f->icmp_type = buf[off];
				f->icmp_code = buf[off + 1];
			}
			if (buf[off] != ICMP_UNREACH && buf[off] != ICMP_PARAMPROB)
				return;
			hlen = 8;	/* then the quoted IPv4 header */
			nxt = H_IP4;
			break;
		case H_TCP: {
			uint32_t l;
			if (rem < 20)
				return;
			l = (buf[off + 12] >> 4) * 4u;
			if (!l)
				return;
			if (!f->has_tcp) {
				uint32_t h = l < rem ? l : rem;
				int exc = l > 20 && (h <= 20 || (h == 21 && buf[off + 20] > 1));
				f->has_tcp = 1;
				f->tcp_off = off;
				f->tcp_hlen = exc ? -1 : (int32_t)h;
				f->tcp_pay = rem > l ? rem - l : 0;
			}
			return;
		}
		case H_UDP: {
			unsigned sp, dp;
			if (rem < 8)
				return;
			if (!f->has_udp) {
				f->has_udp = 1;
				f->udp_off = off;
				f->udp_pay = rem - 8;
			}
			sp = be16(buf + off);
			dp = be16(buf + off + 2);
			if (sp != PORT_L2TP && dp != PORT_L2TP)
				return;
			hlen = 8;
			nxt = H_L2TP;
			break;
		}
		case H_SCTP:
			if (rem < 12)
				return;
			if (!f->has_sctp) {
				f->has_sctp = 1;
				f->sctp_off = off;
				f->sctp_pay = rem - 12;
			}
			return;
		case H_L2TP: {
			unsigned b0;
			if (rem < 2)
				return;
			b0 = buf[off];
			hlen = 6 + (b0 & 0x40 ? 2 : 0) + (b0 & 0x08 ? 4 : 0) + (b0 & 0x02 ? 4 : 0);
			nxt = b0 & 0x80 ? H_NONE : H_PPP;
			break;
		}
		case H_PPP:
			if (rem < 4)
				return;
			hlen = 4;
			nxt = be16(buf + off + 2) == PPP_IP4 ? H_IP4 : H_NONE;
			break;
		default:
			return;
		}
		prev = cur;
		off += hlen;
		cur = nxt;
	}
}

/* Java Ip4.decodeHeader: needs the 20 fixed bytes and walks the options;
 * running past the captured header throws. */
static int ip4_options_ok(const uint8_t *h, uint32_t hdr_eff, uint32_t ihl)
{
	uint32_t i = 20;

	if (hdr_eff < 20)
		return 0;
	while (i < ihl) {
		unsigned oid;
		if (i >= hdr_eff)
			return 0;
		oid = h[i] & 0x1F;
		/* option codes jnetpcap knows: 0-4, 7-21, 23-25 */
		if (oid == 5 || oid == 6 || oid == 22 || oid > 25 || oid == 0)
			break;
		if (oid != 1) {
			if (i + 1 >= hdr_eff)
				return 0;
			i += h[i + 1];
		}
		i++;
	}
	return 1;
}

/* IPv4 protocol numbers of jnetpcap's Ip4.Ip4Type enum (fixed profile) */
static int ip4type_known(unsigned p)
{
	return p <= 61 || p == 94 || p == 103 || p == 111 || p == 118 ||
	       p == 132 || p == 133 || p == 137;
}

/* getIpv4Info of upstream (fixed = 0) or of the fork (fixed = 1).
 * Returns 1 and fills *o, or 0 (no IPv4 found / Java exception). */
static int ip4_info(const uint8_t *buf, uint32_t len, enum hdr first, int fixed,
		    struct fm_pkt *o)
{
	struct scan_res f;
	const uint8_t *ip, *t;

	scan(buf, len, first, fixed, &f);
	if (!f.has_ip4 || f.ip4_hlen < 0)
		return 0;
	ip = buf + f.ip4_off;
	if (!ip4_options_ok(ip, (uint32_t)f.ip4_hlen, f.ip4_ihl))
		return 0;
	memcpy(o->src, ip + 12, 4);
	memcpy(o->dst, ip + 16, 4);
	if (fixed && f.has_icmp) {
		if (f.icmp_type >= 64)
			return 0;	/* no sub-header table: exception */
		o->proto = FM_IP_ICMP;
		o->icmp_type = f.icmp_type;
		o->icmp_code = f.icmp_code;
	} else if (f.has_tcp) {
		t = buf + f.tcp_off;
		/* option-decoding exception; a data offset of 1-4 is refused
		 * too (upstream golden tcp_dataoff_too_small, fork r1500) */
		if (f.tcp_hlen < 0 || (t[12] >> 4) < 5)
			return 0;
		o->proto = FM_IP_TCP;
		o->sport = (uint16_t)be16(t);
		o->dport = (uint16_t)be16(t + 2);
		o->seq = be32(t + 4);
		o->ack = be32(t + 8);
		o->flags = t[13];
		o->window = (uint16_t)be16(t + 14);
		o->payload = f.tcp_pay;
		o->hdr = (uint32_t)f.tcp_hlen;
		o->l4 = f.tcp_pay ? t + (t[12] >> 4) * 4u : NULL;
	} else if (f.has_udp) {
		t = buf + f.udp_off;
		o->proto = FM_IP_UDP;
		o->sport = (uint16_t)be16(t);
		o->dport = (uint16_t)be16(t + 2);
		o->payload = f.udp_pay;
		o->hdr = 8;
		o->l4 = t + 8;
	} else if (fixed && f.has_sctp) {
		t = buf + f.sctp_off;
		o->proto = FM_IP_SCTP;
		o->sport = (uint16_t)be16(t);
		o->dport = (uint16_t)be16(t + 2);
		o->payload = f.sctp_pay;
		o->hdr = 12;
	} else if (fixed) {
		if (!ip4type_known(ip[9]))
			return 0;	/* Ip4Type.valueOf -> null: exception */
		o->proto = ip[9] == FM_IP_IGMP ? FM_IP_IGMP : 0;
	}
	return 1;
}

/* DLTs whose byte 0 is the IP header */
static int dlt_raw_ip(int dlt)
{
	return dlt == FM_DLT_RAW12 || dlt == FM_DLT_RAW14 || dlt == FM_DLT_RAW ||
	       dlt == FM_DLT_IPV4 || dlt == FM_DLT_IPV6;
}

/* Why the cic decode produced nothing, for the summary line. */
static enum fm_skip cic_reason(const uint8_t *buf, uint32_t len, int dlt)
{
	if (dlt == FM_DLT_EN10MB) {
		uint32_t off = 12;
		unsigned t;
		for (;;) {
			if (off + 2 > len)
				return FM_SKIP_TRUNCATED;
			t = be16(buf + off);
			if (t != ET_VLAN && t != ET_QINQ && t != ET_QINQ_OLD1)
				break;
			off += 4;
		}
		if (t == ET_IP6)
			return FM_SKIP_IPV6;
		if (t == ET_IP4)
			return FM_SKIP_OTHER;	/* damaged or refused IPv4 */
		return FM_SKIP_NOT_IP;
	}
	if (dlt_raw_ip(dlt)) {
		if (!len)
			return FM_SKIP_TRUNCATED;
		if (buf[0] >> 4 == 6)
			return FM_SKIP_IPV6;
		if (buf[0] >> 4 == 4)
			return FM_SKIP_OTHER;
		return FM_SKIP_NOT_IP;
	}
	return FM_SKIP_LINKTYPE;
}

static enum fm_skip decode_cic(enum fm_profile prof, const struct fm_rec *rec,
			       struct fm_pkt *o)
{
	int fixed = prof == FM_PROFILE_FIXED;

	if ((int32_t)rec->wirelen < (int32_t)rec->caplen)
		return FM_SKIP_WIRELEN;	/* JScanner: "wirelen < buffer len" */
	if (ip4_info(rec->data, rec->caplen, H_ETH, fixed, o))
		return FM_OK;
	/* "VPN" fallback: the frame re-read as IPv4 from byte 0 */
	if (rec->caplen >= 2) {
		memset(o, 0, sizeof(*o));
		o->ts = rec->ts;
		o->af = 4;
		o->icmp_type = o->icmp_code = -1;
		if (ip4_info(rec->data, rec->caplen, H_IP4, fixed, o))
			return FM_OK;
	}
	return cic_reason(rec->data, rec->caplen, rec->linktype);
}

/* ------------------------------------------------------------------------
 * Full decoding (FM_DECODE_FULL): link-type dispatch, IPv4 and IPv6
 * ------------------------------------------------------------------------ */

/*
 * Packet cursor (style.md): every read goes through it and never passes
 * `end`. A read or skip beyond `end` returns 0, moves the cursor to `end`
 * and sets the sticky `trunc` flag, so a layer reads its fields and checks
 * the flag once. cur_peek* read ahead without moving (0 when short, no
 * flag: for tests like "does an LLC/SNAP header follow").
 */
struct cur {
	const uint8_t *p, *end;
	int trunc;
};

static inline size_t cur_left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

static inline int cur_need(struct cur *c, size_t n)
{
	if (n <= cur_left(c))
		return 1;
	c->p = c->end;
	c->trunc = 1;
	return 0;
}

static inline void cur_skip(struct cur *c, size_t n)
{
	if (cur_need(c, n))
		c->p += n;
}

static inline unsigned cur_u8(struct cur *c)
{
	return cur_need(c, 1) ? *c->p++ : 0;
}

static inline unsigned cur_be16(struct cur *c)
{
	unsigned v;

	if (!cur_need(c, 2))
		return 0;
	v = (unsigned)c->p[0] << 8 | c->p[1];
	c->p += 2;
	return v;
}

static inline uint32_t cur_be32(struct cur *c)
{
	uint32_t v;

	if (!cur_need(c, 4))
		return 0;
	v = be32(c->p);
	c->p += 4;
	return v;
}

/* byte at offset off ahead, 0 when not captured */
static inline unsigned cur_peek8(const struct cur *c, size_t off)
{
	return off < cur_left(c) ? c->p[off] : 0;
}

/* bytes off, off+1 ahead, big-endian, 0 when not captured */
static inline unsigned cur_peek16(const struct cur *c, size_t off)
{
	return off + 2 <= cur_left(c) ? be16(c->p + off) : 0;
}

/* The cursor over the first n bytes at c (clipped to what is captured);
 * c itself is not moved. */
static inline struct cur cur_sub(const struct cur *c, size_t n)
{
	struct cur s = { c->p, n < cur_left(c) ? c->p + n : c->end, 0 };
	return s;
}

enum net { NET_NONE, NET_IP4, NET_IP6, NET_BYVERSION };

static enum net net_of_ethertype(unsigned t)
{
	switch (t) {
	case ET_IP4: return NET_IP4;
	case ET_IP6: return NET_IP6;
	default: return NET_NONE;
	}
}

static enum net net_of_ppp(unsigned proto)
{
	return proto == PPP_IP4 ? NET_IP4 : proto == PPP_IP6 ? NET_IP6 : NET_NONE;
}

static enum fm_skip net_or_not_ip(enum net *net, enum net n)
{
	*net = n;
	return n == NET_NONE ? FM_SKIP_NOT_IP : FM_OK;
}

/* PPP frame (DLT_PPP / PPP inside PPPoE): optional ff 03 address/control,
 * protocol field of 1 byte when odd (protocol field compression) or 2 */
static enum fm_skip ppp_hdr(struct cur *c, enum net *net)
{
	unsigned proto;

	if (cur_peek8(c, 0) == 0xff && cur_peek8(c, 1) == 0x03)
		cur_skip(c, 2);
	proto = cur_u8(c);
	if (!(proto & 1))
		proto = proto << 8 | cur_u8(c);
	if (c->trunc)
		return FM_SKIP_TRUNCATED;
	return net_or_not_ip(net, net_of_ppp(proto));
}

/* 802.2 LLC with SNAP (aa aa 03, OUI, ethertype): the only LLC that
 * carries IP here. Returns the ethertype, or -1 (not SNAP, or short). */
static long snap_type(struct cur *c)
{
	struct cur s = *c;
	unsigned dsap = cur_u8(&s), ssap = cur_u8(&s), ctl = cur_u8(&s), t;

	cur_skip(&s, 3);	/* OUI */
	t = cur_be16(&s);
	if (s.trunc || dsap != 0xaa || ssap != 0xaa || ctl != 0x03)
		return -1;
	*c = s;
	return (long)t;
}

/*
 * Ethernet II and what may follow before the network header:
 * 802.1Q/802.1ad/QinQ tags, MPLS label stacks, PPPoE sessions, 802.3 LLC/SNAP.
 * `t` is the ethertype just read; c points after it.
 */
static enum fm_skip ether_payload(struct cur *c, unsigned t, enum net *net)
{
	for (int depth = 0; depth < 16; depth++) {
		switch (t) {
		case ET_VLAN: case ET_QINQ: case ET_QINQ_OLD1: case ET_QINQ_OLD2:
			cur_skip(c, 2);	/* tag control */
			t = cur_be16(c);
			if (c->trunc)
				return FM_SKIP_TRUNCATED;
			continue;
		case ET_MPLS: case ET_MPLS_MC:	/* label stack (RFC 3032) */
			for (;;) {
				uint32_t lse = cur_be32(c);
				if (c->trunc)
					return FM_SKIP_TRUNCATED;
				if (lse & 0x100)
					break;	/* bottom of stack */
			}
			*net = NET_BYVERSION;	/* no type field: IP version nibble */
			return FM_OK;
		case ET_PPPOE: {	/* PPPoE session (RFC 2516): 6 bytes, then PPP protocol */
			unsigned proto;
			cur_skip(c, 6);
			proto = cur_be16(c);
			if (c->trunc)
				return FM_SKIP_TRUNCATED;
			return net_or_not_ip(net, net_of_ppp(proto));
		}
		default:
			break;
		}
		if (t < ET_MIN) {
			long st = snap_type(c);
			if (st < 0)
				return FM_SKIP_NOT_IP;
			t = (unsigned)st;
			continue;
		}
		return net_or_not_ip(net, net_of_ethertype(t));
	}
	return FM_SKIP_NOT_IP;
}

static enum fm_skip llc_snap(struct cur *c, enum net *net)
{
	long st;

	if (cur_left(c) < 8)
		return FM_SKIP_TRUNCATED;
	st = snap_type(c);
	if (st < 0)
		return FM_SKIP_NOT_IP;
	return net_or_not_ip(net, net_of_ethertype((unsigned)st));
}

/* IEEE 802.11 data frame: 24-byte header (+6 with four addresses, +2 QoS,
 * +4 HT control), then LLC/SNAP; protected (encrypted) frames carry nothing
 * readable */
static enum fm_skip wlan(struct cur *c, enum net *net)
{
	unsigned fc0 = cur_peek8(c, 0), fc1 = cur_peek8(c, 1), sub;
	size_t hl = 24;

	if (cur_left(c) < 2)
		return FM_SKIP_TRUNCATED;
	if (((fc0 >> 2) & 3) != 2)
		return FM_SKIP_NOT_IP;	/* management/control frame */
	sub = fc0 >> 4;
	if (sub & 0x04)
		return FM_SKIP_NOT_IP;	/* null data: no body */
	if (fc1 & 0x40)
		return FM_SKIP_NOT_IP;	/* protected */
	if ((fc1 & 3) == 3)
		hl += 6;
	if (sub & 0x08) {
		hl += 2;
		if (fc1 & 0x80)
			hl += 4;
	}
	cur_skip(c, hl);
	if (c->trunc)
		return FM_SKIP_TRUNCATED;
	return llc_snap(c, net);
}

/* Frame Relay (RFC 2427): Q.922 address (EA bit ends it), UI control 03,
 * optional pad, NLPID cc = IPv4, 8e = IPv6, 80 = SNAP; or Cisco's
 * encapsulation with an ethertype after the address */
static enum fm_skip frelay(struct cur *c, enum net *net)
{
	unsigned nlpid;

	for (int i = 0; i < 4; i++)
		if (cur_u8(c) & 1)
			break;
	if (c->trunc || cur_left(c) < 2)
		return FM_SKIP_TRUNCATED;
	if (cur_peek8(c, 0) != 0x03)	/* Cisco: an ethertype right after the address */
		return net_or_not_ip(net, net_of_ethertype(cur_be16(c)));
	cur_skip(c, 1);
	if (cur_peek8(c, 0) == 0x00 && cur_left(c) >= 2)
		cur_skip(c, 1);	/* pad */
	nlpid = cur_u8(c);
	switch (nlpid) {
	case NLPID_IP4: *net = NET_IP4; return FM_OK;
	case NLPID_IP6: *net = NET_IP6; return FM_OK;
	case NLPID_SNAP: {
		unsigned t;
		if (cur_left(c) < 5)
			return FM_SKIP_TRUNCATED;
		cur_skip(c, 3);	/* OUI */
		t = cur_be16(c);
		return net_or_not_ip(net, net_of_ethertype(t));
	}
	default:
		return FM_SKIP_NOT_IP;
	}
}

/* Linux NFLOG: family, version, resource id, then TLVs (host-order length
 * and type, length includes the 4-byte header, padded to 4); the packet is
 * the NFULA_PAYLOAD (9) attribute. */
static enum fm_skip nflog(struct cur *c, enum net *net)
{
	unsigned fam = cur_u8(c);

	cur_skip(c, 3);
	if (c->trunc)
		return FM_SKIP_TRUNCATED;
	while (cur_left(c) >= 4) {
		size_t len = (size_t)cur_peek8(c, 0) | (size_t)cur_peek8(c, 1) << 8;
		unsigned type = cur_peek8(c, 2) | cur_peek8(c, 3) << 8;
		if (len < 4 || len > cur_left(c))
			return FM_SKIP_TRUNCATED;
		if ((type & 0x7fff) == 9) {
			*c = cur_sub(c, len);
			cur_skip(c, 4);
			*net = fam == AF_IP4 ? NET_IP4 : fam == AF_IP6_LINUX ? NET_IP6 : NET_BYVERSION;
			return FM_OK;
		}
		cur_skip(c, (len + 3) & ~(size_t)3);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
	}
	return FM_SKIP_NOT_IP;	/* no payload attribute */
}

/* Link layer: leave c at the network header and say which one it is. */
static enum fm_skip link_layer(int dlt, struct cur *c, enum net *net)
{
	unsigned t;
	uint32_t fam;

	switch (dlt) {
	case FM_DLT_EN10MB:
		cur_skip(c, 12);	/* addresses */
		t = cur_be16(c);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
		return ether_payload(c, t, net);
	case FM_DLT_LINUX_SLL:	/* 16 bytes, protocol at 14 */
		cur_skip(c, 14);
		t = cur_be16(c);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
		return ether_payload(c, t, net);
	case FM_DLT_LINUX_SLL2:	/* 20 bytes, protocol at 0 */
		t = cur_be16(c);
		cur_skip(c, 18);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
		return ether_payload(c, t, net);
	case FM_DLT_RAW12: case FM_DLT_RAW14: case FM_DLT_RAW:
		*net = NET_BYVERSION;
		return FM_OK;
	case FM_DLT_IPV4:
		*net = NET_IP4;
		return FM_OK;
	case FM_DLT_IPV6:
		*net = NET_IP6;
		return FM_OK;
	case FM_DLT_NULL: case FM_DLT_LOOP:	/* address family, host or network order */
		fam = cur_be32(c);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
		fam = __builtin_bswap32(fam);	/* read as little-endian */
		if (fam > 0xFFFF)
			fam = __builtin_bswap32(fam);
		if (fam == AF_IP4)
			*net = NET_IP4;
		else if (fam == AF_IP6_LINUX || fam == AF_IP6_BSD || fam == AF_IP6_FREEBSD ||
			 fam == AF_IP6_DARWIN)
			*net = NET_IP6;
		else
			return FM_SKIP_NOT_IP;
		return FM_OK;
	case FM_DLT_PPP: case FM_DLT_PPP_SERIAL:
		if (cur_left(c) >= 4 && (cur_peek8(c, 0) == 0x0f || cur_peek8(c, 0) == 0x8f) &&
		    cur_peek8(c, 1) == 0x00) {
			cur_skip(c, 2);	/* Cisco HDLC framing in a PPP_SERIAL capture */
			return net_or_not_ip(net, net_of_ethertype(cur_be16(c)));
		}
		return ppp_hdr(c, net);
	case FM_DLT_C_HDLC:	/* address, control, ethertype */
		cur_skip(c, 2);
		t = cur_be16(c);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
		return net_or_not_ip(net, net_of_ethertype(t));
	case FM_DLT_PPP_ETHER:	/* PPPoE header without Ethernet */
		cur_skip(c, 6);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
		return ppp_hdr(c, net);
	case FM_DLT_IEEE802_11:
		return wlan(c, net);
	case FM_DLT_IEEE802_11_RADIO: {	/* radiotap header (length at 2, little-endian) */
		size_t rlen = (size_t)cur_peek8(c, 2) | (size_t)cur_peek8(c, 3) << 8;
		if (cur_left(c) < 4)
			return FM_SKIP_TRUNCATED;
		cur_skip(c, rlen);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
		return wlan(c, net);
	}
	case FM_DLT_FDDI:	/* frame control, two addresses, then LLC */
		cur_skip(c, 13);
		if (c->trunc)
			return FM_SKIP_TRUNCATED;
		return llc_snap(c, net);
	case FM_DLT_FRELAY:
		return frelay(c, net);
	case FM_DLT_NFLOG:
		return nflog(c, net);
	default:
		return FM_SKIP_LINKTYPE;
	}
}

/*
 * Transport header at c (bytes up to the end of the IP payload), protocol
 * `proto`; fills ports/flags/payload/header like the profile counts them:
 * header = TCP data offset * 4 (clipped to what was captured), payload =
 * captured bytes after the header.
 */
static enum fm_skip transport(enum fm_profile prof, unsigned proto, struct cur *c,
			      struct fm_pkt *o)
{
	size_t left = cur_left(c);
	const uint8_t *t = c->p;	/* start of the transport header */
	int fixed = prof == FM_PROFILE_FIXED;

	switch (proto) {
	case FM_IP_TCP: {
		uint32_t doff;
		if (left < 20)
			return FM_SKIP_TRUNCATED;
		doff = (cur_peek8(c, 12) >> 4) * 4u;
		if (doff < 20)
			return FM_SKIP_TRUNCATED;	/* data offset < 5: damaged */
		o->proto = FM_IP_TCP;
		o->sport = (uint16_t)cur_be16(c);
		o->dport = (uint16_t)cur_be16(c);
		o->seq = cur_be32(c);
		o->ack = cur_be32(c);
		cur_skip(c, 1);	/* data offset */
		o->flags = (uint8_t)cur_u8(c);
		o->window = (uint16_t)cur_be16(c);
		o->hdr = doff < left ? doff : (uint32_t)left;
		o->payload = left > doff ? (uint32_t)(left - doff) : 0;
		o->l4 = left > doff ? t + doff : NULL;
		return FM_OK;
	}
	case FM_IP_UDP:
		if (left < 8)
			return FM_SKIP_TRUNCATED;
		o->proto = FM_IP_UDP;
		o->sport = (uint16_t)cur_be16(c);
		o->dport = (uint16_t)cur_be16(c);
		o->hdr = 8;
		o->payload = (uint32_t)(left - 8);
		o->l4 = t + 8;
		return FM_OK;
	case FM_IP_ICMP: case FM_IP_ICMPV6:	/* their own flows in the fixed profile */
		if (fixed) {
			if (left < 4)
				return FM_SKIP_TRUNCATED;
			o->proto = (uint8_t)proto;
			o->icmp_type = (int16_t)cur_u8(c);
			o->icmp_code = (int16_t)cur_u8(c);
		}
		return FM_OK;
	case FM_IP_SCTP:	/* SCTP common header (RFC 9260): ports, 12 bytes */
		if (fixed) {
			if (left < 4)
				return FM_SKIP_TRUNCATED;
			o->proto = FM_IP_SCTP;
			o->sport = (uint16_t)cur_be16(c);
			o->dport = (uint16_t)cur_be16(c);
			o->hdr = left < 12 ? (uint32_t)left : 12;
			o->payload = left > 12 ? (uint32_t)(left - 12) : 0;
		}
		return FM_OK;
	case FM_IP_IGMP:
		if (fixed)
			o->proto = FM_IP_IGMP;
		return FM_OK;
	default:
		return FM_OK;	/* other protocols: a protocol-0 packet */
	}
}

static enum fm_skip ip_layer(enum fm_profile prof, enum net net, struct cur *c,
			     struct fm_pkt *o, int depth);

/* An IP-in-IP or IPv6-in-IPv4 tunnel's inner packet; a damaged one leaves
 * the tunnel's own packet */
static enum fm_skip tunnel(enum fm_profile prof, unsigned proto, struct cur *c,
			   struct fm_pkt *o, int depth)
{
	struct fm_pkt outer = *o;

	if (depth >= 4)
		return FM_OK;
	if (ip_layer(prof, proto == FM_IP_IPIP ? NET_IP4 : NET_IP6, c, o, depth + 1) != FM_OK)
		*o = outer;
	return FM_OK;
}

/* IPv4 (RFC 791): header checked, Ethernet padding removed using the total
 * length (0 = TSO capture: everything captured), non-first fragments have no
 * transport header, IP-in-IP and IPv6-in-IPv4 are decapsulated. */
static enum fm_skip ip4(enum fm_profile prof, struct cur *c, struct fm_pkt *o, int depth)
{
	size_t left = cur_left(c);
	uint32_t ihl, tot, frag;
	unsigned vihl, proto;

	if (left < 20)
		return FM_SKIP_TRUNCATED;
	vihl = cur_peek8(c, 0);
	if (vihl >> 4 != 4)
		return FM_SKIP_NOT_IP;
	ihl = (vihl & 0x0F) * 4u;
	tot = cur_peek16(c, 2);
	if (ihl < 20 || ihl > left || (tot && tot < ihl))
		return FM_SKIP_TRUNCATED;
	if (tot && tot < left)
		*c = cur_sub(c, tot);	/* trailer/padding */
	{
		struct cur h = cur_sub(c, ihl);
		cur_skip(&h, 6);
		frag = cur_be16(&h) & 0x1FFF;
		cur_skip(&h, 1);	/* TTL */
		proto = cur_u8(&h);
		cur_skip(&h, 2);	/* checksum */
		o->af = 4;
		memcpy(o->src, h.p, 4);
		memset(o->src + 4, 0, 12);
		memcpy(o->dst, h.p + 4, 4);
		memset(o->dst + 4, 0, 12);
	}
	cur_skip(c, ihl);
	if (frag)
		return FM_OK;	/* not the first fragment: no transport header */
	if (proto == FM_IP_IPIP || proto == FM_IP_IPV6)
		return tunnel(prof, proto, c, o, depth);
	return transport(prof, proto, c, o);
}

/* IPv6 (RFC 8200) with its extension headers. */
static enum fm_skip ip6(enum fm_profile prof, struct cur *c, struct fm_pkt *o, int depth)
{
	size_t left = cur_left(c);
	uint32_t plen;
	unsigned nh;

	if (left < 40)
		return FM_SKIP_TRUNCATED;
	if (cur_peek8(c, 0) >> 4 != 6)
		return FM_SKIP_NOT_IP;
	plen = cur_peek16(c, 4);
	if (plen && plen < left - 40)
		*c = cur_sub(c, 40 + (size_t)plen);	/* trailer/padding (0 = jumbogram) */
	nh = cur_peek8(c, 6);
	o->af = 6;
	memcpy(o->src, c->p + 8, 16);	/* 40 bytes captured: checked above */
	memcpy(o->dst, c->p + 24, 16);
	cur_skip(c, 40);
	for (int i = 0; i < 16; i++) {
		unsigned len;
		switch (nh) {
		case FM_IP_HOPOPT: case FM_IP_IPV6_ROUTE: case FM_IP_IPV6_OPTS: case FM_IP_MOBILITY:
		case FM_IP_HIP: case FM_IP_SHIM6: case FM_IP_EXP1: case FM_IP_EXP2:
			/* hop-by-hop, routing, destination, mobility, HIP, shim6, experiments:
			 * next header, length in 8-byte units - 1 */
			if (cur_left(c) < 8)
				return FM_SKIP_TRUNCATED;
			nh = cur_u8(c);
			len = cur_u8(c);
			cur_skip(c, (len + 1u) * 8 - 2);
			if (c->trunc)
				return FM_SKIP_TRUNCATED;
			continue;
		case FM_IP_IPV6_FRAG: {
			unsigned off;
			if (cur_left(c) < 8)
				return FM_SKIP_TRUNCATED;
			nh = cur_u8(c);
			cur_skip(c, 1);
			off = cur_be16(c) & 0xFFF8;
			cur_skip(c, 4);	/* identification */
			if (off)
				return FM_OK;	/* not the first fragment */
			continue;
		}
		case FM_IP_AH:	/* length in 4-byte units - 2 */
			if (cur_left(c) < 8)
				return FM_SKIP_TRUNCATED;
			nh = cur_u8(c);
			len = cur_u8(c);
			cur_skip(c, (len + 2u) * 4 - 2);
			if (c->trunc)
				return FM_SKIP_TRUNCATED;
			continue;
		case FM_IP_IPIP: case FM_IP_IPV6:
			return tunnel(prof, nh, c, o, depth);
		default:	/* transport, ESP (50), no next header (59) ... */
			return transport(prof, nh, c, o);
		}
	}
	return FM_SKIP_TRUNCATED;
}

static enum fm_skip ip_layer(enum fm_profile prof, enum net net, struct cur *c,
			     struct fm_pkt *o, int depth)
{
	if (net == NET_BYVERSION) {
		unsigned v = cur_peek8(c, 0) >> 4;
		if (!cur_left(c))
			return FM_SKIP_TRUNCATED;
		net = v == 4 ? NET_IP4 : v == 6 ? NET_IP6 : NET_NONE;
	}
	if (net == NET_IP4)
		return ip4(prof, c, o, depth);
	if (net == NET_IP6)
		return ip6(prof, c, o, depth);
	return FM_SKIP_NOT_IP;
}

static enum fm_skip decode_full(enum fm_profile prof, const struct fm_rec *rec,
				struct fm_pkt *o)
{
	struct cur c = { rec->data, rec->data + rec->caplen, 0 };
	enum net net = NET_NONE;
	enum fm_skip r;

	if ((int32_t)rec->wirelen < (int32_t)rec->caplen)
		return FM_SKIP_WIRELEN;
	r = link_layer(rec->linktype, &c, &net);
	if (r != FM_OK)
		return r;
	return ip_layer(prof, net, &c, o, 0);
}

enum fm_skip fm_decode(enum fm_profile prof, enum fm_decode mode,
		       const struct fm_rec *rec, struct fm_pkt *out)
{
	memset(out, 0, sizeof(*out));
	out->ts = rec->ts;
	out->af = 4;
	out->icmp_type = out->icmp_code = -1;
	if (mode == FM_DECODE_FULL)
		return decode_full(prof, rec, out);
	return decode_cic(prof, rec, out);
}
