/*
 * flowfeat.c: per-flow accumulation (BasicFlow), both profiles.
 * The order of the updates matters for the results and follows
 * cicflowmeter.md §5 (upstream) and cicflowmeter-fixed.md §5 (fork).
 */
#include "flowfeat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *const fm_end_names[] = {
	"", "fin", "rst", "flow-timeout", "idle-timeout", "eof", "icmp-change",
	"max-flows",
};

double fm_stats_mean(const struct fm_stats *s)
{
	return s->n ? s->m1 : NAN;
}

double fm_stats_var(const struct fm_stats *s)
{
	if (s->n == 0)
		return NAN;
	if (s->n == 1)
		return 0.0;
	return s->m2 / ((double)s->n - 1.0);
}

double fm_stats_std(const struct fm_stats *s)
{
	if (s->n == 0)
		return NAN;
	if (s->n == 1)
		return 0.0;
	return sqrt(fm_stats_var(s));
}

/* ---- retransmission set (fork): open addressing of 128-bit tuples ---- */
struct rt_slot {
	uint64_t a, b;		/* b == 0: empty */
};

struct fm_rtset {
	uint32_t refs;
	uint32_t n, mask;
	struct rt_slot *slot;
};

static struct fm_rtset *rt_new(void)
{
	struct fm_rtset *s = xmalloc(sizeof(*s));

	s->refs = 1;
	s->n = 0;
	s->mask = 15;
	s->slot = xcalloc(16, sizeof(*s->slot));
	return s;
}

void fm_rtset_unref(struct fm_rtset *s)
{
	if (s && --s->refs == 0) {
		free(s->slot);
		free(s);
	}
}

/* 1 if (a, b) was already in the set, else insert and 0 */
static int rt_seen(struct fm_rtset *s, uint64_t a, uint64_t b)
{
	uint32_t i;

	if (2 * (s->n + 1) > s->mask + 1) {
		uint32_t omask = s->mask;
		struct rt_slot *old = s->slot;

		s->mask = 2 * omask + 1;
		s->slot = xcalloc((size_t)s->mask + 1, sizeof(*s->slot));
		for (uint32_t k = 0; k <= omask; k++) {
			if (!old[k].b)
				continue;
			i = (uint32_t)fm_mix64(old[k].a ^ (old[k].b * 0x9e3779b97f4a7c15ULL)) & s->mask;
			while (s->slot[i].b)
				i = (i + 1) & s->mask;
			s->slot[i] = old[k];
		}
		free(old);
	}
	i = (uint32_t)fm_mix64(a ^ (b * 0x9e3779b97f4a7c15ULL)) & s->mask;
	while (s->slot[i].b) {
		if (s->slot[i].a == a && s->slot[i].b == b)
			return 1;
		i = (i + 1) & s->mask;
	}
	s->slot[i].a = a;
	s->slot[i].b = b;
	s->n++;
	return 0;
}

static void retrans(struct fm_flow *f, const struct fm_pkt *p, int fwd)
{
	/* tuple (source address, seq, ack, payload, window); the source is
	 * one of the key's two addresses, so one bit names it */
	int from_a = fm_addr_eq(p->src, f->key.a);
	uint64_t a = ((uint64_t)p->seq << 32) | p->ack;
	uint64_t b = (1ULL << 63) | ((uint64_t)p->payload << 17) |
		     ((uint64_t)p->window << 1) | (uint64_t)from_a;

	if (rt_seen(f->rt, a, b)) {
		if (fwd)
			f->retr_f++;
		else
			f->retr_b++;
	}
}

/* ---- accumulation ---- */

void fm_flow_active_idle(struct fm_flow *f, int64_t ts, int64_t activity_timeout)
{
	if (ts - f->end_active > activity_timeout) {
		if (f->end_active - f->start_active > 0)
			fm_stats_add(&f->active, (double)(f->end_active - f->start_active));
		fm_stats_add(&f->idle, (double)(ts - f->end_active));
		f->start_active = f->end_active = ts;
	} else {
		f->end_active = ts;
	}
}

static void bulk_update(struct fm_bulk *b, const struct fm_pkt *p)
{
	int64_t size = p->payload, ts = p->ts;

	if (size <= 0)
		return;
	if (b->start == 0) {
		b->start = ts;
		b->cnt = 1;
		b->size_h = size;
		b->last = ts;
	} else if ((double)(ts - b->last) / 1e6 > 1.0) {
		b->start = ts;
		b->last = ts;
		b->cnt = 1;
		b->size_h = size;
	} else {
		b->cnt++;
		b->size_h += size;
		if (b->cnt == 4) {
			b->states++;
			b->pkts += b->cnt;
			b->size += b->size_h;
			b->dur += ts - b->start;
		} else if (b->cnt > 4) {
			b->pkts++;
			b->size += size;
			b->dur += ts - b->last;
		}
		b->last = ts;
	}
}

static void bulk(struct fm_flow *f, enum fm_profile prof, const struct fm_pkt *p, int fwd)
{
	if (prof == FM_PROFILE_CIC) {
		/* the reference comparison is never true: all "backward" */
		bulk_update(&f->bulk[1], p);
		return;
	}
	struct fm_bulk *me = &f->bulk[fwd ? 0 : 1], *other = &f->bulk[fwd ? 1 : 0];

	if (other->last > me->start)
		me->start = 0;
	bulk_update(me, p);
}

static void subflow(struct fm_flow *f, int64_t ts, int64_t activity_timeout)
{
	if (f->sf_last == -1)
		f->sf_last = ts;
	if ((double)(ts - f->sf_last) / 1e6 > 1.0) {
		f->sf_count++;
		fm_flow_active_idle(f, ts, activity_timeout);
	}
	f->sf_last = ts;
}

static inline void flag_counts(struct fm_flow *f, uint8_t fl)
{
	while (fl) {
		int b = __builtin_ctz(fl);
		f->flags[b]++;
		fl &= (uint8_t)(fl - 1);
	}
}

static inline void dir_flags(struct fm_flow *f, uint8_t fl, int fwd)
{
	if (fwd) {
		f->fpsh += !!(fl & FM_PSH);
		f->furg += !!(fl & FM_URG);
		f->ffin += !!(fl & FM_FIN);
		f->frst += !!(fl & FM_RST);
	} else {
		f->bpsh += !!(fl & FM_PSH);
		f->burg += !!(fl & FM_URG);
		f->bfin += !!(fl & FM_FIN);
		f->brst += !!(fl & FM_RST);
	}
}

/* d's counts from its first packet p (all but act) */
static void dir_first(struct fm_dir *d, const struct fm_pkt *p)
{
	d->minseg = p->hdr;
	d->win = p->window;
	fm_stats_add(&d->len, (double)p->payload);
	d->hdr = p->hdr;
	d->last = p->ts;
	d->bytes = p->payload;
	d->n = 1;
}

void fm_flow_first(struct fm_flow *f, enum fm_profile prof, const struct fm_pkt *p,
		   const uint8_t *src, uint16_t sport, uint16_t dport, struct fm_rtset *rt)
{
	struct fm_key key = f->key;
	int64_t ts = p->ts;
	double pay = (double)p->payload;
	int fwd;

	memset(f, 0, sizeof(*f));
	f->key = key;
	f->sf_last = -1;
	f->icode = p->icmp_code;
	f->itype = p->icmp_type;
	f->proto = p->proto;
	if (src) {
		memcpy(f->src, src, 16);
		f->sport = sport;
		f->dport = dport;
	} else {
		memcpy(f->src, p->src, 16);
		f->sport = p->sport;
		f->dport = p->dport;
	}
	f->rev = !fm_addr_eq(f->src, key.a) || f->sport != key.pa;
	if (prof == FM_PROFILE_CIC) {
		/* first packet: always forward, its payload twice in the
		 * all-packet statistics (§5.1) */
		bulk_update(&f->bulk[1], p);
		flag_counts(f, p->flags);
		f->start = f->last = f->start_active = f->end_active = ts;
		f->sf_last = ts;
		fm_stats_add(&f->len, pay);
		fm_stats_add(&f->len, pay);
		dir_first(&f->dir[FM_FWD], p);	/* its data packet not counted */
		f->fpsh = !!(p->flags & FM_PSH);
		f->furg = !!(p->flags & FM_URG);
		return;
	}
	fwd = fm_flow_is_fwd(f, p);
	bulk(f, prof, p, fwd);
	flag_counts(f, p->flags);
	f->start = f->last = f->start_active = f->end_active = ts;
	f->sf_last = ts;
	fm_stats_add(&f->len, pay);
	dir_first(&f->dir[fwd ? FM_FWD : FM_BWD], p);
	f->dir[fwd ? FM_FWD : FM_BWD].act = p->payload >= 1;
	dir_flags(f, p->flags, fwd);
	if (p->proto == FM_IP_TCP) {
		if (rt) {
			rt->refs++;
			f->rt = rt;
		} else {
			f->rt = rt_new();
		}
		retrans(f, p, fwd);
	}
}

/* a further packet p of d; count_act: count it when it has data, take_win:
 * its window replaces d's (inlined in both directions: constant offsets) */
static inline void dir_add(struct fm_dir *d, const struct fm_pkt *p, double pay, int64_t ts,
			   int count_act, int take_win)
{
	if (count_act && p->payload >= 1)
		d->act++;
	if (take_win)
		d->win = p->window;
	fm_stats_add(&d->len, pay);
	d->hdr += p->hdr;
	d->n++;
	d->bytes += p->payload;
	if (d->n > 1)
		fm_stats_add(&d->iat, (double)(ts - d->last));
	d->last = ts;
	if ((int64_t)p->hdr < d->minseg)
		d->minseg = p->hdr;
}

void fm_flow_add(struct fm_flow *f, enum fm_profile prof, const struct fm_pkt *p,
		 int64_t activity_timeout)
{
	int64_t ts = p->ts;
	double pay = (double)p->payload;
	int fwd = fm_flow_is_fwd(f, p);
	int fixed = prof != FM_PROFILE_CIC;

	bulk(f, prof, p, fwd);
	subflow(f, ts, activity_timeout);
	flag_counts(f, p->flags);
	if (fixed && f->rt)
		retrans(f, p, fwd);
	fm_stats_add(&f->len, pay);
	/* cic counts no backward data packets (its column is fixed-only) and
	 * keeps the last backward window, not the first */
	if (fwd)
		dir_add(&f->dir[FM_FWD], p, pay, ts, 1, 0);
	else
		dir_add(&f->dir[FM_BWD], p, pay, ts, fixed, !fixed || f->dir[FM_BWD].win == 0);
	if (fixed)
		dir_flags(f, p->flags, fwd);
	fm_stats_add(&f->iat, (double)(ts - f->last));
	f->last = ts;
}

void fm_flow_release(struct fm_flow *f)
{
	fm_rtset_unref(f->rt);
	f->rt = NULL;
}
