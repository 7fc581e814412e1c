/*
 * flowtable.h: the flow generator (CICFlowMeter's FlowGenerator): finds the
 * open flow of each packet, applies the profile's creation and termination
 * rules, and hands finished flows to a callback. At the end, the flows
 * still open are handed over in java.util.HashMap iteration order, as
 * CICFlowMeter writes them.
 *
 * Memory: one fixed-size record per open flow (recycled when it ends) and
 * an open-addressing index; no packet is kept.
 */
#ifndef FM_FLOWTABLE_H
#define FM_FLOWTABLE_H

#include <stdint.h>

#include "flowfeat.h"
#include "packet.h"

typedef struct fm_gen fm_gen;

struct fm_gen_opts {
	enum fm_profile prof;
	int64_t flow_timeout;		/* µs, CICFlowMeter: 120 s */
	int64_t activity_timeout;	/* µs, CICFlowMeter: 5 s */
	int64_t idle_timeout;		/* µs, 0 = none (CICFlowMeter) */
	uint32_t shard_k, shard_n;	/* keep flows with key hash % n == k (n = 0: all) */
	uint64_t max_flows;		/* > 0: a new flow beyond this many open ends the
					 * least recently active one (FM_END_MAX_FLOWS);
					 * every open flow then takes a full record */
	int full_records;		/* tests: no compact single-packet flows */
};

/* Called for every flow to write (f->end says why); f is valid only during
 * the call. */
typedef void (*fm_emit_fn)(void *ctx, const struct fm_flow *f);

fm_gen *fm_gen_new(const struct fm_gen_opts *o, fm_emit_fn emit, void *ctx);
/* Feed one decoded packet. Returns 0, or 1 if the packet belongs to another
 * shard (ignored). */
int fm_gen_packet(fm_gen *g, const struct fm_pkt *p);
/* End of input: emit the open flows CICFlowMeter writes, HashMap order. */
void fm_gen_finish(fm_gen *g);
/* flows dropped because CICFlowMeter never writes single-packet flows */
uint64_t fm_gen_dropped_single(const fm_gen *g);
uint64_t fm_gen_open_flows(const fm_gen *g);
/* flows ended early because max_flows flows were open */
uint64_t fm_gen_evicted(const fm_gen *g);
void fm_gen_free(fm_gen *g);

/* Direction-independent hash of a packet's 5-tuple (used by --shard). */
uint64_t fm_pkt_key_hash(const struct fm_pkt *p);

#endif
