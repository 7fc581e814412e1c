/* Flow generator pieces: commons-math running statistics, java.util.HashMap
 * output order, cic/fixed termination rules (flowmeter/flowtable.c,
 * flowfeat.c, csvout.c). Expected values come from ../shared/spec/cfm_model.py. */
#include "../../flowmeter/csvout.h"
#include "../../flowmeter/flowtable.h"
#include "../../flowmeter/jfmt.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static const char *jd(double x)
{
	static char buf[4][JFMT_BUFSZ + 1];
	static int k;
	char *b = buf[k++ & 3];
	b[jfmt_double(b, x)] = 0;
	return b;
}

/* order of the 340 flows left open, per the model's JHashMap (jorder.py) */
static const int want_order[] = { 249,173,47,46,275,248,48,172,171,247,274,121,44,272,174,120,271,45,99,244,124,95,257,270,97,177,242,122,93,246,279,1,170,179,40,326,129,221,146,92,3,277,329,220,145,278,2,20,71,149,241,6,19,72,240,96,41,141,323,15,225,176,25,256,229,76,66,219,125,151,313,293,155,212,64,10,292,310,100,65,211,193,325,62,192,214,213,24,169,226,50,106,195,8,114,306,16,324,79,22,295,228,108,152,254,297,312,289,308,38,276,327,90,128,57,180,328,127,113,167,18,206,148,37,253,331,78,9,305,43,17,194,207,233,58,296,153,311,307,23,188,227,107,82,261,138,267,230,336,268,137,262,83,260,269,337,136,339,232,338,81,139,80,187,87,208,132,234,332,265,185,34,162,302,30,134,330,32,85,236,304,160,263,285,59,204,55,110,181,39,239,282,130,281,334,166,205,165,36,111,209,235,115,186,61,51,251,131,333,109,255,264,135,303,288,309,86,200,31,298,29,319,101,190,318,286,12,11,158,27,104,215,250,291,26,290,157,103,156,102,191,322,150,299,314,69,159,52,216,60,118,144,316,320,67,75,201,197,116,142,218,73,4,164,300,284,163,283,199,301,202,74,53,184,89,223,183,335,5,222,54,33,178,258,243,88,123,315,13,198,237,117,68,143,321,317,94 };

static int finishing, got_order[400], ngot;
static char rows[64][FM_CSV_ROWMAX];
static int nrows;
static fm_csv csv;

static void on_flow(void *ctx, const struct fm_flow *f)
{
	(void)ctx;
	if (finishing && ngot < 400)
		got_order[ngot++] = (f->key.a[1] << 16 | f->key.a[2] << 8 | f->key.a[3]);
	if (!finishing && nrows < 64) {
		size_t n = fm_csv_row(&csv, rows[nrows], f);
		rows[nrows++][n] = 0;
	}
}

static struct fm_pkt pkt(int i, int64_t ts, uint8_t flags)
{
	struct fm_pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.af = 4;
	p.proto = 6;
	p.flags = flags;
	p.src[0] = 10;
	p.src[1] = (uint8_t)(i >> 16);
	p.src[2] = (uint8_t)(i >> 8);
	p.src[3] = (uint8_t)i;
	p.dst[0] = 192;
	p.dst[1] = 168;
	p.dst[2] = 1;
	p.dst[3] = 1;
	p.sport = (uint16_t)(1000 + i);
	p.dport = 80;
	p.hdr = 20;
	p.icmp_type = p.icmp_code = -1;
	return p;
}

static void swap(struct fm_pkt *p)
{
	uint8_t t[16];
	uint16_t s;
	memcpy(t, p->src, 16);
	memcpy(p->src, p->dst, 16);
	memcpy(p->dst, t, 16);
	s = p->sport;
	p->sport = p->dport;
	p->dport = s;
}

static void test_stats(void)
{
	static const double v[] = { 0, 1448, 1448, 1448, 517, 0, 0, 1448, 31, 7, 1448, 1448 };
	struct fm_stats s;

	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		fm_stats_add(&s, v[i]);
	/* running mean, not sum/n (cfm_model.Stats) */
	CHECK_STR(jd(fm_stats_mean(&s)), "770.2500000000001");
	CHECK_STR(jd(s.sum / (double)s.n), "770.25");
	CHECK_STR(jd(fm_stats_std(&s)), "721.6837792778269");
	CHECK_STR(jd(fm_stats_var(&s)), "520827.4772727272");
	CHECK_STR(jd(s.min), "0.0");
	CHECK_STR(jd(s.max), "1448.0");
	memset(&s, 0, sizeof(s));
	CHECK_STR(jd(fm_stats_mean(&s)), "NaN");
	fm_stats_add(&s, 5);
	CHECK_STR(jd(fm_stats_std(&s)), "0.0");
}

static void test_hashmap_order(void)
{
	struct fm_gen_opts o = { .prof = FM_PROFILE_CIC, .flow_timeout = 120000000,
				   .activity_timeout = 5000000 };
	fm_gen *g = fm_gen_new(&o, on_flow, NULL);
	struct fm_pkt p;
	int64_t t = 1000000;
	const int N = 300;

	for (int i = 0; i < N; i++) {
		p = pkt(i, t += 10, FM_ACK);
		fm_gen_packet(g, &p);
		p = pkt(i, t += 10, FM_ACK);
		swap(&p);
		fm_gen_packet(g, &p);
	}
	for (int i = 0; i < N; i += 7) {	/* RST: emitted and removed */
		p = pkt(i, t += 10, FM_RST);
		fm_gen_packet(g, &p);
	}
	t += 200000000;
	for (int k = 0; k < 3; k++) {	/* 120 s timeout: removed and put again */
		int i = k == 0 ? 3 : k == 1 ? 10 : 50;
		p = pkt(i, t += 10, FM_ACK);
		fm_gen_packet(g, &p);
		p = pkt(i, t += 10, FM_ACK);
		fm_gen_packet(g, &p);
	}
	for (int i = N; i < N + 40; i++) {
		p = pkt(i, t += 10, FM_ACK);
		fm_gen_packet(g, &p);
		p = pkt(i, t += 10, FM_ACK);
		fm_gen_packet(g, &p);
	}
	CHECK_EQ(fm_gen_open_flows(g), sizeof(want_order) / sizeof(want_order[0]));
	finishing = 1;
	fm_gen_finish(g);
	finishing = 0;
	CHECK_EQ(ngot, sizeof(want_order) / sizeof(want_order[0]));
	int same = ngot == (int)(sizeof(want_order) / sizeof(want_order[0]));
	for (int i = 0; same && i < ngot; i++)
		same = got_order[i] == want_order[i];
	CHECK(same);
	CHECK_EQ(fm_gen_open_flows(g), 0);
	fm_gen_free(g);
}

/* fork rules: SYN-ACK first is turned around, FIN/FIN/ACK then a new SYN
 * closes the flow, single-packet flows are written */
static void test_fixed_rules(void)
{
	struct fm_gen_opts o = { .prof = FM_PROFILE_FIXED, .flow_timeout = 120000000,
				   .activity_timeout = 5000000 };
	fm_gen *g = fm_gen_new(&o, on_flow, NULL);
	struct fm_pkt p;
	int64_t t = 1500000000000000LL;

	nrows = 0;
	p = pkt(1, t, FM_SYN | FM_ACK);	/* server's SYN-ACK seen first */
	swap(&p);
	fm_gen_packet(g, &p);
	p = pkt(1, t += 100, FM_ACK);
	p.payload = 100;
	fm_gen_packet(g, &p);
	p = pkt(1, t += 100, FM_FIN | FM_ACK);
	fm_gen_packet(g, &p);
	p = pkt(1, t += 100, FM_FIN | FM_ACK);
	swap(&p);
	fm_gen_packet(g, &p);
	p = pkt(1, t += 100, FM_ACK);
	fm_gen_packet(g, &p);
	CHECK_EQ(nrows, 0);
	p = pkt(1, t += 1000, FM_SYN);	/* next connection, same ports */
	fm_gen_packet(g, &p);
	CHECK_EQ(nrows, 1);
	/* Flow ID = client side first; first packet backward; end reason fin */
	static const char want0[] = "10.0.0.1-192.168.1.1-1001-80-6,10.0.0.1,1001,192.168.1.1,80,6,"
				    "2017-07-14 02:40:00,400,3,2,100.0,0.0,100.0,0.0,33.33333333333333,";
	CHECK(!strncmp(rows[0], want0, strlen(want0)));
	CHECK(strstr(rows[0], ",NeedManualLabel,fin\n") != NULL);
	fm_gen_finish(g);
	CHECK_EQ(nrows, 2);	/* the single SYN is written too */
	CHECK(strstr(rows[1], ",2017-07-14 02:40:00.001400,0,1,0,") != NULL);
	CHECK(strstr(rows[1], ",NeedManualLabel,eof\n") != NULL);
	fm_gen_free(g);
}

int main(void)
{
	fm_csv_init(&csv, FM_PROFILE_FIXED, 1);
	test_stats();
	test_hashmap_order();
	test_fixed_rules();
	return check_done();
}
