/*
 * flowfeat.h: one flow's running state and its per-packet accumulation, as
 * CICFlowMeter's BasicFlow does it (upstream 98a5eba, cicflowmeter.md §5)
 * or the corrected fork (cicflowmeter-fixed.md §5). No packet is kept:
 * everything a column needs is folded into fixed-size state.
 */
#ifndef FM_FLOWFEAT_H
#define FM_FLOWFEAT_H

#include <stdint.h>

#include "packet.h"

/* commons-math3 SummaryStatistics subset: running mean (m1 += dev/n) and
 * second moment, exact min/max/sum. */
struct fm_stats {
	int64_t n;
	double sum, min, max, m1, m2;
};

static inline void fm_stats_add(struct fm_stats *s, double v)
{
	double dev, ndev;

	s->sum += v;
	if (s->n == 0) {
		s->min = s->max = v;
		s->m1 = s->m2 = 0.0;
	} else {
		if (v < s->min)
			s->min = v;
		if (v > s->max)
			s->max = v;
	}
	s->n++;
	dev = v - s->m1;
	ndev = dev / (double)s->n;
	s->m1 += ndev;
	s->m2 += ((double)s->n - 1.0) * dev * ndev;
}
double fm_stats_mean(const struct fm_stats *s);	/* NaN when empty */
double fm_stats_var(const struct fm_stats *s);	/* sample variance; 0 for n = 1 */
double fm_stats_std(const struct fm_stats *s);

/* A flow-table key = the Flow ID: a/pa are the ID's source side. */
struct fm_key {
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	uint8_t proto, af;
};

/* bulk detection state of one direction (§5.3 / fixed §6.6) */
struct fm_bulk {
	int64_t start, last, cnt, size_h;
	int64_t states, pkts, size, dur;
};

/* what a flow counts in one direction (fm_flow.dir[FM_FWD], dir[FM_BWD]) */
enum { FM_FWD = 0, FM_BWD = 1 };
struct fm_dir {
	struct fm_stats len;		/* payload bytes of its packets */
	struct fm_stats iat;		/* gaps between its packets (µs) */
	int64_t last;			/* time of its last packet */
	int64_t n, bytes, hdr;		/* packets, payload bytes, header bytes */
	int64_t act, minseg;		/* packets with payload, smallest header */
	uint32_t win;			/* TCP window (initial; cic backward: last) */
};

/* TCP retransmission set of the fork (shared by timeout continuations) */
struct fm_rtset;

enum fm_end {
	FM_END_NONE = 0, FM_END_FIN, FM_END_RST, FM_END_FLOW_TIMEOUT,
	FM_END_IDLE_TIMEOUT, FM_END_EOF, FM_END_ICMP, FM_END_MAX_FLOWS
};
extern const char *const fm_end_names[];

/* TCP state of the fork (TcpFlowState) */
enum { FM_TCP_NONE = 0, FM_TCP_FIRST_FIN, FM_TCP_SECOND_FIN, FM_TCP_READY };

struct fm_flow {
	struct fm_key key;		/* table key and Flow ID text */
	uint8_t src[16];		/* Src IP (forward = packet source is this) */
	uint16_t sport, dport;
	uint8_t rev;			/* Src/Dst = key b/a */
	uint8_t proto;
	uint8_t state;			/* fixed: FM_TCP_* */
	uint8_t end;			/* enum fm_end, when emitted */
	uint8_t ready_by;		/* fixed: FM_END_FIN or FM_END_RST */
	int16_t icode, itype;
	uint32_t jhash;			/* spread Java hash of the Flow ID text */
	uint64_t seq;			/* HashMap insertion order */
	uint32_t lru_prev, lru_next;	/* idle-timeout list */
	int64_t start, last, sf_last;
	int64_t start_active, end_active, cum;
	int64_t sf_count;
	struct fm_dir dir[2];		/* [FM_FWD], [FM_BWD] */
	uint32_t flags[8];		/* by TCP flag bit */
	uint32_t fpsh, bpsh, furg, burg, ffin, bfin, frst, brst;
	int64_t retr_f, retr_b;
	struct fm_rtset *rt;
	struct fm_bulk bulk[2];		/* [0] forward, [1] backward */
	struct fm_stats len, iat, active, idle;
};

/* Is p forward in f (source address equals the flow's Src IP)? */
static inline int fm_flow_is_fwd(const struct fm_flow *f, const struct fm_pkt *p)
{
	return fm_addr_eq(f->src, p->src);
}

/*
 * Start f from its first packet p (f's key must be set; only f->key is kept
 * from before). prof decides the rules. Src IP, Src Port and Dst Port: when
 * src is non-NULL they are src, sport and dport (a flow renewed under its
 * old orientation, a fixed-profile SYN-ACK turned around, a ghost rebuilt),
 * else p's source side. cic: the first packet always counts as forward,
 * whatever src says (cicflowmeter.md §4 rule 2). rt: the retransmission set
 * to share (fixed, continuation; f takes a reference of its own) or NULL
 * for a new one.
 */
void fm_flow_first(struct fm_flow *f, enum fm_profile prof, const struct fm_pkt *p,
		   const uint8_t *src, uint16_t sport, uint16_t dport, struct fm_rtset *rt);
/* Add a later packet (BasicFlow.addPacket); activity_timeout (µs) is the
 * one of the sub-flow rule, which updates active/idle times. */
void fm_flow_add(struct fm_flow *f, enum fm_profile prof, const struct fm_pkt *p,
		 int64_t activity_timeout);
/* Active/idle update at time ts (BasicFlow.updateActiveIdleTime). */
void fm_flow_active_idle(struct fm_flow *f, int64_t ts, int64_t activity_timeout);
/* Release what f owns (retransmission set reference). */
void fm_flow_release(struct fm_flow *f);
/* Drop one reference to a retransmission set (NULL is fine). */
void fm_rtset_unref(struct fm_rtset *s);

#endif
