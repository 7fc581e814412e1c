/*
 * csvout.c: header and row text. Column by column as cicflowmeter.md §6
 * (upstream) and cicflowmeter-fixed.md §6-7 (fork) define them, including
 * where an integer "0" replaces a double and where NaN/Infinity appear.
 */
#include "csvout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jfmt.h"

#define HDR_COMMON_1 \
	"Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Total Fwd Packet," \
	"Total Bwd packets,Total Length of Fwd Packet,Total Length of Bwd Packet,Fwd Packet Length Max," \
	"Fwd Packet Length Min,Fwd Packet Length Mean,Fwd Packet Length Std,Bwd Packet Length Max," \
	"Bwd Packet Length Min,Bwd Packet Length Mean,Bwd Packet Length Std,Flow Bytes/s,Flow Packets/s," \
	"Flow IAT Mean,Flow IAT Std,Flow IAT Max,Flow IAT Min,Fwd IAT Total,Fwd IAT Mean,Fwd IAT Std," \
	"Fwd IAT Max,Fwd IAT Min,Bwd IAT Total,Bwd IAT Mean,Bwd IAT Std,Bwd IAT Max,Bwd IAT Min," \
	"Fwd PSH Flags,Bwd PSH Flags,Fwd URG Flags,Bwd URG Flags,"
#define HDR_COMMON_2 \
	"Fwd Header Length,Bwd Header Length,Fwd Packets/s,Bwd Packets/s,Packet Length Min," \
	"Packet Length Max,Packet Length Mean,Packet Length Std,Packet Length Variance,FIN Flag Count," \
	"SYN Flag Count,RST Flag Count,PSH Flag Count,ACK Flag Count,URG Flag Count,CWR Flag Count," \
	"ECE Flag Count,Down/Up Ratio,Average Packet Size,Fwd Segment Size Avg,Bwd Segment Size Avg," \
	"Fwd Bytes/Bulk Avg,Fwd Packet/Bulk Avg,Fwd Bulk Rate Avg,Bwd Bytes/Bulk Avg,Bwd Packet/Bulk Avg," \
	"Bwd Bulk Rate Avg,Subflow Fwd Packets,Subflow Fwd Bytes,Subflow Bwd Packets,Subflow Bwd Bytes," \
	"FWD Init Win Bytes,Bwd Init Win Bytes,Fwd Act Data Pkts,"

static const char hdr_cic[] = HDR_COMMON_1 HDR_COMMON_2
	"Fwd Seg Size Min,Active Mean,Active Std,Active Max,"
	"Active Min,Idle Mean,Idle Std,Idle Max,Idle Min,Label\n";
static const char hdr_cic_end[] = HDR_COMMON_1 HDR_COMMON_2
	"Fwd Seg Size Min,Active Mean,Active Std,Active Max,"
	"Active Min,Idle Mean,Idle Std,Idle Max,Idle Min,Label,End Reason\n";
#define HDR_FIXED \
	HDR_COMMON_1 "Fwd RST Flags,Bwd RST Flags," HDR_COMMON_2 \
	"Bwd Act Data Pkts,Fwd Seg Size Min,Bwd Seg Size Min,Active Mean,Active Std,Active Max,Active Min," \
	"Idle Mean,Idle Std,Idle Max,Idle Min,ICMP Code,ICMP Type,Fwd TCP Retrans. Count," \
	"Bwd TCP Retrans. Count,Total TCP Retrans. Count,Total Connection Flow Time,Label"
static const char hdr_fixed[] = HDR_FIXED "\n";
static const char hdr_fixed_end[] = HDR_FIXED ",End Reason\n";

const char *fm_csv_header(enum fm_profile prof, int end_reason, size_t *len)
{
	const char *h;

	if (prof == FM_PROFILE_CIC)
		h = end_reason ? hdr_cic_end : hdr_cic;
	else
		h = end_reason ? hdr_fixed_end : hdr_fixed;
	*len = strlen(h);
	return h;
}

/* ---- small writers; p always points at the end of the text so far ---- */

static inline char *put_u(char *p, uint64_t v)
{
	char tmp[24], *e = tmp + sizeof(tmp), *s = e;

	do {
		*--s = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(p, s, (size_t)(e - s));
	return p + (e - s);
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

static char *put_addr(char *p, const uint8_t *a, int af)
{
	static const char hex[] = "0123456789abcdef";

	if (af != 6) {
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = put_u(p, a[i]);
		}
		return p;
	}
	/* Inet6Address.getHostAddress: 8 groups, no "::" compression */
	for (int i = 0; i < 8; i++) {
		unsigned g = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		int started = 0;

		if (i)
			*p++ = ':';
		for (int sh = 12; sh >= 0; sh -= 4) {
			unsigned d = (g >> sh) & 15;
			if (d || started || sh == 0) {
				*p++ = hex[d];
				started = 1;
			}
		}
	}
	return p;
}

size_t fm_csv_key(char *buf, const struct fm_key *k)
{
	char *p = buf;

	p = put_addr(p, k->a, k->af);
	*p++ = '-';
	p = put_addr(p, k->b, k->af);
	*p++ = '-';
	p = put_u(p, k->pa);
	*p++ = '-';
	p = put_u(p, k->pb);
	*p++ = '-';
	p = put_u(p, k->proto);
	return (size_t)(p - buf);
}

uint32_t fm_csv_key_jhash(const struct fm_key *k)
{
	char buf[128];
	size_t n = fm_csv_key(buf, k);
	uint32_t h = 0;

	for (size_t i = 0; i < n; i++)
		h = 31 * h + (uint8_t)buf[i];
	return h ^ (h >> 16);
}

/* ---- timestamps (cached per second: rows of one second share the text) ---- */

/* cic: first packet time in ms (Java long division), JVM zone,
 * "dd/MM/yyyy hh:mm:ss a" */
static char *put_ts_cic(char *p, int64_t us)
{
	static int64_t cached_sec = INT64_MIN;
	static char cached[96];
	static size_t cached_n;
	int64_t ms = us / 1000;	/* truncates toward zero, as Java */
	int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);

	if (sec != cached_sec) {
		time_t t = (time_t)sec;
		struct tm tm;
		int h12;
		char *q = cached;

		localtime_r(&t, &tm);
		h12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
		q += snprintf(q, sizeof(cached), "%02d/%02d/%04d %02d:%02d:%02d %s", tm.tm_mday, tm.tm_mon + 1,
			     tm.tm_year + 1900, h12, tm.tm_min, tm.tm_sec,
			     tm.tm_hour < 12 ? "AM" : "PM");
		cached_n = (size_t)(q - cached);
		cached_sec = sec;
	}
	return put_s(p, cached, cached_n);
}

/* fixed: UTC "yyyy-MM-dd HH:mm:ss[.mmm|.uuuuuu]" */
static char *put_ts_fixed(char *p, int64_t us)
{
	static int64_t cached_sec = INT64_MIN;
	static char cached[96];
	static size_t cached_n;
	int64_t sec = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	int64_t frac = us - sec * 1000000;

	if (sec != cached_sec) {
		time_t t = (time_t)sec;
		struct tm tm;

		gmtime_r(&t, &tm);
		cached_n = (size_t)snprintf(cached, sizeof(cached), "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
					   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		cached_sec = sec;
	}
	p = put_s(p, cached, cached_n);
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

static char *stats4(char *p, const struct fm_stats *s)
{
	p = put_d(p, fm_stats_mean(s));
	COMMA(p);
	p = put_d(p, fm_stats_std(s));
	COMMA(p);
	p = put_d(p, s->n ? s->max : NAN);
	COMMA(p);
	p = put_d(p, s->n ? s->min : NAN);
	COMMA(p);
	return p;
}

/* max, min, mean, std */
static char *stats_mmms(char *p, const struct fm_stats *s)
{
	p = put_d(p, s->max);
	COMMA(p);
	p = put_d(p, s->min);
	COMMA(p);
	p = put_d(p, fm_stats_mean(s));
	COMMA(p);
	p = put_d(p, fm_stats_std(s));
	COMMA(p);
	return p;
}

/* total, mean, std, max, min */
static char *stats_iat(char *p, const struct fm_stats *s)
{
	p = put_d(p, s->sum);
	COMMA(p);
	p = put_d(p, fm_stats_mean(s));
	COMMA(p);
	p = put_d(p, fm_stats_std(s));
	COMMA(p);
	p = put_d(p, s->n ? s->max : NAN);
	COMMA(p);
	p = put_d(p, s->n ? s->min : NAN);
	COMMA(p);
	return p;
}

static char *nz(char *p, double x)
{
	if (x != x)
		return put_s(p, "0.0,", 4);
	p = put_d(p, x);
	COMMA(p);
	return p;
}

static const int flag_order[8] = { 0, 1, 2, 3, 4, 5, 7, 6 }; /* FIN..URG, CWR, ECE */

size_t fm_csv_row(char *buf, const struct fm_flow *f, enum fm_profile prof, int end_reason)
{
	char *p = buf;
	int fixed = prof != FM_PROFILE_CIC;
	int64_t dur = f->last - f->start, cnt = f->nfwd + f->nbwd;
	double secs = (double)dur / 1000000.0;
	const uint8_t *src = f->rev ? f->key.b : f->key.a, *dst = f->rev ? f->key.a : f->key.b;

	p += fm_csv_key(p, &f->key);
	COMMA(p);
	p = put_addr(p, src, f->key.af);
	COMMA(p);
	p = put_u(p, f->sport);
	COMMA(p);
	p = put_addr(p, dst, f->key.af);
	COMMA(p);
	p = put_u(p, f->dport);
	COMMA(p);
	p = put_u(p, f->proto);
	COMMA(p);
	p = fixed ? put_ts_fixed(p, f->start) : put_ts_cic(p, f->start);
	COMMA(p);
	p = put_l(p, dur);
	COMMA(p);
	p = put_l(p, f->fwd.n);
	COMMA(p);
	p = put_l(p, f->bwd.n);
	COMMA(p);
	p = put_d(p, f->fwd.sum);
	COMMA(p);
	p = put_d(p, f->bwd.sum);
	COMMA(p);
	p = f->fwd.n > 0 ? stats_mmms(p, &f->fwd) : zeros(p, 4);
	p = f->bwd.n > 0 ? stats_mmms(p, &f->bwd) : zeros(p, 4);
	if (!fixed) {
		double tot = (double)(f->fbytes + f->bbytes);
		if (secs != 0)
			p = put_d(p, tot / secs);
		else
			p = put_d(p, tot == 0 ? NAN : copysign(INFINITY, tot));
		COMMA(p);
		p = put_d(p, secs != 0 ? (double)cnt / secs : INFINITY);
		COMMA(p);
		p = stats4(p, &f->iat);
	} else {
		if (dur != 0) {
			p = put_d(p, (double)(f->fbytes + f->bbytes) / secs);
			COMMA(p);
			p = put_d(p, (double)cnt / secs);
			COMMA(p);
		} else {
			p = put_s(p, "-1,-1,", 6);
		}
		p = nz(p, fm_stats_mean(&f->iat));
		p = nz(p, fm_stats_std(&f->iat));
		p = nz(p, f->iat.n ? f->iat.max : NAN);
		p = nz(p, f->iat.n ? f->iat.min : NAN);
	}
	p = f->nfwd > 1 ? stats_iat(p, &f->fwd_iat) : zeros(p, 5);
	p = f->nbwd > 1 ? stats_iat(p, &f->bwd_iat) : zeros(p, 5);
	p = put_u(p, f->fpsh);
	COMMA(p);
	p = put_u(p, f->bpsh);
	COMMA(p);
	p = put_u(p, f->furg);
	COMMA(p);
	p = put_u(p, f->burg);
	COMMA(p);
	if (fixed) {
		p = put_u(p, f->frst);
		COMMA(p);
		p = put_u(p, f->brst);
		COMMA(p);
	}
	p = put_l(p, f->fhdr);
	COMMA(p);
	p = put_l(p, f->bhdr);
	COMMA(p);
	if (dur > 0) {
		p = put_d(p, (double)f->nfwd / secs);
		COMMA(p);
		p = put_d(p, (double)f->nbwd / secs);
		COMMA(p);
	} else {
		p = dzeros(p, 2);
	}
	p = put_d(p, f->len.n ? f->len.min : NAN);
	COMMA(p);
	p = put_d(p, f->len.n ? f->len.max : NAN);
	COMMA(p);
	p = put_d(p, fm_stats_mean(&f->len));
	COMMA(p);
	p = put_d(p, fm_stats_std(&f->len));
	COMMA(p);
	p = put_d(p, fm_stats_var(&f->len));
	COMMA(p);
	for (int i = 0; i < 8; i++) {
		p = put_u(p, f->flags[flag_order[i]]);
		COMMA(p);
	}
	if (f->nfwd > 0)
		p = put_d(p, fixed ? (double)f->nbwd / (double)f->nfwd : (double)(f->nbwd / f->nfwd));
	else
		p = put_s(p, "0.0", 3);
	COMMA(p);
	p = cnt > 0 ? put_d(p, f->len.sum / (double)cnt) : put_s(p, "0.0", 3);
	COMMA(p);
	p = f->nfwd ? put_d(p, f->fwd.sum / (double)f->nfwd) : put_s(p, "0.0", 3);
	COMMA(p);
	p = f->nbwd ? put_d(p, f->bwd.sum / (double)f->nbwd) : put_s(p, "0.0", 3);
	COMMA(p);
	if (!fixed) {
		const struct fm_bulk *b = &f->bulk[1];
		p = zeros(p, 3);
		if (b->states) {
			p = put_l(p, b->size / b->states);
			COMMA(p);
			p = put_l(p, b->pkts / b->states);
			COMMA(p);
		} else {
			p = zeros(p, 2);
		}
		p = put_l(p, b->dur != 0 ? jd2l((double)b->size / ((double)b->dur / 1e6)) : 0);
		COMMA(p);
		if (f->sf_count > 0) {
			p = put_l(p, f->nfwd / f->sf_count);
			COMMA(p);
			p = put_l(p, f->fbytes / f->sf_count);
			COMMA(p);
			p = put_l(p, f->nbwd / f->sf_count);
			COMMA(p);
			p = put_l(p, f->bbytes / f->sf_count);
			COMMA(p);
		} else {
			p = zeros(p, 4);
		}
		p = put_u(p, f->win_f);
		COMMA(p);
		p = put_u(p, f->win_b);
		COMMA(p);
		p = put_l(p, f->act_f);
		COMMA(p);
		p = put_l(p, f->minseg_f);
		COMMA(p);
	} else {
		for (int d = 0; d < 2; d++) {
			const struct fm_bulk *b = &f->bulk[d];
			if (b->states) {
				p = put_d(p, (double)b->size / (double)b->states);
				COMMA(p);
				p = put_d(p, (double)b->pkts / (double)b->states);
				COMMA(p);
			} else {
				p = dzeros(p, 2);
			}
			if (b->dur != 0) {
				p = put_d(p, (double)b->size / ((double)b->dur / 1e6));
				COMMA(p);
			} else {
				p = dzeros(p, 1);
			}
		}
		if (f->sf_count > 0) {
			double c = (double)f->sf_count;
			p = put_d(p, (double)f->nfwd / c);
			COMMA(p);
			p = put_d(p, (double)f->fbytes / c);
			COMMA(p);
			p = put_d(p, (double)f->nbwd / c);
			COMMA(p);
			p = put_d(p, (double)f->bbytes / c);
			COMMA(p);
		} else {
			p = dzeros(p, 4);
		}
		p = put_u(p, f->win_f);
		COMMA(p);
		p = put_u(p, f->win_b);
		COMMA(p);
		p = put_l(p, f->act_f);
		COMMA(p);
		p = put_l(p, f->act_b);
		COMMA(p);
		p = put_l(p, f->minseg_f);
		COMMA(p);
		p = put_l(p, f->minseg_b);
		COMMA(p);
	}
	p = f->active.n > 0 ? stats4(p, &f->active) : zeros(p, 4);
	p = f->idle.n > 0 ? stats4(p, &f->idle) : zeros(p, 4);
	if (fixed) {
		p = put_l(p, f->icode);
		COMMA(p);
		p = put_l(p, f->itype);
		COMMA(p);
		p = put_l(p, f->retr_f);
		COMMA(p);
		p = put_l(p, f->retr_b);
		COMMA(p);
		p = put_l(p, f->retr_f + f->retr_b);
		COMMA(p);
		p = put_l(p, f->cum);
		COMMA(p);
	}
	p = put_s(p, "NeedManualLabel", 15);
	if (end_reason) {
		const char *r = fm_end_names[f->end];
		COMMA(p);
		p = put_s(p, r, strlen(r));
	}
	*p++ = '\n';
	return (size_t)(p - buf);
}
