/*
 * names.h: the server name of each flow (flowmeter --names).
 *
 * Sources, first found wins in this order: the TLS ClientHello server_name
 * (RFC 6066 §3) of the connection, reassembled across TCP segments; the
 * ClientHello inside QUIC v1 or draft-23 to -32 client Initial packets, decrypted
 * as RFC 9001 §5 says; the HTTP/1.x Host header (RFC 9112 §3.2); otherwise
 * the DNS answer (A/AAAA, CNAME chain followed, RFC 1035) seen in the same
 * capture before the flow started that gave one of the flow's addresses.
 *
 * The module sees every packet with its L4 payload (names_packet) and is
 * asked for a flow's name when the flow is written (names_flow). A name
 * found by a handshake belongs to the connection (the 5-tuple, either
 * direction) and is given to every flow of it, until a new TCP SYN starts
 * another connection on the same 5-tuple.
 *
 * Names are kept as text: bytes that are control characters, backslashes
 * or not UTF-8 are written as \xNN; names_csv() adds CSV quoting. Damaged,
 * truncated or undecryptable handshakes give no name.
 *
 * Memory: the DNS table holds at most max answers (oldest dropped, counted),
 * the table of named connections at most max entries (oldest dropped,
 * counted); at most NAMES_MAX_PENDING handshakes are being reassembled at a
 * time, each with at most NAMES_STREAM_MAX bytes.
 */
#ifndef FM_NAMES_H
#define FM_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

typedef struct names names;

enum names_src { NAMES_NONE = 0, NAMES_SNI, NAMES_QUIC, NAMES_HTTP, NAMES_DNS };
/* "", "sni", "quic", "http", "dns" */
extern const char *const names_src_text[5];

#define NAMES_MAX_DEFAULT 1000000
#define NAMES_MAX_PENDING 4096
#define NAMES_STREAM_MAX 16384
/* longest name kept (raw bytes; DNS names are at most 253) */
#define NAMES_NAME_MAX 255
/* bytes names_csv() may write, with its NUL */
#define NAMES_CSV_MAX (2 + 4 * NAMES_NAME_MAX * 2 + 16)

/* New empty state; max (>= 1) bounds the DNS table and the named
 * connections. Never NULL (dies on OOM). */
names *names_new(size_t max);
void names_free(names *nm);

/* Feed one decoded packet p and its L4 payload data[0..len). */
void names_packet(names *nm, const struct fm_pkt *p, const uint8_t *data, size_t len);

/* Name of a flow between (src, sport) and (dst, dport) (af 4: addresses in
 * the first 4 bytes; 16 bytes are read) with protocol proto, started at
 * start (µs). Returns its source (NAMES_NONE: *name = "") and sets *name to
 * the text, valid until the next call on nm. The DNS fallback tries dst,
 * then src. */
enum names_src names_flow(names *nm, uint8_t af, uint8_t proto, const uint8_t *src,
			  uint16_t sport, const uint8_t *dst, uint16_t dport, int64_t start,
			  const char **name);

/* ",<name>,<source>" as two CSV fields (quoted when needed) into out
 * (NAMES_CSV_MAX bytes); returns the length. */
size_t names_csv(char *out, const char *name, enum names_src src);

struct names_stats {
	uint64_t sni, quic, http;	/* connections named by each source */
	uint64_t dns_answers;		/* addresses learned from DNS answers */
	uint64_t dns_dropped;		/* answers dropped: table full (--names-max) */
	uint64_t conn_dropped;		/* named connections dropped: table full */
	uint64_t pending_dropped;	/* handshakes given up: too many at once */
	uint64_t cname_loops;		/* DNS answers whose CNAME chain loops */
	uint64_t quic_undecryptable;	/* client Initials that did not decrypt */
};
void names_get_stats(const names *nm, struct names_stats *st);

/* ---- parsers, exposed for the unit tests and the fuzz target ---- */

/* Server name of a ClientHello handshake message (type byte first).
 * Returns 1 and writes the escaped name (NUL-terminated, at most
 * 4 * NAMES_NAME_MAX + 1 bytes), 0 complete but no server name, -1 damaged,
 * -2 truncated (more bytes needed). */
int names_client_hello(const uint8_t *hs, size_t len, char *out);
/* The same over the bytes of a TLS stream (records of type 22). */
int names_tls_stream(const uint8_t *s, size_t len, char *out);
/* Host of an HTTP/1.x request (request line first): 1 found, 0 complete
 * request head without Host, -1 not HTTP/1.x, -2 more bytes needed. */
int names_http_host(const uint8_t *s, size_t len, char *out);
/* Addresses and names of a DNS response; calls fn for each address. Returns
 * the number of addresses, -1 if damaged or not a response; *loop is set
 * when a CNAME chain loops. */
typedef void (*names_dns_fn)(void *ctx, uint8_t af, const uint8_t *addr, const char *name);
int names_dns_response(const uint8_t *m, size_t len, names_dns_fn fn, void *ctx, int *loop);

/* RFC 9001 §5.2 Initial keys of version (1, or drafts 0xff000017 to 0xff000020) for the
 * connection id dcid, client or server side. Returns 0, -1 for another
 * version or a crypto failure. */
struct names_quic_keys { uint8_t key[16], iv[12], hp[16]; };
int names_quic_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, int server,
		    struct names_quic_keys *k);
/* Remove header and packet protection of the long-header Initial packet at
 * pkt (len bytes: the datagram from this packet on) with keys k: writes the
 * plaintext payload to plain (len bytes room), its length to *plen and the
 * packet's length (to the next coalesced packet) to *pktlen. Returns 0, -1
 * if it is no Initial or does not decrypt. */
int names_quic_open(const struct names_quic_keys *k, const uint8_t *pkt, size_t len,
		    uint8_t *plain, size_t *plen, size_t *pktlen);

/* The reverse, for tests and the synthesizer: protect a client or server
 * Initial whose header hdr[0..hlen) ends with a packet number of pnl bytes
 * (value pn) and whose Length field already counts pnl + plen + 16; out
 * gets hlen + plen + 16 bytes. Returns that length, 0 on a crypto failure. */
size_t names_quic_seal(const struct names_quic_keys *k, const uint8_t *hdr, size_t hlen,
		       size_t pnl, uint64_t pn, const uint8_t *payload, size_t plen, uint8_t *out);

#endif
