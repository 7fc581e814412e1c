/*
 * Fuzz target: the flow generator, accumulation and row text on arbitrary
 * packet sequences (both profiles, random timeouts, idle timeout, shards).
 * Byte 0 picks the options; then 12 bytes per packet: time step (2), src,
 * dst, ports (selectors over a few hosts and ports, so flows meet again and
 * run both ways), protocol, TCP flags, payload (2), header bytes, window,
 * ICMP type/code selector. Each input runs twice, with and without the
 * compact single-packet records, and the two outputs must be identical.
 */
#include "csvout.h"
#include "flowtable.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* rows of one run, to compare the compact (ghost) and full-record runs */
struct out {
	const struct fm_gen_opts *o;
	fm_csv csv;
	char *buf;
	size_t len, cap;
};

static void on_flow(void *ctx, const struct fm_flow *f)
{
	static char row[FM_CSV_ROWMAX];
	struct out *out = ctx;
	size_t n = fm_csv_row(&out->csv, row, f);

	if (n >= FM_CSV_ROWMAX || row[n - 1] != '\n')
		__builtin_trap();
	ALLOC_GROW(out->buf, out->len + n, out->cap);
	memcpy(out->buf + out->len, row, n);
	out->len += n;
}

static void run(const uint8_t *data, size_t size, const struct fm_gen_opts *o, struct out *out);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fm_gen_opts o;
	struct out a = { 0 }, b = { 0 };
	uint8_t opt;

	if (size < 1)
		return 0;
	util_set_progname("fuzz_flowtable");
	opt = data[0];
	memset(&o, 0, sizeof(o));
	o.prof = (opt & 1) ? FM_PROFILE_FIXED : FM_PROFILE_CIC;
	o.flow_timeout = (opt & 2) ? 120000000 : 3000000;
	o.activity_timeout = (opt & 4) ? 5000000 : 700000;
	o.idle_timeout = (opt & 8) ? 2000000 : 0;
	if (opt & 16) {
		o.shard_n = 2;
		o.shard_k = (opt >> 5) & 1;
	}
	a.o = b.o = &o;
	run(data, size, &o, &a);
	o.full_records = 1;
	run(data, size, &o, &b);
	/* compact single-packet flows must not change a byte of the output */
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len))
		__builtin_trap();
	/* a --max-flows limit never reached changes nothing either */
	free(b.buf);
	memset(&b, 0, sizeof(b));
	b.o = &o;
	o.full_records = 0;
	o.max_flows = 1u << 30;
	run(data, size, &o, &b);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len))
		__builtin_trap();
	/* a small limit holds (checked after every packet in run) */
	free(b.buf);
	memset(&b, 0, sizeof(b));
	b.o = &o;
	o.max_flows = 1 + (opt >> 6);
	run(data, size, &o, &b);
	free(a.buf);
	free(b.buf);
	return 0;
}

static void run(const uint8_t *data, size_t size, const struct fm_gen_opts *o, struct out *out)
{
	static const uint8_t protos[8] = { 6, 6, 6, 17, 17, 0, 1, 132 };
	int64_t ts = 1500000000000000LL;
	uint8_t opt = data[0];
	fm_gen *g = fm_gen_new(o, on_flow, out);

	fm_csv_init(&out->csv, o->prof, 1);
	for (size_t i = 1; i + 12 <= size; i += 12) {
		const uint8_t *b = data + i;
		struct fm_pkt p;
		int v6 = (opt & 64) && (b[2] & 0x80);

		memset(&p, 0, sizeof(p));
		/* mostly forward in time, sometimes backwards */
		ts += (int64_t)((b[0] << 8 | b[1]) - 2048) * 997;
		p.ts = ts;
		p.af = v6 ? 6 : 4;
		p.src[0] = 10;
		p.src[3] = b[2] & 3;
		p.dst[0] = 10;
		p.dst[3] = b[3] & 3;
		if (v6) {
			p.src[15] = 1;
			p.dst[15] = 2;
		}
		p.sport = (uint16_t)(1000 + (b[4] & 3));
		p.dport = (uint16_t)(1000 + ((b[4] >> 2) & 3));
		p.proto = protos[b[5] & 7];
		p.flags = p.proto == 6 ? b[6] : 0;
		if (p.proto != 6 && p.proto != 17 && p.proto != 132)
			p.sport = p.dport = 0;
		p.payload = (uint32_t)(b[7] << 8 | b[8]);
		p.hdr = b[9];
		p.window = (uint16_t)(b[10] * 257);
		p.icmp_type = p.icmp_code = -1;
		if (p.proto == 1) {
			p.icmp_type = b[11] & 3;
			p.icmp_code = (b[11] >> 2) & 3;
		}
		p.seq = b[7];
		p.ack = b[8];
		fm_gen_packet(g, &p);
		if (o->max_flows && fm_gen_open_flows(g) > o->max_flows)
			__builtin_trap();
	}
	fm_gen_finish(g);
	fm_gen_free(g);
}
