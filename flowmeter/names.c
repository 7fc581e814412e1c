/*
 * names.c: server names of flows from TLS ClientHello SNI, QUIC Initial
 * packets, HTTP/1.x Host headers and DNS answers (see names.h).
 *
 * Everything read from a packet goes through the bounds-checked cursor
 * below; a length field that points past its container makes the parse
 * fail (no name), it is never trusted. Reassembly (TCP segments, QUIC CRYPTO
 * frames) keeps the first NAMES_STREAM_MAX bytes of the client's stream and
 * gives up when they do not hold the handshake message.
 *
 * Crypto (QUIC Initials, RFC 9001 §5): HKDF-SHA256 from HMAC, AES-128-GCM
 * and AES-128-ECB header protection from Debian's libcrypto.
 */
#include "names.h"
#include "util.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const names_src_text[5] = { "", "sni", "quic", "http", "dns" };

#define NIL UINT32_MAX
#define PENDING_PACKETS 64	/* client packets a handshake may take */
#define HTTP_HEAD_MAX 8192

/* ------------------------------------------------------------------------
 * Bounds-checked reads (style.md's packet cursor): the error is sticky.
 * ------------------------------------------------------------------------ */

struct cur {
	const uint8_t *p, *end;
	int bad;
};

static inline size_t cur_left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

static inline int cur_need(struct cur *c, size_t n)
{
	if (c->bad || n > cur_left(c)) {
		c->bad = 1;
		return 0;
	}
	return 1;
}

static uint32_t cur_be(struct cur *c, size_t n)
{
	uint32_t v = 0;

	if (!cur_need(c, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | c->p[i];
	c->p += n;
	return v;
}

static void cur_skip(struct cur *c, size_t n)
{
	if (cur_need(c, n))
		c->p += n;
}

/* child cursor over the next n bytes (an empty bad one if short) */
static struct cur cur_sub(struct cur *c, size_t n)
{
	struct cur s = { c->p, c->p, 1 };

	if (cur_need(c, n)) {
		s.end = c->p + n;
		s.bad = 0;
		c->p += n;
	}
	return s;
}

/* QUIC variable-length integer (RFC 9000 §16) */
static uint64_t cur_varint(struct cur *c)
{
	uint64_t v;
	size_t n;

	if (!cur_need(c, 1))
		return 0;
	n = (size_t)1 << (c->p[0] >> 6);
	if (!cur_need(c, n))
		return 0;
	v = c->p[0] & 0x3F;
	for (size_t i = 1; i < n; i++)
		v = v << 8 | c->p[i];
	c->p += n;
	return v;
}

/* ------------------------------------------------------------------------
 * Name text: printable UTF-8 kept, anything else as \xNN
 * ------------------------------------------------------------------------ */

/* length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0))
		return 0;	/* overlong, out of range, surrogate, C1 control */
	return len;
}

/* text of the raw name s[0..n) (n clipped to NAMES_NAME_MAX) into out
 * (4 * NAMES_NAME_MAX + 1 bytes); returns its length */
static size_t name_text(char *out, const uint8_t *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (n > NAMES_NAME_MAX)
		n = NAMES_NAME_MAX;
	for (size_t i = 0; i < n;) {
		size_t l;
		if (s[i] >= 0x20 && s[i] < 0x7F && s[i] != '\\') {
			out[o++] = (char)s[i++];	/* printable ASCII: most names */
			continue;
		}
		l = utf8_len(s + i, n - i);
		if (l == 1 && (s[i] < 0x20 || s[i] == 0x7F || s[i] == '\\'))
			l = 0;
		if (!l) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[s[i] >> 4];
			out[o++] = hex[s[i] & 15];
			i++;
			continue;
		}
		memcpy(out + o, s + i, l);
		o += l;
		i += l;
	}
	out[o] = '\0';
	return o;
}

size_t names_csv(char *out, const char *name, enum names_src src)
{
	size_t o = 0;
	int quote = strpbrk(name, ",\"\r\n") != NULL;

	out[o++] = ',';
	if (quote)
		out[o++] = '"';
	for (const char *s = name; *s && o < NAMES_CSV_MAX - 16; s++) {
		if (*s == '"')
			out[o++] = '"';
		out[o++] = *s;
	}
	if (quote)
		out[o++] = '"';
	out[o++] = ',';
	if ((unsigned)src < 5) {
		size_t l = strlen(names_src_text[src]);
		memcpy(out + o, names_src_text[src], l);
		o += l;
	}
	out[o] = '\0';
	return o;
}

/* ------------------------------------------------------------------------
 * TLS ClientHello (RFC 8446 §4.1.2; server_name: RFC 6066 §3)
 *
 *   type(1)=1 length(3) legacy_version(2) random(32) session_id<0..32>
 *   cipher_suites<2..2^16-2> compression_methods<1..2^8-1>
 *   extensions<8..2^16-1>: { type(2) data<0..2^16-1> }
 *   server_name (type 0): server_name_list<1..2^16-1>:
 *       { name_type(1) (0 = host_name) HostName<1..2^16-1> }
 * ------------------------------------------------------------------------ */

int names_client_hello(const uint8_t *hs, size_t len, char *out)
{
	struct cur c = { hs, hs + len, 0 }, body, ext;
	const uint8_t *name = NULL;
	uint32_t hlen, name_len = 0;

	out[0] = '\0';
	if (len < 4)
		return -2;
	if (hs[0] != 1)
		return -1;
	hlen = (uint32_t)hs[1] << 16 | (uint32_t)hs[2] << 8 | hs[3];
	if (len - 4 < hlen)
		return -2;
	c.p += 4;
	body = cur_sub(&c, hlen);
	cur_skip(&body, 2 + 32);
	cur_skip(&body, cur_be(&body, 1));	/* session id */
	cur_skip(&body, cur_be(&body, 2));	/* cipher suites */
	cur_skip(&body, cur_be(&body, 1));	/* compression methods */
	if (body.bad)
		return -1;
	if (!cur_left(&body))
		return 0;	/* no extensions */
	/* the whole message is checked before a name is given: the extensions
	 * fill the ClientHello, each extension fits the block, the name list
	 * fills its extension and each name fits the list */
	ext = cur_sub(&body, cur_be(&body, 2));
	if (body.bad || cur_left(&body))
		return -1;
	while (cur_left(&ext)) {
		uint32_t type = cur_be(&ext, 2);
		struct cur e = cur_sub(&ext, cur_be(&ext, 2)), list;
		if (ext.bad)
			return -1;
		if (type != 0 || name)
			continue;	/* the first server_name counts */
		list = cur_sub(&e, cur_be(&e, 2));
		if (e.bad || cur_left(&e))
			return -1;
		while (cur_left(&list)) {
			uint32_t nt = cur_be(&list, 1);
			uint32_t nl = cur_be(&list, 2);
			const uint8_t *n = list.p;
			cur_skip(&list, nl);
			if (list.bad)
				return -1;
			if (nt == 0 && nl > 0 && !name)
				name = n, name_len = nl;
		}
	}
	if (!name)
		return 0;
	name_text(out, name, name_len);
	return 1;
}

/* TLS records (RFC 8446 §5.1): type(1) version(2) length(2) fragment; the
 * handshake message may span records. */
int names_tls_stream(const uint8_t *s, size_t len, char *out)
{
	uint8_t hs[NAMES_STREAM_MAX];
	size_t n = 0, off = 0;

	out[0] = '\0';
	while (off < len) {
		size_t rl, take;
		int r;
		if (len - off < 5)
			return -2;
		if (s[off] != 22 || s[off + 1] != 3)
			return -1;
		rl = (size_t)s[off + 3] << 8 | s[off + 4];
		if (rl == 0 || rl > 16384 + 2048)
			return -1;
		off += 5;
		take = rl < len - off ? rl : len - off;
		if (take > sizeof(hs) - n)
			return -1;	/* a ClientHello this big is not kept */
		memcpy(hs + n, s + off, take);
		n += take;
		off += take;
		r = names_client_hello(hs, n, out);
		if (r != -2)
			return r;
		if (take < rl)
			return -2;
	}
	return -2;
}

/* ------------------------------------------------------------------------
 * HTTP/1.x request head (RFC 9112 §3, §3.2: Host)
 * ------------------------------------------------------------------------ */

static int is_method_start(const uint8_t *s, size_t len)
{
	static const struct { const char *m; size_t n; } m[] = {
		{ "GET ", 4 }, { "POST ", 5 }, { "HEAD ", 5 }, { "PUT ", 4 }, { "DELETE ", 7 },
		{ "OPTIONS ", 8 }, { "PATCH ", 6 }, { "CONNECT ", 8 }, { "TRACE ", 6 },
	};

	/* most payloads fail here: an upper-case letter, then another one */
	if (len < 4 || s[0] < 'C' || s[0] > 'T' || s[1] < 'A' || s[1] > 'U')
		return 0;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].m[0] == s[0] && len >= m[i].n && !memcmp(s, m[i].m, m[i].n))
			return 1;
	return 0;
}

int names_http_host(const uint8_t *s, size_t len, char *out)
{
	size_t off = 0, line = 0;

	out[0] = '\0';
	if (len > HTTP_HEAD_MAX)
		len = HTTP_HEAD_MAX;
	while (off < len) {
		const uint8_t *eol = memchr(s + off, '\n', len - off);
		size_t l, e;
		if (!eol)
			return len == HTTP_HEAD_MAX ? -1 : -2;
		e = (size_t)(eol - s);
		l = e - off;
		if (l && s[off + l - 1] == '\r')
			l--;
		if (line == 0) {
			/* METHOD SP target SP HTTP/1.x */
			if (l < 14 || !is_method_start(s + off, l) || memcmp(s + off + l - 8, "HTTP/1.", 7))
				return -1;
		} else if (l == 0) {
			return 0;	/* end of the head: no Host */
		} else if (l >= 5 && !strncasecmp((const char *)s + off, "host:", 5)) {
			size_t a = off + 5, b = off + l, colon = 0, ncolon = 0;
			while (a < b && (s[a] == ' ' || s[a] == '\t'))
				a++;
			while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
				b--;
			for (size_t i = a; i < b; i++)
				if (s[i] == ':')
					colon = i, ncolon++;
			if (ncolon == 1) {	/* host:port (not an IPv6 literal) */
				size_t i = colon + 1;
				while (i < b && s[i] >= '0' && s[i] <= '9')
					i++;
				if (i == b)
					b = colon;
			}
			if (a == b)
				return 0;
			name_text(out, s + a, b - a);
			return 1;
		}
		line++;
		off = e + 1;
	}
	return len == HTTP_HEAD_MAX ? -1 : -2;
}

/* ------------------------------------------------------------------------
 * DNS responses (RFC 1035 §4.1; AAAA: RFC 3596)
 * ------------------------------------------------------------------------ */

/* Raw dotted name at *off of message m into out (NAMES_NAME_MAX + 1 bytes,
 * NUL-terminated); *off moves past it. Compression pointers must point
 * backwards (so the walk ends). Returns the length, -1 if damaged. */
static int dns_name(const uint8_t *m, size_t len, size_t *off, uint8_t *out)
{
	size_t p = *off, n = 0, lim = p;
	int jumped = 0;

	for (int steps = 0; steps < 256; steps++) {
		unsigned b;
		if (p >= len)
			return -1;
		b = m[p];
		if (b == 0) {
			if (!jumped)
				*off = p + 1;
			out[n] = '\0';
			return (int)n;
		}
		if ((b & 0xC0) == 0xC0) {
			size_t to;
			if (p + 1 >= len)
				return -1;
			to = (b & 0x3F) << 8 | m[p + 1];
			if (to >= lim)
				return -1;	/* forward or self pointer: a loop */
			if (!jumped)
				*off = p + 2;
			jumped = 1;
			p = lim = to;
			continue;
		}
		if (b & 0xC0)
			return -1;	/* extended label types */
		if (p + 1 + b > len || n + b + 1 > NAMES_NAME_MAX)
			return -1;
		if (n)
			out[n++] = '.';
		memcpy(out + n, m + p + 1, b);
		n += b;
		p += 1 + b;
	}
	return -1;
}

#define DNS_MAX_RR 64

struct dns_rr {
	uint8_t type;		/* 1 A, 28 AAAA, 5 CNAME (as uint8: 28 fits) */
	uint8_t owner[NAMES_NAME_MAX + 1];
	uint8_t data[NAMES_NAME_MAX + 1];	/* address or CNAME target */
};

static int name_eq(const uint8_t *a, const uint8_t *b)
{
	return !strcasecmp((const char *)a, (const char *)b);
}

int names_dns_response(const uint8_t *m, size_t len, names_dns_fn fn, void *ctx, int *loop)
{
	static struct dns_rr rr[DNS_MAX_RR];
	uint8_t qname[NAMES_NAME_MAX + 1];
	const uint8_t *chain[DNS_MAX_RR + 1];
	char text[4 * NAMES_NAME_MAX + 1];
	unsigned flags, qd, an;
	size_t off = 12, nrr = 0, nchain = 0;
	int naddr = 0;

	*loop = 0;
	if (len < 12)
		return -1;
	flags = (unsigned)m[2] << 8 | m[3];
	qd = (unsigned)m[4] << 8 | m[5];
	an = (unsigned)m[6] << 8 | m[7];
	if (!(flags & 0x8000) || ((flags >> 11) & 15) != 0)
		return -1;	/* not a standard query response */
	qname[0] = '\0';
	for (unsigned i = 0; i < qd; i++) {
		uint8_t tmp[NAMES_NAME_MAX + 1];
		if (dns_name(m, len, &off, i ? tmp : qname) < 0 || len - off < 4)
			return -1;
		off += 4;
	}
	for (unsigned i = 0; i < an; i++) {
		struct dns_rr *r = &rr[nrr];
		unsigned type, cls, rdlen;
		if (dns_name(m, len, &off, r->owner) < 0 || len - off < 10)
			return -1;
		type = (unsigned)m[off] << 8 | m[off + 1];
		cls = ((unsigned)m[off + 2] << 8 | m[off + 3]) & 0x7FFF;
		rdlen = (unsigned)m[off + 8] << 8 | m[off + 9];
		off += 10;
		if (len - off < rdlen)
			return -1;
		if (nrr < DNS_MAX_RR && cls == 1) {
			if ((type == 1 && rdlen == 4) || (type == 28 && rdlen == 16)) {
				r->type = (uint8_t)type;
				memcpy(r->data, m + off, rdlen);
				nrr++;
			} else if (type == 5) {
				size_t o2 = off;
				if (dns_name(m, off + rdlen, &o2, r->data) >= 0) {
					r->type = 5;
					nrr++;
				}
			}
		}
		off += rdlen;
	}
	/* the CNAME chain from the question's name */
	if (qname[0]) {
		const uint8_t *cur = qname;
		chain[nchain++] = qname;
		for (size_t step = 0; step < nrr; step++) {
			const uint8_t *next = NULL;
			for (size_t j = 0; j < nrr && !next; j++)
				if (rr[j].type == 5 && name_eq(rr[j].owner, cur))
					next = rr[j].data;
			if (!next)
				break;
			for (size_t j = 0; j < nchain; j++)
				if (name_eq(chain[j], next))
					*loop = 1;
			if (*loop)
				break;
			chain[nchain++] = next;
			cur = next;
		}
	}
	const uint8_t *last = NULL;	/* the answers of one name share its text */
	for (size_t j = 0; j < nrr; j++) {
		const uint8_t *nm = rr[j].owner;
		if (rr[j].type == 5)
			continue;
		for (size_t k = 0; k < nchain; k++)
			if (name_eq(chain[k], rr[j].owner))
				nm = qname;
		if (!nm[0])
			continue;
		if (nm != last)
			name_text(text, nm, strlen((const char *)nm));
		last = nm;
		fn(ctx, rr[j].type == 1 ? 4 : 6, rr[j].data, text);
		naddr++;
	}
	return naddr;
}

/* ------------------------------------------------------------------------
 * QUIC Initial protection (RFC 9001 §5)
 * ------------------------------------------------------------------------ */

static const uint8_t salt_v1[20] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};
static const uint8_t salt_d29[20] = {	/* draft-ietf-quic-tls-29 §5.2 */
	0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
	0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
};

static const uint8_t salt_d23[20] = {	/* draft-ietf-quic-tls-23 §5.2 (drafts 23 to 28) */
	0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
	0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02,
};

#define QUIC_V1 0x00000001u
#define QUIC_D29 0xff00001du

/* Initial salt of a version: v1, draft-29 (also 30 to 32), drafts 23 to 28 */
static const uint8_t *quic_salt(uint32_t v)
{
	if (v == QUIC_V1)
		return salt_v1;
	if (v >= QUIC_D29 && v <= 0xff000020u)
		return salt_d29;
	if (v >= 0xff000017u && v <= 0xff00001cu)
		return salt_d23;
	return NULL;
}

/* HKDF-Expand-Label (RFC 8446 §7.1) with an empty context, out_len <= 32 */
static int expand_label(const uint8_t secret[32], const char *label, uint8_t *out,
			size_t out_len)
{
	uint8_t info[2 + 1 + 6 + 32 + 1 + 1], t[32];
	size_t ll = strlen(label), n = 0;
	unsigned tl = 0;

	info[n++] = (uint8_t)(out_len >> 8);
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(6 + ll);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, ll);
	n += ll;
	info[n++] = 0;		/* context */
	info[n++] = 1;		/* T(1) counter */
	if (!HMAC(EVP_sha256(), secret, 32, info, n, t, &tl) || tl != 32)
		return -1;
	memcpy(out, t, out_len);
	return 0;
}

int names_quic_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, int server,
		    struct names_quic_keys *k)
{
	uint8_t initial[32], secret[32];
	unsigned l = 0;
	const uint8_t *salt = quic_salt(version);

	if (!salt || !HMAC(EVP_sha256(), salt, 20, dcid, dcid_len, initial, &l) || l != 32)
		return -1;
	if (expand_label(initial, server ? "server in" : "client in", secret, 32) ||
	    expand_label(secret, "quic key", k->key, 16) ||
	    expand_label(secret, "quic iv", k->iv, 12) ||
	    expand_label(secret, "quic hp", k->hp, 16))
		return -1;
	return 0;
}

static int aes_ecb_block(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int l = 0, ok;

	if (!x)
		return -1;
	ok = EVP_EncryptInit_ex(x, EVP_aes_128_ecb(), NULL, key, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(x, 0) == 1 &&
	     EVP_EncryptUpdate(x, out, &l, in, 16) == 1 && l == 16;
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

static int aes_gcm_open(const uint8_t key[16], const uint8_t nonce[12], const uint8_t *aad,
			size_t aad_len, const uint8_t *ct, size_t ct_len, const uint8_t tag[16],
			uint8_t *out)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int l = 0, ok;

	if (!x)
		return -1;
	ok = EVP_DecryptInit_ex(x, EVP_aes_128_gcm(), NULL, key, nonce) == 1 &&
	     EVP_DecryptUpdate(x, NULL, &l, aad, (int)aad_len) == 1 &&
	     EVP_DecryptUpdate(x, out, &l, ct, (int)ct_len) == 1 &&
	     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, 16, (void *)(uintptr_t)tag) == 1 &&
	     EVP_DecryptFinal_ex(x, out + l, &l) == 1;
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

/* Long header (RFC 9000 §17.2): fills the connection ids, the version and
 * the offsets; returns the packet type (0 Initial), -1 if damaged. */
struct lhdr {
	uint32_t version;
	const uint8_t *dcid;
	size_t dcid_len, pn_off, pktlen;
};

static int long_header(const uint8_t *pkt, size_t len, struct lhdr *h)
{
	struct cur c = { pkt, pkt + len, 0 };
	unsigned b0 = cur_be(&c, 1), type;
	uint64_t plen;

	if (c.bad || !(b0 & 0x80))
		return -1;
	h->version = cur_be(&c, 4);
	h->dcid_len = cur_be(&c, 1);
	h->dcid = c.p;
	if (h->dcid_len > 20)
		return -1;
	cur_skip(&c, h->dcid_len);
	cur_skip(&c, cur_be(&c, 1));	/* SCID (<= 20 in v1; skipped whatever it says) */
	type = (b0 >> 4) & 3;
	if (c.bad || h->version == 0 || type == 3)
		return -1;	/* version negotiation, Retry: no Length field */
	if (type == 0)
		cur_skip(&c, (size_t)cur_varint(&c));	/* token */
	plen = cur_varint(&c);
	if (c.bad || plen > cur_left(&c))
		return -1;
	h->pn_off = (size_t)(c.p - pkt);
	h->pktlen = h->pn_off + (size_t)plen;
	return (int)type;
}

int names_quic_open(const struct names_quic_keys *k, const uint8_t *pkt, size_t len,
		    uint8_t *plain, size_t *plen, size_t *pktlen)
{
	struct lhdr h;
	uint8_t mask[16], nonce[12];
	size_t pnl, hlen, ctlen;
	uint64_t pn = 0;

	if (long_header(pkt, len, &h) != 0)
		return -1;
	*pktlen = h.pktlen;
	if (h.pktlen < h.pn_off + 4 + 16)
		return -1;	/* no room for the header-protection sample */
	if (aes_ecb_block(k->hp, pkt + h.pn_off + 4, mask))
		return -1;
	plain[0] = pkt[0] ^ (mask[0] & 0x0F);
	pnl = (plain[0] & 3u) + 1;
	hlen = h.pn_off + pnl;
	if (h.pktlen < hlen + 16)
		return -1;
	memcpy(plain + 1, pkt + 1, h.pn_off - 1);
	for (size_t i = 0; i < pnl; i++) {
		plain[h.pn_off + i] = pkt[h.pn_off + i] ^ mask[1 + i];
		pn = pn << 8 | plain[h.pn_off + i];
	}
	memcpy(nonce, k->iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
	ctlen = h.pktlen - hlen - 16;
	/* header (the AAD) at plain[0..hlen), plaintext after it, then moved */
	if (aes_gcm_open(k->key, nonce, plain, hlen, pkt + hlen, ctlen, pkt + hlen + ctlen,
			 plain + hlen))
		return -1;
	memmove(plain, plain + hlen, ctlen);
	*plen = ctlen;
	return 0;
}

size_t names_quic_seal(const struct names_quic_keys *k, const uint8_t *hdr, size_t hlen,
		       size_t pnl, uint64_t pn, const uint8_t *payload, size_t plen, uint8_t *out)
{
	uint8_t nonce[12], mask[16];
	size_t pn_off = hlen - pnl;
	EVP_CIPHER_CTX *x;
	int l = 0, ok;

	if (hlen < pnl || hlen - pnl + 4 + 16 > hlen + plen + 16)
		return 0;	/* no room for the sample */
	memcpy(nonce, k->iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
	memmove(out, hdr, hlen);
	if (!(x = EVP_CIPHER_CTX_new()))
		return 0;
	ok = EVP_EncryptInit_ex(x, EVP_aes_128_gcm(), NULL, k->key, nonce) == 1 &&
	     EVP_EncryptUpdate(x, NULL, &l, out, (int)hlen) == 1 &&
	     EVP_EncryptUpdate(x, out + hlen, &l, payload, (int)plen) == 1 &&
	     EVP_EncryptFinal_ex(x, out + hlen + plen, &l) == 1 &&
	     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, out + hlen + plen) == 1;
	EVP_CIPHER_CTX_free(x);
	if (!ok || aes_ecb_block(k->hp, out + pn_off + 4, mask))
		return 0;
	out[0] ^= mask[0] & (out[0] & 0x80 ? 0x0F : 0x1F);
	for (size_t i = 0; i < pnl; i++)
		out[pn_off + i] ^= mask[1 + i];
	return hlen + plen + 16;
}

/* ------------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------------ */

/* direction-independent connection key: lo = the smaller (address, port) */
struct ckey {
	uint8_t lo[16], hi[16];
	uint16_t plo, phi;
	uint8_t proto, af;
};

/* reassembly of the client's first NAMES_STREAM_MAX stream bytes */
struct stream {
	uint8_t buf[NAMES_STREAM_MAX];
	uint8_t map[NAMES_STREAM_MAX / 8];
	size_t prefix;		/* bytes [0, prefix) all present */
	uint32_t base;		/* TCP: sequence number of byte 0 */
	uint32_t skip;		/* TCP: bytes of a PROXY protocol header first */
	int packets;		/* client packets seen */
	/* QUIC */
	int have_keys;
	uint8_t dcid[20];
	size_t dcid_len;
	struct names_quic_keys keys;
};

enum kind { K_TLS, K_HTTP, K_QUIC };

struct conn {
	struct ckey k;
	uint32_t hnext, prev, next;	/* bucket chain; age list (oldest first) */
	uint8_t kind;			/* pending: enum kind */
	uint8_t client_lo;		/* the client is the lo side */
	uint8_t src;			/* named: enum names_src */
	char *name;			/* named */
	struct stream *st;		/* pending */
};

struct ctab {
	struct conn *v;
	size_t n, cap;			/* nodes used / allocated */
	uint32_t free;			/* free list through hnext */
	uint32_t *bucket;
	size_t nbucket, count;
	uint32_t oldest, newest;
};

/* a name shared by DNS answers */
struct nstr {
	uint32_t ref;
	char s[];
};

struct dnsrec {
	uint64_t next;			/* seq + 1 of the next older record in the bucket, 0 none */
	int64_t ts;
	uint8_t addr[16];
	uint8_t af;
	struct nstr *name;
};

struct names {
	size_t max;
	struct ctab pending, named;
	/* DNS: record seq lives in slot seq % max; seqs [oldest, total) live */
	struct dnsrec *rec;
	size_t rec_cap;
	uint64_t total;
	uint64_t *head;			/* seq + 1 of the newest record per bucket */
	size_t nhead;
	int64_t dns_ts;			/* time of the response being added */
	struct names_stats st;
	char text[4 * NAMES_NAME_MAX + 1];
	uint8_t plain[NAMES_STREAM_MAX];
};

static uint64_t key_hash(const struct ckey *k)
{
	uint64_t w[4], h;

	memcpy(w, k->lo, 16);
	memcpy(w + 2, k->hi, 16);
	h = (uint64_t)k->plo << 32 | (uint64_t)k->phi << 16 | (uint64_t)k->proto << 8 | k->af;
	/* the toolkit's seed mixer (util.h) as the hash */
	return rng_derive(rng_derive(h ^ w[0], w[1]) ^ w[2], w[3]);
}

static int key_eq(const struct ckey *a, const struct ckey *b)
{
	return a->plo == b->plo && a->phi == b->phi && a->proto == b->proto && a->af == b->af &&
	       !memcmp(a->lo, b->lo, 16) && !memcmp(a->hi, b->hi, 16);
}

/* key of (src, sport) <-> (dst, dport); returns 1 if src is the lo side */
static int make_key(struct ckey *k, uint8_t af, uint8_t proto, const uint8_t *src,
		    uint16_t sport, const uint8_t *dst, uint16_t dport)
{
	int c = memcmp(src, dst, 16);
	int src_lo = c < 0 || (c == 0 && sport <= dport);

	memcpy(k->lo, src_lo ? src : dst, 16);
	memcpy(k->hi, src_lo ? dst : src, 16);
	k->plo = src_lo ? sport : dport;
	k->phi = src_lo ? dport : sport;
	k->proto = proto;
	k->af = af;
	return src_lo;
}

static uint32_t ctab_find(const struct ctab *t, const struct ckey *k)
{
	uint32_t i;

	if (!t->count)
		return NIL;
	for (i = t->bucket[key_hash(k) & (t->nbucket - 1)]; i != NIL; i = t->v[i].hnext)
		if (key_eq(&t->v[i].k, k))
			return i;
	return NIL;
}

static void ctab_grow_buckets(struct ctab *t)
{
	size_t nb = t->nbucket ? t->nbucket * 2 : 64;

	free(t->bucket);
	t->bucket = xreallocarray(NULL, nb, sizeof(*t->bucket));
	t->nbucket = nb;
	for (size_t i = 0; i < nb; i++)
		t->bucket[i] = NIL;
	for (uint32_t i = t->oldest; i != NIL; i = t->v[i].next) {
		uint32_t *b = &t->bucket[key_hash(&t->v[i].k) & (nb - 1)];
		t->v[i].hnext = *b;
		*b = i;
	}
}

/* new node for k (not present), at the young end of the age list */
static uint32_t ctab_add(struct ctab *t, const struct ckey *k)
{
	uint32_t i, *b;
	struct conn *c;

	if (t->count + 1 > t->nbucket)
		ctab_grow_buckets(t);
	if (t->free != NIL) {
		i = t->free;
		t->free = t->v[i].hnext;
	} else {
		ALLOC_GROW(t->v, t->n + 1, t->cap);
		i = (uint32_t)t->n++;
	}
	c = &t->v[i];
	memset(c, 0, sizeof(*c));
	c->k = *k;
	b = &t->bucket[key_hash(k) & (t->nbucket - 1)];
	c->hnext = *b;
	*b = i;
	c->prev = t->newest;
	c->next = NIL;
	if (t->newest != NIL)
		t->v[t->newest].next = i;
	else
		t->oldest = i;
	t->newest = i;
	t->count++;
	return i;
}

static void ctab_del(struct ctab *t, uint32_t i)
{
	struct conn *c = &t->v[i];
	uint32_t *p = &t->bucket[key_hash(&c->k) & (t->nbucket - 1)];

	while (*p != i)
		p = &t->v[*p].hnext;
	*p = c->hnext;
	if (c->prev != NIL)
		t->v[c->prev].next = c->next;
	else
		t->oldest = c->next;
	if (c->next != NIL)
		t->v[c->next].prev = c->prev;
	else
		t->newest = c->prev;
	free(c->name);
	free(c->st);
	c->name = NULL;
	c->st = NULL;
	c->hnext = t->free;
	t->free = i;
	t->count--;
}

static void ctab_init(struct ctab *t)
{
	memset(t, 0, sizeof(*t));
	t->free = t->oldest = t->newest = NIL;
}

static void ctab_release(struct ctab *t)
{
	while (t->oldest != NIL)
		ctab_del(t, t->oldest);
	free(t->v);
	free(t->bucket);
}

names *names_new(size_t max)
{
	names *nm = xcalloc(1, sizeof(*nm));

	nm->max = max ? max : 1;
	ctab_init(&nm->pending);
	ctab_init(&nm->named);
	return nm;
}

static void nstr_unref(struct nstr *s)
{
	if (s && !--s->ref)
		free(s);
}

void names_free(names *nm)
{
	uint64_t first;

	if (!nm)
		return;
	ctab_release(&nm->pending);
	ctab_release(&nm->named);
	first = nm->total > nm->max ? nm->total - nm->max : 0;
	for (uint64_t s = first; s < nm->total; s++)
		nstr_unref(nm->rec[s % nm->max].name);
	free(nm->rec);
	free(nm->head);
	free(nm);
}

void names_get_stats(const names *nm, struct names_stats *st)
{
	*st = nm->st;
}

/* ---- DNS table ---- */

static uint64_t addr_hash(uint8_t af, const uint8_t *a)
{
	uint64_t w[2];

	memcpy(w, a, 16);
	if (af == 4)
		w[1] = 0, w[0] &= 0xFFFFFFFFu;
	return rng_derive(w[0] ^ af, w[1]);
}

static uint64_t dns_oldest(const names *nm)
{
	return nm->total > nm->max ? nm->total - nm->max : 0;
}

static void dns_link(names *nm, uint64_t seq)
{
	struct dnsrec *r = &nm->rec[seq % nm->max];
	uint64_t *h = &nm->head[addr_hash(r->af, r->addr) & (nm->nhead - 1)];

	r->next = *h;
	*h = seq + 1;
}

struct dns_add {
	names *nm;
	struct nstr *last;	/* the previous address's name, shared when equal */
};

static void dns_add(void *ctx, uint8_t af, const uint8_t *addr, const char *name)
{
	struct dns_add *d = ctx;
	names *nm = d->nm;
	uint64_t seq = nm->total;
	size_t slot = (size_t)(seq % nm->max);
	struct dnsrec *r;

	if (seq >= nm->max) {
		nstr_unref(nm->rec[slot].name);
		nm->st.dns_dropped++;
	} else if (slot >= nm->rec_cap) {
		size_t nc = nm->rec_cap ? nm->rec_cap * 2 : 256;
		if (nc > nm->max)
			nc = nm->max;
		nm->rec = xreallocarray(nm->rec, nc, sizeof(*nm->rec));
		nm->rec_cap = nc;
	}
	if (nm->total + 1 > nm->nhead && nm->nhead < nm->max) {
		/* more buckets (only while the table grows), relinked oldest first */
		size_t nb = nm->nhead ? nm->nhead * 2 : 256;
		free(nm->head);
		nm->head = xcalloc(nb, sizeof(*nm->head));
		nm->nhead = nb;
		for (uint64_t s = dns_oldest(nm); s < nm->total; s++)
			dns_link(nm, s);
	}
	r = &nm->rec[slot];
	memset(r->addr, 0, 16);
	memcpy(r->addr, addr, af == 4 ? 4 : 16);
	r->af = af;
	r->ts = nm->dns_ts;
	if (!d->last || strcmp(d->last->s, name)) {
		size_t l = strlen(name);
		d->last = xmalloc(sizeof(struct nstr) + l + 1);
		d->last->ref = 0;
		memcpy(d->last->s, name, l + 1);
	}
	d->last->ref++;
	r->name = d->last;
	nm->total++;
	dns_link(nm, seq);
	nm->st.dns_answers++;
}

/* newest name learned for the address before (or at) time ts */
static const char *dns_lookup(const names *nm, uint8_t af, const uint8_t *addr, int64_t ts)
{
	uint64_t oldest = dns_oldest(nm), s;
	uint8_t a[16] = { 0 };

	if (!nm->total)
		return NULL;
	memcpy(a, addr, af == 4 ? 4 : 16);
	for (s = nm->head[addr_hash(af, a) & (nm->nhead - 1)]; s && s - 1 >= oldest;) {
		const struct dnsrec *r = &nm->rec[(s - 1) % nm->max];
		if (r->af == af && !memcmp(r->addr, a, 16) && r->ts <= ts)
			return r->name->s;
		s = r->next;
	}
	return NULL;
}

/* ---- handshakes ---- */

static int tls_start(const uint8_t *d, size_t len)
{
	return len >= 6 && d[0] == 22 && d[1] == 3 && d[5] == 1;
}

/* Length of the PROXY protocol header (HAProxy's proxy-protocol.txt: v1
 * "PROXY ...\r\n" of at most 107 bytes, v2 a 12-byte signature, 4 bytes and
 * its length) a load balancer puts before the client's bytes, when it is
 * whole in d; 0 if there is none. */
static size_t proxy_header(const uint8_t *d, size_t len)
{
	static const uint8_t sig2[12] = { '\r', '\n', '\r', '\n', 0, '\r', '\n', 'Q', 'U', 'I', 'T', '\n' };

	if (len >= 8 && !memcmp(d, "PROXY ", 6)) {
		const uint8_t *e = memchr(d, '\n', len < 107 ? len : 107);
		return e && e[-1] == '\r' ? (size_t)(e - d) + 1 : 0;
	}
	if (len >= 16 && !memcmp(d, sig2, 12) && (d[12] >> 4) == 2) {
		size_t n = 16 + ((size_t)d[14] << 8 | d[15]);
		return n <= len ? n : 0;
	}
	return 0;
}

static int quic_start(const uint8_t *d, size_t len)
{
	uint32_t v;

	if (len < 7 || (d[0] & 0xB0) != 0x80)	/* long header, type Initial */
		return 0;
	v = (uint32_t)d[1] << 24 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 8 | d[4];
	return quic_salt(v) != NULL;
}

static void set_name(names *nm, const struct ckey *k, enum names_src src, const char *text)
{
	uint32_t i;

	if (ctab_find(&nm->named, k) != NIL)
		return;
	if (nm->named.count >= nm->max) {
		ctab_del(&nm->named, nm->named.oldest);
		nm->st.conn_dropped++;
	}
	i = ctab_add(&nm->named, k);
	nm->named.v[i].src = (uint8_t)src;
	nm->named.v[i].name = xstrdup(text);
	if (src == NAMES_SNI)
		nm->st.sni++;
	else if (src == NAMES_QUIC)
		nm->st.quic++;
	else
		nm->st.http++;
}

/* mark bytes [a, b) of the stream present */
static void map_set(uint8_t *map, size_t a, size_t b)
{
	while (a < b && (a & 7))
		map[a >> 3] |= (uint8_t)(1u << (a & 7)), a++;
	if (b - a >= 8) {
		memset(map + (a >> 3), 0xFF, (b - a) >> 3);
		a += (b - a) & ~(size_t)7;
	}
	while (a < b)
		map[a >> 3] |= (uint8_t)(1u << (a & 7)), a++;
}

/* write data at stream offset off (a retransmission may overwrite the same
 * bytes); returns 1 if the contiguous prefix grew */
static int stream_put(struct stream *s, size_t off, const uint8_t *data, size_t len)
{
	size_t old = s->prefix;

	if (off >= NAMES_STREAM_MAX || !len)
		return 0;
	if (len > NAMES_STREAM_MAX - off)
		len = NAMES_STREAM_MAX - off;
	memcpy(s->buf + off, data, len);
	map_set(s->map, off, off + len);
	if (off <= s->prefix && off + len > s->prefix)
		s->prefix = off + len;
	while (s->prefix < NAMES_STREAM_MAX && !(s->prefix & 7) && s->map[s->prefix >> 3] == 0xFF)
		s->prefix += 8;
	while (s->prefix < NAMES_STREAM_MAX && (s->map[s->prefix >> 3] & (1u << (s->prefix & 7))))
		s->prefix++;
	return s->prefix > old;
}

static struct stream *stream_new(uint32_t base)
{
	struct stream *s = xmalloc(sizeof(*s));

	/* everything but the data bytes, which the map says are absent */
	memset((uint8_t *)s + offsetof(struct stream, map), 0,
	       sizeof(*s) - offsetof(struct stream, map));
	s->base = base;
	return s;
}

/* CRYPTO frames of a decrypted Initial payload into s; -1 if damaged */
static int quic_frames(struct stream *s, const uint8_t *p, size_t n)
{
	struct cur c = { p, p + n, 0 };

	while (!c.bad && cur_left(&c)) {
		uint64_t type = cur_varint(&c), cnt;
		switch (type) {
		case 0x00:	/* PADDING */
		case 0x01:	/* PING */
			break;
		case 0x02: case 0x03:	/* ACK */
			cur_varint(&c);
			cur_varint(&c);
			cnt = cur_varint(&c);
			cur_varint(&c);
			for (uint64_t i = 0; i < cnt && !c.bad; i++) {
				cur_varint(&c);
				cur_varint(&c);
			}
			if (type == 0x03) {
				cur_varint(&c);
				cur_varint(&c);
				cur_varint(&c);
			}
			break;
		case 0x06: {	/* CRYPTO */
			uint64_t off = cur_varint(&c), len = cur_varint(&c);
			const uint8_t *d = c.p;
			cur_skip(&c, (size_t)len);
			if (c.bad || len > n)
				return -1;
			if (off < NAMES_STREAM_MAX)
				stream_put(s, (size_t)off, d, (size_t)len);
			break;
		}
		case 0x1c: case 0x1d:	/* CONNECTION_CLOSE */
			cur_varint(&c);
			if (type == 0x1c)
				cur_varint(&c);
			cur_skip(&c, (size_t)cur_varint(&c));
			break;
		default:
			return -1;	/* not allowed in Initial packets */
		}
	}
	return c.bad ? -1 : 0;
}

/* a client datagram of a QUIC connection: its Initial packets decrypted */
static void quic_datagram(names *nm, struct stream *s, const uint8_t *d, size_t len)
{
	while (len > 0) {
		struct lhdr h;
		int type = long_header(d, len, &h);
		size_t plen, pktlen;
		int ok = -1;
		if (type < 0)
			return;
		if (type == 0 && quic_salt(h.version) &&
		    h.pktlen <= sizeof(nm->plain)) {
			int same = s->have_keys && h.dcid_len == s->dcid_len &&
				   !memcmp(h.dcid, s->dcid, h.dcid_len);
			if (s->have_keys)
				ok = names_quic_open(&s->keys, d, h.pktlen, nm->plain, &plen, &pktlen);
			if (ok && !same) {
				/* the first Initial, or a new DCID (after a Retry) */
				struct names_quic_keys k;
				if (!names_quic_keys(h.version, h.dcid, h.dcid_len, 0, &k) &&
				    !(ok = names_quic_open(&k, d, h.pktlen, nm->plain, &plen, &pktlen))) {
					s->keys = k;
					s->have_keys = 1;
					memcpy(s->dcid, h.dcid, h.dcid_len);
					s->dcid_len = h.dcid_len;
				}
			}
			if (ok)
				nm->st.quic_undecryptable++;
			else
				quic_frames(s, nm->plain, plen);
		}
		if (h.pktlen > len)
			return;
		d += h.pktlen;
		len -= h.pktlen;
	}
}

/* feed a packet of pending connection i; returns 1 when it is done */
static int pending_feed(names *nm, uint32_t i, const struct fm_pkt *p, int src_lo,
			const uint8_t *data, size_t len)
{
	struct conn *c = &nm->pending.v[i];
	struct stream *s = c->st;
	int r = -2;

	if (src_lo != c->client_lo)
		return 0;	/* the server's side */
	if (++s->packets > PENDING_PACKETS)
		return 1;
	if (c->kind == K_QUIC) {
		quic_datagram(nm, s, data, len);
		if (s->prefix)
			r = names_client_hello(s->buf, s->prefix, nm->text);
	} else {
		if (!stream_put(s, (uint32_t)(p->seq - s->base), data, len))
			return 0;
		if (s->prefix < s->skip)
			return 0;
		r = c->kind == K_TLS ? names_tls_stream(s->buf + s->skip, s->prefix - s->skip, nm->text)
				     : names_http_host(s->buf + s->skip, s->prefix - s->skip, nm->text);
	}
	if (r == 1) {
		set_name(nm, &c->k, c->kind == K_TLS ? NAMES_SNI : c->kind == K_QUIC ? NAMES_QUIC
											: NAMES_HTTP,
			 nm->text);
		return 1;
	}
	return r != -2 || s->prefix >= NAMES_STREAM_MAX;
}

static void dns_packet(names *nm, const struct fm_pkt *p, const uint8_t *data, size_t len)
{
	struct dns_add d = { nm, NULL };
	int loop;

	nm->dns_ts = p->ts;
	names_dns_response(data, len, dns_add, &d, &loop);
	if (loop)
		nm->st.cname_loops++;
}

void names_packet(names *nm, const struct fm_pkt *p, const uint8_t *data, size_t len)
{
	struct ckey k;
	int src_lo, start = 0;
	enum kind kind = K_TLS;
	size_t skip = 0;
	uint32_t i;

	if (p->proto == 6) {
		if ((p->flags & (FM_SYN | FM_ACK)) == FM_SYN && nm->named.count) {
			/* a new connection on this 5-tuple: the old name ends */
			make_key(&k, p->af, p->proto, p->src, p->sport, p->dst, p->dport);
			if ((i = ctab_find(&nm->named, &k)) != NIL)
				ctab_del(&nm->named, i);
		}
		if (!len)
			return;
		if (tls_start(data, len))
			start = 1, kind = K_TLS;
		else if (is_method_start(data, len))
			start = 1, kind = K_HTTP;
		else if ((skip = proxy_header(data, len)) != 0) {
			/* the TLS or HTTP bytes after a load balancer's PROXY header */
			if (tls_start(data + skip, len - skip))
				start = 1, kind = K_TLS;
			else if (is_method_start(data + skip, len - skip))
				start = 1, kind = K_HTTP;
		}
	} else if (p->proto == 17) {
		if (!len)
			return;
		if (p->sport == 53) {
			dns_packet(nm, p, data, len);
			return;
		}
		if (quic_start(data, len))
			start = 1, kind = K_QUIC;
	} else {
		return;
	}
	if (!start && !nm->pending.count)
		return;
	src_lo = make_key(&k, p->af, p->proto, p->src, p->sport, p->dst, p->dport);
	i = ctab_find(&nm->pending, &k);
	if (i == NIL) {
		if (!start || ctab_find(&nm->named, &k) != NIL)
			return;	/* first name wins */
		if (nm->pending.count >= NAMES_MAX_PENDING) {
			ctab_del(&nm->pending, nm->pending.oldest);
			nm->st.pending_dropped++;
		}
		i = ctab_add(&nm->pending, &k);
		nm->pending.v[i].kind = (uint8_t)kind;
		nm->pending.v[i].client_lo = (uint8_t)src_lo;
		nm->pending.v[i].st = stream_new(p->seq);
		nm->pending.v[i].st->skip = (uint32_t)skip;
	}
	if (pending_feed(nm, i, p, src_lo, data, len))
		ctab_del(&nm->pending, i);
}

enum names_src names_flow(names *nm, uint8_t af, uint8_t proto, const uint8_t *src,
			  uint16_t sport, const uint8_t *dst, uint16_t dport, int64_t start,
			  const char **name)
{
	const char *s;

	if (nm->named.count) {
		struct ckey k;
		uint32_t i;
		make_key(&k, af, proto, src, sport, dst, dport);
		if ((i = ctab_find(&nm->named, &k)) != NIL) {
			*name = nm->named.v[i].name;
			return (enum names_src)nm->named.v[i].src;
		}
	}
	if ((s = dns_lookup(nm, af, dst, start)) || (s = dns_lookup(nm, af, src, start))) {
		*name = s;
		return NAMES_DNS;
	}
	*name = "";
	return NAMES_NONE;
}
