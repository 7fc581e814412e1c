/*
 * tree.c: CART classification trees with the gini criterion, grown the way
 * scikit-learn's DecisionTreeClassifier (BestSplitter) grows them:
 *  - per node, features are drawn without replacement until max_features
 *    were visited and at least one was not constant in the node; features
 *    found constant are remembered for the whole subtree;
 *  - a feature's node values are sorted and every position between two
 *    values that differ by more than 1e-7 is a candidate; the best is the
 *    one with the strictly largest proxy sum(wL^2)/WL + sum(wR^2)/WR;
 *  - the threshold is a/2 + b/2 in double (a if that rounds to b), stored as
 *    the float32 t with a <= t < b so that routing float32 data is exact;
 *  - min_samples_leaf / min_samples_split count distinct rows, everything
 *    else uses the weights.
 * tree_grow_binned adds a histogram split search for big nodes.
 */
#include "tree.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TREE_SIMD 1
#define SIMD_TARGET __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,popcnt")))
#endif

#define FEATURE_THRESHOLD 1e-7
#define MAX_BINS 256

struct tree_bins {
	size_t n_rows, n_features;
	uint8_t *codes;		/* row-major: codes[row * n_features + f] */
	float *rx;		/* row-major copy of X (node gathers touch one row, not F columns) */
	uint8_t *ccodes;	/* column-major codes (dense nodes read these) */
	uint16_t *nb;		/* bins per feature */
	float *lo, *hi;		/* n_features * MAX_BINS: min/max value of each bin */
	uint8_t *exact;		/* per feature: one bin per distinct value */
	uint8_t *nan;		/* per feature: some value is NaN */
};

/* Row gathers (codes, values) ask for the row this many positions ahead. */
#define PREFETCH_AHEAD 24
/* partition_avx512 asks for the rows this many positions ahead (8 rows a step). */
#define VEC_AHEAD 96
/* Nodes with at least this many rows sort a feature by bucketing its bin codes. */
#define BUCKET_MIN 48
/* Features with one bin per value use the (exact) histogram search from this size. */
#define EXACT_HIST_MIN 96

struct pair {
	float v;
	uint32_t i;
};

typedef struct split {
	int found;
	int32_t feature;
	size_t n_left;		/* rows going left */
	double proxy;
	int hist;		/* threshold still to compute from bin cut */
	int bin;		/* last bin going left (hist) */
	float a, b;		/* neighbour values around the cut (exact) */
} split;

/* Kept histograms of one node, per feature f: cells as hist_packed's (one word per cell),
 * valid in bins lo[f]..hi[f] only (the rest is stale). */
struct nhist {
	uint64_t *cell;		/* F * MAX_BINS * K: cell[(f * MAX_BINS + c) * K + k] */
	uint32_t *cnt;		/* F * MAX_BINS: rows per bin */
	unsigned *lo, *hi;	/* F: first and last bin with rows */
};
static void hist_free(struct nhist *h);

typedef struct grower {
	const tree_data *d;
	const double *w;
	const tree_opts *o;
	const tree_bins *bins;
	size_t hist_min;
	size_t K, F, n_rows;
	int max_features;
	uint32_t *samples;
	int32_t *py;		/* class of samples[p] (moves with samples) */
	double *pw;		/* weight of samples[p] */
	uint32_t *off;		/* counting-sort offsets */
	uint32_t *tmp_s;	/* partition buffers */
	int32_t *tmp_y;
	double *tmp_w;
	size_t n;
	/*
	 * iw: every weight is an integer and the total is below 2^26, so
	 * every class sum, square and sum of squares the search forms is an
	 * integer below 2^53: integer arithmetic gives the very doubles the
	 * plain double loops give (same trees), with fewer instructions.
	 */
	int iw;
	struct pair *pairs;
	uint8_t *lcode;		/* node codes and values gathered once (counting sort) */
	uint8_t *multi;		/* counting sort: the bins with more than one row */
	float *lval;
	double *hist;
	uint32_t *hcnt;
	uint64_t *hpack;	/* iw histograms: weight << 32 | rows per (bin, class) */
	uint64_t *hrow;		/* hist_fill_rows: F such histograms (NULL until used) */
	double *cum;
	int64_t *cumi, *clsi;	/* iw sweep: left and node class sums */
	uint32_t *perm;
	struct presort *ps;	/* buffers of presorted subtrees (NULL until the first one) */
	/*
	 * Histogram subtraction (hsub: iw, every feature tried at every node):
	 * a node of at least hist_min rows keeps the histograms of all its
	 * features (struct nhist); at a split only the smaller child's are
	 * counted and the larger child's are its parent's minus those (exact
	 * integers, so the same cells as counting them).
	 */
	int hsub;
	int simd;		/* AVX-512 paths (same results) */
	struct nhist *node_hist;	/* histograms of the node being searched, or NULL */
	struct nhist **hpool;		/* free node histogram buffers */
	size_t n_hpool, cap_hpool;
	rng r;
	tree *t;
} grower;

static int tree_simd = 1;

void tree_set_simd(int on)
{
	tree_simd = on;
}

void tree_opts_default(tree_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->min_samples_split = 2;
	o->min_samples_leaf = 1;
}

void tree_free(tree *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->value);
	free(t);
}

static double wt(const grower *g, uint32_t i)
{
	return g->w ? g->w[i] : 1.0;
}

/*
 * Where the values and codes of feature f are read for a node of m rows
 * (returns the stride between rows): column-major data for big nodes,
 * row-major copies for small ones (the features tried at a node share
 * cache lines).
 */
static size_t node_src(const grower *g, int32_t f, size_t m, const float **col,
		       const uint8_t **code)
{
	const tree_bins *b = g->bins;

	if (!b || tree_node_reads_columns(m, g->n_rows)) {
		*col = g->d->X + (size_t)f * g->n_rows;
		*code = b ? b->ccodes + (size_t)f * g->n_rows : NULL;
		return 1;
	}
	*col = b->rx + f;
	*code = b->codes + f;
	return g->F;
}

/* ---- sorting (value, index) pairs: 3-way quicksort, duplicates are common ---- */

static void insertion_sort(struct pair *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct pair t = a[i];
		size_t j = i;

		while (j > 0 && a[j - 1].v > t.v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = t;
	}
}

static void sort_pairs(struct pair *a, size_t n)
{
	while (n > 16) {
		/* median of three */
		float x = a[0].v, y = a[n / 2].v, z = a[n - 1].v, piv;

		if (x < y)
			piv = y < z ? y : (x < z ? z : x);
		else
			piv = x < z ? x : (y < z ? z : y);
		size_t lt = 0, i = 0, gt = n;

		while (i < gt) {
			if (a[i].v < piv) {
				struct pair t = a[lt];

				a[lt++] = a[i];
				a[i++] = t;
			} else if (a[i].v > piv) {
				struct pair t = a[--gt];

				a[gt] = a[i];
				a[i] = t;
			} else {
				i++;
			}
		}
		/* recurse on the smaller side */
		if (lt < n - gt) {
			sort_pairs(a, lt);
			a += gt;
			n -= gt;
		} else {
			sort_pairs(a + gt, n - gt);
			n = lt;
		}
	}
	insertion_sort(a, n);
}

/* Most pairs rank_sort sorts. */
#define RANK_MAX 64

#ifdef TREE_SIMD
/*
 * The 2 <= n <= RANK_MAX pairs a[0..n) by rank (each pair's place is the
 * count of smaller values and of equal ones before it: a stable sort, the
 * order insertion_sort leaves), one vector compare per 16 pairs. Returns 0,
 * a[] untouched, when a value is NaN (no order), or for n > 16 when one is
 * -0: sort_pairs's order differs from a stable one only among equal values,
 * and those have the same bits unless they are zeros of both signs (callers
 * with n > 16 take any order of same-bit values).
 */
SIMD_TARGET static int rank_sort(struct pair *a, size_t n)
{
	struct pair t[RANK_MAX];
	__m512 v[RANK_MAX / 16];
	__mmask16 kv[RANK_MAX / 16];
	size_t nv = (n + 15) / 16;
	const __m512i ev = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
	const __m512i negz = _mm512_set1_epi32((int)0x80000000u);

	for (size_t q = 0; q < nv; q++) {
		size_t left = n - 16 * q;
		__mmask16 k = (__mmask16)(left >= 16 ? 0xffff : (1u << left) - 1);
		__m512i p0 = _mm512_maskz_loadu_epi64((__mmask8)k, a + 16 * q);
		__m512i p1 = _mm512_maskz_loadu_epi64((__mmask8)(k >> 8), a + 16 * q + 8);
		__m512i x = _mm512_permutex2var_epi32(p0, ev, p1);

		v[q] = _mm512_castsi512_ps(x);
		kv[q] = k;
		if (_mm512_mask_cmp_ps_mask(k, v[q], v[q], _CMP_UNORD_Q) ||
		    (n > 16 && _mm512_mask_cmpeq_epi32_mask(k, x, negz)))
			return 0;
	}
	memcpy(t, a, n * sizeof(*a));
	for (size_t j = 0; j < n; j++) {
		__m512 b = _mm512_set1_ps(t[j].v);
		unsigned r = 0;

		for (size_t q = 0; q < nv; q++) {
			/* lanes 16 q + l before j */
			__mmask16 before = (__mmask16)(j >= 16 * q + 16 ? 0xffff
						       : j > 16 * q   ? (1u << (j - 16 * q)) - 1
								      : 0);

			r += (unsigned)__builtin_popcount(_mm512_mask_cmp_ps_mask(kv[q], v[q], b, _CMP_LT_OQ));
			r += (unsigned)__builtin_popcount(_mm512_mask_cmp_ps_mask(before, v[q], b, _CMP_EQ_OQ));
		}
		a[r] = t[j];
	}
	return 1;
}
#endif

/*
 * sort_pairs with simd by rank_sort: up to 16 pairs (insertion_sort's
 * order), or up to RANK_MAX when any order of same-bit values will do.
 */
static void sort_small(struct pair *a, size_t n, int simd, int any_order)
{
#ifdef TREE_SIMD
	if (simd && n >= 2 && (n <= 16 || (any_order && n <= RANK_MAX)) && rank_sort(a, n))
		return;
#endif
	(void)simd;
	(void)any_order;
	sort_pairs(a, n);
}

/*
 * The n >= 2 pairs of one bin in value order, equal values in any order:
 * up to 8 by rank (each pair's place is the count of smaller values and of
 * equal ones before it), without a branch on the data (up to RANK_MAX
 * with simd); NaN (no order) or more pairs by sort_pairs.
 */
static void sort_bin(struct pair *a, size_t n, int simd)
{
	struct pair t[8];
	unsigned nan = 0;

	if (simd && n <= RANK_MAX) {
		sort_small(a, n, simd, 1);
		return;
	}
	if (n > 8) {
		sort_pairs(a, n);
		return;
	}
	for (size_t j = 0; j < n; j++) {
		t[j] = a[j];
		nan |= t[j].v != t[j].v;
	}
	if (nan) {
		sort_pairs(a, n);
		return;
	}
	for (size_t j = 0; j < n; j++) {
		size_t r = 0;

		for (size_t k = 0; k < n; k++)
			r += (t[k].v < t[j].v) | ((t[k].v == t[j].v) & (k < j));
		a[r] = t[j];
	}
}

static float midpoint(float a, float b)
{
	double m = (double)a / 2.0 + (double)b / 2.0;
	float t;

	if (m >= (double)b || isinf(m))
		m = a;
	t = (float)m;
	/* float32 rounding must keep a <= t < b */
	if (t >= b || t < a)
		t = a;
	return t;
}

static double gini(const double *c, size_t K, double W)
{
	double s = 0;

	if (W <= 0)
		return 0;
	for (size_t k = 0; k < K; k++)
		s += (c[k] / W) * (c[k] / W);
	return 1.0 - s;
}

/* ---- node storage ---- */

static int32_t add_node(tree *t, int32_t parent, int is_left, const double *cls, double W,
			uint32_t n, double imp)
{
	int32_t id;

	if (t->n_nodes == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;

		t->nodes = xreallocarray(t->nodes, nc, sizeof(*t->nodes));
		t->value = xreallocarray(t->value, st_mult(nc, t->n_classes), sizeof(double));
		t->cap = nc;
	}
	id = (int32_t)t->n_nodes++;
	t->nodes[id] = (tree_node){ .left = TREE_LEAF, .right = TREE_LEAF, .feature = -1,
				    .threshold = -2.0f, .impurity = imp, .n_samples = n,
				    .weighted = W };
	memcpy(t->value + (size_t)id * t->n_classes, cls, t->n_classes * sizeof(double));
	if (parent >= 0) {
		if (is_left)
			t->nodes[parent].left = id;
		else
			t->nodes[parent].right = id;
	}
	return id;
}

/* ---- split search ---- */

static double proxy_of(const double *cum, const double *cls, size_t K, double wl, double W)
{
	double l = 0, r = 0, wr = W - wl;

	for (size_t k = 0; k < K; k++) {
		double c = cls[k] - cum[k];

		l += cum[k] * cum[k];
		r += c * c;
	}
	return l / wl + r / wr;
}

enum { EVAL_OK, EVAL_CONST, EVAL_EXACT };

/* The cut between pr[p] and pr[p + 1] on feature f, proxy px: the best so far. */
static inline void take_exact(split *best, double px, int32_t f, const struct pair *pr, size_t p)
{
	best->found = 1;
	best->proxy = px;
	best->feature = f;
	best->n_left = p + 1;
	best->hist = 0;
	best->a = pr[p].v;
	best->b = pr[p + 1].v;
}

/*
 * Sweep of the sorted pairs pr[0..m): every position between two values
 * more than 1e-7 apart with min_samples_leaf rows on both sides is a
 * candidate; the strictly best proxy wins (first one on ties).
 */
static void sweep_exact(grower *g, int32_t f, const struct pair *pr, size_t m, const int32_t *py,
			const double *pw, const double *cls, double W, split *best)
{
	size_t K = g->K, msl = (size_t)g->o->min_samples_leaf;

	if (g->iw) {
		/*
		 * Sums of squares kept up to date in O(1) per row:
		 * (c + w)^2 = c^2 + (2c + w) w on the left,
		 * (r - w)^2 = r^2 + (w - 2r) w on the right (r = node - left).
		 */
		int64_t *ci = g->cumi, *ni = g->clsi, cl = 0, cr = 0, wl = 0, Wi = (int64_t)W;

		for (size_t k = 0; k < K; k++) {
			ci[k] = 0;
			ni[k] = (int64_t)cls[k];
			cr += ni[k] * ni[k];
		}
		for (size_t p = 0; p + 1 < m; p++) {
			uint32_t q = pr[p].i;
			size_t k = (size_t)py[q];
			int64_t w = (int64_t)pw[q];
			double px;

			cl += (2 * ci[k] + w) * w;
			cr += (w - 2 * (ni[k] - ci[k])) * w;
			ci[k] += w;
			wl += w;
			if ((double)pr[p + 1].v <= (double)pr[p].v + FEATURE_THRESHOLD)
				continue;
			if (p + 1 < msl || m - (p + 1) < msl)
				continue;
			/*
			 * Division-free test first: with cl, cr, wl, wr exact,
			 * cl*wr + cr*wl < best*wl*wr*(1 - 1e-9) (each side within
			 * a few ulps) proves the rounded proxy below the best.
			 */
			if ((double)cl * (double)(Wi - wl) + (double)cr * (double)wl <
			    best->proxy * ((double)wl * (double)(Wi - wl)) * (1 - 1e-9))
				continue;
			px = (double)cl / (double)wl + (double)cr / (double)(Wi - wl);
			if (px > best->proxy)
				take_exact(best, px, f, pr, p);
		}
		return;
	}
	{
		double *cum = g->cum, wl = 0;

		memset(cum, 0, K * sizeof(double));
		for (size_t p = 0; p + 1 < m; p++) {
			uint32_t q = pr[p].i;
			double w = pw[q], px;

			cum[py[q]] += w;
			wl += w;
			if ((double)pr[p + 1].v <= (double)pr[p].v + FEATURE_THRESHOLD)
				continue;
			if (p + 1 < msl || m - (p + 1) < msl)
				continue;
			px = proxy_of(cum, cls, K, wl, W);
			if (px > best->proxy)
				take_exact(best, px, f, pr, p);
		}
	}
}

/*
 * The m rows smp[0..m) sorted by feature f into pr[0..m): pr[q].v the value,
 * pr[q].i the id of the row (ids[p], or id0 + p without ids).
 */
static void sort_rows(grower *g, int32_t f, const uint32_t *smp, size_t m, const uint32_t *ids,
		      uint32_t id0, struct pair *pr)
{
	const float *col;
	const uint8_t *code;
	size_t st = node_src(g, f, m, &col, &code);

	if (g->bins && m >= BUCKET_MIN) {
		/*
		 * Counting sort on the bin codes, then sort inside each bin. The
		 * codes and values are gathered once into node-local arrays.
		 */
		size_t nb = g->bins->nb[f];
		uint32_t *off = g->off, sum = 0;
		uint8_t *lc = g->lcode;
		float *lv = g->lval;

		uint32_t big = 0;
		uint8_t *multi = g->multi;	/* bins that reached 2 rows */
		size_t nm = 0;

		memset(off, 0, nb * sizeof(uint32_t));
		for (size_t p = 0; p < m; p++) {
			size_t s = (size_t)smp[p] * st;
			uint8_t c = code[s];

			lc[p] = c;
			lv[p] = col[s];
			off[c]++;
			big |= off[c] > 16;
			multi[nm] = c;
			nm += off[c] == 2;
		}
		for (size_t c = 0; c < nb; c++) {
			uint32_t k = off[c];

			off[c] = sum;
			sum += k;
		}
		for (size_t p = 0; p < m; p++) {
			uint32_t q = off[lc[p]]++;

			pr[q].v = lv[p];
			pr[q].i = ids ? ids[p] : id0 + (uint32_t)p;
		}
		if (!g->bins->exact[f] && g->iw) {
			/*
			 * any order of equal values gives the same sums with integer
			 * weights; a bin whose bounds have the same bits holds one
			 * value (sorted by key at binning) and needs no sort
			 */
			const float *blo = g->bins->lo + (size_t)f * MAX_BINS;
			const float *bhi = g->bins->hi + (size_t)f * MAX_BINS;

			for (size_t j = 0; j < nm; j++) {
				size_t c = multi[j], b0 = c ? off[c - 1] : 0;

				if (memcmp(blo + c, bhi + c, sizeof(float)))
					sort_bin(pr + b0, off[c] - b0, g->simd);
			}
		} else if (!g->bins->exact[f] && !big) {
			/*
			 * Every bin holds at most 16 rows, which sort_pairs sorts
			 * by insertion; bins are disjoint value ranges, so one
			 * insertion pass over all of them gives the same order
			 * without visiting the empty bins.
			 */
			insertion_sort(pr, m);
		} else if (!g->bins->exact[f]) {
			uint32_t b0 = 0;

			for (size_t c = 0; c < nb; c++) {
				if (off[c] - b0 > 1)
					sort_pairs(pr + b0, off[c] - b0);
				b0 = off[c];
			}
		}
	} else {
		for (size_t p = 0; p < m; p++) {
			pr[p].v = col[(size_t)smp[p] * st];
			pr[p].i = ids ? ids[p] : id0 + (uint32_t)p;
		}
		sort_small(pr, m, g->simd, g->iw);
	}
}

/* Exact search on one feature. Returns EVAL_CONST when constant in the node. */
static int eval_exact(grower *g, int32_t f, size_t start, size_t end, const double *cls, double W,
		      split *best)
{
	size_t m = end - start;
	struct pair *pr = g->pairs;

	sort_rows(g, f, g->samples + start, m, NULL, (uint32_t)start, pr);
	if ((double)pr[m - 1].v <= (double)pr[0].v + FEATURE_THRESHOLD)
		return EVAL_CONST;
	sweep_exact(g, f, pr, m, g->py, g->pw, cls, W, best);
	return EVAL_OK;
}

/*
 * Histogram of the node's rows on feature f's bins (iw mode): one 64-bit add
 * per row, weight in the high half and a row count in the low half of each
 * (bin, class) cell. Two interleaved copies (even and odd rows, adjacent
 * words) break the store-to-load chain on runs of equal bins. Leaves the
 * merged cells in h[2 * (c * K + k)] for c in [*lo, *hi] (the bins touched,
 * odd words cleared) and the rows per bin in hc.
 */
static void hist_packed(grower *g, int32_t f, uint64_t *h, const uint8_t *code, size_t st,
			size_t start, size_t end, unsigned *lo, unsigned *hi)
{
	size_t K = g->K, p = start;
	uint32_t *hc = g->hcnt;
	const uint32_t *smp = g->samples;
	const int32_t *py = g->py;
	const double *pw = g->pw;
	size_t cmin = MAX_BINS, cmax = 0;

	(void)f;
	for (; p + 1 < end; p += 2) {
		size_t c = code[(size_t)smp[p] * st], c2 = code[(size_t)smp[p + 1] * st];

		if (p + PREFETCH_AHEAD + 1 < end) {
			__builtin_prefetch(code + (size_t)smp[p + PREFETCH_AHEAD] * st);
			__builtin_prefetch(code + (size_t)smp[p + PREFETCH_AHEAD + 1] * st);
		}
		h[2 * (c * K + (size_t)py[p])] += (uint64_t)(int64_t)pw[p] << 32 | 1;
		h[2 * (c2 * K + (size_t)py[p + 1]) + 1] += (uint64_t)(int64_t)pw[p + 1] << 32 | 1;
		cmin = c < cmin ? c : cmin;
		cmax = c > cmax ? c : cmax;
		cmin = c2 < cmin ? c2 : cmin;
		cmax = c2 > cmax ? c2 : cmax;
	}
	if (p < end) {
		size_t c = code[(size_t)smp[p] * st];

		h[2 * (c * K + (size_t)py[p])] += (uint64_t)(int64_t)pw[p] << 32 | 1;
		cmin = c < cmin ? c : cmin;
		cmax = c > cmax ? c : cmax;
	}
	/* only the bins between the first and the last code seen were touched */
	for (size_t c = cmin; c <= cmax; c++) {
		uint64_t *hb = h + 2 * c * K;
		uint32_t n = 0;

		for (size_t k = 0; k < K; k++) {
			uint64_t v = hb[2 * k] + hb[2 * k + 1];

			hb[2 * k] = v;
			hb[2 * k + 1] = 0;
			n += (uint32_t)v;
		}
		hc[c] = n;
	}
	*lo = (unsigned)cmin;
	*hi = (unsigned)cmax;
}

/*
 * Two classes, integer weights: the proxy of a cut with class-0 weight l0
 * and weight wl on the left (node: n0, W), or -INFINITY when the
 * division-free screen shows it below bq (a little under the best proxy).
 * Every sum of squares is an integer below 2^53, exact in doubles, so the
 * proxy is proxy_of's and sweep_exact's.
 */
static inline double proxy2(double l0, double wl, double n0, double W, double bq)
{
	double l1 = wl - l0, wr = W - wl, r0 = n0 - l0, r1 = wr - r0;
	double cl = l0 * l0 + l1 * l1, cr = r0 * r0 + r1 * r1;

	if (cl * wr + cr * wl < bq * (wl * wr))
		return -INFINITY;
	return cl / wl + cr / wr;
}

/* The cut after bin c (nl rows left, bin bounds a < b) on feature f, proxy px: the best so far. */
static inline void take_hist(split *best, double px, int32_t f, size_t nl, int exact, unsigned c,
			     float a, float b)
{
	best->found = 1;
	best->proxy = px;
	best->feature = f;
	best->n_left = nl;
	best->hist = exact ? 2 : 1;
	best->bin = (int)c;
	best->a = a;
	best->b = b;
}

#ifdef TREE_SIMD
/* Inclusive prefix sum of the 8 lanes of x, plus carry (every lane). */
SIMD_TARGET static inline __m512i prefix8(__m512i x, __m512i carry)
{
	const __m512i zero = _mm512_setzero_si512();

	x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 7));
	x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 6));
	x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 4));
	return _mm512_add_epi64(x, carry);
}

/*
 * eval_hist's two-class integer sweep with AVX-512: the bins with rows in
 * [cmin, cmax] listed, then 8 cuts (after a listed bin, before the next) to
 * a vector: the left sums as integer prefix sums (the doubles the scalar
 * loop adds up), the candidate tests and proxy2's proxy without its screen
 * (which only drops cuts below the best); the cuts above the best taken in
 * order, each only if strictly above the best so far, as the scalar loop.
 */
SIMD_TARGET static void hist_sweep2_avx512(const uint64_t *hp, size_t hs, const uint32_t *hc,
					   unsigned cmin, unsigned cmax, const float *lo,
					   const float *hi, size_t m, size_t msl, double n0, double W,
					   int32_t f, int exact, split *best)
{
	uint32_t list[MAX_BINS + 16];
	size_t n = 0;
	const __m512i iota = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
	const __m512i top = _mm512_set1_epi64(7), zero = _mm512_setzero_si512();
	const __m512d thr = _mm512_set1_pd(FEATURE_THRESHOLD), vW = _mm512_set1_pd(W);
	const __m512d vn0 = _mm512_set1_pd(n0);
	__m512i c0 = zero, cw = zero, cn = zero;

	if (msl > m)
		return;
	for (unsigned c = cmin; c <= cmax; c += 16) {
		unsigned left = cmax + 1 - c;
		__mmask16 k = (__mmask16)(left >= 16 ? 0xffff : (1u << left) - 1);
		__m512i cnt = _mm512_maskz_loadu_epi32(k, hc + c);
		__mmask16 ne = _mm512_mask_test_epi32_mask(k, cnt, cnt);

		_mm512_storeu_si512((void *)(list + n),
				    _mm512_maskz_compress_epi32(ne, _mm512_add_epi32(_mm512_set1_epi32((int)c), iota)));
		n += (size_t)__builtin_popcount(ne);
	}
	for (size_t j = 0; j + 1 < n; j += 8) {
		size_t left = n - 1 - j;
		__mmask8 k = (__mmask8)(left >= 8 ? 0xff : (1u << left) - 1), cut, up;
		__m256i C = _mm256_maskz_loadu_epi32(k, list + j), C2 = _mm256_maskz_loadu_epi32(k, list + j + 1);
		__m512i i0 = _mm512_mullo_epi64(_mm512_cvtepu32_epi64(C), _mm512_set1_epi64((int64_t)(2 * hs)));
		__m512i i1 = _mm512_add_epi64(i0, _mm512_set1_epi64((int64_t)hs));
		__m512i w0 = _mm512_srli_epi64(_mm512_mask_i64gather_epi64(zero, k, i0, hp, 8), 32);
		__m512i w1 = _mm512_srli_epi64(_mm512_mask_i64gather_epi64(zero, k, i1, hp, 8), 32);
		__m512i nc = _mm512_cvtepu32_epi64(_mm256_mmask_i32gather_epi32(_mm256_setzero_si256(), k, C, hc, 4));
		__m512i L0 = prefix8(w0, c0), WL = prefix8(_mm512_add_epi64(w0, w1), cw), NL = prefix8(nc, cn);
		__m512d vh = _mm512_cvtps_pd(_mm256_mmask_i32gather_ps(_mm256_setzero_ps(), k, C, hi, 4));
		__m512d vl = _mm512_cvtps_pd(_mm256_mmask_i32gather_ps(_mm256_setzero_ps(), k, C2, lo, 4));
		__m512d l0 = _mm512_cvtepu64_pd(L0), wl = _mm512_cvtepu64_pd(WL);
		__m512d l1 = _mm512_sub_pd(wl, l0), wr = _mm512_sub_pd(vW, wl);
		__m512d r0 = _mm512_sub_pd(vn0, l0), r1 = _mm512_sub_pd(wr, r0), px;
		__m512d cl = _mm512_add_pd(_mm512_mul_pd(l0, l0), _mm512_mul_pd(l1, l1));
		__m512d cr = _mm512_add_pd(_mm512_mul_pd(r0, r0), _mm512_mul_pd(r1, r1));

		c0 = _mm512_permutexvar_epi64(top, L0);
		cw = _mm512_permutexvar_epi64(top, WL);
		cn = _mm512_permutexvar_epi64(top, NL);
		/* a cut unless lo[c2] <= hi[c] + 1e-7, and msl rows a side */
		cut = _mm512_mask_cmp_pd_mask(k, vl, _mm512_add_pd(vh, thr), _CMP_NLE_UQ);
		cut &= _mm512_mask_cmpge_epu64_mask(cut, NL, _mm512_set1_epi64((int64_t)msl));
		cut &= _mm512_mask_cmple_epu64_mask(cut, NL, _mm512_set1_epi64((int64_t)(m - msl)));
		if (!cut)
			continue;
		px = _mm512_add_pd(_mm512_div_pd(cl, wl), _mm512_div_pd(cr, wr));
		up = _mm512_mask_cmp_pd_mask(cut, px, _mm512_set1_pd(best->proxy), _CMP_GT_OQ);
		if (up) {
			double lp[8];
			uint64_t ln[8];
			uint32_t lc[8], lc2[8];

			_mm512_storeu_pd(lp, px);
			_mm512_storeu_si512((void *)ln, NL);
			_mm256_storeu_si256((__m256i *)(void *)lc, C);
			_mm256_storeu_si256((__m256i *)(void *)lc2, C2);
			for (; up; up &= (__mmask8)(up - 1)) {
				unsigned l = (unsigned)__builtin_ctz(up);

				if (lp[l] > best->proxy)
					take_hist(best, lp[l], f, (size_t)ln[l], exact, lc[l], hi[lc[l]],
						  lo[lc2[l]]);
			}
		}
	}
}
#endif

/* Histogram search on one feature; EVAL_EXACT asks for the exact search. */
static int eval_hist(grower *g, int32_t f, size_t start, size_t end, const double *cls, double W,
		     split *best)
{
	const tree_bins *b = g->bins;
	const float *col;
	const uint8_t *code;
	size_t st = node_src(g, f, end - start, &col, &code);
	const float *lo = b->lo + (size_t)f * MAX_BINS, *hi = b->hi + (size_t)f * MAX_BINS;
	size_t nb = b->nb[f], K = g->K, m = end - start, msl = (size_t)g->o->min_samples_leaf;
	double *h = g->hist, *cum = g->cum, wl = 0;
	uint64_t *hp = g->hpack;
	uint32_t *hc = g->hcnt;
	size_t hs = 2;		/* words between cells of hp */
	unsigned cmin = 255, cmax = 0;
	const int32_t *py = g->py;
	const double *pw = g->pw;
	size_t nl = 0;
	int res = EVAL_OK;

	/*
	 * h (or hp) and hc are all zero on entry; the bins touched are cleared
	 * on exit.
	 */
	if (g->iw) {
		if (g->node_hist) {
			const struct nhist *nh = g->node_hist;

			hp = nh->cell + (size_t)f * MAX_BINS * K;
			hc = nh->cnt + (size_t)f * MAX_BINS;
			hs = 1;
			cmin = nh->lo[f];
			cmax = nh->hi[f];
		} else {
			hist_packed(g, f, hp, code, st, start, end, &cmin, &cmax);
		}
	} else {
		/* two interleaved histograms, merged below */
		double *h2 = h + MAX_BINS * K;
		uint32_t *hc2 = hc + MAX_BINS;
		size_t p = start;

		for (; p + 1 < end; p += 2) {
			unsigned c = code[(size_t)g->samples[p] * st];
			unsigned c2 = code[(size_t)g->samples[p + 1] * st];

			h[c * K + (size_t)py[p]] += pw[p];
			hc[c]++;
			h2[c2 * K + (size_t)py[p + 1]] += pw[p + 1];
			hc2[c2]++;
		}
		if (p < end) {
			unsigned c = code[(size_t)g->samples[p] * st];

			h[c * K + (size_t)py[p]] += pw[p];
			hc[c]++;
		}
		for (unsigned c = 0; c < nb; c++)
			if (hc[c] | hc2[c]) {
				cmin = c;
				break;
			}
		for (unsigned c = (unsigned)nb; c-- > 0;)
			if (hc[c] | hc2[c]) {
				cmax = c;
				break;
			}
		for (unsigned c = cmin; c <= cmax; c++)
			if (hc2[c]) {
				hc[c] += hc2[c];
				hc2[c] = 0;
				for (size_t k = 0; k < K; k++) {
					h[c * K + k] += h2[c * K + k];
					h2[c * K + k] = 0;
				}
			}
	}
	if (cmin == cmax) {
		res = (double)hi[cmin] <= (double)lo[cmin] + FEATURE_THRESHOLD ? EVAL_CONST : EVAL_EXACT;
		goto out;
	}
	if ((double)lo[cmax] <= (double)hi[cmin] + FEATURE_THRESHOLD) {
		res = EVAL_EXACT;
		goto out;
	}
	if (g->iw && K == 2) {
		/*
		 * Two classes, integer sums (exact as doubles): proxy_of's values
		 * from the left class-0 sum and weight; a division-free screen
		 * first, as sweep_packed's.
		 */
		double l0 = 0, n0 = cls[0], bq = best->proxy * (1 - 2e-9);

#ifdef TREE_SIMD
		if (g->simd) {
			hist_sweep2_avx512(hp, hs, hc, cmin, cmax, lo, hi, m, msl, n0, W, f, b->exact[f],
					   best);
			goto out;
		}
#endif
		for (unsigned c = cmin; c < cmax;) {
			unsigned c2 = c + 1;
			double w0 = (double)(hp[hs * (c * 2)] >> 32), w1 = (double)(hp[hs * (c * 2 + 1)] >> 32);
			double px;

			while (!hc[c2])
				c2++;
			l0 += w0;
			wl += w0 + w1;
			nl += hc[c];
			if ((double)lo[c2] <= (double)hi[c] + FEATURE_THRESHOLD ||
			    nl < msl || m - nl < msl) {
				c = c2;
				continue;
			}
			px = proxy2(l0, wl, n0, W, bq);
			if (px > best->proxy) {
				take_hist(best, px, f, nl, b->exact[f], c, hi[c], lo[c2]);
				bq = px * (1 - 2e-9);
			}
			c = c2;
		}
		goto out;
	}
	memset(cum, 0, K * sizeof(double));
	for (unsigned c = cmin; c < cmax;) {
		unsigned c2 = c + 1;
		double px;

		while (!hc[c2])
			c2++;
		/* class sums are integers below 2^53 in iw mode: exact as doubles */
		if (g->iw) {
			for (size_t k = 0; k < K; k++)
				cum[k] += (double)(hp[hs * (c * K + k)] >> 32);
			for (size_t k = 0; k < K; k++)
				wl += (double)(hp[hs * (c * K + k)] >> 32);
		} else {
			for (size_t k = 0; k < K; k++)
				cum[k] += h[c * K + k];
			for (size_t k = 0; k < K; k++)
				wl += h[c * K + k];
		}
		nl += hc[c];
		if ((double)lo[c2] <= (double)hi[c] + FEATURE_THRESHOLD ||
		    nl < msl || m - nl < msl) {
			c = c2;
			continue;
		}
		px = proxy_of(cum, cls, K, wl, W);
		if (px > best->proxy)
			take_hist(best, px, f, nl, b->exact[f], c, hi[c], lo[c2]);
		c = c2;
	}
out:
	if (g->node_hist)
		return res;	/* kept, not scratch */
	for (unsigned c = cmin; c <= cmax; c++)
		if (hc[c]) {
			hc[c] = 0;
			if (g->iw)
				memset(hp + 2 * c * K, 0, 2 * K * sizeof(uint64_t));
			else
				memset(h + c * K, 0, K * sizeof(double));
		}
	return res;
}

/*
 * Presorted subtrees. With integer weights (iw) every class sum is exact
 * whatever the order of equal values, so a node's sorted rows can come from
 * its parent's instead of a sort: below the histogram sizes a subtree sorts
 * a feature once, at the first of its nodes that evaluates it, and every
 * split then partitions the sorted lists stably (left rows first), which
 * leaves each child's rows contiguous, in value order, at the same range of
 * every list. Rows are named by lid, their position in samples[] at the
 * subtree's root (samples, py and pw stay untouched inside the subtree).
 * For exact-bin features the exact sweep finds the very cut, proxy and
 * threshold the histogram search finds, so the trees are the same.
 */
typedef struct presort {
	size_t cap;		/* rows the buffers hold; list stride */
	size_t m;		/* rows of the current subtree */
	const uint32_t *lrow;	/* by lid: data row (samples + root) */
	const int32_t *ly;	/* by lid: class */
	const double *lw;	/* by lid: weight */
	uint64_t *lyw;		/* by lid, two classes only (else NULL): weight << 32 if class 0, plus weight */
	/*
	 * packed (two classes, m <= 2^16, W < 2^15): a row's id in order and in
	 * the lists carries lid | weight << 16 | (class 0) << 31, so the sweep
	 * reads the row's class and weight without a gather; lmask takes the
	 * lid out of an id (all ones when not packed).
	 */
	int packed;
	uint32_t lmask;
	struct pair *list;	/* F lists of cap: feature f's (value, lid) in node order */
	uint32_t *order;	/* lids, node ranges contiguous (for the first sort of a feature) */
	uint32_t *rows;		/* gather buffer */
	uint8_t *left;		/* by lid: goes left at the current split */
	struct pair *tmp;	/* partition buffer */
	uint64_t *ywbuf;	/* cap entries for lyw */
	uint64_t *kacc;		/* sweep_boundaries: packed sums at the kept cuts */
	uint32_t *kpos;		/* and the cuts */
	uint64_t *wg, *wc, *wk;	/* boundaries_avx512: bits per row, cap / 64 + 2 words */
} presort;

/* At most this many (feature, row) pairs are presorted at once. */
#define PRESORT_MAX ((size_t)1 << 22)

/* Whether a node of m rows starts a presorted subtree. */
static int presort_here(const grower *g, size_t m)
{
	if (!g->iw || m < 2 || m * (g->F ? g->F : 1) > PRESORT_MAX)
		return 0;
	return !g->bins || !g->hist_min || m < g->hist_min;
}

static presort *presort_get(grower *g, size_t m)
{
	presort *ps = g->ps;

	if (!ps)
		ps = g->ps = xcalloc(1, sizeof(*ps));
	if (m > ps->cap) {
		size_t F = g->F ? g->F : 1;

		ps->cap = m;
		ps->list = xreallocarray(ps->list, st_mult(F, m), sizeof(*ps->list));
		ps->order = xreallocarray(ps->order, m, sizeof(*ps->order));
		ps->rows = xreallocarray(ps->rows, m, sizeof(*ps->rows));
		ps->left = xreallocarray(ps->left, m, sizeof(*ps->left));
		ps->tmp = xreallocarray(ps->tmp, m, sizeof(*ps->tmp));
		ps->ywbuf = xreallocarray(ps->ywbuf, m, sizeof(*ps->ywbuf));
		ps->kacc = xreallocarray(ps->kacc, m, sizeof(*ps->kacc));
		ps->kpos = xreallocarray(ps->kpos, m, sizeof(*ps->kpos));
		ps->wg = xreallocarray(ps->wg, m / 64 + 2, sizeof(*ps->wg));
		ps->wc = xreallocarray(ps->wc, m / 64 + 2, sizeof(*ps->wc));
		ps->wk = xreallocarray(ps->wk, m / 64 + 2, sizeof(*ps->wk));
	}
	return ps;
}

static void presort_free(presort *ps)
{
	if (!ps)
		return;
	free(ps->list);
	free(ps->order);
	free(ps->rows);
	free(ps->left);
	free(ps->tmp);
	free(ps->ywbuf);
	free(ps->kacc);
	free(ps->kpos);
	free(ps->wg);
	free(ps->wc);
	free(ps->wk);
	free(ps);
}

/*
 * Cuts inside a run of blocks of one class cannot win. A block is a group
 * of rows between two candidate cuts (values more than 1e-7 apart); along
 * a run of blocks holding only class k, moving the cut only moves class-k
 * weight u to the left, and the proxy is then u - 2a + (a^2 + sa)/u plus
 * the same in W - u for the right (a, sa: the left's other-class weight
 * and sum of squares), strictly convex in u unless the node is pure (a
 * leaf). So a cut with one class on both of its sides is strictly below
 * one of the run's two end cuts (which have two classes around them; at
 * the ends of the list the proxy of no cut, below every cut's). Every
 * proxy is a fraction of integers over wl * wr <= W^2 / 4, so two that
 * differ differ by at least 16 / W^4, and each is rounded within 2^-52 W:
 * with W <= 1024, 2^-51 W < 16 / W^4 and the rounded proxies keep that
 * order; the first best cut of the full sweep is then among the others.
 * Needs integer weights and min_samples_leaf 1 (every cut a candidate).
 */
#define BOUNDARY_W_MAX 1024.0

#ifdef TREE_SIMD
/*
 * sweep_boundaries with AVX-512, 8 rows to a vector: the packed sums at every
 * row (a prefix sum of the gathered lyw) and a bit per row for class 0 (C)
 * and for a cut after it (G). Kept (K): a cut at a class change, and the two
 * cuts around a block with a class change inside; evaluated in cut order.
 */
SIMD_TARGET static void boundaries_avx512(grower *g, int32_t f, const struct pair *pr, size_t m,
					  const uint64_t *lyw, const double *cls, double W,
					  split *best)
{
	presort *ps = g->ps;
	uint64_t *acc = ps->kacc, *G = ps->wg, *C = ps->wc, *K = ps->wk;
	size_t nw = (m + 63) / 64, skip = 0;
	ptrdiff_t prev = -1;	/* the last cut before the word being read */
	__m512i carry = _mm512_setzero_si512(), zero = _mm512_setzero_si512();
	const __m512i top = _mm512_set1_epi64(7), hi = _mm512_set1_epi64((int64_t)1 << 32);
	const __m512i wmask = _mm512_set1_epi64(0x7fff), cbit = _mm512_set1_epi64((int64_t)1 << 31);
	const __m512d thr = _mm512_set1_pd(FEATURE_THRESHOLD);
	double n0 = cls[0], bq = best->proxy * (1 - 2e-9);

	for (size_t p = 0; p < m; p += 8) {
		size_t left = m - p;
		__mmask8 k1 = (__mmask8)(left >= 8 ? 0xff : (1u << left) - 1);
		__mmask8 k2 = (__mmask8)(left > 8 ? 0xff : k1 >> 1);	/* rows with a next row */
		__m512i P = _mm512_maskz_loadu_epi64(k1, pr + p);
		__m512i Q = _mm512_maskz_loadu_epi64(k2, pr + p + 1);
		__m512i id = _mm512_srli_epi64(P, 32), x;
		__m512d vp = _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_cvtepi64_epi32(P)));
		__m512d vq = _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_cvtepi64_epi32(Q)));
		/* a cut unless next <= this + 1e-7, as sweep_packed's test */
		__mmask8 gap = _mm512_mask_cmp_pd_mask(k2, vq, _mm512_add_pd(vp, thr), _CMP_NLE_UQ);
		__mmask8 c0;
		size_t sh = p & 63;

		if (ps->packed) {
			/* weight and class from the id (lanes past m are 0) */
			__m512i w = _mm512_and_si512(_mm512_srli_epi64(id, 16), wmask);

			c0 = _mm512_test_epi64_mask(id, cbit);
			x = _mm512_mask_add_epi64(w, c0, w, _mm512_slli_epi64(w, 32));
		} else {
			x = _mm512_mask_i64gather_epi64(zero, k1, id, lyw, 8);
			c0 = _mm512_mask_cmpge_epu64_mask(k1, x, hi);
		}

		x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 7));
		x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 6));
		x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 4));
		x = _mm512_add_epi64(x, carry);
		_mm512_mask_storeu_epi64(acc + p, k1, x);
		carry = _mm512_permutexvar_epi64(top, x);
		if (!sh) {
			G[p / 64] = 0;
			C[p / 64] = 0;
			K[p / 64] = 0;
		}
		G[p / 64] |= (uint64_t)gap << sh;
		C[p / 64] |= (uint64_t)c0 << sh;
	}
	C[nw] = 0;
	for (size_t w = 0; w < nw; w++) {
		/* a class change between rows p and p + 1, p < m - 1 */
		uint64_t d = C[w] ^ (C[w] >> 1 | C[w + 1] << 63), e;
		size_t base = w * 64;

		if (base + 64 > m - 1)
			d &= m - 1 > base ? ((uint64_t)1 << (m - 1 - base)) - 1 : 0;
		K[w] |= d & G[w];
		e = d & ~G[w];
		if (skip > base)
			e &= skip - base >= 64 ? 0 : ~(((uint64_t)1 << (skip - base)) - 1);
		while (e) {
			unsigned b = (unsigned)__builtin_ctzll(e);
			uint64_t x = G[w] & (((uint64_t)1 << b) - 1);
			ptrdiff_t pc = x ? (ptrdiff_t)(base + 63 - (unsigned)__builtin_clzll(x)) : prev;
			size_t wi = w;

			if (pc >= 0)
				K[pc / 64] |= (uint64_t)1 << (pc & 63);
			x = b == 63 ? 0 : G[w] & ~(((uint64_t)2 << b) - 1);
			while (!x && ++wi < nw)
				x = G[wi];
			if (!x) {
				skip = m;
				break;
			}
			b = (unsigned)__builtin_ctzll(x);
			K[wi] |= (uint64_t)1 << b;
			skip = wi * 64 + b + 1;
			if (wi > w)
				break;
			e &= b == 63 ? 0 : ~(((uint64_t)2 << b) - 1);
		}
		if (G[w])
			prev = (ptrdiff_t)(base + 63 - (unsigned)__builtin_clzll(G[w]));
	}
	for (size_t w = 0; w < nw; w++)
		for (uint64_t k = K[w]; k; k &= k - 1) {
			size_t p = w * 64 + (size_t)__builtin_ctzll(k);
			double px = proxy2((double)(acc[p] >> 32), (double)(uint32_t)acc[p], n0, W, bq);

			if (px > best->proxy) {
				take_exact(best, px, f, pr, p);
				bq = px * (1 - 2e-9);
			}
		}
}
#endif

static void sweep_boundaries(grower *g, int32_t f, const struct pair *pr, size_t m,
			     const uint64_t *lyw, const double *cls, double W, split *best)
{
	presort *ps = g->ps;
	uint64_t *ka = ps->kacc, acc = 0, pacc = 0;
	uint32_t *kp = ps->kpos, pp = 0;
	/* classes seen (bit 0: class 0, bit 1: class 1) in the block being read
	 * and in the block before the pending cut (0: no cut yet) */
	unsigned st = 0, pst = 0;
	uint32_t lm = ps->lmask;
	size_t nk = 0;
	double n0 = cls[0], bq = best->proxy * (1 - 2e-9);

#ifdef TREE_SIMD
	if (g->simd) {
		boundaries_avx512(g, f, pr, m, lyw, cls, W, best);
		return;
	}
#endif
	/* without a branch on the data: every pending cut is written, the kept advance */
	for (size_t p = 0; p + 1 < m; p++) {
		uint64_t x = lyw[pr[p].i & lm];
		unsigned gap = !((double)pr[p + 1].v <= (double)pr[p].v + FEATURE_THRESHOLD);

		acc += x;
		st |= 1u << (x < ((uint64_t)1 << 32));
		ka[nk] = pacc;
		kp[nk] = pp;
		nk += gap & ((pst | st) == 3);
		pacc = gap ? acc : pacc;
		pp = gap ? (uint32_t)p : pp;
		pst = gap ? st : pst;
		st = gap ? 0 : st;
	}
	st |= 1u << (lyw[pr[m - 1].i & lm] < ((uint64_t)1 << 32));
	ka[nk] = pacc;
	kp[nk] = pp;
	nk += (pst | st) == 3;
	for (size_t j = 0; j < nk; j++) {
		double px = proxy2((double)(ka[j] >> 32), (double)(uint32_t)ka[j], n0, W, bq);

		if (px > best->proxy) {
			take_exact(best, px, f, pr, kp[j]);
			bq = px * (1 - 2e-9);
		}
	}
}

/*
 * sweep_exact for two classes on a presorted list: one add per row of the
 * packed lyw (class-0 weight high, weight low; totals below 2^26), the sums
 * of squares formed only at candidate cuts, in doubles: every one of them is
 * an integer below 2^53, so they, the proxies and the decisions are those of
 * sweep_exact's iw loop. The division-free screen is looser than its (any
 * screen that only drops cuts whose rounded proxy is below the best gives
 * the same split).
 */
static void sweep_packed(grower *g, int32_t f, const struct pair *pr, size_t m, const uint64_t *lyw,
			 const double *cls, double W, split *best)
{
	size_t msl = (size_t)g->o->min_samples_leaf, p0 = msl ? msl - 1 : 0;
	size_t p1 = m > msl ? m - msl : 0;	/* cuts after p in [p0, p1) keep msl rows a side */
	double n0 = cls[0], bq = best->proxy * (1 - 2e-9);
	uint64_t acc = 0;
	uint32_t lm = g->ps->lmask;

	if (msl <= 1 && W <= BOUNDARY_W_MAX && m >= 2) {
		sweep_boundaries(g, f, pr, m, lyw, cls, W, best);
		return;
	}
	for (size_t p = 0; p < p0 && p + 1 < m; p++)
		acc += lyw[pr[p].i & lm];
	for (size_t p = p0; p < p1; p++) {
		double px;

		acc += lyw[pr[p].i & lm];
		if ((double)pr[p + 1].v <= (double)pr[p].v + FEATURE_THRESHOLD)
			continue;
		px = proxy2((double)(acc >> 32), (double)(uint32_t)acc, n0, W, bq);
		if (px > best->proxy) {
			take_exact(best, px, f, pr, p);
			bq = px * (1 - 2e-9);
		}
	}
}

/*
 * Exact search on feature f for the node at [lo, hi) of the lists; sorts
 * the feature first when mat[f] says it is not sorted for this node yet.
 */
static int eval_presorted(grower *g, int32_t f, size_t lo, size_t hi, uint8_t *mat,
			  const double *cls, double W, split *best)
{
	presort *ps = g->ps;
	struct pair *pr = ps->list + (size_t)f * ps->cap + lo;
	size_t m = hi - lo;

	if (!mat[f]) {
		for (size_t p = 0; p < m; p++)
			ps->rows[p] = ps->lrow[ps->order[lo + p] & ps->lmask];
		sort_rows(g, f, ps->rows, m, ps->order + lo, 0, pr);
		mat[f] = 1;
	}
	if ((double)pr[m - 1].v <= (double)pr[0].v + FEATURE_THRESHOLD) {
		mat[f] = 0;	/* constant: never evaluated below, never partitioned */
		return EVAL_CONST;
	}
	if (ps->lyw)
		sweep_packed(g, f, pr, m, ps->lyw, cls, W, best);
	else
		sweep_exact(g, f, pr, m, ps->ly, ps->lw, cls, W, best);
	return EVAL_OK;
}

/*
 * Draw features as scikit-learn does and evaluate them. known[] flags the
 * features known constant in this node; found constants are added to kids[].
 * mat (non-NULL in a presorted subtree, start/end then a range of its lists)
 * flags the features sorted for this node.
 *
 * With integer weights no proxy exceeds W: cl <= wl^2 and cr <= wr^2 are
 * exact integers, so the rounded cl / wl <= wl, cr / wr <= wr and their
 * rounded sum <= W (pure children give W). A best is replaced only by a
 * strictly greater proxy, so once a cut reaches W no later feature can win
 * and the remaining draws are not evaluated. That needs max_features >= F:
 * then all F features are drawn whatever is found constant (the rng stream
 * does not change). A skipped feature is not added to kids[] (the children
 * find it constant again if it is), stays unsorted in mat (or is partitioned
 * if sorted) and keeps its histograms (filled before the search).
 */
static void find_split(grower *g, size_t start, size_t end, const uint8_t *known, uint8_t *kids,
		       uint8_t *mat, const double *cls, double W, split *best)
{
	size_t F = g->F, k = 0, m = end - start;
	int visited = 0, found = 0, drawn = 0, maxf = g->max_features;
	int stop = g->iw && maxf >= (int)F;	/* skip the rest once a cut reaches W */

	memset(best, 0, sizeof(*best));
	best->proxy = -INFINITY;
	memcpy(kids, known, F);
	for (size_t i = 0; i < F; i++)
		g->perm[i] = (uint32_t)i;
	while (k < F && (visited < maxf || visited <= found + drawn)) {
		size_t j = k + (size_t)rng_below(&g->r, F - k);
		uint32_t f = g->perm[j];
		int res;

		g->perm[j] = g->perm[k];
		g->perm[k] = f;
		k++;
		visited++;
		if (known[f]) {
			drawn++;
			continue;
		}
		if (stop && best->proxy >= W)
			continue;
		if (mat) {
			res = eval_presorted(g, (int32_t)f, start, end, mat, cls, W, best);
		} else if (g->bins && ((g->bins->exact[f] && m >= EXACT_HIST_MIN) ||
				       (g->hist_min && m >= g->hist_min))) {
			res = eval_hist(g, (int32_t)f, start, end, cls, W, best);
			if (res == EVAL_EXACT)
				res = eval_exact(g, (int32_t)f, start, end, cls, W, best);
		} else {
			res = eval_exact(g, (int32_t)f, start, end, cls, W, best);
		}
		if (res == EVAL_CONST) {
			kids[f] = 1;
			found++;
		}
	}
}

/*
 * Stable partition of samples[start,end) (with py, pw), left rows first,
 * without branches on the data: every row is written to both sides and the
 * side it belongs to advances (the in-place side never passes the read
 * position). by: 0 = value <= thr, 1 = code <= bin, 2 = code <= bin and the
 * largest value going left (*a) and the smallest going right (*b), 3 (simd
 * only) = value <= thr and the same *a, *b. Returns the end of the left rows.
 */
#ifdef TREE_SIMD
/*
 * partition_rows's loop with AVX-512, 8 rows to a vector: the rows' sides
 * from gathered values or codes, each side's rows compressed in order (the
 * in-place side's store ends at most where the vector read, i <= p).
 * Returns the end of the left rows; *nr the rows in tmp_s/y/w. by 2: the
 * values gathered too, *pa the largest going left and *pb the smallest
 * going right as the scalar pass finds them (lane by lane v > a ? v : a,
 * NaN never taken, then across lanes), but for the sign of a zero result
 * (zeros of both signs compare equal), which the caller takes from the
 * first zero on that side.
 */
SIMD_TARGET static size_t partition_avx512(grower *g, size_t start, size_t end, const float *col,
					   const uint8_t *code, size_t st, int bin, float thr,
					   int by, size_t *pnr, float *pa, float *pb)
{
	__m256 va = _mm256_set1_ps(-INFINITY), vb = _mm256_set1_ps(INFINITY);
	float la[8], lb[8], a = -INFINITY, b = INFINITY;
	uint32_t *smp = g->samples, *ts = g->tmp_s;
	int32_t *py = g->py, *ty = g->tmp_y;
	double *pw = g->pw, *tw = g->tmp_w;
	size_t i = start, nr = 0;
	const __m512i vst = _mm512_set1_epi64((int64_t)st);
	const __m256 vthr = _mm256_set1_ps(thr);
	const __m256i vbin = _mm256_set1_epi32(bin), lowb = _mm256_set1_epi32(0xff);

	for (size_t p = start; p < end; p += 8) {
		size_t left = end - p;
		__mmask8 k = (__mmask8)(left >= 8 ? 0xff : (1u << left) - 1), l, r;
		__m256i S = _mm256_maskz_loadu_epi32(k, smp + p);
		__m256i Y = _mm256_maskz_loadu_epi32(k, py + p);
		__m512d Wv = _mm512_maskz_loadu_pd(k, pw + p);
		__m512i idx = _mm512_mullo_epi64(_mm512_cvtepu32_epi64(S), vst);
		__m256 v = _mm256_setzero_ps();
		unsigned cl, cr;

		if (p + VEC_AHEAD + 8 <= end) {
			const uint32_t *ahead = smp + p + VEC_AHEAD;

			for (size_t j = 0; j < 8; j++) {
				size_t q = (size_t)ahead[j] * st;

				if (by != 1)
					__builtin_prefetch(col + q);
				if (by == 1 || by == 2)
					__builtin_prefetch(code + q);
			}
		}
		if (by != 1)
			v = _mm512_mask_i64gather_ps(_mm256_setzero_ps(), k, idx, col, 4);
		if (by == 0 || by == 3) {
			l = _mm256_mask_cmp_ps_mask(k, v, vthr, _CMP_LE_OQ);
		} else {
			__m256i c = _mm512_mask_i64gather_epi32(_mm256_setzero_si256(), k, idx, code, 1);

			l = _mm256_mask_cmple_epu32_mask(k, _mm256_and_si256(c, lowb), vbin);
		}
		r = (__mmask8)(k & ~l);
		if (by >= 2) {
			va = _mm256_mask_max_ps(va, l, v, va);
			vb = _mm256_mask_min_ps(vb, r, v, vb);
		}
		cl = (unsigned)__builtin_popcount(l);
		cr = (unsigned)__builtin_popcount(r);
		_mm256_mask_storeu_epi32(smp + i, (__mmask8)((1u << cl) - 1), _mm256_maskz_compress_epi32(l, S));
		_mm256_mask_storeu_epi32(py + i, (__mmask8)((1u << cl) - 1), _mm256_maskz_compress_epi32(l, Y));
		_mm512_mask_storeu_pd(pw + i, (__mmask8)((1u << cl) - 1), _mm512_maskz_compress_pd(l, Wv));
		_mm256_mask_storeu_epi32(ts + nr, (__mmask8)((1u << cr) - 1), _mm256_maskz_compress_epi32(r, S));
		_mm256_mask_storeu_epi32(ty + nr, (__mmask8)((1u << cr) - 1), _mm256_maskz_compress_epi32(r, Y));
		_mm512_mask_storeu_pd(tw + nr, (__mmask8)((1u << cr) - 1), _mm512_maskz_compress_pd(r, Wv));
		i += cl;
		nr += cr;
	}
	_mm256_storeu_ps(la, va);
	_mm256_storeu_ps(lb, vb);
	for (size_t j = 0; j < 8; j++) {
		a = la[j] > a ? la[j] : a;
		b = lb[j] < b ? lb[j] : b;
	}
	*pa = a;
	*pb = b;
	*pnr = nr;
	return i;
}


#endif

#ifdef TREE_SIMD
/* The first zero value (of either sign) of the rows at [p0, p1), 0 if none. */
static float first_zero(const uint32_t *smp, size_t p0, size_t p1, const float *col, size_t st)
{
	for (size_t p = p0; p < p1; p++) {
		float v = col[(size_t)smp[p] * st];

		if (v == 0)
			return v;
	}
	return 0;
}
#endif

static inline size_t partition_rows(grower *g, size_t start, size_t end, const float *col,
				    const uint8_t *code, size_t st, int bin, float thr, int by,
				    float *pa, float *pb)
{
	uint32_t *smp = g->samples, *ts = g->tmp_s;
	int32_t *py = g->py, *ty = g->tmp_y;
	double *pw = g->pw, *tw = g->tmp_w;
	size_t i = start, nr = 0, p0 = start;
	float a = -INFINITY, b = INFINITY;

#ifdef TREE_SIMD
	if (g->simd) {
		i = partition_avx512(g, start, end, col, code, st, bin, thr, by, &nr, &a, &b);
		p0 = end;	/* the loop below has nothing left */
	}
#endif
	for (size_t p = p0; p < end; p++) {
		uint32_t s = smp[p];
		int32_t y = py[p];
		double w = pw[p];
		size_t l;

		if (p + PREFETCH_AHEAD < end) {
			size_t q = (size_t)smp[p + PREFETCH_AHEAD] * st;

			if (by == 0)
				__builtin_prefetch(col + q);
			else
				__builtin_prefetch(code + q);
		}
		if (by == 0)
			l = col[(size_t)s * st] <= thr;
		else
			l = code[(size_t)s * st] <= bin;
		smp[i] = s;
		py[i] = y;
		pw[i] = w;
		ts[nr] = s;
		ty[nr] = y;
		tw[nr] = w;
		i += l;
		nr += l ^ 1;
	}
	memcpy(smp + i, ts, nr * sizeof(uint32_t));
	memcpy(py + i, ty, nr * sizeof(int32_t));
	memcpy(pw + i, tw, nr * sizeof(double));
#ifdef TREE_SIMD
	if (by >= 2 && g->simd) {
		/* a zero takes the sign of the first zero on its side */
		if (a == 0)
			a = first_zero(smp, start, i, col, st);
		if (b == 0)
			b = first_zero(smp, i, end, col, st);
		*pa = a;
		*pb = b;
		return i;
	}
#endif
	if (by == 2) {
		/* a pass of its own: a select inside the loop above becomes a branch */
		for (size_t p = start; p < end; p++) {
			float v = col[(size_t)smp[p] * st];

			if (p + PREFETCH_AHEAD < end)
				__builtin_prefetch(col + (size_t)smp[p + PREFETCH_AHEAD] * st);
			if (p < i)
				a = v > a ? v : a;
			else
				b = v < b ? v : b;
		}
	}
	*pa = a;
	*pb = b;
	return i;
}

/*
 * Class sums c[K] and weight *W of the rows at [start, end), added in row
 * order (with integer weights and two classes as integers: the same doubles).
 */
static void range_counts(const grower *g, size_t start, size_t end, double *c, double *W)
{
	const int32_t *py = g->py;
	const double *pw = g->pw;

	if (g->iw && g->K == 2) {
		uint64_t acc = 0;

		for (size_t p = start; p < end; p++) {
			uint64_t w = (uint64_t)(int64_t)pw[p];

			acc += ((w << 32) & (0 - (uint64_t)(py[p] == 0))) + w;
		}
		c[0] = (double)(acc >> 32);
		c[1] = (double)((uint32_t)acc - (acc >> 32));
		*W = (double)(uint32_t)acc;
		return;
	}
	memset(c, 0, g->K * sizeof(double));
	*W = 0;
	for (size_t p = start; p < end; p++) {
		c[py[p]] += pw[p];
		*W += pw[p];
	}
}

/*
 * Threshold of a split and partition of samples[start,end) (left first).
 * The class sums and weights of both children are added up after it, row
 * by row in the children's order, i.e. the very sums a plain loop over
 * each child's rows forms. With integer weights and the node's sums pc, pW
 * given, only the smaller child's are added up: the other's are the node's
 * minus those (exact integers, the same doubles).
 */
static float apply_split(grower *g, size_t start, size_t end, split *sp, const double *pc,
			 double pW, double *cl, double *wl, double *cr, double *wr)
{
	const float *col;
	const uint8_t *code;
	size_t st = node_src(g, sp->feature, end - start, &col, &code), i;
	float thr = 0, a, b;

	/*
	 * Stable partition: rows stay in increasing index order inside every
	 * node, so the per-feature gathers walk memory forwards (prefetch).
	 * Histogram cuts partition on the codes (same rows as x <= thr); on
	 * quantile bins the same pass finds the node values around the cut.
	 */
	if (!sp->hist) {
		thr = midpoint(sp->a, sp->b);
		i = partition_rows(g, start, end, col, NULL, st, 0, thr, 0, &a, &b);
	} else if (sp->hist == 1) {
		/*
		 * without NaN, code <= bin is value <= hi[bin] (bins are ranges of
		 * the sorted values): partition_avx512 then reads only the values
		 */
		int by = 2;
		float t = 0;

		if (g->simd && !g->bins->nan[sp->feature]) {
			by = 3;
			t = g->bins->hi[(size_t)sp->feature * MAX_BINS + (size_t)sp->bin];
		}
		i = partition_rows(g, start, end, col, code, st, sp->bin, t, by, &a, &b);
		sp->a = a;
		sp->b = b;
		sp->hist = 2;
		thr = midpoint(a, b);
	} else {
		i = partition_rows(g, start, end, col, code, st, sp->bin, 0, 1, &a, &b);
		thr = midpoint(sp->a, sp->b);
	}
	if (pc && g->iw) {
		int ls = i - start <= end - i;
		double *cs = ls ? cl : cr, *co = ls ? cr : cl, *ws = ls ? wl : wr, *wo = ls ? wr : wl;

		range_counts(g, ls ? start : i, ls ? i : end, cs, ws);
		for (size_t k = 0; k < g->K; k++)
			co[k] = pc[k] - cs[k];
		*wo = pW - *ws;
		return thr;
	}
	range_counts(g, start, i, cl, wl);
	range_counts(g, i, end, cr, wr);
	return thr;
}

static void grower_init(grower *g, const tree_data *d, const tree_bins *bins, size_t hist_min,
			const double *w, const uint32_t *rows, size_t n_sel, const tree_opts *o)
{
	size_t n = rows ? n_sel : d->n_rows;

	memset(g, 0, sizeof(*g));
	g->d = d;
	g->w = w;
	g->o = o;
	g->bins = bins;
	g->hist_min = hist_min;
	g->K = d->n_classes ? d->n_classes : 1;
	g->F = d->n_features;
	g->n_rows = d->n_rows;
	g->max_features = o->max_features > 0 && (size_t)o->max_features < g->F
				  ? o->max_features
				  : (int)g->F;
	g->samples = xmalloc((n ? n : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++) {
		uint32_t r = rows ? rows[i] : (uint32_t)i;

		if (!w || w[r] > 0)
			g->samples[g->n++] = r;
	}
	g->py = xmalloc((g->n ? g->n : 1) * sizeof(int32_t));
	g->pw = xmalloc((g->n ? g->n : 1) * sizeof(double));
	for (size_t p = 0; p < g->n; p++) {
		g->py[p] = d->y[g->samples[p]];
		g->pw[p] = w ? w[g->samples[p]] : 1.0;
	}
	{
		double tot = 0;

		g->iw = 1;
		for (size_t p = 0; p < g->n && g->iw; p++) {
			double v = g->pw[p];

			tot += v;
			/* (v > 0: rows of weight 0 are left out) */
			g->iw = v < 0x1p31 && v == (double)(int64_t)v;
		}
		g->iw = g->iw && tot < 0x1p26;
	}
	g->pairs = xmalloc((g->n ? g->n : 1) * sizeof(struct pair));
	g->lcode = xmalloc(g->n ? g->n : 1);
	g->multi = xmalloc(g->n ? g->n : 1);
	g->lval = xmalloc((g->n ? g->n : 1) * sizeof(float));
	g->tmp_s = xmalloc((g->n ? g->n : 1) * sizeof(uint32_t));
	g->tmp_y = xmalloc((g->n ? g->n : 1) * sizeof(int32_t));
	g->tmp_w = xmalloc((g->n ? g->n : 1) * sizeof(double));
	g->hist = xcalloc(2 * MAX_BINS * g->K, sizeof(double));
	g->hcnt = xcalloc(2 * MAX_BINS, sizeof(uint32_t));
	g->hpack = xcalloc(2 * MAX_BINS * g->K, sizeof(uint64_t));
	g->cumi = xmalloc(g->K * sizeof(int64_t));
	g->clsi = xmalloc(g->K * sizeof(int64_t));
	g->off = xcalloc(MAX_BINS, sizeof(uint32_t));
	g->cum = xmalloc(g->K * sizeof(double));
	g->perm = xmalloc((g->F ? g->F : 1) * sizeof(uint32_t));
	g->hsub = g->iw && bins && hist_min && g->max_features >= (int)g->F && g->F * g->K <= 256;
#ifdef TREE_SIMD
	__builtin_cpu_init();
	g->simd = tree_simd && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
		  __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
#endif
	rng_seed(&g->r, o->seed);
	g->t = xcalloc(1, sizeof(tree));
	g->t->n_classes = g->K;
	g->t->n_features = g->F;
}

static void grower_release(grower *g)
{
	free(g->samples);
	free(g->py);
	free(g->pw);
	free(g->off);
	free(g->tmp_s);
	free(g->tmp_y);
	free(g->tmp_w);
	free(g->pairs);
	free(g->lcode);
	free(g->multi);
	free(g->lval);
	free(g->hist);
	free(g->hcnt);
	free(g->hpack);
	free(g->hrow);
	free(g->cumi);
	free(g->clsi);
	free(g->cum);
	free(g->perm);
	presort_free(g->ps);
	for (size_t i = 0; i < g->n_hpool; i++)
		hist_free(g->hpool[i]);
	free(g->hpool);
}

static int is_leaf_node(const grower *g, size_t n_node, int depth, double imp)
{
	const tree_opts *o = g->o;

	return (o->max_depth > 0 && depth >= o->max_depth) ||
	       n_node < (size_t)(o->min_samples_split > 2 ? o->min_samples_split : 2) ||
	       n_node < 2 * (size_t)(o->min_samples_leaf > 1 ? o->min_samples_leaf : 1) ||
	       imp <= DBL_EPSILON;
}

/* Whether a node of n rows at depth, class sums c and weight W, is grown as a leaf. */
static int child_leaf(const grower *g, size_t n, int depth, const double *c, double W)
{
	return n == 0 || is_leaf_node(g, n, depth, gini(c, g->K, W));
}

struct frame {
	size_t start, end;
	int depth;
	int32_t parent;
	int is_left;
	struct nhist *hist;	/* kept histograms (hsub), or NULL */
};

/* ---- histogram subtraction ---- */

static struct nhist *hist_get(grower *g)
{
	struct nhist *h;
	size_t F = g->F ? g->F : 1;

	if (g->n_hpool)
		return g->hpool[--g->n_hpool];
	h = xmalloc(sizeof(*h));
	h->cell = xmalloc(st_mult(st_mult(F * MAX_BINS, g->K), sizeof(uint64_t)));
	h->cnt = xmalloc(st_mult(F * MAX_BINS, sizeof(uint32_t)));
	h->lo = xmalloc(F * sizeof(unsigned));
	h->hi = xmalloc(F * sizeof(unsigned));
	return h;
}

static void hist_put(grower *g, struct nhist *h)
{
	if (!h)
		return;
	if (g->n_hpool == g->cap_hpool) {
		g->cap_hpool = g->cap_hpool ? 2 * g->cap_hpool : 16;
		g->hpool = xreallocarray(g->hpool, g->cap_hpool, sizeof(*g->hpool));
	}
	g->hpool[g->n_hpool++] = h;
}

static void hist_free(struct nhist *h)
{
	free(h->cell);
	free(h->cnt);
	free(h->lo);
	free(h->hi);
	free(h);
}

#ifdef TREE_SIMD
/* Features of a row hist_fill_rows reads at once (one 16-byte load of its codes). */
#define ROW_CODES 16

/*
 * hist_fill on the row-major codes, at every node size (rows in increasing
 * order: big nodes stream through them): a row's codes of all features are
 * adjacent, so each row is read once and adds its packed weight to the F
 * histograms in turn (scratch hrow, zero on entry and on exit; the adds
 * of a row go to F different histograms, so no chain of adds to one cell
 * forms on runs of equal bins). The integer cells are those of hist_packed.
 */
static void hist_fill_rows(grower *g, size_t start, size_t end, const uint8_t *skip, struct nhist *h)
{
	size_t K = g->K, F = g->F;
	const uint8_t *codes = g->bins->codes;
	const uint32_t *smp = g->samples;
	const int32_t *py = g->py;
	const double *pw = g->pw;
	uint64_t *sc = g->hrow;
	__m128i lo = _mm_set1_epi8((char)0xff), hi = _mm_setzero_si128();
	uint8_t l[ROW_CODES], u[ROW_CODES];

	if (!sc)
		sc = g->hrow = xcalloc(F * MAX_BINS * K, sizeof(uint64_t));
	for (size_t p = start; p < end; p++) {
		const uint8_t *c = codes + (size_t)smp[p] * F;
		uint64_t add = (uint64_t)(int64_t)pw[p] << 32 | 1, *hy = sc + py[p];
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)c);

		if (p + PREFETCH_AHEAD < end)
			__builtin_prefetch(codes + (size_t)smp[p + PREFETCH_AHEAD] * F);
		lo = _mm_min_epu8(lo, v);
		hi = _mm_max_epu8(hi, v);
		for (size_t f = 0; f < F; f++)
			hy[(f * MAX_BINS + c[f]) * K] += add;
	}
	_mm_storeu_si128((__m128i *)(void *)l, lo);
	_mm_storeu_si128((__m128i *)(void *)u, hi);
	for (size_t f = 0; f < F; f++) {
		uint64_t *cell = h->cell + f * MAX_BINS * K, *sf = sc + f * MAX_BINS * K;
		uint32_t *cnt = h->cnt + f * MAX_BINS;

		for (size_t c = l[f]; c <= u[f]; c++) {
			uint32_t n = 0;

			for (size_t k = 0; k < K; k++) {
				cell[c * K + k] = sf[c * K + k];
				n += (uint32_t)sf[c * K + k];
				sf[c * K + k] = 0;
			}
			cnt[c] = n;
		}
		if (!skip[f]) {
			h->lo[f] = l[f];
			h->hi[f] = u[f];
		}
	}
}
#endif

/* Count the histograms of the rows at [start, end) into h, features not in skip[]. */
static void hist_fill(grower *g, size_t start, size_t end, const uint8_t *skip, struct nhist *h)
{
	size_t K = g->K;

#ifdef TREE_SIMD
	if (g->F <= ROW_CODES && g->F * K <= 32) {
		hist_fill_rows(g, start, end, skip, h);
		return;
	}
#endif
	for (size_t f = 0; f < g->F; f++) {
		uint64_t *cell = h->cell + f * MAX_BINS * K, *sc = g->hpack;
		uint32_t *cnt = h->cnt + f * MAX_BINS;
		size_t nb = g->bins->nb[f];
		const float *col;
		const uint8_t *code;
		size_t st;
		unsigned lo, hi;

		if (skip[f])
			continue;
		st = node_src(g, (int32_t)f, end - start, &col, &code);
		/* scratch hpack is zero; its merged cells are moved out, leaving it zero */
		hist_packed(g, (int32_t)f, sc, code, st, start, end, &lo, &hi);
		/* cells outside [lo, hi] are stale and never read */
		for (size_t c = lo; c <= hi && c < nb; c++) {
			cnt[c] = g->hcnt[c];
			for (size_t k = 0; k < K; k++) {
				cell[c * K + k] = sc[2 * (c * K + k)];
				sc[2 * (c * K + k)] = 0;
			}
		}
		h->lo[f] = lo;
		h->hi[f] = hi;
	}
}

/*
 * After the split of the node at [start, end) with kept histograms h into
 * [start, mid) and [mid, end): the children's histograms (features not in
 * kids), or NULL for a child too small for the histogram search.
 */
#ifdef TREE_SIMD
/* hist_sub with AVX-512 (the arrays do not overlap). */
SIMD_TARGET static void hist_sub_avx512(uint32_t *ca, const uint32_t *cb, size_t nc, uint64_t *a,
					const uint64_t *b, size_t n)
{
	for (size_t i = 0; i < nc; i += 16) {
		__mmask16 k = (__mmask16)(nc - i >= 16 ? 0xffff : (1u << (nc - i)) - 1);

		_mm512_mask_storeu_epi32(ca + i, k, _mm512_sub_epi32(_mm512_maskz_loadu_epi32(k, ca + i),
								    _mm512_maskz_loadu_epi32(k, cb + i)));
	}
	for (size_t i = 0; i < n; i += 8) {
		__mmask8 k = (__mmask8)(n - i >= 8 ? 0xff : (1u << (n - i)) - 1);

		_mm512_mask_storeu_epi64(a + i, k, _mm512_sub_epi64(_mm512_maskz_loadu_epi64(k, a + i),
								   _mm512_maskz_loadu_epi64(k, b + i)));
	}
}
#endif

/* The histogram subtraction: counts ca[0..nc) -= cb[..], cells a[0..n) -= b[..]. */
static void hist_sub(uint32_t *ca, const uint32_t *cb, size_t nc, uint64_t *a, const uint64_t *b,
		     size_t n, int simd)
{
#ifdef TREE_SIMD
	if (simd) {
		hist_sub_avx512(ca, cb, nc, a, b, n);
		return;
	}
#endif
	(void)simd;
	for (size_t i = 0; i < nc; i++)
		ca[i] -= cb[i];
	for (size_t i = 0; i < n; i++)
		a[i] -= b[i];
}

static void hist_children(grower *g, size_t start, size_t mid, size_t end, const uint8_t *kids,
			  struct nhist *h, struct nhist **hl, struct nhist **hr)
{
	int left_small = mid - start <= end - mid;
	size_t s0 = left_small ? start : mid, s1 = left_small ? mid : end;
	size_t big = left_small ? end - mid : mid - start, K = g->K;
	struct nhist *hs;

	*hl = *hr = NULL;
	if (big < g->hist_min) {
		hist_put(g, h);
		return;
	}
	hs = hist_get(g);
	hist_fill(g, s0, s1, kids, hs);
	for (size_t f = 0; f < g->F; f++) {
		uint64_t *a = h->cell + f * MAX_BINS * K;
		const uint64_t *b = hs->cell + f * MAX_BINS * K;
		uint32_t *ca = h->cnt + f * MAX_BINS;
		const uint32_t *cb = hs->cnt + f * MAX_BINS;
		unsigned lo = h->lo[f], hi = h->hi[f];

		if (kids[f])
			continue;
		/* the smaller child's bins lie inside the node's */
		hist_sub(ca + hs->lo[f], cb + hs->lo[f], hs->hi[f] + 1 - hs->lo[f], a + hs->lo[f] * K,
			 b + hs->lo[f] * K, (hs->hi[f] + 1 - hs->lo[f]) * K, g->simd);
		while (lo < hi && !ca[lo])
			lo++;
		while (hi > lo && !ca[hi])
			hi--;
		h->lo[f] = lo;
		h->hi[f] = hi;
	}
	if (s1 - s0 < g->hist_min) {
		hist_put(g, hs);
		hs = NULL;
	}
	*hl = left_small ? hs : h;
	*hr = left_small ? h : hs;
}

/*
 * Split the presorted node at [lo, hi) on feature f, the nl rows first in
 * f's list going left: the children's class sums and weights, and the side
 * of every row (ps->left, by lid) for presort_part.
 */
static void presort_sums(grower *g, size_t lo, size_t hi, int32_t f, size_t nl, double *cl,
			 double *wl, double *cr, double *wr)
{
	presort *ps = g->ps;
	const struct pair *sf = ps->list + (size_t)f * ps->cap + lo;
	const int32_t *ly = ps->ly;
	const double *lw = ps->lw;
	uint8_t *left = ps->left;
	uint32_t lm = ps->lmask;
	size_t m = hi - lo, K = g->K;

	if (ps->lyw) {
		/* integer sums: the doubles the loop below adds up */
		const uint64_t *lyw = ps->lyw;
		uint64_t a = 0, b = 0;

		for (size_t p = 0; p < nl; p++) {
			uint32_t q = sf[p].i & lm;

			left[q] = 1;
			a += lyw[q];
		}
		for (size_t p = nl; p < m; p++) {
			uint32_t q = sf[p].i & lm;

			left[q] = 0;
			b += lyw[q];
		}
		cl[0] = (double)(a >> 32);
		cl[1] = (double)((uint32_t)a - (a >> 32));
		*wl = (double)(uint32_t)a;
		cr[0] = (double)(b >> 32);
		cr[1] = (double)((uint32_t)b - (b >> 32));
		*wr = (double)(uint32_t)b;
	} else {
		double WL = 0, WR = 0;

		memset(cl, 0, K * sizeof(double));
		memset(cr, 0, K * sizeof(double));
		for (size_t p = 0; p < nl; p++) {
			uint32_t q = sf[p].i & lm;

			left[q] = 1;
			cl[ly[q]] += lw[q];
			WL += lw[q];
		}
		for (size_t p = nl; p < m; p++) {
			uint32_t q = sf[p].i & lm;

			left[q] = 0;
			cr[ly[q]] += lw[q];
			WR += lw[q];
		}
		*wl = WL;
		*wr = WR;
	}
}

/*
 * Stable partition of the m entries of array a (type T; ID(x) the lid of
 * entry x) by ps->left, without branches (the side of a row is data):
 * keep 3: left rows first, then right (every entry is written to both
 * sides, the side it belongs to advances; i <= p, so the in-place side never
 * overwrites an unread entry); keep 1: only the left rows, at the front;
 * keep 2: only the right rows, at the back (read backwards, r - 1 >= p).
 * The dropped side's range is left with stale entries (a leaf reads none).
 */
#define PRESORT_PART(T, a, tmp, m, left, keep, ID)                      \
	do {                                                            \
		size_t i_ = 0, r_ = 0;                                  \
		if ((keep) == 3) {                                      \
			for (size_t p_ = 0; p_ < (m); p_++) {           \
				T x_ = (a)[p_];                         \
				size_t l_ = (left)[ID(x_)];             \
				(a)[i_] = x_;                           \
				(tmp)[r_] = x_;                         \
				i_ += l_;                               \
				r_ += l_ ^ 1;                           \
			}                                               \
			memcpy((a) + i_, (tmp), r_ * sizeof(T));        \
		} else if ((keep) == 1) {                               \
			for (size_t p_ = 0; p_ < (m); p_++) {           \
				T x_ = (a)[p_];                         \
				(a)[i_] = x_;                           \
				i_ += (left)[ID(x_)];                   \
			}                                               \
		} else {                                                \
			r_ = (m);                                       \
			for (size_t p_ = (m); p_-- > 0;) {              \
				T x_ = (a)[p_];                         \
				(a)[r_ - 1] = x_;                       \
				r_ -= (left)[ID(x_)] ^ 1;               \
			}                                               \
		}                                                       \
	} while (0)
#define PS_LID(x) ((x) & lm)
#define PS_PAIR_LID(x) ((x).i & lm)

/*
 * After presort_sums: the lists the children read partitioned. keep: bit 0
 * the left child, bit 1 the right child will be searched (not a leaf); only
 * the lists sorted for the node (mat) other than f's own (already split at
 * nl) move, and the lids in order only while a feature neither sorted nor
 * known constant (kids) may still be sorted below.
 */
static void presort_part(grower *g, size_t lo, size_t hi, int32_t f, const uint8_t *mat,
			 const uint8_t *kids, unsigned keep)
{
	presort *ps = g->ps;
	const uint8_t *left = ps->left;
	uint32_t lm = ps->lmask;
	size_t m = hi - lo, F = g->F;
	int unsorted = 0;

	if (!keep)
		return;
	for (size_t j = 0; j < F; j++)
		unsorted |= !mat[j] && !kids[j];
	if (unsorted) {
		uint32_t *o = ps->order + lo, *tmp = ps->rows;

		PRESORT_PART(uint32_t, o, tmp, m, left, keep, PS_LID);
	}
	for (size_t j = 0; j < F; j++) {
		struct pair *pr = ps->list + j * ps->cap + lo, *tmp = ps->tmp;

		if (!mat[j] || (int32_t)j == f)
			continue;
		PRESORT_PART(struct pair, pr, tmp, m, left, keep, PS_PAIR_LID);
	}
}

/*
 * Grow the whole subtree of node e (class sums cls, weight W, features
 * known constant) on presorted lists: the nodes, rng draws and splits of
 * grow_depth_first, in the same order.
 */
static void grow_presorted(grower *g, const struct frame *e0, const double *cls, double W,
			   const uint8_t *known)
{
	size_t F = g->F, K = g->K, Fs = F ? F : 1, m = e0->end - e0->start, sp = 0, cap = 16;
	presort *ps = presort_get(g, m);
	struct frame *st = xmalloc(cap * sizeof(*st));
	/* per frame: the known constant features, then the features sorted for it */
	uint8_t *flags = xmalloc(cap * 2 * Fs), *kids = xmalloc(Fs), *mat = xmalloc(Fs);
	double *fcls = xmalloc(cap * K * sizeof(double)), *fw = xmalloc(cap * sizeof(double));
	double *c = xmalloc(K * sizeof(double));
	tree *t = g->t;

	ps->m = m;
	ps->lrow = g->samples + e0->start;
	ps->ly = g->py + e0->start;
	ps->lw = g->pw + e0->start;
	ps->lyw = NULL;
	if (K == 2) {
		ps->lyw = ps->ywbuf;
		for (size_t p = 0; p < m; p++) {
			uint64_t w = (uint64_t)(int64_t)ps->lw[p];

			ps->lyw[p] = (ps->ly[p] == 0 ? w << 32 : 0) + w;
		}
	}
	ps->packed = K == 2 && m <= 65536 && W < 32768;
	ps->lmask = ps->packed ? 0xffff : 0xffffffff;
	for (size_t p = 0; p < m; p++)
		ps->order[p] = (uint32_t)p | (ps->packed ? (uint32_t)ps->lw[p] << 16 |
								   (uint32_t)(ps->ly[p] == 0) << 31
							 : 0);
	memcpy(fcls, cls, K * sizeof(double));
	fw[0] = W;
	memcpy(flags, known, F);
	memset(flags + Fs, 0, Fs);
	st[sp++] = (struct frame){ 0, m, e0->depth, e0->parent, e0->is_left, NULL };
	while (sp > 0) {
		struct frame e = st[--sp];
		size_t n = e.end - e.start, nl;
		double Wn = fw[sp], imp;
		split best;
		int leaf;
		unsigned keep;
		int32_t id;

		memcpy(c, fcls + sp * K, K * sizeof(double));
		memcpy(mat, flags + sp * 2 * Fs + Fs, Fs);
		imp = gini(c, K, Wn);
		leaf = n == 0 || is_leaf_node(g, n, e.depth, imp);
		if (!leaf) {
			find_split(g, e.start, e.end, flags + sp * 2 * Fs, kids, mat, c, Wn, &best);
			leaf = !best.found;
		}
		id = add_node(t, e.parent, e.is_left, c, Wn, (uint32_t)n, imp);
		if (e.depth > t->max_depth_seen)
			t->max_depth_seen = e.depth;
		if (leaf)
			continue;
		if (sp + 2 > cap) {
			cap *= 2;
			st = xreallocarray(st, cap, sizeof(*st));
			flags = xreallocarray(flags, cap, 2 * Fs);
			fcls = xreallocarray(fcls, cap * K, sizeof(double));
			fw = xreallocarray(fw, cap, sizeof(double));
		}
		nl = best.n_left;
		t->nodes[id].feature = best.feature;
		t->nodes[id].threshold = midpoint(best.a, best.b);
		presort_sums(g, e.start, e.end, best.feature, nl, fcls + (sp + 1) * K, &fw[sp + 1],
			     fcls + sp * K, &fw[sp]);
		/* a child grown as a leaf reads no list */
		keep = (unsigned)!child_leaf(g, nl, e.depth + 1, fcls + (sp + 1) * K, fw[sp + 1]);
		keep |= (unsigned)!child_leaf(g, n - nl, e.depth + 1, fcls + sp * K, fw[sp]) << 1;
		presort_part(g, e.start, e.end, best.feature, mat, kids, keep);
		/* right pushed first so that the left subtree comes first (pre-order) */
		memcpy(flags + sp * 2 * Fs, kids, Fs);
		memcpy(flags + sp * 2 * Fs + Fs, mat, Fs);
		st[sp++] = (struct frame){ e.start + nl, e.end, e.depth + 1, id, 0, NULL };
		memcpy(flags + sp * 2 * Fs, kids, Fs);
		memcpy(flags + sp * 2 * Fs + Fs, mat, Fs);
		st[sp++] = (struct frame){ e.start, e.start + nl, e.depth + 1, id, 1, NULL };
	}
	free(st);
	free(flags);
	free(kids);
	free(mat);
	free(fcls);
	free(fw);
	free(c);
}

static tree *grow_depth_first(grower *g)
{
	size_t F = g->F, K = g->K, sp = 0, cap = 16;
	struct frame *st = xmalloc(cap * sizeof(*st));
	uint8_t *flags = xcalloc(cap * (F ? F : 1), 1);
	uint8_t *kids = xmalloc(F ? F : 1);
	/* class sums and weight of each frame's node (computed by the parent's partition) */
	double *fcls = xmalloc(cap * K * sizeof(double)), *fw = xmalloc(cap * sizeof(double));
	double *cls = xmalloc(K * sizeof(double));
	tree *t = g->t;

	range_counts(g, 0, g->n, fcls, fw);
	st[sp++] = (struct frame){ 0, g->n, 0, -1, 0, NULL };
	while (sp > 0) {
		struct frame e = st[--sp];
		size_t m = e.end - e.start;
		double W = fw[sp], imp;
		split best;
		int leaf;
		int32_t id;

		memcpy(cls, fcls + sp * K, K * sizeof(double));
		if (presort_here(g, m)) {
			hist_put(g, e.hist);
			grow_presorted(g, &e, cls, W, flags + sp * F);
			continue;
		}
		imp = gini(cls, K, W);
		leaf = m == 0 || is_leaf_node(g, m, e.depth, imp);
		if (!leaf) {
			if (g->hsub && m >= g->hist_min && !e.hist) {
				e.hist = hist_get(g);
				hist_fill(g, e.start, e.end, flags + sp * F, e.hist);
			}
			g->node_hist = e.hist;
			find_split(g, e.start, e.end, flags + sp * F, kids, NULL, cls, W, &best);
			g->node_hist = NULL;
			leaf = !best.found;
		}
		id = add_node(t, e.parent, e.is_left, cls, W, (uint32_t)m, imp);
		if (e.depth > t->max_depth_seen)
			t->max_depth_seen = e.depth;
		if (leaf) {
			hist_put(g, e.hist);
			continue;
		}
		if (sp + 2 > cap) {
			cap *= 2;
			st = xreallocarray(st, cap, sizeof(*st));
			flags = xreallocarray(flags, cap, F ? F : 1);
			fcls = xreallocarray(fcls, cap * K, sizeof(double));
			fw = xreallocarray(fw, cap, sizeof(double));
		}
		t->nodes[id].feature = best.feature;
		/* right pushed first so that the left subtree comes first (pre-order) */
		t->nodes[id].threshold = apply_split(g, e.start, e.end, &best, cls, W, fcls + (sp + 1) * K,
						     &fw[sp + 1], fcls + sp * K, &fw[sp]);
		{
			struct nhist *hl = NULL, *hr = NULL;

			if (e.hist)
				hist_children(g, e.start, e.start + best.n_left, e.end, kids, e.hist, &hl,
					      &hr);
			memcpy(flags + sp * F, kids, F);
			st[sp++] = (struct frame){ e.start + best.n_left, e.end, e.depth + 1, id, 0, hr };
			memcpy(flags + sp * F, kids, F);
			st[sp++] = (struct frame){ e.start, e.start + best.n_left, e.depth + 1, id, 1, hl };
		}
	}
	free(st);
	free(flags);
	free(kids);
	free(fcls);
	free(fw);
	free(cls);
	return t;
}

/* ---- best-first (max_leaves) as scikit-learn's BestFirstTreeBuilder ---- */

struct cand {
	size_t start, end;
	int depth;
	int32_t id;
	int leaf;
	double improvement;
	split sp;
	uint8_t *kids;
};

static void cand_eval(grower *g, struct cand *c, const uint8_t *known, double W_root)
{
	size_t K = g->K, m = c->end - c->start;
	double *cls = g->t->value + (size_t)c->id * K;
	double W = g->t->nodes[c->id].weighted, imp = g->t->nodes[c->id].impurity;

	c->kids = xmalloc(g->F ? g->F : 1);
	c->leaf = is_leaf_node(g, m, c->depth, imp);
	c->improvement = 0;
	if (!c->leaf) {
		/* cls points into t->value which find_split does not touch */
		double *cpy = xmalloc(K * sizeof(double));

		memcpy(cpy, cls, K * sizeof(double));
		find_split(g, c->start, c->end, known, c->kids, NULL, cpy, W, &c->sp);
		if (!c->sp.found) {
			c->leaf = 1;
		} else {
			/* actual impurity improvement of the split */
			const float *col = g->d->X + (size_t)c->sp.feature * g->n_rows;
			double *l = xcalloc(K, sizeof(double)), wl = 0, il, ir;
			float thr;

			if (c->sp.hist) {
				split tmp = c->sp;
				double *sc = xmalloc(2 * K * sizeof(double)), sw[2];

				/* the node values around the cut: partitioning is harmless here */
				thr = apply_split(g, c->start, c->end, &tmp, NULL, 0, sc, &sw[0], sc + K, &sw[1]);
				c->sp = tmp;
				free(sc);
			} else {
				thr = midpoint(c->sp.a, c->sp.b);
			}
			for (size_t p = c->start; p < c->end; p++) {
				uint32_t s = g->samples[p];

				if (col[s] <= thr) {
					l[g->d->y[s]] += wt(g, s);
					wl += wt(g, s);
				}
			}
			il = gini(l, K, wl);
			for (size_t k = 0; k < K; k++)
				l[k] = cpy[k] - l[k];
			ir = gini(l, K, W - wl);
			c->improvement = (W / W_root) * (imp - (wl / W) * il - ((W - wl) / W) * ir);
			free(l);
		}
		free(cpy);
	}
}

static tree *grow_best_first(grower *g)
{
	size_t K = g->K, F = g->F, nh = 0, hcap = 16;
	/* The leaves still to split, in no order: each step takes the best by a
	 * linear scan (max_leaves keeps the list short, so no heap is kept). */
	struct cand *frontier = xmalloc(hcap * sizeof(*frontier));
	double *cls = xmalloc(K * sizeof(double)), *rcls = xmalloc(K * sizeof(double)), W, W_root;
	uint8_t *none = xcalloc(F ? F : 1, 1);
	int max_split = g->o->max_leaves - 1;
	tree *t = g->t;
	struct cand c = { 0 };

	range_counts(g, 0, g->n, cls, &W);
	W_root = W > 0 ? W : 1;
	c.start = 0;
	c.end = g->n;
	c.id = add_node(t, -1, 0, cls, W, (uint32_t)g->n, gini(cls, K, W));
	cand_eval(g, &c, none, W_root);
	frontier[nh++] = c;
	while (nh > 0) {
		/* take the best improvement (ties: earliest node id) */
		size_t bi = 0;

		for (size_t i = 1; i < nh; i++)
			if (frontier[i].improvement > frontier[bi].improvement ||
			    (frontier[i].improvement == frontier[bi].improvement && frontier[i].id < frontier[bi].id))
				bi = i;
		c = frontier[bi];
		frontier[bi] = frontier[--nh];
		if (c.depth > t->max_depth_seen)
			t->max_depth_seen = c.depth;
		if (c.leaf || max_split <= 0) {
			free(c.kids);
			continue;
		}
		max_split--;
		{
			double WR;
			float thr = apply_split(g, c.start, c.end, &c.sp, NULL, 0, cls, &W, rcls, &WR);
			size_t mid = c.start + c.sp.n_left;
			struct cand l = { 0 }, r = { 0 };

			t->nodes[c.id].feature = c.sp.feature;
			t->nodes[c.id].threshold = thr;
			l.start = c.start;
			l.end = mid;
			l.depth = c.depth + 1;
			l.id = add_node(t, c.id, 1, cls, W, (uint32_t)(mid - c.start), gini(cls, K, W));
			memcpy(cls, rcls, K * sizeof(double));
			W = WR;
			r.start = mid;
			r.end = c.end;
			r.depth = c.depth + 1;
			r.id = add_node(t, c.id, 0, cls, W, (uint32_t)(c.end - mid), gini(cls, K, W));
			cand_eval(g, &l, c.kids, W_root);
			cand_eval(g, &r, c.kids, W_root);
			free(c.kids);
			if (nh + 2 > hcap) {
				hcap *= 2;
				frontier = xreallocarray(frontier, hcap, sizeof(*frontier));
			}
			frontier[nh++] = l;
			frontier[nh++] = r;
		}
	}
	free(frontier);
	free(cls);
	free(rcls);
	free(none);
	return t;
}

tree *tree_grow_binned(const tree_data *d, const tree_bins *b, size_t hist_min, const double *w,
		       const uint32_t *rows, size_t n_sel, const tree_opts *o)
{
	grower g;
	tree *t;

	grower_init(&g, d, b, hist_min, w, rows, n_sel, o);
	if (o->max_leaves > 0)
		t = grow_best_first(&g);
	else
		t = grow_depth_first(&g);
	grower_release(&g);
	/* shrink to fit: forests keep thousands of trees in memory */
	if (t->n_nodes && t->n_nodes < t->cap) {
		t->nodes = xreallocarray(t->nodes, t->n_nodes, sizeof(*t->nodes));
		t->value = xreallocarray(t->value, st_mult(t->n_nodes, t->n_classes), sizeof(double));
		t->cap = t->n_nodes;
	}
	return t;
}

tree *tree_grow(const tree_data *d, const double *w, const uint32_t *rows, size_t n_sel,
		const tree_opts *o)
{
	return tree_grow_binned(d, NULL, 0, w, rows, n_sel, o);
}

/* ---- queries ---- */

int32_t tree_apply(const tree *t, const float *x)
{
	int32_t i = 0;

	if (!t->n_nodes)
		return -1;
	while (t->nodes[i].left != TREE_LEAF)
		i = x[t->nodes[i].feature] <= t->nodes[i].threshold ? t->nodes[i].left
								    : t->nodes[i].right;
	return i;
}

int32_t tree_apply_col(const tree *t, const float *X, size_t n_rows, size_t row)
{
	int32_t i = 0;

	if (!t->n_nodes)
		return -1;
	while (t->nodes[i].left != TREE_LEAF) {
		const tree_node *nd = &t->nodes[i];

		i = X[(size_t)nd->feature * n_rows + row] <= nd->threshold ? nd->left : nd->right;
	}
	return i;
}

void tree_leaf_proba(const tree *t, int32_t leaf, double *proba)
{
	const double *v = t->value + (size_t)leaf * t->n_classes;
	double s = 0;

	for (size_t k = 0; k < t->n_classes; k++)
		s += v[k];
	for (size_t k = 0; k < t->n_classes; k++)
		proba[k] = s > 0 ? v[k] / s : 0;
}

int tree_is_leaf(const tree *t, int32_t node)
{
	return t->nodes[node].left == TREE_LEAF || t->nodes[node].right == TREE_LEAF;
}

int32_t tree_node_class(const tree *t, int32_t node)
{
	const double *v = t->value + (size_t)node * t->n_classes;
	int32_t best = 0;

	for (size_t k = 1; k < t->n_classes; k++)
		if (v[k] > v[best])
			best = (int32_t)k;
	return best;
}

size_t tree_n_leaves(const tree *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].left == TREE_LEAF)
			n++;
	return n;
}

int tree_depth(const tree *t)
{
	/* nodes are stored parents first: compute depth in one pass */
	int *dep, best = 0;

	if (!t->n_nodes)
		return 0;
	dep = xcalloc(t->n_nodes, sizeof(int));
	for (size_t i = 0; i < t->n_nodes; i++) {
		const tree_node *nd = &t->nodes[i];

		if (dep[i] > best)
			best = dep[i];
		if (nd->left != TREE_LEAF) {
			dep[nd->left] = dep[i] + 1;
			dep[nd->right] = dep[i] + 1;
		}
	}
	free(dep);
	return best;
}

void tree_importances(const tree *t, double *imp)
{
	double sum = 0, root;

	memset(imp, 0, t->n_features * sizeof(double));
	if (t->n_nodes <= 1)
		return;
	root = t->nodes[0].weighted;
	for (size_t i = 0; i < t->n_nodes; i++) {
		const tree_node *nd = &t->nodes[i];
		const tree_node *l, *r;

		if (nd->left == TREE_LEAF)
			continue;
		l = &t->nodes[nd->left];
		r = &t->nodes[nd->right];
		imp[nd->feature] += nd->weighted * nd->impurity - l->weighted * l->impurity -
				    r->weighted * r->impurity;
	}
	for (size_t f = 0; f < t->n_features; f++) {
		imp[f] /= root;
		sum += imp[f];
	}
	if (sum > 0)
		for (size_t f = 0; f < t->n_features; f++)
			imp[f] /= sum;
}

/* ---- bins ---- */

struct bins_job {
	const tree_data *d;
	tree_bins *b;
	size_t next, end;
	pthread_mutex_t *mu;
};

static uint32_t float_key(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

static float key_float(uint32_t k)
{
	uint32_t u = (k & 0x80000000u) ? k & 0x7fffffffu : ~k;
	float f;

	memcpy(&f, &u, 4);
	return f;
}

/*
 * LSD radix sort of (float key << 32 | row) pairs on the key bytes; rows of
 * equal values keep their order. Returns the sorted array (a or b).
 */
static uint64_t *sort_keyed(const float *v, uint64_t *a, uint64_t *b, size_t n)
{
	size_t cnt[256];

	for (size_t i = 0; i < n; i++)
		a[i] = (uint64_t)float_key(v[i]) << 32 | (uint64_t)i;
	for (int shift = 32; shift < 64; shift += 8) {
		size_t sum = 0;

		memset(cnt, 0, sizeof(cnt));
		for (size_t i = 0; i < n; i++)
			cnt[(a[i] >> shift) & 255]++;
		if (cnt[(a[0] >> shift) & 255] == n)
			continue;
		for (int c = 0; c < 256; c++) {
			size_t k = cnt[c];

			cnt[c] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			b[cnt[(a[i] >> shift) & 255]++] = a[i];
		{
			uint64_t *t = a;

			a = b;
			b = t;
		}
	}
	return a;
}

static void bins_feature(const tree_data *d, tree_bins *b, size_t f, float *tmp, uint64_t *ka,
			 uint64_t *kb)
{
	const float *col = d->X + f * d->n_rows;
	size_t n = d->n_rows, nu = 0, nb = 0;
	float *lo = b->lo + f * MAX_BINS, *hi = b->hi + f * MAX_BINS;
	uint8_t *code = b->ccodes + f * n;
	uint64_t *srt = n ? sort_keyed(col, ka, kb, n) : ka;
	size_t bstart[MAX_BINS + 1];

	for (size_t i = 0; i < n; i++)
		tmp[i] = key_float((uint32_t)(srt[i] >> 32));
	for (size_t i = 0; i < n; i++)
		if (i == 0 || tmp[i] != tmp[i - 1])
			nu++;
	if (nu <= MAX_BINS) {
		for (size_t i = 0; i < n; i++)
			if (i == 0 || tmp[i] != tmp[i - 1]) {
				lo[nb] = hi[nb] = tmp[i];
				bstart[nb] = i;
				nb++;
			}
	} else {
		/* quantile bins on distinct-value boundaries */
		size_t i = 0;

		while (i < n && nb < MAX_BINS) {
			size_t target = (size_t)((double)(nb + 1) * (double)n / MAX_BINS);
			size_t j = i;

			if (nb == MAX_BINS - 1)
				target = n;
			if (target <= i)
				target = i + 1;
			/* take whole runs of equal values until target reached */
			while (j < n && (j < target || tmp[j] == tmp[j - 1]))
				j++;
			lo[nb] = tmp[i];
			hi[nb] = tmp[j - 1];
			bstart[nb] = i;
			nb++;
			i = j;
		}
	}
	bstart[nb] = n;
	if (nb == 0) {
		lo[0] = hi[0] = 0;
		nb = 1;
		bstart[1] = n;
	}
	b->nb[f] = (uint16_t)nb;
	b->exact[f] = nu <= MAX_BINS;
	for (size_t i = 0; i < n && !b->nan[f]; i++)
		b->nan[f] = tmp[i] != tmp[i];
	for (size_t k = 0; k < nb; k++)
		for (size_t i = bstart[k]; i < bstart[k + 1]; i++)
			code[(uint32_t)srt[i]] = (uint8_t)k;
}

static void *bins_worker(void *arg)
{
	struct bins_job *j = arg;
	size_t n = j->d->n_rows ? j->d->n_rows : 1;
	float *tmp = xmalloc(n * sizeof(float));
	uint64_t *ka = xmalloc(n * sizeof(uint64_t)), *kb = xmalloc(n * sizeof(uint64_t));

	for (;;) {
		size_t f;

		pthread_mutex_lock(j->mu);
		f = j->next++;
		pthread_mutex_unlock(j->mu);
		if (f >= j->end)
			break;
		bins_feature(j->d, j->b, f, tmp, ka, kb);
	}
	free(tmp);
	free(ka);
	free(kb);
	return NULL;
}

tree_bins *tree_bins_build(const tree_data *d, int threads)
{
	tree_bins *b = xcalloc(1, sizeof(*b));
	size_t F = d->n_features ? d->n_features : 1;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct bins_job job = { d, b, 0, d->n_features, &mu };
	pthread_t th[64];
	int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads, started = 0;

	b->n_rows = d->n_rows;
	b->n_features = d->n_features;
	/* + 4: partition_avx512 gathers a row's code in a 4-byte word */
	b->ccodes = xmalloc(st_add(st_mult(F, d->n_rows ? d->n_rows : 1), 4));
	b->nb = xcalloc(F, sizeof(uint16_t));
	b->lo = xcalloc(F * MAX_BINS, sizeof(float));
	b->hi = xcalloc(F * MAX_BINS, sizeof(float));
	b->exact = xcalloc(F, 1);
	b->nan = xcalloc(F, 1);
	for (int i = 1; i < nt; i++)
		if (!pthread_create(&th[started], NULL, bins_worker, &job))
			started++;
	bins_worker(&job);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	/* row-major copies of the codes and of X, in blocks of rows */
	{
		size_t n = d->n_rows, nf = d->n_features;

		/* + 16: a row's codes are read in one 16-byte load (hist_fill_rows) */
		b->codes = xmalloc(st_add(st_mult(F, n ? n : 1), 16));
		b->rx = xmalloc(st_mult(st_mult(F, n ? n : 1), sizeof(float)));
		for (size_t r0 = 0; r0 < n; r0 += 1024) {
			size_t r1 = r0 + 1024 < n ? r0 + 1024 : n;

			for (size_t f = 0; f < nf; f++) {
				const uint8_t *cc = b->ccodes + f * n;
				const float *xc = d->X + f * n;

				for (size_t r = r0; r < r1; r++) {
					b->codes[r * nf + f] = cc[r];
					b->rx[r * nf + f] = xc[r];
				}
			}
		}
	}
	return b;
}

void tree_bins_free(tree_bins *b)
{
	if (!b)
		return;
	free(b->codes);
	free(b->ccodes);
	free(b->rx);
	free(b->nb);
	free(b->lo);
	free(b->hi);
	free(b->exact);
	free(b->nan);
	free(b);
}

void tree_bins_get(const tree_bins *b, tree_bins_view *v)
{
	*v = (tree_bins_view){ b->codes, b->ccodes, b->rx, b->nb, b->lo, b->hi, b->exact };
}

float tree_midpoint(float a, float b)
{
	return midpoint(a, b);
}

double tree_gini(const double *c, size_t K, double W)
{
	return gini(c, K, W);
}

int32_t tree_add_node(tree *t, int32_t parent, int is_left, const double *cls, double W,
		      uint32_t n, double imp)
{
	return add_node(t, parent, is_left, cls, W, n, imp);
}
