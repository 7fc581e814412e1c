/*
 * Two flow generators (and two CSV writers) in one process share no state:
 * each gives, interleaved with the other, exactly the rows it gives alone.
 * The activity timeout used to be a global set by fm_gen_new, so creating
 * a second generator changed the Active/Idle columns of the first.
 */
#include "check.h"
#include "../../flowmeter/csvout.h"
#include "../../flowmeter/flowtable.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct sink {
	fm_csv csv;
	char text[1 << 16];
	size_t len;
};

static void on_flow(void *ctx, const struct fm_flow *f)
{
	struct sink *s = ctx;
	char row[FM_CSV_ROWMAX];
	size_t n = fm_csv_row(&s->csv, row, f);

	if (s->len + n < sizeof(s->text)) {
		memcpy(s->text + s->len, row, n);
		s->len += n;
	}
}

/* packet k of the test: three flows, gaps of 0.3 to 2.4 s (the sub-flow
 * rule and the activity timeout both matter), a FIN now and then */
static struct fm_pkt pkt(int k, int64_t t0)
{
	struct fm_pkt p;
	int flow = k % 3;

	memset(&p, 0, sizeof(p));
	p.ts = t0;
	for (int j = 0; j < k; j++)
		p.ts += 300000 + (j % 5) * 500000;
	p.af = 4;
	p.proto = flow == 2 ? 17 : 6;
	p.flags = (uint8_t)(p.proto == 6 ? (k % 11 == 10 ? FM_FIN | FM_ACK : FM_ACK) : 0);
	p.src[0] = 10;
	p.src[3] = (uint8_t)(1 + flow);
	p.dst[0] = 192;
	p.dst[3] = 1;
	p.sport = (uint16_t)(2000 + flow);
	p.dport = 443;
	if (k % 4 == 1) {	/* the other direction */
		uint8_t t[16];
		memcpy(t, p.src, 16);
		memcpy(p.src, p.dst, 16);
		memcpy(p.dst, t, 16);
		p.sport = 443;
		p.dport = (uint16_t)(2000 + flow);
	}
	p.payload = (uint32_t)(k * 37 % 1400);
	p.hdr = p.proto == 6 ? 20 : 8;
	p.window = 512;
	p.seq = (uint32_t)k;
	p.icmp_type = p.icmp_code = -1;
	return p;
}

#define NPKT 200

static void alone(const struct fm_gen_opts *o, int64_t t0, struct sink *s)
{
	fm_gen *g = fm_gen_new(o, on_flow, s);

	fm_csv_init(&s->csv, o->prof, 1);
	for (int k = 0; k < NPKT; k++) {
		struct fm_pkt p = pkt(k, t0);
		fm_gen_packet(g, &p);
	}
	fm_gen_finish(g);
	fm_gen_free(g);
}

int main(void)
{
	static struct sink a1, b1, a2, b2;
	struct fm_gen_opts oa, ob;
	const int64_t ta = 1500000000000000LL, tb = 1600000000123456LL;
	fm_gen *ga, *gb;

	util_set_progname("flowmeter_two_gens");
	memset(&oa, 0, sizeof(oa));
	oa.prof = FM_PROFILE_CIC;
	oa.flow_timeout = 120000000;
	oa.activity_timeout = 5000000;
	ob = oa;
	ob.prof = FM_PROFILE_FIXED;
	ob.activity_timeout = 400000;
	ob.flow_timeout = 20000000;

	alone(&oa, ta, &a1);
	alone(&ob, tb, &b1);
	CHECK(a1.len > 0 && b1.len > 0);

	/* the same two runs, created together and fed in turn */
	ga = fm_gen_new(&oa, on_flow, &a2);
	gb = fm_gen_new(&ob, on_flow, &b2);
	fm_csv_init(&a2.csv, oa.prof, 1);
	fm_csv_init(&b2.csv, ob.prof, 1);
	for (int k = 0; k < NPKT; k++) {
		struct fm_pkt pa = pkt(k, ta), pb = pkt(k, tb);
		fm_gen_packet(ga, &pa);
		fm_gen_packet(gb, &pb);
	}
	fm_gen_finish(gb);
	fm_gen_finish(ga);
	fm_gen_free(ga);
	fm_gen_free(gb);
	CHECK(a2.len == a1.len && !memcmp(a2.text, a1.text, a1.len));
	CHECK(b2.len == b1.len && !memcmp(b2.text, b1.text, b1.len));
	/* the two configurations really differ (else the test shows nothing) */
	{
		static struct sink a3;
		struct fm_gen_opts o = oa;
		o.activity_timeout = ob.activity_timeout;
		alone(&o, ta, &a3);
		CHECK(a3.len != a1.len || memcmp(a3.text, a1.text, a1.len));
	}
	return check_done();
}
