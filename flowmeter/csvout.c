/*
 * csvout.c: header and row text. Column by column as cicflowmeter.md §6
 * (upstream) and cicflowmeter-fixed.md §6-7 (fork) define them, including
 * where an integer "0" replaces a double and where NaN/Infinity appear.
 *
 * One table, `columns`, lists every column group in order with its header
 * names, the profiles that have it and its writer: the header line and the
 * row are both produced from it, so they cannot disagree. A writer appends
 * its cells, each followed by a comma; the row's last comma becomes "\n".
 */
#include "csvout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "flowid.h"
#include "jfmt.h"
#include "util.h"

/* ---- small writers; p always points at the end of the text so far ---- */

static inline char *put_u(char *p, uint64_t v)
{
	return fm_put_dec(p, v);
}

static inline char *put_l(char *p, int64_t v)
{
	return p + jfmt_long(p, v);
}

static inline char *put_d(char *p, double v)
{
	return p + jfmt_double(p, v);
}

static inline char *put_s(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define COMMA(p) (*(p)++ = ',')

/* one cell: the value and its comma */
static inline char *cell_u(char *p, uint64_t v)
{
	p = put_u(p, v);
	COMMA(p);
	return p;
}

static inline char *cell_l(char *p, int64_t v)
{
	p = put_l(p, v);
	COMMA(p);
	return p;
}

static inline char *cell_d(char *p, double v)
{
	p = put_d(p, v);
	COMMA(p);
	return p;
}

static inline char *cell_s(char *p, const char *s, size_t n)
{
	p = put_s(p, s, n);
	COMMA(p);
	return p;
}

/* ---- timestamps (cached per second in the writer: rows of one second
 * share the text) ---- */

/* cic: first packet time in ms (Java long division), JVM zone,
 * "dd/MM/yyyy hh:mm:ss a" */
static char *put_ts_cic(char *p, int64_t us, fm_csv *w)
{
	int64_t ms = us / 1000;	/* truncates toward zero, as Java */
	int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);

	if (!w->ts_valid || sec != w->ts_sec) {
		time_t t = (time_t)sec;
		struct tm tm;
		int h12;

		localtime_r(&t, &tm);
		h12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
		w->ts_n = (size_t)snprintf(w->ts, sizeof(w->ts), "%02d/%02d/%04d %02d:%02d:%02d %s",
					   tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, h12,
					   tm.tm_min, tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
		w->ts_sec = sec;
		w->ts_valid = 1;
	}
	return put_s(p, w->ts, w->ts_n);
}

/* fixed: UTC "yyyy-MM-dd HH:mm:ss[.mmm|.uuuuuu]" */
static char *put_ts_fixed(char *p, int64_t us, fm_csv *w)
{
	int64_t sec = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	int64_t frac = us - sec * 1000000;

	if (!w->ts_valid || sec != w->ts_sec) {
		time_t t = (time_t)sec;
		struct tm tm;

		gmtime_r(&t, &tm);
		w->ts_n = (size_t)snprintf(w->ts, sizeof(w->ts), "%04d-%02d-%02d %02d:%02d:%02d",
					   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
					   tm.tm_min, tm.tm_sec);
		w->ts_sec = sec;
		w->ts_valid = 1;
	}
	p = put_s(p, w->ts, w->ts_n);
	if (frac) {
		char d[6];
		int64_t v = frac;
		for (int i = 5; i >= 0; i--) {
			d[i] = (char)('0' + v % 10);
			v /= 10;
		}
		*p++ = '.';
		p = put_s(p, d, frac % 1000 == 0 ? 3 : 6);
	}
	return p;
}

static char *zeros(char *p, int n)
{
	for (int i = 0; i < n; i++) {
		*p++ = '0';
		*p++ = ',';
	}
	return p;
}

/* one double zero cell */
static inline char *dzero(char *p)
{
	return put_s(p, "0.0,", 4);
}

static char *dzeros(char *p, int n)
{
	for (int i = 0; i < n; i++)
		p = put_s(p, "0.0,", 4);
	return p;
}

/* Java (long) of a double */
static int64_t jd2l(double x)
{
	if (x != x)
		return 0;
	if (x >= 9.223372036854776e18)
		return INT64_MAX;
	if (x <= -9.223372036854776e18)
		return INT64_MIN;
	return (int64_t)x;
}

static inline char *stats4(char *p, const struct fm_stats *s)
{
	p = cell_d(p, fm_stats_mean(s));
	p = cell_d(p, fm_stats_std(s));
	p = cell_d(p, s->n ? s->max : NAN);
	return cell_d(p, s->n ? s->min : NAN);
}

/* max, min, mean, std */
static char *stats_mmms(char *p, const struct fm_stats *s)
{
	p = cell_d(p, s->max);
	p = cell_d(p, s->min);
	p = cell_d(p, fm_stats_mean(s));
	return cell_d(p, fm_stats_std(s));
}

/* total, mean, std, max, min */
static char *stats_iat(char *p, const struct fm_stats *s)
{
	return stats4(cell_d(p, s->sum), s);
}

/* NaN written as 0.0 */
static char *nz(char *p, double x)
{
	return x != x ? dzero(p) : cell_d(p, x);
}

/* what the writers of one row share */
struct row {
	const struct fm_flow *f;
	const struct fm_dir *fd, *bd;	/* f's forward and backward counts */
	fm_csv *w;
	int fixed;
	int64_t dur, cnt;	/* last - start (µs), packets */
	double secs;		/* dur in seconds */
};

typedef char *col_fn(char *p, const struct row *r);

/* ---- the writers, in column order ---- */

static char *c_flowid(char *p, const struct row *r)
{
	p += fm_flowid_text(p, &r->f->key);
	COMMA(p);
	return p;
}

static char *c_endpoints(char *p, const struct row *r)
{
	const struct fm_flow *f = r->f;
	const uint8_t *src = f->rev ? f->key.b : f->key.a, *dst = f->rev ? f->key.a : f->key.b;

	p = fm_addr_text(p, src, f->key.af);
	COMMA(p);
	p = cell_u(p, f->sport);
	p = fm_addr_text(p, dst, f->key.af);
	COMMA(p);
	p = cell_u(p, f->dport);
	return cell_u(p, f->proto);
}

static char *c_timestamp(char *p, const struct row *r)
{
	p = r->fixed ? put_ts_fixed(p, r->f->start, r->w) : put_ts_cic(p, r->f->start, r->w);
	COMMA(p);
	return p;
}

static char *c_totals(char *p, const struct row *r)
{
	p = cell_l(p, r->dur);
	p = cell_l(p, r->fd->len.n);
	p = cell_l(p, r->bd->len.n);
	p = cell_d(p, r->fd->len.sum);
	return cell_d(p, r->bd->len.sum);
}

static char *c_fwd_len(char *p, const struct row *r)
{
	return r->fd->len.n > 0 ? stats_mmms(p, &r->fd->len) : zeros(p, 4);
}

static char *c_bwd_len(char *p, const struct row *r)
{
	return r->bd->len.n > 0 ? stats_mmms(p, &r->bd->len) : zeros(p, 4);
}

static char *c_flow_rates(char *p, const struct row *r)
{
	const struct fm_flow *f = r->f;

	if (!r->fixed) {
		double tot = (double)(r->fd->bytes + r->bd->bytes);
		p = cell_d(p, r->secs != 0 ? tot / r->secs
					   : tot == 0 ? NAN : copysign(INFINITY, tot));
		p = cell_d(p, r->secs != 0 ? (double)r->cnt / r->secs : INFINITY);
		return stats4(p, &f->iat);
	}
	if (r->dur != 0) {
		p = cell_d(p, (double)(r->fd->bytes + r->bd->bytes) / r->secs);
		p = cell_d(p, (double)r->cnt / r->secs);
	} else {
		p = put_s(p, "-1,-1,", 6);
	}
	p = nz(p, fm_stats_mean(&f->iat));
	p = nz(p, fm_stats_std(&f->iat));
	p = nz(p, f->iat.n ? f->iat.max : NAN);
	return nz(p, f->iat.n ? f->iat.min : NAN);
}

static char *c_fwd_iat(char *p, const struct row *r)
{
	return r->fd->n > 1 ? stats_iat(p, &r->fd->iat) : zeros(p, 5);
}

static char *c_bwd_iat(char *p, const struct row *r)
{
	return r->bd->n > 1 ? stats_iat(p, &r->bd->iat) : zeros(p, 5);
}

static char *c_psh_urg(char *p, const struct row *r)
{
	const struct fm_flow *f = r->f;

	p = cell_u(p, f->fpsh);
	p = cell_u(p, f->bpsh);
	p = cell_u(p, f->furg);
	return cell_u(p, f->burg);
}

static char *c_rst(char *p, const struct row *r)
{
	p = cell_u(p, r->f->frst);
	return cell_u(p, r->f->brst);
}

static char *c_hdr_rates(char *p, const struct row *r)
{
	p = cell_l(p, r->fd->hdr);
	p = cell_l(p, r->bd->hdr);
	if (r->dur > 0) {
		p = cell_d(p, (double)r->fd->n / r->secs);
		p = cell_d(p, (double)r->bd->n / r->secs);
	} else {
		p = dzeros(p, 2);
	}
	return p;
}

static char *c_pkt_len(char *p, const struct row *r)
{
	const struct fm_flow *f = r->f;

	p = cell_d(p, f->len.n ? f->len.min : NAN);
	p = cell_d(p, f->len.n ? f->len.max : NAN);
	p = cell_d(p, fm_stats_mean(&f->len));
	p = cell_d(p, fm_stats_std(&f->len));
	return cell_d(p, fm_stats_var(&f->len));
}

static char *c_flags(char *p, const struct row *r)
{
	static const int order[8] = { 0, 1, 2, 3, 4, 5, 7, 6 };	/* FIN..URG, CWR, ECE */

	for (int i = 0; i < 8; i++)
		p = cell_u(p, r->f->flags[order[i]]);
	return p;
}

static char *c_ratios(char *p, const struct row *r)
{
	const struct fm_flow *f = r->f;

	if (r->fd->n > 0)	/* cic: Java long division, then a double */
		p = cell_d(p, r->fixed ? (double)r->bd->n / (double)r->fd->n
				       : (double)(r->bd->n / r->fd->n));
	else
		p = dzero(p);
	p = r->cnt > 0 ? cell_d(p, f->len.sum / (double)r->cnt) : dzero(p);
	p = r->fd->n ? cell_d(p, r->fd->len.sum / (double)r->fd->n) : dzero(p);
	return r->bd->n ? cell_d(p, r->bd->len.sum / (double)r->bd->n) : dzero(p);
}

static char *c_bulk(char *p, const struct row *r)
{
	if (!r->fixed) {	/* upstream: forward bulk never computed */
		const struct fm_bulk *b = &r->f->bulk[1];
		p = zeros(p, 3);
		if (b->states) {
			p = cell_l(p, b->size / b->states);
			p = cell_l(p, b->pkts / b->states);
		} else {
			p = zeros(p, 2);
		}
		return cell_l(p, b->dur != 0 ? jd2l((double)b->size / ((double)b->dur / 1e6)) : 0);
	}
	for (int d = 0; d < 2; d++) {
		const struct fm_bulk *b = &r->f->bulk[d];
		if (b->states) {
			p = cell_d(p, (double)b->size / (double)b->states);
			p = cell_d(p, (double)b->pkts / (double)b->states);
		} else {
			p = dzeros(p, 2);
		}
		p = b->dur != 0 ? cell_d(p, (double)b->size / ((double)b->dur / 1e6)) : dzero(p);
	}
	return p;
}

static char *c_subflow(char *p, const struct row *r)
{
	const struct fm_flow *f = r->f;

	if (f->sf_count <= 0)
		return r->fixed ? dzeros(p, 4) : zeros(p, 4);
	if (!r->fixed) {
		p = cell_l(p, r->fd->n / f->sf_count);
		p = cell_l(p, r->fd->bytes / f->sf_count);
		p = cell_l(p, r->bd->n / f->sf_count);
		p = cell_l(p, r->bd->bytes / f->sf_count);
		return p;
	}
	double c = (double)f->sf_count;
	p = cell_d(p, (double)r->fd->n / c);
	p = cell_d(p, (double)r->fd->bytes / c);
	p = cell_d(p, (double)r->bd->n / c);
	return cell_d(p, (double)r->bd->bytes / c);
}

static char *c_init_win(char *p, const struct row *r)
{
	p = cell_u(p, r->fd->win);
	p = cell_u(p, r->bd->win);
	return cell_l(p, r->fd->act);
}

static char *c_bwd_act(char *p, const struct row *r)
{
	return cell_l(p, r->bd->act);
}

static char *c_fwd_minseg(char *p, const struct row *r)
{
	return cell_l(p, r->fd->minseg);
}

static char *c_bwd_minseg(char *p, const struct row *r)
{
	return cell_l(p, r->bd->minseg);
}

static char *c_active_idle(char *p, const struct row *r)
{
	p = r->f->active.n > 0 ? stats4(p, &r->f->active) : zeros(p, 4);
	return r->f->idle.n > 0 ? stats4(p, &r->f->idle) : zeros(p, 4);
}

static char *c_icmp_retrans(char *p, const struct row *r)
{
	const struct fm_flow *f = r->f;

	p = cell_l(p, f->icode);
	p = cell_l(p, f->itype);
	p = cell_l(p, f->retr_f);
	p = cell_l(p, f->retr_b);
	p = cell_l(p, f->retr_f + f->retr_b);
	return cell_l(p, f->cum);
}

static char *c_label(char *p, const struct row *r)
{
	(void)r;
	return cell_s(p, "NeedManualLabel", 15);
}

static char *c_end_reason(char *p, const struct row *r)
{
	const char *s = fm_end_names[r->f->end];

	return cell_s(p, s, strlen(s));
}

/* ---- the table ---- */

enum { CIC = 1, FIXED = 2, BOTH = 3, END = 4 /* only with end_reason */ };

static const struct column {
	const char *names;	/* header names of the group, comma-separated */
	unsigned in;		/* CIC, FIXED, BOTH or END */
	col_fn *put;
} columns[] = {
	{ "Flow ID", BOTH, c_flowid },
	{ "Src IP,Src Port,Dst IP,Dst Port,Protocol", BOTH, c_endpoints },
	{ "Timestamp", BOTH, c_timestamp },
	{ "Flow Duration,Total Fwd Packet,Total Bwd packets,Total Length of Fwd Packet,"
	  "Total Length of Bwd Packet", BOTH, c_totals },
	{ "Fwd Packet Length Max,Fwd Packet Length Min,Fwd Packet Length Mean,"
	  "Fwd Packet Length Std", BOTH, c_fwd_len },
	{ "Bwd Packet Length Max,Bwd Packet Length Min,Bwd Packet Length Mean,"
	  "Bwd Packet Length Std", BOTH, c_bwd_len },
	{ "Flow Bytes/s,Flow Packets/s,Flow IAT Mean,Flow IAT Std,Flow IAT Max,Flow IAT Min",
	  BOTH, c_flow_rates },
	{ "Fwd IAT Total,Fwd IAT Mean,Fwd IAT Std,Fwd IAT Max,Fwd IAT Min", BOTH, c_fwd_iat },
	{ "Bwd IAT Total,Bwd IAT Mean,Bwd IAT Std,Bwd IAT Max,Bwd IAT Min", BOTH, c_bwd_iat },
	{ "Fwd PSH Flags,Bwd PSH Flags,Fwd URG Flags,Bwd URG Flags", BOTH, c_psh_urg },
	{ "Fwd RST Flags,Bwd RST Flags", FIXED, c_rst },
	{ "Fwd Header Length,Bwd Header Length,Fwd Packets/s,Bwd Packets/s", BOTH, c_hdr_rates },
	{ "Packet Length Min,Packet Length Max,Packet Length Mean,Packet Length Std,"
	  "Packet Length Variance", BOTH, c_pkt_len },
	{ "FIN Flag Count,SYN Flag Count,RST Flag Count,PSH Flag Count,ACK Flag Count,"
	  "URG Flag Count,CWR Flag Count,ECE Flag Count", BOTH, c_flags },
	{ "Down/Up Ratio,Average Packet Size,Fwd Segment Size Avg,Bwd Segment Size Avg",
	  BOTH, c_ratios },
	{ "Fwd Bytes/Bulk Avg,Fwd Packet/Bulk Avg,Fwd Bulk Rate Avg,Bwd Bytes/Bulk Avg,"
	  "Bwd Packet/Bulk Avg,Bwd Bulk Rate Avg", BOTH, c_bulk },
	{ "Subflow Fwd Packets,Subflow Fwd Bytes,Subflow Bwd Packets,Subflow Bwd Bytes",
	  BOTH, c_subflow },
	{ "FWD Init Win Bytes,Bwd Init Win Bytes,Fwd Act Data Pkts", BOTH, c_init_win },
	{ "Bwd Act Data Pkts", FIXED, c_bwd_act },
	{ "Fwd Seg Size Min", BOTH, c_fwd_minseg },
	{ "Bwd Seg Size Min", FIXED, c_bwd_minseg },
	{ "Active Mean,Active Std,Active Max,Active Min,Idle Mean,Idle Std,Idle Max,Idle Min",
	  BOTH, c_active_idle },
	{ "ICMP Code,ICMP Type,Fwd TCP Retrans. Count,Bwd TCP Retrans. Count,"
	  "Total TCP Retrans. Count,Total Connection Flow Time", FIXED, c_icmp_retrans },
	{ "Label", BOTH, c_label },
	{ "End Reason", END, c_end_reason },
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

void fm_csv_init(fm_csv *w, enum fm_profile prof, int end_reason)
{
	size_t n = 0;

	memset(w, 0, sizeof(*w));
	w->fixed = prof != FM_PROFILE_CIC;
	w->want = (w->fixed ? FIXED : CIC) | (end_reason ? END : 0);
	for (size_t i = 0; i < NCOLUMNS; i++) {
		size_t len = strlen(columns[i].names);
		if (!(columns[i].in & w->want))
			continue;
		if (n + len + 1 >= sizeof(w->header))
			die("internal error: CSV header longer than %zu bytes", sizeof(w->header));
		memcpy(w->header + n, columns[i].names, len);
		n += len;
		w->header[n++] = ',';
	}
	w->header[n - 1] = '\n';
	w->header_len = n;
}

const char *fm_csv_header(const fm_csv *w, size_t *len)
{
	*len = w->header_len;
	return w->header;
}

size_t fm_csv_row(fm_csv *w, char *buf, const struct fm_flow *f)
{
	struct row r = { .f = f, .w = w, .fixed = w->fixed };
	char *p = buf;

	r.dur = f->last - f->start;
	r.fd = &f->dir[FM_FWD];
	r.bd = &f->dir[FM_BWD];
	r.cnt = r.fd->n + r.bd->n;
	r.secs = (double)r.dur / 1000000.0;
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (columns[i].in & w->want)
			p = columns[i].put(p, &r);
	p[-1] = '\n';
	return (size_t)(p - buf);
}
