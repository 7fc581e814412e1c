/*
 * synth.c: models of video services and background traffic, and the pcap
 * writer. See synth.h.
 *
 * The capture point is the client's Ethernet interface: a packet the client
 * sends is stamped when it leaves, a packet from a server when it arrives.
 * Every model is built from the same few pieces (TCP and TLS 1.3 handshakes,
 * QUIC handshakes, paced downloads with delayed ACKs and slow start after
 * idle, teardowns) and the same distributions of round-trip time, link
 * rate, client OS (TCP options and windows) and video bitrate for every
 * service, so that the services differ only where a difference is planted:
 * the transport (QUIC for YouTube) and the fetch pattern of each player
 * (YouTube: long bursts of 5-12 s of media; Vimeo: 4-8 s range requests;
 * Twitch: a playlist and a 2 s segment every 2 s).
 */
#include "synth.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../flowmeter/names.h"

#define US 1000000.0
#define CAP_EPOCH 1767258000u	/* 2026-01-01 09:00:00 UTC */

enum { F_FIN = 0x01, F_SYN = 0x02, F_RST = 0x04, F_PSH = 0x08, F_ACK = 0x10 };

/* Payload styles: the first bytes of the payload look like the protocol. */
enum {
	K_RND, K_TLS_CH, K_TLS_HS, K_TLS_APP, K_QUIC_LONG, K_QUIC_SHORT,
	K_DNS_Q, K_DNS_R, K_NTP_C, K_NTP_S, K_HTTP_WS,
	K_QUIC_INIT		/* the client's first Initial: a ClientHello, encrypted */
};

struct ev {
	int64_t t;		/* µs since the start of the capture */
	uint32_t ord;		/* generation order, breaks ties in t */
	uint32_t src, dst;
	uint32_t seq, ack;
	uint16_t sport, dport;
	uint16_t len;		/* L4 payload bytes */
	uint16_t win;
	uint16_t ipid;
	uint8_t proto, flags, optlen, ttl, kind, aux;	/* aux: name index (DNS, SNI) */
	uint32_t answer;	/* DNS response: the address answered, 0 = made up */
};

struct gen {
	const struct synth_opts *o;
	struct ev *ev;
	size_t n, cap;
	uint32_t ord;
	int64_t end;		/* capture end, µs */
	uint16_t port;		/* next ephemeral port */
	uint64_t conns;
	uint64_t file_bytes;	/* capture file size of the events pushed */
	int over;		/* file_bytes passed o->max_bytes: events dropped */
	uint8_t pool[65536];	/* payload filler */
};

/* A session: one viewer (or the background) with its own random stream. */
struct sess {
	struct gen *g;
	rng r;
	uint32_t client;
	int os;			/* 0 Linux/Android-like (TCP timestamps), 1 Windows-like */
	double rtt_med;		/* this viewer's typical RTT, seconds */
	double rate_med;	/* this viewer's typical download rate, bit/s */
	uint8_t aux;		/* DNS name index of the next packets */
	size_t dns_ev;		/* the last DNS response's event + 1, until a connection takes it */
};

struct conn {
	uint32_t cip, sip;
	uint16_t cport, sport;
	uint8_t proto;
	uint8_t copt, sopt;	/* TCP option bytes on non-SYN segments */
	uint8_t cttl, sttl;
	uint16_t cwin, swin;
	uint16_t mss;		/* server payload per full packet */
	uint16_t cipid, sipid;
	uint32_t cseq, sseq;
	int64_t rtt;		/* µs */
	double rate;		/* bit/s */
	int64_t last;		/* time of the last packet, for slow start after idle */
	int cwnd;		/* segments */
	int open;
	int name;		/* server name (index into host_names[]) of its ClientHello */
};

/* ---- random helpers ------------------------------------------------------ */

static double uni(rng *r, double a, double b)
{
	return a + (b - a) * rng_double(r);
}

static double normal(rng *r)
{
	double u1 = rng_double(r), u2 = rng_double(r);
	return sqrt(-2.0 * log(1.0 - u1)) * cos(6.283185307179586 * u2);
}

static double lognorm(rng *r, double median, double sigma)
{
	return median * exp(sigma * normal(r));
}

static double expo(rng *r, double mean)
{
	return -mean * log(1.0 - rng_double(r));
}

static double clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static int chance(rng *r, double p)
{
	return rng_double(r) < p;
}

static uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
}

/* ---- names (DNS payloads) -------------------------------------------------- */

static const char *const host_names[] = {
	"www.youtube.com", "rr3---sn-4g5e6nzz.googlevideo.com", "i.ytimg.com",
	"vimeo.com", "vod-adaptive-ak.vimeocdn.com", "player.vimeo.com",
	"video-edge-c2a4f8.fra05.abs.hls.ttvnw.net", "usher.ttvnw.net",
	"irc-ws.chat.twitch.tv", "www.google.com", "clients4.google.com",
	"api.github.com", "fonts.gstatic.com", "update.googleapis.com",
	"ocsp.digicert.com", "connectivity-check.ubuntu.com",
	"time.cloudflare.com", "www.wikipedia.org", "mail.example.org",
	"cdn.jsdelivr.net",
};
enum { N_YT = 0, N_VIMEO = 3, N_TWITCH = 6, N_NOISE = 9, N_NAMES = 20 };

static uint16_t dns_qlen(int name)
{
	/* header + labels (length bytes + text + root) + type + class */
	return (uint16_t)(12 + strlen(host_names[name]) + 2 + 4);
}

/* ---- event list ------------------------------------------------------------ */

static void push(struct gen *g, const struct ev *e)
{
	if (e->t < 0 || e->t >= g->end)
		return;		/* outside the capture window */
	/* record header, Ethernet, IPv4, TCP with options or UDP, payload */
	g->file_bytes += 16 + 14 + 20 + (e->proto == 6 ? 20u + e->optlen : 8u) + e->len;
	if (g->o->max_bytes && 24 + g->file_bytes > g->o->max_bytes)
		g->over = 1;
	if (g->over)
		return;		/* refused anyway: only the size is still counted */
	ALLOC_GROW(g->ev, g->n + 1, g->cap);
	g->ev[g->n] = *e;
	g->ev[g->n].ord = g->ord++;
	g->n++;
}

/*
 * One packet of connection c; dir 0 = client to server. TCP sequence
 * numbers advance by the payload (and by one for SYN and FIN).
 */
static void emit(struct sess *s, struct conn *c, int dir, int64_t t,
		 uint8_t flags, uint16_t len, uint8_t kind)
{
	struct ev e;

	memset(&e, 0, sizeof(e));
	e.t = t;
	e.proto = c->proto;
	e.flags = flags;
	e.len = len;
	e.kind = kind;
	e.aux = kind == K_TLS_CH || kind == K_QUIC_INIT ? (uint8_t)c->name : s->aux;
	if (dir == 0) {
		e.src = c->cip; e.dst = c->sip; e.sport = c->cport; e.dport = c->sport;
		e.seq = c->cseq; e.ack = c->sseq; e.win = c->cwin; e.ttl = c->cttl;
		e.ipid = c->cipid++;
		e.optlen = c->copt;
		c->cseq += len + ((flags & (F_SYN | F_FIN)) ? 1 : 0);
	} else {
		e.src = c->sip; e.dst = c->cip; e.sport = c->sport; e.dport = c->cport;
		e.seq = c->sseq; e.ack = c->cseq; e.win = c->swin; e.ttl = c->sttl;
		e.ipid = c->sipid++;
		e.optlen = c->sopt;
		c->sseq += len + ((flags & (F_SYN | F_FIN)) ? 1 : 0);
	}
	if (c->proto == 17) {
		e.seq = e.ack = 0;
		e.win = 0;
		e.optlen = 0;
	}
	if (flags & F_SYN) {
		/* SYN options: MSS, SACK permitted, timestamps, window scale */
		e.optlen = s->os == 0 ? 20 : 12;
	}
	if (t > c->last)
		c->last = t;
	push(s->g, &e);
}

/* ---- transport building blocks --------------------------------------------- */

static void conn_init(struct sess *s, struct conn *c, uint32_t server,
		      uint16_t sport, uint8_t proto)
{
	rng *r = &s->r;
	static const uint16_t quic_sizes[] = { 1232, 1250, 1292, 1322 };

	memset(c, 0, sizeof(*c));
	c->cip = s->client;
	c->sip = server;
	c->sport = sport;
	c->proto = proto;
	s->g->port = (uint16_t)(s->g->port + 1 + rng_below(r, 40));
	if (s->g->port < 32768 || s->g->port > 60999)
		s->g->port = (uint16_t)(32768 + rng_below(r, 2000));
	c->cport = s->g->port;
	c->cseq = (uint32_t)rng_next(r);
	c->sseq = (uint32_t)rng_next(r);
	c->cttl = s->os == 0 ? 64 : 128;
	c->sttl = (uint8_t)(52 + rng_below(r, 8));
	c->cipid = (uint16_t)rng_next(r);
	c->sipid = (uint16_t)rng_next(r);
	c->rtt = (int64_t)(clampd(lognorm(r, s->rtt_med, 0.25), 0.003, 0.4) * US);
	c->rate = clampd(lognorm(r, s->rate_med, 0.3), 5e5, 1e8);
	c->cwnd = 10;
	c->name = N_NOISE + 9;	/* mail.example.org unless the caller says */
	if (sport == 443 && s->dns_ev) {
		/* the lookup just before is the one for this server */
		s->g->ev[s->dns_ev - 1].answer = server;
		s->dns_ev = 0;
	}
	if (proto == 6) {
		c->copt = c->sopt = s->os == 0 ? 12 : 0;
		c->mss = s->os == 0 ? 1448 : 1460;
		c->cwin = s->os == 0 ? (uint16_t)(501 + rng_below(r, 12)) : (uint16_t)(1026 + rng_below(r, 8));
		c->swin = (uint16_t)(rng_below(r, 3) == 0 ? 65535 : 283 + rng_below(r, 40));
	} else {
		c->mss = quic_sizes[rng_below(r, 4)];
	}
	s->g->conns++;
}

static int64_t ack_delay(rng *r)
{
	return (int64_t)uni(r, 20, 250);
}

/*
 * Server sends `bytes` of response starting at t (arrival of the first
 * packet); the client ACKs every second packet. The congestion window
 * (c->cwnd, back to 10 after an idle second, see fetch) doubles every round
 * trip until the link rate limits. Returns the time of
 * the last packet.
 */
static int64_t server_send(struct sess *s, struct conn *c, int64_t t, uint64_t bytes,
			   uint8_t kind0)
{
	rng *r = &s->r;
	double per = c->mss * 8.0 * US / c->rate;
	int64_t round = t;
	int inflight = 0, n = 0;
	int64_t last = t;

	while (bytes > 0) {
		uint16_t len = (uint16_t)(bytes > c->mss ? c->mss : bytes);
		uint8_t fl = F_ACK;

		bytes -= len;
		if (c->proto == 6 && (bytes == 0 || n % 12 == 11))
			fl |= F_PSH;
		emit(s, c, 1, t, fl, len, n == 0 ? kind0 : (c->proto == 17 ? K_QUIC_SHORT : K_RND));
		last = t;
		n++;
		if (n % 2 == 0 || bytes == 0) {
			if (c->proto == 6)
				emit(s, c, 0, t + ack_delay(r), F_ACK, 0, K_RND);
			else
				emit(s, c, 0, t + ack_delay(r), 0, (uint16_t)(30 + rng_below(r, 16)), K_QUIC_SHORT);
		}
		t += (int64_t)(per * uni(r, 0.5, 1.5)) + 8;
		if (++inflight >= c->cwnd && bytes > 0) {
			/* window-limited: wait for the ACK clock */
			int64_t next = round + c->rtt;
			if (next > t)
				t = next;
			round = t;
			inflight = 0;
			if (c->cwnd < 4096)
				c->cwnd *= 2;
		}
	}
	return last;
}

/* TCP three-way handshake then a TLS 1.3 handshake; returns when ready. */
static int64_t tcp_open(struct sess *s, struct conn *c, int64_t t)
{
	rng *r = &s->r;
	uint16_t ch = chance(r, 0.5) ? 517 : (uint16_t)(560 + rng_below(r, 200));

	emit(s, c, 0, t, F_SYN, 0, K_RND);
	t += c->rtt;
	emit(s, c, 1, t, F_SYN | F_ACK, 0, K_RND);
	t += ack_delay(r);
	emit(s, c, 0, t, F_ACK, 0, K_RND);
	t += (int64_t)uni(r, 50, 400);
	emit(s, c, 0, t, F_PSH | F_ACK, ch, K_TLS_CH);
	t += c->rtt + (int64_t)uni(r, 500, 6000);
	t = server_send(s, c, t, (uint64_t)uni(r, 2600, 5400), K_TLS_HS);
	t += (int64_t)uni(r, 300, 3000);
	emit(s, c, 0, t, F_PSH | F_ACK, (uint16_t)(64 + rng_below(r, 17)), K_TLS_APP);
	if (chance(r, 0.7)) {
		/* session tickets; the first request follows them (so its ACK number is honest) */
		t += c->rtt;
		emit(s, c, 1, t, F_PSH | F_ACK, (uint16_t)(200 + rng_below(r, 400)), K_TLS_APP);
	}
	c->open = 1;
	return t + (int64_t)uni(r, 200, 2000);
}

/* QUIC v1 handshake (Chrome-like sizes); returns when 1-RTT data can flow. */
static int64_t quic_open(struct sess *s, struct conn *c, int64_t t)
{
	rng *r = &s->r;

	emit(s, c, 0, t, 0, 1250, K_QUIC_INIT);
	if (chance(r, 0.5))
		emit(s, c, 0, t + (int64_t)uni(r, 20, 200), 0, 1250, K_QUIC_LONG);
	t += c->rtt + (int64_t)uni(r, 300, 3000);
	emit(s, c, 1, t, 0, 1250, K_QUIC_LONG);
	emit(s, c, 1, t + 30, 0, 1250, K_QUIC_LONG);
	emit(s, c, 1, t + 60, 0, (uint16_t)(300 + rng_below(r, 700)), K_QUIC_LONG);
	t += 60 + ack_delay(r);
	emit(s, c, 0, t, 0, 1250, K_QUIC_LONG);
	emit(s, c, 0, t + 15, 0, (uint16_t)(80 + rng_below(r, 40)), K_QUIC_LONG);
	emit(s, c, 1, t + c->rtt, 0, (uint16_t)(200 + rng_below(r, 300)), K_QUIC_SHORT);
	c->open = 1;
	return t + (int64_t)uni(r, 100, 1500);
}

static int64_t conn_open(struct sess *s, struct conn *c, int64_t t)
{
	return c->proto == 17 ? quic_open(s, c, t) : tcp_open(s, c, t);
}

/* A request from the client and the server's response; returns its end. */
static int64_t fetch(struct sess *s, struct conn *c, int64_t t, uint16_t req, uint64_t bytes)
{
	rng *r = &s->r;

	if (t - c->last > 1000000)	/* slow start again after an idle second */
		c->cwnd = 10;
	if (c->proto == 6)
		emit(s, c, 0, t, F_PSH | F_ACK, req, K_TLS_APP);
	else
		emit(s, c, 0, t, 0, req, K_QUIC_SHORT);
	t += c->rtt + (int64_t)lognorm(r, 4000, 0.6);
	return server_send(s, c, t, bytes, c->proto == 6 ? K_TLS_APP : K_QUIC_SHORT);
}

/* Close: client first (FIN/ACK both ways, last ACK) or, server_first, the server. */
static void conn_close(struct sess *s, struct conn *c, int64_t t, int server_first)
{
	rng *r = &s->r;

	if (!c->open)
		return;
	c->open = 0;
	if (c->proto == 17) {
		if (chance(r, 0.6))	/* CONNECTION_CLOSE, else silent idle timeout */
			emit(s, c, 0, t, 0, (uint16_t)(30 + rng_below(r, 20)), K_QUIC_SHORT);
		return;
	}
	emit(s, c, 0, t - 1, F_PSH | F_ACK, 24, K_TLS_APP);	/* close_notify */
	if (!server_first) {
		emit(s, c, 0, t, F_FIN | F_ACK, 0, K_RND);
		t += c->rtt;
		emit(s, c, 1, t, F_FIN | F_ACK, 0, K_RND);
		emit(s, c, 0, t + ack_delay(r), F_ACK, 0, K_RND);
	} else {
		emit(s, c, 1, t, F_FIN | F_ACK, 0, K_RND);
		t += ack_delay(r);
		emit(s, c, 0, t, F_FIN | F_ACK, 0, K_RND);
		emit(s, c, 1, t + c->rtt, F_ACK, 0, K_RND);
	}
}

/* A DNS lookup through the home router. */
static void dns_lookup(struct sess *s, int64_t t, int name)
{
	struct conn c;
	uint16_t q = dns_qlen(name);

	size_t n;

	conn_init(s, &c, ip4(192, 168, 1, 1), 53, 17);
	s->aux = (uint8_t)name;
	emit(s, &c, 0, t, 0, q, K_DNS_Q);
	n = s->g->n;
	emit(s, &c, 1, t + (int64_t)lognorm(&s->r, 12000, 0.8), 0, (uint16_t)(q + 16), K_DNS_R);
	s->dns_ev = s->g->n > n ? s->g->n : 0;
	s->aux = 0;
}

/*
 * A short HTTPS exchange: a few requests with small responses, then the
 * connection idles until one side closes it. quic: over QUIC instead.
 */
static int64_t short_https(struct sess *s, int64_t t, uint32_t server, int name, int quic,
			   double resp_med)
{
	rng *r = &s->r;
	struct conn c;
	int nreq = 1 + (int)rng_below(r, 4), i;

	dns_lookup(s, t, name);
	t += (int64_t)uni(r, 15000, 60000);
	conn_init(s, &c, server, 443, quic ? 17 : 6);
	c.name = name;
	t = conn_open(s, &c, t);
	for (i = 0; i < nreq; i++) {
		uint64_t bytes = (uint64_t)clampd(lognorm(r, resp_med, 1.1), 60, 300000);
		t = fetch(s, &c, t, (uint16_t)clampd(lognorm(r, 420, 0.4), 80, 1400), bytes);
		t += (int64_t)expo(r, 400000);
	}
	/* HTTP/1.1 "Connection: close" right away, or an idle keep-alive */
	if (chance(r, 0.4))
		t += (int64_t)uni(r, 1000, 200000);
	else
		t += (int64_t)(clampd(lognorm(r, 3.0, 1.2), 0.05, 60) * US);
	conn_close(s, &c, t, chance(r, 0.35));
	return t;
}

/* ---- video services ------------------------------------------------------ */

struct vod_prof {
	double chunk_lo, chunk_hi;	/* seconds of media per request */
	double buf_lo, buf_hi;		/* buffer the player keeps ahead */
	int pool;			/* connections the requests are spread over (at most 4) */
	double reqs_per_conn;		/* mean requests before the player replaces a connection */
	double quic_share;		/* connections over QUIC (when allowed) */
	uint32_t net_a, net_b;		/* server address blocks (first two octets) */
	int name;			/* DNS name of the media servers */
};

static uint32_t pick_server(rng *r, uint32_t net)
{
	return (net << 16) | (uint32_t)(rng_below(r, 256) << 8) | (uint32_t)(2 + rng_below(r, 250));
}

/* One media stream (video or audio) of a video-on-demand player. */
static void vod_stream(struct sess *s, const struct vod_prof *p, double kbps, int64_t t,
		       int64_t t_end)
{
	rng *r = &s->r;
	struct conn pool[4];
	int left[4] = { 0, 0, 0, 0 };
	double buffer = 0, target = uni(r, p->buf_lo, p->buf_hi);
	int playing = 0, k, n = p->pool < 1 ? 1 : p->pool > 4 ? 4 : p->pool;
	int quic_ok = !s->g->o->no_quic;

	memset(pool, 0, sizeof(pool));
	while (t < t_end && t < s->g->end) {
		double chunk = uni(r, p->chunk_lo, p->chunk_hi);
		uint64_t bytes = (uint64_t)(kbps * 125.0 * chunk * uni(r, 0.75, 1.3));
		int64_t t0 = t;
		struct conn *c = &pool[k = (int)rng_below(r, (uint64_t)n)];

		if (!c->open || left[k] <= 0) {
			uint32_t server = pick_server(r, chance(r, 0.5) ? p->net_a : p->net_b);
			if (c->open)
				conn_close(s, c, t + (int64_t)uni(r, 1000, 400000), 0);
			if (chance(r, 0.5)) {
				dns_lookup(s, t, p->name);
				t += (int64_t)uni(r, 10000, 50000);
			}
			conn_init(s, c, server, 443,
				  quic_ok && chance(r, p->quic_share) ? 17 : 6);
			c->name = p->name;
			t = conn_open(s, c, t);
			left[k] = 1 + (int)expo(r, p->reqs_per_conn - 1);
		}
		t = fetch(s, c, t, (uint16_t)clampd(lognorm(r, c->proto == 6 ? 520 : 200, 0.3), 60, 1400),
			  bytes);
		left[k]--;
		if (playing)
			buffer -= (double)(t - t0) / US;
		if (buffer < 0)
			buffer = 0;
		buffer += chunk;
		playing = 1;
		if (buffer < target) {
			t += (int64_t)uni(r, 2000, 150000);
		} else {
			double wait = buffer - target + chunk * uni(r, 0.0, 0.4);
			t += (int64_t)(wait * US);
			buffer -= wait;
		}
	}
	for (k = 0; k < n; k++)
		if (pool[k].open)
			conn_close(s, &pool[k], (pool[k].last > t_end ? pool[k].last : t_end) +
				   (int64_t)(uni(r, 0.5, 15) * US), chance(r, 0.2));
}

static void sess_init(struct sess *s, struct gen *g, uint64_t stream)
{
	memset(s, 0, sizeof(*s));
	s->g = g;
	rng_seed(&s->r, rng_derive(g->o->seed, stream));
	s->client = ip4(192, 168, 1, (unsigned)(10 + rng_below(&s->r, 8)));
	s->os = chance(&s->r, 0.6) ? 0 : 1;
	s->rtt_med = clampd(lognorm(&s->r, 0.025, 0.5), 0.004, 0.2);
	s->rate_med = clampd(lognorm(&s->r, 6e6, 0.6), 1e6, 5e7);
}

/* Start and end of a viewing session inside the capture. */
static void sess_window(struct sess *s, int64_t *start, int64_t *stop)
{
	double d = s->g->o->duration;

	*start = (int64_t)(uni(&s->r, 0, 0.45) * d * US);
	*stop = *start + (int64_t)(uni(&s->r, 0.45, 1.0) * (d * US - (double)*start));
}

static const struct vod_prof yt_video = { 10, 20, 20, 45, 3, 6, 0.93, 173 << 8 | 194, 74 << 8 | 125, N_YT + 1 };
static const struct vod_prof yt_audio = { 15, 30, 30, 60, 2, 6, 0.93, 173 << 8 | 194, 74 << 8 | 125, N_YT + 1 };
static const struct vod_prof vm_video = { 4, 8, 15, 35, 1, 8, 0.0, 151 << 8 | 101, 23 << 8 | 62, N_VIMEO + 1 };
static const struct vod_prof vm_audio = { 8, 16, 20, 40, 1, 8, 0.0, 151 << 8 | 101, 23 << 8 | 62, N_VIMEO + 1 };

static void youtube_session(struct gen *g, int i)
{
	struct sess s;
	int64_t t, stop;
	double kbps;
	int k, npage;
	int quic_ok = !g->o->no_quic;

	sess_init(&s, g, 1000 + (uint64_t)i);
	sess_window(&s, &t, &stop);
	kbps = clampd(lognorm(&s.r, 200, 0.45), 60, 2500);
	npage = 2 + (int)rng_below(&s.r, 3);
	for (k = 0; k < npage; k++)
		short_https(&s, t + (int64_t)uni(&s.r, 0, 800000),
			    pick_server(&s.r, k ? 142 << 8 | 250 : 172 << 8 | 217), k ? N_YT + 2 : N_YT,
			    quic_ok && chance(&s.r, 0.7), 3000);
	t += (int64_t)uni(&s.r, 300000, 1500000);
	vod_stream(&s, &yt_video, kbps, t, stop);
	vod_stream(&s, &yt_audio, clampd(lognorm(&s.r, 110, 0.2), 48, 160), t + 20000, stop);
}

static void vimeo_session(struct gen *g, int i)
{
	struct sess s;
	int64_t t, stop;
	double kbps;
	int k, npage;

	sess_init(&s, g, 2000 + (uint64_t)i);
	sess_window(&s, &t, &stop);
	kbps = clampd(lognorm(&s.r, 200, 0.45), 60, 2500);
	npage = 2 + (int)rng_below(&s.r, 3);
	for (k = 0; k < npage; k++)
		short_https(&s, t + (int64_t)uni(&s.r, 0, 800000),
			    pick_server(&s.r, k ? 151 << 8 | 101 : 162 << 8 | 159), N_VIMEO + (k ? 2 : 0),
			    0, 3000);
	t += (int64_t)uni(&s.r, 300000, 1500000);
	vod_stream(&s, &vm_video, kbps, t, stop);
	vod_stream(&s, &vm_audio, clampd(lognorm(&s.r, 110, 0.2), 48, 160), t + 20000, stop);
}

/* Twitch chat: a websocket that receives small messages now and then. */
static void twitch_chat(struct sess *s, int64_t t, int64_t stop)
{
	rng *r = &s->r;
	struct conn c;
	double rate = lognorm(r, 0.5, 0.8);	/* messages per second */

	dns_lookup(s, t, N_TWITCH + 2);
	conn_init(s, &c, pick_server(r, 34 << 8 | 217), 443, 6);
	c.name = N_TWITCH + 2;
	t = tcp_open(s, &c, t + 20000);
	t = fetch(s, &c, t, 420, 180);	/* websocket upgrade */
	emit(s, &c, 0, t + 2000, F_PSH | F_ACK, 140, K_TLS_APP);	/* CAP/PASS/NICK/JOIN */
	for (;;) {
		t += (int64_t)(expo(r, 1.0 / rate) * US) + 1000;
		if (t >= stop)
			break;
		emit(s, &c, 1, t, F_PSH | F_ACK, (uint16_t)clampd(lognorm(r, 180, 0.6), 40, 1400), K_TLS_APP);
		emit(s, &c, 0, t + 40000, F_ACK, 0, K_RND);
	}
	conn_close(s, &c, (c.last > stop ? c.last : stop) + (int64_t)uni(r, 10000, 500000), 0);
}

static void twitch_session(struct gen *g, int i)
{
	struct sess s;
	rng *r = &s.r;
	struct conn c;
	int64_t t, stop, next;
	double kbps;
	int k, left = 0;

	sess_init(&s, g, 3000 + (uint64_t)i);
	sess_window(&s, &t, &stop);
	kbps = clampd(lognorm(r, 200, 0.45), 60, 2500);
	for (k = 0; k < 2; k++)	/* gql API, usher */
		short_https(&s, t + (int64_t)uni(r, 0, 600000), pick_server(r, 151 << 8 | 101),
			    N_TWITCH + 1, 0, 3000);
	if (chance(r, 0.7))
		twitch_chat(&s, t + (int64_t)uni(r, 500000, 2000000), stop);
	t += (int64_t)uni(r, 300000, 1500000);
	memset(&c, 0, sizeof(c));
	next = t;
	k = 0;
	while (t < stop && t < g->end) {
		uint64_t seg = (uint64_t)(kbps * 125.0 * 2.0 * uni(r, 0.85, 1.15));

		if (!c.open || left <= 0) {
			if (c.open)
				conn_close(&s, &c, t + (int64_t)uni(r, 1000, 200000), 0);
			dns_lookup(&s, t, N_TWITCH);
			conn_init(&s, &c, pick_server(r, chance(r, 0.5) ? 52 << 8 | 223 : 99 << 8 | 181), 443, 6);
			c.name = N_TWITCH;
			t = tcp_open(&s, &c, t + (int64_t)uni(r, 10000, 40000));
			left = 8 + (int)expo(r, 15);
		}
		/* live playlist, then the newest segment */
		t = fetch(&s, &c, t, (uint16_t)clampd(lognorm(r, 380, 0.2), 200, 900),
			  (uint64_t)uni(r, 900, 2600));
		t = fetch(&s, &c, t + (int64_t)uni(r, 1000, 20000),
			  (uint16_t)clampd(lognorm(r, 450, 0.2), 200, 900), seg);
		left--;
		k++;
		/* the first three segments come back to back, then one every 2 s */
		next += k <= 3 ? 0 : (int64_t)(2.0 * US + normal(r) * 40000);
		t = next > t ? next : t + (int64_t)uni(r, 2000, 30000);
	}
	if (c.open)
		conn_close(&s, &c, (c.last > stop ? c.last : stop) + (int64_t)(uni(r, 0.1, 5) * US), 0);
}

/* ---- background ------------------------------------------------------------ */

static void noise(struct gen *g)
{
	struct sess s;
	rng *r = &s.r;
	int64_t t;
	int k;
	int quic_ok = !g->o->no_quic;

	sess_init(&s, g, 9000);
	/* DNS lookups of all kinds */
	for (t = (int64_t)(expo(r, 2.5) * US); t < g->end; t += (int64_t)(expo(r, 2.5) * US)) {
		s.client = ip4(192, 168, 1, (unsigned)(10 + rng_below(r, 8)));
		dns_lookup(&s, t, N_NOISE + (int)rng_below(r, N_NAMES - N_NOISE));
	}
	/* NTP */
	for (t = (int64_t)(expo(r, 30) * US); t < g->end; t += (int64_t)(expo(r, 30) * US)) {
		struct conn c;
		s.client = ip4(192, 168, 1, (unsigned)(10 + rng_below(r, 8)));
		conn_init(&s, &c, ip4(162, 159, 200, 1 + (unsigned)rng_below(r, 2)), 123, 17);
		emit(&s, &c, 0, t, 0, 48, K_NTP_C);
		emit(&s, &c, 1, t + c.rtt, 0, 48, K_NTP_S);
	}
	/* short web requests, each by its own kind of client */
	for (k = 0, t = (int64_t)(expo(r, 4) * US); t < g->end; k++, t += (int64_t)(expo(r, 4) * US)) {
		struct sess w;

		sess_init(&w, g, 100000 + (uint64_t)k);
		short_https(&w, t, pick_server(r, rng_below(r, 2) ? 140 << 8 | 82 : 104 << 8 | 16),
			    N_NOISE + (int)rng_below(r, N_NAMES - N_NOISE),
			    quic_ok && chance(r, 0.3), 5000);
	}
	/* long-lived idle connections with a message now and then */
	for (k = 0; k < 3; k++) {
		struct conn c;
		struct sess w;

		sess_init(&w, g, 20000 + (uint64_t)k);
		conn_init(&w, &c, pick_server(&w.r, 17 << 8 | 57), 443, 6);
		t = tcp_open(&w, &c, (int64_t)(uni(&w.r, 0, 5) * US));
		while (t < g->end) {
			t += (int64_t)(uni(&w.r, 8, 45) * US);
			if (chance(&w.r, 0.5)) {
				emit(&w, &c, 1, t, F_PSH | F_ACK, (uint16_t)(60 + rng_below(&w.r, 300)), K_TLS_APP);
				emit(&w, &c, 0, t + 40000, F_ACK, 0, K_RND);
			} else {
				emit(&w, &c, 0, t, F_PSH | F_ACK, (uint16_t)(30 + rng_below(&w.r, 40)), K_TLS_APP);
				emit(&w, &c, 1, t + c.rtt, F_ACK, 0, K_RND);
			}
		}
	}
}

/* ---- pcap writer ----------------------------------------------------------- */

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t host_hash(uint32_t ip)
{
	ip ^= ip >> 16;
	ip *= 0x45d9f3bu;
	ip ^= ip >> 16;
	return ip;
}

static void mac_of(uint8_t *m, uint32_t ip)
{
	if ((ip >> 8) == ip4(192, 168, 1, 0) >> 8 && (ip & 0xff) != 1) {
		m[0] = 0x02; m[1] = 0x1a; m[2] = 0x2b; m[3] = 0x3c; m[4] = 0x01; m[5] = (uint8_t)ip;
	} else {	/* everything else is behind the router */
		m[0] = 0x02; m[1] = 0x00; m[2] = 0x5e; m[3] = 0x10; m[4] = 0x00; m[5] = 0x01;
	}
}

/*
 * A TLS 1.3 ClientHello handshake message (RFC 8446 §4.1.2) of exactly n
 * bytes for server name sni, as browsers send it: server_name,
 * supported_groups, signature_algorithms, supported_versions, an x25519
 * key_share, ALPN (h2 and http/1.1, or h3 with QUIC transport parameters),
 * and a padding extension (RFC 7685) that fills it up to n. rnd gives the
 * random, session id and key share bytes. Returns 0 when n is too small.
 */
static size_t client_hello(uint8_t *p, size_t n, const char *sni, const uint8_t *rnd, int quic)
{
	static const uint8_t groups[] = { 0, 10, 0, 8, 0, 6, 0, 0x1d, 0, 0x17, 0, 0x18 };
	static const uint8_t sigs[] = { 0, 13, 0, 14, 0, 12, 4, 3, 8, 4, 4, 1, 5, 3, 8, 5, 5, 1 };
	static const uint8_t vers[] = { 0, 43, 0, 3, 2, 3, 4 };
	static const uint8_t alpn_tcp[] = { 0, 16, 0, 14, 0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p',
					    '/', '1', '.', '1' };
	static const uint8_t alpn_quic[] = { 0, 16, 0, 5, 0, 3, 2, 'h', '3',
					     0, 0x39, 0, 6, 1, 4, 0x80, 0, 0x75, 0x30 };
	size_t sl = strlen(sni), k = 0, ext, need;

	need = 4 + 2 + 32 + 1 + 32 + 2 + 6 + 2 + 2 + (4 + 5 + sl) + sizeof(groups) + sizeof(sigs) +
	       sizeof(vers) + (4 + 2 + 4 + 32) + (quic ? sizeof(alpn_quic) : sizeof(alpn_tcp)) + 4;
	if (n < need)
		return 0;
	p[k++] = 1;
	p[k++] = (uint8_t)((n - 4) >> 16);
	put16(p + k, (uint32_t)(n - 4));
	k += 2;
	p[k++] = 3, p[k++] = 3;
	memcpy(p + k, rnd, 32), k += 32;
	if (quic) {
		p[k++] = 0;
	} else {
		p[k++] = 32;	/* legacy session id */
		memcpy(p + k, rnd + 32, 32), k += 32;
	}
	put16(p + k, 6), k += 2;
	p[k++] = 0x13, p[k++] = 0x01, p[k++] = 0x13, p[k++] = 0x02, p[k++] = 0x13, p[k++] = 0x03;
	p[k++] = 1, p[k++] = 0;
	ext = k;
	k += 2;
	put16(p + k, 0), put16(p + k + 2, (uint32_t)(sl + 5));
	put16(p + k + 4, (uint32_t)(sl + 3));
	p[k + 6] = 0;
	put16(p + k + 7, (uint32_t)sl);
	memcpy(p + k + 9, sni, sl);
	k += 9 + sl;
	memcpy(p + k, groups, sizeof(groups)), k += sizeof(groups);
	memcpy(p + k, sigs, sizeof(sigs)), k += sizeof(sigs);
	memcpy(p + k, vers, sizeof(vers)), k += sizeof(vers);
	put16(p + k, 51), put16(p + k + 2, 38), put16(p + k + 4, 36), put16(p + k + 6, 0x1d);
	put16(p + k + 8, 32);
	memcpy(p + k + 10, rnd + 64, 32);
	k += 42;
	if (quic)
		memcpy(p + k, alpn_quic, sizeof(alpn_quic)), k += sizeof(alpn_quic);
	else
		memcpy(p + k, alpn_tcp, sizeof(alpn_tcp)), k += sizeof(alpn_tcp);
	put16(p + k, 21), put16(p + k + 2, (uint32_t)(n - k - 4));
	memset(p + k + 4, 0, n - k - 4);
	put16(p + ext, (uint32_t)(n - ext - 2));
	return n;
}

/*
 * The client's first QUIC v1 Initial (RFC 9000 §17.2.2) of n bytes: an
 * 8-byte destination connection id from dcid, a CRYPTO frame with a
 * ClientHello for sni, PADDING, protected as RFC 9001 §5 says (so tshark
 * and flowmeter --names can read it). Returns 0 if it cannot be built.
 */
static size_t quic_initial(uint8_t *p, size_t n, const char *sni, const uint8_t *rnd)
{
	uint8_t hdr[22], pl[1500];
	size_t L = n - 18, plen = n - 38, ch = 300 + strlen(sni);
	struct names_quic_keys k;

	if (n < 600 || n > sizeof(pl) || ch + 5 > plen)
		return 0;
	hdr[0] = 0xc3;		/* long header, Initial, 4-byte packet number */
	put32(hdr + 1, 1);
	hdr[5] = 8;
	memcpy(hdr + 6, rnd + 96, 8);
	hdr[14] = 0;		/* no source connection id */
	hdr[15] = 0;		/* no token */
	put16(hdr + 16, (uint32_t)(0x4000 | L));
	put32(hdr + 18, 0);
	memset(pl, 0, plen);
	pl[0] = 6, pl[1] = 0;	/* CRYPTO, offset 0 */
	put16(pl + 2, (uint32_t)(0x4000 | ch));
	if (!client_hello(pl + 4, ch, sni, rnd, 1) || names_quic_keys(1, hdr + 6, 8, 0, &k))
		return 0;
	return names_quic_seal(&k, hdr, sizeof(hdr), 4, 0, pl, plen, p);
}

/* Payload: filler from the pool, with a recognisable start. */
static void payload(const struct gen *g, const struct ev *e, uint8_t *p)
{
	size_t n = e->len, off = (e->ord * 2654435761u) & 0xffff, k;

	for (k = 0; k < n; k++)
		p[k] = g->pool[(off + k) & 0xffff];
	switch (e->kind) {
	case K_TLS_CH:
		if (n >= 5 && client_hello(p + 5, n - 5, host_names[e->aux < N_NAMES ? e->aux : 0],
					   g->pool + ((off + 7) & 0x7fff), 0)) {
			p[0] = 0x16, p[1] = 3, p[2] = 1;
			put16(p + 3, (uint32_t)(n - 5));
			break;
		}
		/* fall through */
	case K_TLS_HS:
	case K_TLS_APP:
		if (n >= 5) {
			p[0] = e->kind == K_TLS_APP ? 0x17 : 0x16;
			p[1] = 3;
			p[2] = e->kind == K_TLS_CH ? 1 : 3;
			put16(p + 3, (uint32_t)(n - 5 > 16389 ? 16389 : n - 5));
			if (e->kind == K_TLS_CH && n >= 6)
				p[5] = 1;	/* ClientHello */
		}
		break;
	case K_QUIC_INIT:
		if (quic_initial(p, n, host_names[e->aux < N_NAMES ? e->aux : 0],
				 g->pool + ((off + 4099) & 0x7fff)))
			break;
		/* fall through */
	case K_QUIC_LONG:
		if (n >= 6) {
			p[0] = 0xc0 | (p[0] & 0x03);
			put32(p + 1, 1);	/* version 1 */
			p[5] = 8;		/* DCID length */
		}
		break;
	case K_QUIC_SHORT:
		if (n >= 1)
			p[0] = 0x40 | (p[0] & 0x3f);
		break;
	case K_DNS_Q:
	case K_DNS_R: {
		const char *name = host_names[e->aux < N_NAMES ? e->aux : 0];
		size_t q = dns_qlen(e->aux < N_NAMES ? e->aux : 0), i = 12, lab;
		const char *dot;

		if (n < q)
			break;
		memset(p, 0, n);
		put16(p, (e->kind == K_DNS_Q ? e->sport : e->dport) ^ 0x5a5a);	/* id */
		put16(p + 2, e->kind == K_DNS_Q ? 0x0100 : 0x8180);
		put16(p + 4, 1);
		put16(p + 6, e->kind == K_DNS_R ? 1 : 0);
		while (*name) {
			dot = strchr(name, '.');
			lab = dot ? (size_t)(dot - name) : strlen(name);
			p[i++] = (uint8_t)lab;
			memcpy(p + i, name, lab);
			i += lab;
			name += lab + (dot ? 1 : 0);
		}
		p[i++] = 0;
		put16(p + i, 1); put16(p + i + 2, 1);	/* A, IN */
		i += 4;
		if (e->kind == K_DNS_R && n >= i + 16) {
			put16(p + i, 0xc00c); put16(p + i + 2, 1); put16(p + i + 4, 1);
			put32(p + i + 6, 300); put16(p + i + 10, 4);
			put32(p + i + 12, e->answer ? e->answer : host_hash(e->dport));
		}
		break;
	}
	case K_NTP_C:
	case K_NTP_S:
		if (n >= 48) {
			memset(p, 0, 48);
			p[0] = e->kind == K_NTP_C ? 0x23 : 0x24;	/* v4, client / server */
			if (e->kind == K_NTP_S)
				p[1] = 3;
		}
		break;
	default:
		break;
	}
}

static size_t build_frame(const struct gen *g, const struct ev *e, uint8_t *f, uint32_t ts_ms)
{
	uint8_t *ip = f + 14, *l4 = ip + 20, *pl;
	size_t l4hdr = e->proto == 6 ? 20u + e->optlen : 8u;
	size_t iplen = 20 + l4hdr + e->len;
	uint32_t sum;

	mac_of(f, e->dst);
	mac_of(f + 6, e->src);
	put16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint32_t)iplen);
	put16(ip + 4, e->ipid);
	put16(ip + 6, 0x4000);	/* DF */
	ip[8] = e->ttl;
	ip[9] = e->proto;
	put32(ip + 12, e->src);
	put32(ip + 16, e->dst);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));

	memset(l4, 0, l4hdr);
	put16(l4, e->sport);
	put16(l4 + 2, e->dport);
	pl = l4 + l4hdr;
	if (e->proto == 6) {
		uint8_t *o = l4 + 20;

		put32(l4 + 4, e->seq);
		put32(l4 + 8, (e->flags & F_ACK) ? e->ack : 0);
		l4[12] = (uint8_t)((l4hdr / 4) << 4);
		l4[13] = e->flags;
		put16(l4 + 14, e->win);
		if (e->flags & F_SYN) {
			/* MSS, then SACK/timestamps/window scale (Linux) or NOP/WS/SACK (Windows) */
			o[0] = 2; o[1] = 4; put16(o + 2, 1460);
			if (e->optlen == 20) {
				o[4] = 4; o[5] = 2;
				o[6] = 8; o[7] = 10; put32(o + 8, ts_ms ^ host_hash(e->src)); put32(o + 12, 0);
				o[16] = 1; o[17] = 3; o[18] = 3; o[19] = 7;
			} else {
				o[4] = 1; o[5] = 3; o[6] = 3; o[7] = 8;
				o[8] = 1; o[9] = 1; o[10] = 4; o[11] = 2;
			}
		} else if (e->optlen == 12) {
			o[0] = 1; o[1] = 1; o[2] = 8; o[3] = 10;
			put32(o + 4, ts_ms + host_hash(e->src));
			put32(o + 8, ts_ms - 20 + host_hash(e->dst));
		}
	} else {
		put16(l4 + 4, (uint32_t)(8 + e->len));
	}
	payload(g, e, pl);
	/* checksum over the pseudo-header and the segment */
	sum = csum_add(0, ip + 12, 8);
	sum += e->proto;
	sum += (uint32_t)(l4hdr + e->len);
	sum = csum_add(sum, l4, l4hdr + e->len);
	put16(l4 + (e->proto == 6 ? 16 : 6), csum_fold(sum) ? csum_fold(sum) : 0xffff);
	return 14 + iplen;
}

int synth_parse_services(const char *s, const char **bad, size_t *badlen)
{
	static const char *const svc[] = { "youtube", "vimeo", "twitch", "noise" };
	int bits = 0;

	for (;;) {
		size_t n = strcspn(s, ",");
		int k, found = 0;

		for (k = 0; k < 4; k++)
			if (n == strlen(svc[k]) && !strncmp(s, svc[k], n)) {
				bits |= 1 << k;
				found = 1;
			}
		if (!found) {
			*bad = s;
			*badlen = n;
			return -1;
		}
		if (!s[n])
			return bits;
		s += n + 1;
	}
}

int synth_write(const struct synth_opts *o, FILE *fp, struct synth_stats *st)
{
	struct gen *g = xcalloc(1, sizeof(*g));
	uint8_t hdr[24], rec[16], frame[14 + 20 + 60 + 1500 + 64];
	rng r;
	size_t i;
	int k, ret = 0;
	uint64_t bytes = 0;

	g->o = o;
	g->end = (int64_t)(o->duration * US);
	rng_seed(&r, rng_derive(o->seed, 1));
	for (i = 0; i < sizeof(g->pool); i++)
		g->pool[i] = (uint8_t)rng_next(&r);
	g->port = (uint16_t)(32768 + rng_below(&r, 20000));

	for (k = 0; k < o->sessions && !g->over; k++) {
		if (o->services & SYNTH_YOUTUBE)
			youtube_session(g, k);
		if (o->services & SYNTH_VIMEO)
			vimeo_session(g, k);
		if (o->services & SYNTH_TWITCH)
			twitch_session(g, k);
	}
	if (o->services & SYNTH_NOISE && !g->over)
		noise(g);
	if (g->over || !g->n) {
		ret = g->over ? SYNTH_TOO_BIG : SYNTH_EMPTY;
		if (st) {
			memset(st, 0, sizeof(*st));
			/* sessions are alike: extrapolate from the k generated */
			st->file_bytes = 24 + g->file_bytes;
			if (g->over && k < o->sessions)
				st->file_bytes = 24 + (uint64_t)((double)g->file_bytes / k * o->sessions);
		}
		free(g->ev);
		free(g);
		return ret;
	}
	qsort(g->ev, g->n, sizeof(*g->ev), ev_cmp);

	le32(hdr, 0xa1b2c3d4);
	hdr[4] = 2; hdr[5] = 0; hdr[6] = 4; hdr[7] = 0;
	le32(hdr + 8, 0);
	le32(hdr + 12, 0);
	le32(hdr + 16, 65535);
	le32(hdr + 20, 1);
	if (fwrite(hdr, 1, sizeof(hdr), fp) != sizeof(hdr))
		ret = -1;
	for (i = 0; i < g->n && !ret; i++) {
		const struct ev *e = &g->ev[i];
		uint64_t abs = (uint64_t)CAP_EPOCH * 1000000u + (uint64_t)e->t;
		size_t n = build_frame(g, e, frame, (uint32_t)(abs / 1000));

		le32(rec, (uint32_t)(abs / 1000000u));
		le32(rec + 4, (uint32_t)(abs % 1000000u));
		le32(rec + 8, (uint32_t)n);
		le32(rec + 12, (uint32_t)n);
		if (fwrite(rec, 1, 16, fp) != 16 || fwrite(frame, 1, n, fp) != n)
			ret = -1;
		bytes += n;
	}
	if (st) {
		st->packets = g->n;
		st->bytes = bytes;
		st->connections = g->conns;
		st->file_bytes = 24 + g->file_bytes;
	}
	free(g->ev);
	free(g);
	return ret;
}
