/*
 * packet.h: what the decoder extracts from one captured frame, and the
 * contract between the capture reader/decoder (reader.c, decode.c) and the
 * flow generator (flowtable.c, flowfeat.c, csvout.c).
 *
 * Profiles: FM_PROFILE_CIC reproduces upstream CICFlowMeter 98a5eba bug for
 * bug; FM_PROFILE_FIXED the corrected fork (GintsEngelen 4dd5319).
 * Decoding: FM_DECODE_CIC is CICFlowMeter's "everything is Ethernet, else
 * re-read as IPv4 from byte 0"; FM_DECODE_FULL dispatches on the link type
 * and decodes IPv6 (issue 4).
 */
#ifndef FM_PACKET_H
#define FM_PACKET_H

#include <stdint.h>

enum fm_profile { FM_PROFILE_CIC = 0, FM_PROFILE_FIXED = 1 };
enum fm_decode { FM_DECODE_CIC = 0, FM_DECODE_FULL = 1 };

/* IP protocol numbers (IANA) the decoders and flow rules look at; the
 * IPv6 extension headers (RFC 8200 and later) are numbers of the same space */
enum {
	FM_IP_HOPOPT = 0, FM_IP_ICMP = 1, FM_IP_IGMP = 2, FM_IP_IPIP = 4, FM_IP_TCP = 6,
	FM_IP_UDP = 17, FM_IP_IPV6 = 41, FM_IP_IPV6_ROUTE = 43, FM_IP_IPV6_FRAG = 44,
	FM_IP_ESP = 50, FM_IP_AH = 51, FM_IP_ICMPV6 = 58, FM_IP_IPV6_OPTS = 60,
	FM_IP_L2TP = 115, FM_IP_SCTP = 132, FM_IP_MOBILITY = 135, FM_IP_HIP = 139,
	FM_IP_SHIM6 = 140, FM_IP_EXP1 = 253, FM_IP_EXP2 = 254,
};

/* Link types (libpcap DLT_* values as pcap_datalink() gives them; 12 and
 * 14 are DLT_RAW on different systems, 101 is LINKTYPE_RAW) */
enum {
	FM_DLT_NULL = 0, FM_DLT_EN10MB = 1, FM_DLT_PPP = 9, FM_DLT_FDDI = 10,
	FM_DLT_RAW12 = 12, FM_DLT_RAW14 = 14, FM_DLT_PPP_SERIAL = 50, FM_DLT_PPP_ETHER = 51,
	FM_DLT_RAW = 101, FM_DLT_C_HDLC = 104, FM_DLT_IEEE802_11 = 105, FM_DLT_FRELAY = 107,
	FM_DLT_LOOP = 108, FM_DLT_LINUX_SLL = 113, FM_DLT_IEEE802_11_RADIO = 127,
	FM_DLT_IPV4 = 228, FM_DLT_IPV6 = 229, FM_DLT_DBUS = 231, FM_DLT_NFLOG = 239,
	FM_DLT_USBPCAP = 249, FM_DLT_LINUX_SLL2 = 276, FM_DLT_EBHSCR = 279,
};

/* TCP flag bits, as in the TCP header's byte 13 */
enum {
	FM_FIN = 0x01, FM_SYN = 0x02, FM_RST = 0x04, FM_PSH = 0x08,
	FM_ACK = 0x10, FM_URG = 0x20, FM_ECE = 0x40, FM_CWR = 0x80,
};

/* One decoded packet (all integers host order). */
struct fm_pkt {
	int64_t ts;		/* µs since the epoch, as CICFlowMeter computes it */
	uint8_t af;		/* 4 or 6 (6 only with FM_DECODE_FULL) */
	uint8_t proto;		/* value of the Protocol column: 6, 17, 0 (cic); also 1, 2, 132 (fixed) */
	uint8_t flags;		/* FM_FIN ... FM_CWR */
	uint8_t src[16];	/* IPv4 in the first 4 bytes */
	uint8_t dst[16];
	uint16_t sport, dport;
	uint16_t window;	/* raw TCP window, 0 otherwise */
	uint32_t payload;	/* payload bytes as CICFlowMeter counts them */
	uint32_t hdr;		/* L4 header bytes as CICFlowMeter counts them */
	int16_t icmp_type;	/* fixed profile: -1 when not ICMP */
	int16_t icmp_code;
	uint32_t seq, ack;	/* TCP sequence/ack numbers (fixed profile retransmissions) */
	const uint8_t *l4;	/* TCP/UDP: the payload bytes counted above, inside the record (--names) */
};

/* Why a frame produced no packet (counted in the summary line). */
enum fm_skip {
	FM_OK = 0,
	FM_SKIP_NOT_IP,		/* no usable IPv4 (CIC decode) / not IP (full decode), e.g. ARP */
	FM_SKIP_IPV6,		/* IPv6 (ignored by the cic decode) */
	FM_SKIP_LINKTYPE,	/* unsupported link type */
	FM_SKIP_TRUNCATED,	/* headers cut by the snaplen / damaged */
	FM_SKIP_WIRELEN,	/* original length < captured length (jnetpcap rejects) */
	FM_SKIP_OTHER,		/* dropped for another reason the profile defines */
	FM_SKIP_NREASONS
};
extern const char *const fm_skip_names[FM_SKIP_NREASONS];

/* Two 16-byte addresses (IPv4 in the first 4 bytes, rest 0) equal? */
static inline int fm_addr_eq(const uint8_t *a, const uint8_t *b)
{
	uint64_t x0, x1, y0, y1;

	__builtin_memcpy(&x0, a, 8);
	__builtin_memcpy(&x1, a + 8, 8);
	__builtin_memcpy(&y0, b, 8);
	__builtin_memcpy(&y1, b + 8, 8);
	return x0 == y0 && x1 == y1;
}

/* 64-bit finaliser of MurmurHash3: spreads every input bit over the
 * result (flow index, shards, retransmission sets) */
static inline uint64_t fm_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif
