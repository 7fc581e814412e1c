/*
 * flowtable.c: FlowGenerator.addPacket of upstream (cicflowmeter.md §4) and
 * of the fork (cicflowmeter-fixed.md §4), over an open-addressing index.
 *
 * Index: linear probing over (32-bit hash tag, record number + 1) slots,
 * keyed by a direction-independent hash of the 5-tuple: a flow is stored
 * under one orientation of its key (its Flow ID) and a packet matches it in
 * either orientation; both orientations are never open at once, which is
 * what CICFlowMeter's "fwdId, else bwdId" lookup amounts to.
 *
 * Output order at the end: java.util.HashMap<String,...> iteration order.
 * Within a bucket Java keeps insertion order and resizing splits buckets
 * preserving it, so the final order is (bucket at the final capacity,
 * insertion number). Only the capacity has to be emulated: it doubles when
 * the size exceeds 3/4 of it and, below 64, when a bucket would reach 9
 * entries (treeifyBin resizes instead).
 *
 * Single-packet flows (port scans, one-off datagrams: often most of the
 * open flows) are kept as an 88-byte "ghost" holding their key and first
 * packet instead of a full record; the second packet turns the ghost into a
 * full record, built from the remembered first packet exactly as it would
 * have been, at the same place in the HashMap order. At the end the cic
 * profile drops them (never written), the fixed profile writes them.
 */
#include "flowtable.h"

#include <stdlib.h>
#include <string.h>

#include "flowid.h"
#include "util.h"

#define NIL UINT32_MAX
#define GHOST 0x80000000u	/* index ref / record number of a ghost */

/* a cic flow that has seen one packet */
struct ghost {
	struct fm_key key;
	int64_t ts;
	uint64_t seq;		/* HashMap insertion order */
	uint32_t payload, hdr, jhash;
	uint32_t tseq, tack;	/* TCP seq/ack (fixed: retransmission set) */
	int16_t icmp_type, icmp_code;
	uint16_t window;
	uint8_t flags;
	uint8_t from_b;		/* the packet came from key.b (SYN-ACK, renewal) */
};

struct fm_gen {
	struct fm_gen_opts o;
	fm_emit_fn emit;
	void *ctx;
	/* records */
	struct fm_flow *fl;
	uint8_t *live;
	size_t nfl, capfl;
	uint32_t free_head;
	uint64_t nopen;
	/* ghosts (free list through ->seq) */
	struct ghost *gh;
	size_t ngh, capgh;
	uint32_t gfree;
	int use_ghosts;
	int use_lru;		/* idle timeout or --max-flows: keep the idle list */
	/* index */
	uint32_t *tag, *ref;	/* ref = record + 1, 0 = empty */
	uint32_t mask;
	/* java.util.HashMap emulation */
	uint32_t jcap, jthr, jsize;
	uint64_t jseq;
	uint16_t jcnt[64];
	/* idle list (least recently updated first) */
	uint32_t lru_head, lru_tail;
	uint64_t dropped_single;
	uint64_t evicted;	/* flows ended by max_flows */
};

static inline uint64_t endpoint_hash(const uint8_t *a, uint16_t port)
{
	uint64_t x0, x1;

	memcpy(&x0, a, 8);
	memcpy(&x1, a + 8, 8);
	return fm_mix64(x0 ^ (x1 * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)port << 40) ^ 0x5bd1e995ULL);
}

/* direction-independent: the two endpoints' hashes are added */
static inline uint64_t pair_hash(const uint8_t *a, uint16_t pa, const uint8_t *b, uint16_t pb,
				 uint8_t proto)
{
	uint64_t h = endpoint_hash(a, pa) + endpoint_hash(b, pb);

	return fm_mix64(h ^ ((uint64_t)proto * 0x100000001b3ULL));
}

uint64_t fm_pkt_key_hash(const struct fm_pkt *p)
{
	return pair_hash(p->src, p->sport, p->dst, p->dport, p->proto);
}

fm_gen *fm_gen_new(const struct fm_gen_opts *o, fm_emit_fn emit, void *ctx)
{
	fm_gen *g = xcalloc(1, sizeof(*g));

	g->o = *o;
	g->emit = emit;
	g->ctx = ctx;
	g->free_head = NIL;
	g->mask = 1023;
	g->tag = xcalloc(1024, sizeof(*g->tag));
	g->ref = xcalloc(1024, sizeof(*g->ref));
	g->lru_head = g->lru_tail = NIL;
	g->gfree = NIL;
	g->use_lru = o->idle_timeout > 0 || o->max_flows > 0;
	g->use_ghosts = !g->use_lru && !o->full_records;
	return g;
}

void fm_gen_free(fm_gen *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nfl; i++)
		if (g->live[i])
			fm_flow_release(&g->fl[i]);
	free(g->fl);
	free(g->gh);
	free(g->live);
	free(g->tag);
	free(g->ref);
	free(g);
}

uint64_t fm_gen_dropped_single(const fm_gen *g)
{
	return g->dropped_single;
}

uint64_t fm_gen_evicted(const fm_gen *g)
{
	return g->evicted;
}

uint64_t fm_gen_open_flows(const fm_gen *g)
{
	return g->nopen;
}

/* ---- records ---- */

static uint32_t rec_alloc(fm_gen *g)
{
	uint32_t i;

	if (g->free_head != NIL) {
		i = g->free_head;
		g->free_head = g->fl[i].lru_next;
	} else {
		if (g->nfl >= GHOST - 2)
			die("too many open flows");
		if (g->nfl == g->capfl) {
			size_t old = g->capfl;
			ALLOC_GROW(g->fl, g->nfl + 1, g->capfl);
			g->live = xrealloc(g->live, g->capfl);
			memset(g->live + old, 0, g->capfl - old);
		}
		i = (uint32_t)g->nfl++;
	}
	g->live[i] = 1;
	g->nopen++;
	return i;
}

static void rec_free(fm_gen *g, uint32_t i)
{
	g->live[i] = 0;
	g->fl[i].lru_next = g->free_head;
	g->free_head = i;
	g->nopen--;
}

/* ---- index ---- */

static void idx_grow(fm_gen *g)
{
	uint32_t omask = g->mask, *otag = g->tag, *oref = g->ref;

	g->mask = 2 * omask + 1;
	g->tag = xcalloc((size_t)g->mask + 1, sizeof(*g->tag));
	g->ref = xcalloc((size_t)g->mask + 1, sizeof(*g->ref));
	for (uint32_t k = 0; k <= omask; k++) {
		uint32_t i;
		if (!oref[k])
			continue;
		i = otag[k] & g->mask;
		while (g->ref[i])
			i = (i + 1) & g->mask;
		g->tag[i] = otag[k];
		g->ref[i] = oref[k];
	}
	free(otag);
	free(oref);
}

static void idx_insert(fm_gen *g, uint32_t h, uint32_t rec)
{
	uint32_t i;

	if (2 * (g->nopen + 1) > (uint64_t)g->mask + 1)
		idx_grow(g);
	i = h & g->mask;
	while (g->ref[i])
		i = (i + 1) & g->mask;
	g->tag[i] = h;
	g->ref[i] = rec + 1;
}

/* backward-shift deletion (no tombstones) */
static void idx_remove_at(fm_gen *g, uint32_t i)
{
	uint32_t j = i, mask = g->mask;

	for (;;) {
		uint32_t k;
		j = (j + 1) & mask;
		if (!g->ref[j])
			break;
		k = g->tag[j] & mask;
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		g->tag[i] = g->tag[j];
		g->ref[i] = g->ref[j];
		i = j;
	}
	g->ref[i] = 0;
}

static void idx_remove(fm_gen *g, uint32_t h, uint32_t rec)
{
	uint32_t i = h & g->mask;

	while (g->ref[i] != rec + 1)
		i = (i + 1) & g->mask;
	idx_remove_at(g, i);
}

static uint32_t idx_find(const fm_gen *g, uint32_t h, const struct fm_pkt *p)
{
	uint32_t i = h & g->mask;

	while (g->ref[i]) {
		if (g->tag[i] == h) {
			uint32_t r = g->ref[i] - 1;
			const struct fm_key *k = (r & GHOST) ? &g->gh[r & ~GHOST].key : &g->fl[r].key;
			if (k->proto == p->proto && k->af == p->af &&
			    ((k->pa == p->sport && k->pb == p->dport && fm_addr_eq(k->a, p->src) &&
			      fm_addr_eq(k->b, p->dst)) ||
			     (k->pa == p->dport && k->pb == p->sport && fm_addr_eq(k->a, p->dst) &&
			      fm_addr_eq(k->b, p->src))))
				return g->ref[i] - 1;
		}
		i = (i + 1) & g->mask;
	}
	return NIL;
}

/* ---- java.util.HashMap capacity ---- */

static void j_resize(fm_gen *g)
{
	g->jcap *= 2;
	g->jthr *= 2;
	if (g->jcap < 64) {
		memset(g->jcnt, 0, sizeof(g->jcnt));
		for (size_t i = 0; i < g->nfl; i++)
			if (g->live[i] && g->fl[i].seq)
				g->jcnt[g->fl[i].jhash & (g->jcap - 1)]++;
		for (size_t i = 0; i < g->ngh; i++)
			if (g->gh[i].payload != UINT32_MAX && g->gh[i].seq)
				g->jcnt[g->gh[i].jhash & (g->jcap - 1)]++;
	}
}

/* put a key with Java hash jh whose seq field is *seq */
static void j_put_seq(fm_gen *g, uint32_t jh, uint64_t *seq)
{
	if (!g->jcap) {
		g->jcap = 16;
		g->jthr = 12;
	}
	*seq = ++g->jseq;
	if (g->jcap < 64) {
		uint32_t prior = g->jcnt[jh & (g->jcap - 1)]++;
		if (prior >= 8)
			j_resize(g);
	}
	if (++g->jsize > g->jthr)
		j_resize(g);
}

static void j_put(fm_gen *g, struct fm_flow *f)
{
	j_put_seq(g, f->jhash, &f->seq);
}

static void j_remove(fm_gen *g, struct fm_flow *f)
{
	g->jsize--;
	if (g->jcap < 64)
		g->jcnt[f->jhash & (g->jcap - 1)]--;
	f->seq = 0;
}

/* ---- idle list ---- */

static void lru_unlink(fm_gen *g, uint32_t i)
{
	struct fm_flow *f = &g->fl[i];

	if (f->lru_prev != NIL)
		g->fl[f->lru_prev].lru_next = f->lru_next;
	else
		g->lru_head = f->lru_next;
	if (f->lru_next != NIL)
		g->fl[f->lru_next].lru_prev = f->lru_prev;
	else
		g->lru_tail = f->lru_prev;
}

static void lru_append(fm_gen *g, uint32_t i)
{
	struct fm_flow *f = &g->fl[i];

	f->lru_next = NIL;
	f->lru_prev = g->lru_tail;
	if (g->lru_tail != NIL)
		g->fl[g->lru_tail].lru_next = i;
	else
		g->lru_head = i;
	g->lru_tail = i;
}

/* ---- flows ---- */

static void emit(fm_gen *g, struct fm_flow *f, int reason)
{
	f->end = (uint8_t)reason;
	if (g->o.prof == FM_PROFILE_CIC && f->dir[FM_FWD].n + f->dir[FM_BWD].n <= 1) {
		g->dropped_single++;
		return;
	}
	g->emit(g->ctx, f);
}

/* remove record i from everything and recycle it */
static void flow_remove(fm_gen *g, uint32_t i, uint32_t h)
{
	struct fm_flow *f = &g->fl[i];

	idx_remove(g, h, i);
	j_remove(g, f);
	if (g->use_lru)
		lru_unlink(g, i);
	fm_flow_release(f);
	rec_free(g, i);
}

/* the index hash of a flow: fm_pkt_key_hash of any of its packets */
static uint32_t key_hash32(const struct fm_key *k)
{
	return (uint32_t)pair_hash(k->a, k->pa, k->b, k->pb, k->proto);
}

static uint32_t ghost_alloc(fm_gen *g)
{
	uint32_t i;

	if (g->gfree != NIL) {
		i = g->gfree;
		g->gfree = (uint32_t)g->gh[i].seq;
	} else {
		if (g->ngh >= GHOST - 2)
			die("too many open flows");
		ALLOC_GROW(g->gh, g->ngh + 1, g->capgh);
		i = (uint32_t)g->ngh++;
	}
	g->nopen++;
	return i;
}

static void ghost_free(fm_gen *g, uint32_t i)
{
	g->gh[i].payload = UINT32_MAX;	/* marks a free ghost */
	g->gh[i].seq = g->gfree;
	g->gfree = i;
	g->nopen--;
}

/* cic: remember p as the only packet of a flow under key (from_b: p comes
 * from the key's b side); the caller gives it its HashMap place */
static uint32_t ghost_make(fm_gen *g, const struct fm_key *key, const struct fm_pkt *p,
			   int from_b, uint32_t jhash)
{
	uint32_t i = ghost_alloc(g);
	struct ghost *x = &g->gh[i];

	x->key = *key;
	x->ts = p->ts;
	x->payload = p->payload;
	x->hdr = p->hdr;
	x->window = p->window;
	x->flags = p->flags;
	x->from_b = (uint8_t)from_b;
	x->jhash = jhash;
	x->tseq = p->seq;
	x->tack = p->ack;
	x->icmp_type = p->icmp_type;
	x->icmp_code = p->icmp_code;
	return i;
}

/* the full record of ghost x: its first packet, as flow_new made it */
static void ghost_inflate(fm_gen *g, const struct ghost *x, struct fm_flow *f)
{
	struct fm_pkt p1;

	memset(&p1, 0, sizeof(p1));
	p1.ts = x->ts;
	p1.af = x->key.af;
	p1.proto = x->key.proto;
	p1.flags = x->flags;
	memcpy(p1.src, x->from_b ? x->key.b : x->key.a, 16);
	memcpy(p1.dst, x->from_b ? x->key.a : x->key.b, 16);
	p1.sport = x->from_b ? x->key.pb : x->key.pa;
	p1.dport = x->from_b ? x->key.pa : x->key.pb;
	p1.window = x->window;
	p1.payload = x->payload;
	p1.hdr = x->hdr;
	p1.seq = x->tseq;
	p1.ack = x->tack;
	p1.icmp_type = x->icmp_type;
	p1.icmp_code = x->icmp_code;
	f->key = x->key;
	fm_flow_first(f, g->o.prof, &p1, x->key.a, x->key.pa, x->key.pb, NULL);
	f->jhash = x->jhash;
	f->seq = x->seq;
}

/* turn ghost gi into a full record with the same HashMap place */
static uint32_t ghost_promote(fm_gen *g, uint32_t gi, uint32_t h)
{
	struct ghost *x = &g->gh[gi];
	uint32_t i, slot;

	i = rec_alloc(g);
	g->nopen--;	/* the ghost becomes this record */
	ghost_inflate(g, x, &g->fl[i]);
	slot = h & g->mask;
	while (g->ref[slot] != ((gi | GHOST) + 1))
		slot = (slot + 1) & g->mask;
	g->ref[slot] = i + 1;
	ghost_free(g, gi);
	g->nopen++;
	return i;
}

/* end the least recently active flow (head of the idle list) */
static void end_oldest(fm_gen *g, int reason)
{
	uint32_t i = g->lru_head;
	struct fm_flow *f = &g->fl[i];

	if (g->o.prof != FM_PROFILE_CIC && (f->proto == FM_IP_TCP || f->proto == FM_IP_UDP))
		f->cum += f->last - f->start;
	emit(g, f, reason);
	flow_remove(g, i, key_hash32(&f->key));
}

static void expire_idle(fm_gen *g, int64_t now)
{
	while (g->lru_head != NIL && now - g->fl[g->lru_head].last > g->o.idle_timeout)
		end_oldest(g, FM_END_IDLE_TIMEOUT);
}

/* a new flow under key (reversed = key is the packet's bwdId) */
static void flow_new(fm_gen *g, uint32_t h, const struct fm_pkt *p, int reversed,
		     const uint8_t *src, uint16_t sport, uint16_t dport)
{
	uint32_t i;
	struct fm_flow *f;
	struct fm_key key;

	memset(&key, 0, sizeof(key));
	memcpy(key.a, reversed ? p->dst : p->src, 16);
	memcpy(key.b, reversed ? p->src : p->dst, 16);
	key.pa = reversed ? p->dport : p->sport;
	key.pb = reversed ? p->sport : p->dport;
	key.proto = p->proto;
	key.af = p->af;
	if (g->use_ghosts) {
		uint32_t gi = ghost_make(g, &key, p, reversed, fm_flowid_jhash(&key));
		idx_insert(g, h, gi | GHOST);
		j_put_seq(g, g->gh[gi].jhash, &g->gh[gi].seq);
		return;
	}
	if (g->o.max_flows && g->nopen >= g->o.max_flows) {
		end_oldest(g, FM_END_MAX_FLOWS);
		g->evicted++;
	}
	i = rec_alloc(g);
	f = &g->fl[i];
	f->key = key;
	fm_flow_first(f, g->o.prof, p, src, sport, dport, NULL);
	f->jhash = fm_flowid_jhash(&f->key);
	idx_insert(g, h, i);
	j_put(g, f);
	if (g->use_lru)
		lru_append(g, i);
}

/* the flow in record i is replaced by a new one under the same key
 * (HashMap remove + put: the new flow goes to its bucket's tail) */
static void flow_renew(fm_gen *g, uint32_t i, const struct fm_pkt *p, const uint8_t *src,
		       uint16_t sport, uint16_t dport, struct fm_rtset *rt)
{
	struct fm_flow *f = &g->fl[i];
	uint32_t jh = f->jhash;

	j_remove(g, f);
	if (g->use_lru)
		lru_unlink(g, i);
	fm_flow_release(f);
	fm_flow_first(f, g->o.prof, p, src, sport, dport, rt);
	f->jhash = jh;
	j_put(g, f);
	if (g->use_lru)
		lru_append(g, i);
}

static void packet_cic(fm_gen *g, uint32_t h, uint32_t i, const struct fm_pkt *p)
{
	struct fm_flow *f = &g->fl[i];
	int64_t ts = p->ts;
	int fwd;

	if (ts - f->start > g->o.flow_timeout) {
		uint8_t src[16];
		uint16_t sport = f->sport, dport = f->dport;

		memcpy(src, f->src, 16);
		emit(g, f, FM_END_FLOW_TIMEOUT);
		flow_renew(g, i, p, src, sport, dport, NULL);
		return;
	}
	fwd = fm_flow_is_fwd(f, p);
	if (p->flags & FM_FIN) {
		if (fwd) {
			if (++f->ffin == 1) {
				/* upstream tests getBwdFINFlags() twice where the
				 * forward count was meant; kept on purpose: bfin is
				 * 0 here (a backward FIN ends the flow), so a
				 * forward FIN never ends it (cicflowmeter.md §4
				 * rule 3, §9 row 1) */
				if (f->bfin + f->bfin == 2) {
					fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
					emit(g, f, FM_END_FIN);
					flow_remove(g, i, h);
				} else {
					fm_flow_active_idle(f, ts, g->o.activity_timeout);
					fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
				}
			}
		} else if (++f->bfin == 1) {
			fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
			emit(g, f, FM_END_FIN);
			flow_remove(g, i, h);
		}
	} else if (p->flags & FM_RST) {
		fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
		emit(g, f, FM_END_RST);
		flow_remove(g, i, h);
	} else if ((fwd && f->ffin == 0) || f->bfin == 0) {
		fm_flow_active_idle(f, ts, g->o.activity_timeout);
		fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
	}
}

static void packet_fixed(fm_gen *g, uint32_t i, const struct fm_pkt *p)
{
	struct fm_flow *f = &g->fl[i];
	int64_t ts = p->ts;
	int syn = (p->flags & FM_SYN) != 0, synack = syn && (p->flags & FM_ACK);

	if (ts - f->start > g->o.flow_timeout || (f->state == FM_TCP_READY && syn)) {
		int ready_syn = f->state == FM_TCP_READY && syn;
		int new_udp, fresh;
		int64_t last = f->last, cum;
		uint8_t src[16];
		uint16_t sport = f->sport, dport = f->dport;
		struct fm_rtset *rt = NULL;

		if (f->proto == FM_IP_TCP || f->proto == FM_IP_UDP)
			f->cum += f->last - f->start;
		cum = f->cum;
		emit(g, f, ready_syn ? f->ready_by : FM_END_FLOW_TIMEOUT);
		new_udp = f->proto == FM_IP_UDP && ts - last > g->o.flow_timeout;
		fresh = ready_syn || new_udp || (p->proto != FM_IP_TCP && p->proto != FM_IP_UDP);
		memcpy(src, f->src, 16);
		if (fresh) {
			if (synack)
				flow_renew(g, i, p, p->dst, p->dport, p->sport, NULL);
			else
				flow_renew(g, i, p, p->src, p->sport, p->dport, NULL);
		} else {
			rt = f->rt;
			f->rt = NULL;	/* keep our reference across the renewal */
			flow_renew(g, i, p, src, sport, dport, rt);
			fm_rtset_unref(rt);
			g->fl[i].cum = cum + (ts - last);
		}
		return;
	}
	if (p->flags & FM_FIN) {
		fm_flow_active_idle(f, ts, g->o.activity_timeout);
		fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
		if (f->state == FM_TCP_NONE)
			f->state = FM_TCP_FIRST_FIN;
		else if (f->state == FM_TCP_FIRST_FIN && f->ffin > 0 && f->bfin > 0)
			f->state = FM_TCP_SECOND_FIN;
	} else if (p->flags & FM_RST) {
		fm_flow_active_idle(f, ts, g->o.activity_timeout);
		fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
		f->state = FM_TCP_READY;
		f->ready_by = FM_END_RST;
	} else if (p->flags & FM_ACK) {
		fm_flow_active_idle(f, ts, g->o.activity_timeout);
		fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
		if (f->state == FM_TCP_SECOND_FIN) {
			f->state = FM_TCP_READY;
			f->ready_by = FM_END_FIN;
		}
	} else if (f->itype >= 0 && f->icode != p->icmp_code && f->itype != p->icmp_type) {
		emit(g, f, FM_END_ICMP);
		flow_renew(g, i, p, p->src, p->sport, p->dport, NULL);
	} else {
		fm_flow_active_idle(f, ts, g->o.activity_timeout);
		fm_flow_add(f, g->o.prof, p, g->o.activity_timeout);
	}
}

int fm_gen_packet(fm_gen *g, const struct fm_pkt *p)
{
	uint64_t h64 = fm_pkt_key_hash(p);
	uint32_t h = (uint32_t)h64, i;

	if (g->o.shard_n && (uint32_t)((h64 >> 32) % g->o.shard_n) != g->o.shard_k)
		return 1;
	if (g->o.idle_timeout > 0)
		expire_idle(g, p->ts);
	i = idx_find(g, h, p);
	if (i == NIL) {
		if (g->o.prof != FM_PROFILE_CIC && (p->flags & (FM_SYN | FM_ACK)) == (FM_SYN | FM_ACK))
			/* a SYN-ACK opening a flow is turned around */
			flow_new(g, h, p, 1, p->dst, p->dport, p->sport);
		else
			flow_new(g, h, p, 0, NULL, 0, 0);
		return 0;
	}
	if (i & GHOST) {
		struct ghost *x = &g->gh[i & ~GHOST];

		if (g->o.prof == FM_PROFILE_CIC && p->ts - x->ts > g->o.flow_timeout) {
			/* 120 s rule on a single-packet flow: dropped, and a
			 * new one under the same key (HashMap remove + put) */
			g->dropped_single++;
			g->jsize--;
			if (g->jcap < 64)
				g->jcnt[x->jhash & (g->jcap - 1)]--;
			x->ts = p->ts;
			x->payload = p->payload;
			x->hdr = p->hdr;
			x->window = p->window;
			x->flags = p->flags;
			x->tseq = p->seq;
			x->tack = p->ack;
			x->icmp_type = p->icmp_type;
			x->icmp_code = p->icmp_code;
			x->from_b = !fm_addr_eq(p->src, x->key.a) || p->sport != x->key.pa;
			j_put_seq(g, x->jhash, &x->seq);
			return 0;
		}
		i = ghost_promote(g, i & ~GHOST, h);
	}
	if (g->o.prof == FM_PROFILE_CIC)
		packet_cic(g, h, i, p);
	else
		packet_fixed(g, i, p);
	if (g->use_lru && g->live[i] && g->fl[i].lru_next != NIL) {
		lru_unlink(g, i);
		lru_append(g, i);
	}
	return 0;
}

struct ord {
	uint32_t bucket, ref;	/* ref: record, or ghost | GHOST */
	uint64_t seq;
};

static int cmp_java(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;

	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void fm_gen_finish(fm_gen *g)
{
	struct ord *order = xmalloc((g->nopen + 1) * sizeof(*order));
	size_t n = 0;
	uint32_t m = g->jcap ? g->jcap - 1 : 0;
	struct fm_flow tmp;	/* the full record of a ghost, while it is written */

	for (size_t i = 0; i < g->nfl; i++)
		if (g->live[i]) {
			order[n].bucket = g->fl[i].jhash & m;
			order[n].ref = (uint32_t)i;
			order[n++].seq = g->fl[i].seq;
		}
	for (size_t i = 0; i < g->ngh; i++) {
		if (g->gh[i].payload == UINT32_MAX)
			continue;
		if (g->o.prof == FM_PROFILE_CIC) {
			/* one packet: CICFlowMeter never writes them */
			g->dropped_single++;
			g->nopen--;
			continue;
		}
		order[n].bucket = g->gh[i].jhash & m;
		order[n].ref = (uint32_t)i | GHOST;
		order[n++].seq = g->gh[i].seq;
	}
	qsort(order, n, sizeof(*order), cmp_java);
	for (size_t k = 0; k < n; k++) {
		uint32_t r = order[k].ref;
		struct fm_flow *f = (r & GHOST) ? &tmp : &g->fl[r];

		if (r & GHOST)
			ghost_inflate(g, &g->gh[r & ~GHOST], &tmp);
		if (g->o.prof != FM_PROFILE_CIC && (f->proto == FM_IP_TCP || f->proto == FM_IP_UDP))
			f->cum += f->last - f->start;
		emit(g, f, FM_END_EOF);
		fm_flow_release(f);
		if (r & GHOST)
			g->nopen--;
		else
			rec_free(g, r);
	}
	free(order);
	g->ngh = 0;
	g->gfree = NIL;
	/* the table is empty now */
	memset(g->ref, 0, ((size_t)g->mask + 1) * sizeof(*g->ref));
	g->jsize = 0;
	g->lru_head = g->lru_tail = NIL;
}
