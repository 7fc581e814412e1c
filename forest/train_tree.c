/*
 * train_tree.c: forest's tree grower. It makes the decisions of
 * tree_grow_binned (common/tree.c: the same feature draws, candidate cuts,
 * proxies, ties, thresholds and node order) with integer weights only, which
 * lets it keep less per row:
 *  - a node row is its index and one word `class | weight << 8`; the
 *    partition moves 8 bytes a row, histograms add `weight << 32 | 1` into
 *    class-major cells without a conversion;
 *  - an exact search gathers (value, class|weight) pairs, so the sweep reads
 *    them in order instead of through the row index, and a feature whose
 *    node values span no more than 1e-7 is known constant before any sort;
 *  - a value cut's sorted pairs are kept by node position: the children's
 *    rows in the cut feature's order are two parts of them, not re-sorted;
 *  - the scratch (rows, pairs, histograms, stacks) lives as long as the
 *    thread, not one tree.
 * With integer weights every class sum, square and sum of squares is an
 * integer below 2^53, so the order rows are added in never changes a result.
 */
#include "train_tree.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_RANK_SORT 1
#endif

/* GCC's -O2 vectorises only loops of known trip count; the histogram merge needs more */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#define CONST_GAP 1e-7		/* values closer than this are one value (tree.c's FEATURE_THRESHOLD) */
#define NB TREE_MAX_BINS
#define EXACT_HIST_MIN 96	/* tree.c: one-bin-per-value features use histograms from here */
#define PF_AHEAD 48		/* rows ahead a gather prefetches (smp has that many more words) */
#define W_BITS 24		/* a weight sits above the 8 class bits of a row word */
#define HIST_BATCH 8		/* histograms filled in one pass over a node's rows */
#define KEY_BUCKET_BITS 12	/* key_sort spreads on at most 2^12 buckets */
#define INSERT_MAX 24		/* sort_vy sorts up to this many pairs by insertion */

struct vy {
	float v;		/* node value of the feature */
	uint32_t yw;		/* class | weight << 8 of its row */
};

enum { CUT_VALUE, CUT_QBIN, CUT_VBIN };	/* threshold from a,b / from the partition / from the bin table */
enum { RES_OK, RES_CONST, RES_EXACT };

struct cut {
	int found, kind, bin, bin2;	/* last bin going left, first going right (histogram cuts) */
	int32_t f;
	size_t n_left;
	double proxy;
	float a, b;		/* node values around the cut */
};

struct frame {
	size_t start, end;
	int depth;
	int32_t parent;
	int is_left;
	int32_t sorted;		/* feature whose sorted pairs ps[start..end) holds, or -1 */
};

struct ftrainer {
	const tree_data *d;
	tree_bins_view bv;
	size_t hist_min, F, K, n_rows, n;
	int maxf, msl;
	const tree_opts *o;
	uint32_t *smp, *yw;	/* rows of the nodes, each node a range; their words */
	uint32_t *tsmp, *tyw;	/* partition buffers (rows going right) */
	struct vy *vy, *vy2;	/* sorted node values; gather buffer */
	struct vy *vyb;		/* the sorted pairs of the node's best value cut so far */
	const struct vy *best_pairs;	/* where those are: vyb, or ps + start (reused) */
	struct vy *ps;		/* by node position: pairs sorted on the parent's cut feature */
	int32_t sorted;		/* that feature for the node searched, or -1 */
	uint8_t *lc;		/* gathered bin codes */
	uint32_t *kb, *koff;	/* gathered value keys; key_sort's bucket offsets */
	uint64_t *h;		/* 2 * K * NB cells: row parity p, class k, bin c at (p * K + k) * NB + c */
	uint64_t *hb;		/* HIST_BATCH * K * NB: feature j, class k, bin c at (j * K + k) * NB + c */
	uint32_t *drawn;	/* features of the first draws of a node */
	uint32_t *hc, *off;	/* rows per bin; counting-sort offsets */
	int64_t *ci, *cum;
	uint32_t *perm;
	uint8_t *kids;
	size_t cap;		/* frames the stack arrays hold */
	struct frame *st;
	uint8_t *flags;		/* F per frame: features known constant */
	int64_t *fcls, *fw;	/* K class sums and the weight per frame */
	double *dcls;
	tree_node *snodes;	/* the tree being grown: its nodes and values (scap of each), */
	double *svalue;		/* kept warm from one tree to the next */
	size_t scap;
	tree_arena *arena;	/* where a grown tree's arrays are copied to, or NULL */
	int simd;		/* rank_sort for nodes of at most RANK_MAX rows (AVX-512) */
	rng r;
	tree *t;
};

ftrainer *ftrainer_new(const tree_data *d, const tree_bins *b, size_t hist_min)
{
	ftrainer *g = xcalloc(1, sizeof(*g));
	size_t n = d->n_rows ? d->n_rows : 1;

	g->d = d;
	tree_bins_get(b, &g->bv);
	g->hist_min = hist_min;
	g->F = d->n_features;
	g->K = d->n_classes ? d->n_classes : 1;
	g->n_rows = d->n_rows;
	g->smp = xcalloc(n + PF_AHEAD + 2, sizeof(uint32_t));
	g->yw = xmalloc(n * sizeof(uint32_t));
	g->tsmp = xmalloc(n * sizeof(uint32_t));
	g->tyw = xmalloc(n * sizeof(uint32_t));
	g->vy = xmalloc(n * sizeof(struct vy));
	g->vy2 = xmalloc(n * sizeof(struct vy));
	g->vyb = xmalloc(n * sizeof(struct vy));
	g->ps = xmalloc(n * sizeof(struct vy));
	g->lc = xmalloc(n);
	g->kb = xmalloc((n + 1) * sizeof(uint32_t));	/* + 1: apply_cut lists up to m + 1 */
	g->koff = xmalloc(((size_t)1 << KEY_BUCKET_BITS) * sizeof(uint32_t));
	g->h = xcalloc(st_mult(2 * g->K, NB), sizeof(uint64_t));
	g->hb = xcalloc(st_mult(HIST_BATCH * g->K, NB), sizeof(uint64_t));
	g->drawn = xmalloc((g->F ? g->F : 1) * sizeof(uint32_t));
	g->hc = xcalloc(NB, sizeof(uint32_t));
	g->off = xcalloc(NB, sizeof(uint32_t));
	g->ci = xmalloc(g->K * sizeof(int64_t));
	g->cum = xmalloc(g->K * sizeof(int64_t));
	g->dcls = xmalloc(g->K * sizeof(double));
	g->perm = xmalloc((g->F ? g->F : 1) * sizeof(uint32_t));
	g->kids = xmalloc(g->F ? g->F : 1);
	g->cap = 64;
	g->st = xmalloc(g->cap * sizeof(*g->st));
	g->flags = xmalloc(g->cap * (g->F ? g->F : 1));
	g->fcls = xmalloc(g->cap * g->K * sizeof(int64_t));
	g->fw = xmalloc(g->cap * sizeof(int64_t));
#ifdef HAVE_RANK_SORT
	__builtin_cpu_init();
	g->simd = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("popcnt");
#endif
	return g;
}

void ftrainer_set_simd(ftrainer *g, int on)
{
#ifdef HAVE_RANK_SORT
	__builtin_cpu_init();
	g->simd = on && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("popcnt");
#else
	(void)g;
	(void)on;
#endif
}

void ftrainer_set_arena(ftrainer *g, tree_arena *a)
{
	g->arena = a;
}

void ftrainer_free(ftrainer *g)
{
	if (!g)
		return;
	free(g->snodes);
	free(g->svalue);
	free(g->smp);
	free(g->yw);
	free(g->tsmp);
	free(g->tyw);
	free(g->vy);
	free(g->vy2);
	free(g->vyb);
	free(g->ps);
	free(g->lc);
	free(g->kb);
	free(g->koff);
	free(g->h);
	free(g->hb);
	free(g->drawn);
	free(g->hc);
	free(g->off);
	free(g->ci);
	free(g->cum);
	free(g->dcls);
	free(g->perm);
	free(g->kids);
	free(g->st);
	free(g->flags);
	free(g->fcls);
	free(g->fw);
	free(g);
}

/*
 * Stride and sources of feature f's values and codes for a node of m rows:
 * the columns for big nodes, the row-major copies for small ones
 * (tree_node_reads_columns, the choice of every grower).
 */
static size_t src(const ftrainer *g, int32_t f, size_t m, const float **col, const uint8_t **code)
{
	if (tree_node_reads_columns(m, g->n_rows)) {
		*col = g->d->X + (size_t)f * g->n_rows;
		*code = g->bv.ccodes + (size_t)f * g->n_rows;
		return 1;
	}
	*col = g->bv.rx + f;
	*code = g->bv.codes + f;
	return g->F;
}

/* ---- exact search ---- */

static void sort_small(struct vy *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct vy x = a[i];
		size_t j = i;

		for (; j > 0 && a[j - 1].v > x.v; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Quicksort on v (ties in any order: the sweep never splits equal values). */
static void sort_vy(struct vy *a, size_t n)
{
	while (n > INSERT_MAX) {
		float p = a[n / 2].v;
		size_t i = 0, j = n - 1;

		for (;;) {
			while (a[i].v < p)
				i++;
			while (a[j].v > p)
				j--;
			if (i >= j)
				break;
			struct vy x = a[i];

			a[i++] = a[j];
			a[j--] = x;
		}
		/* [0, j] <= p <= [j + 1, n); loop on the larger part */
		if (j + 1 < n - j - 1) {
			sort_vy(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			sort_vy(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	sort_small(a, n);
}

/*
 * Sweep of the sorted pairs vy[0..m): each position between values more
 * than 1e-7 apart with min_samples_leaf rows on both sides is a candidate;
 * the strictly largest proxy wins. The sums of squares are kept up to date
 * in O(1) a row: (c + w)^2 = c^2 + (2c + w)w on the left, (r - w)^2 =
 * r^2 + (w - 2r)w on the right.
 */
#define SWEEP_ROW()                                         \
	do {                                                \
		size_t k_ = a[p].yw & 255;                  \
		int64_t w_ = a[p].yw >> 8, c_ = ci[k_];     \
                                                            \
		cl += (2 * c_ + w_) * w_;                   \
		cr += (w_ - 2 * (ncls[k_] - c_)) * w_;      \
		ci[k_] = c_ + w_;                           \
		wl += w_;                                   \
	} while (0)

static int sweep(ftrainer *g, const struct vy *a, int32_t f, size_t m, const int64_t *ncls, int64_t W,
		 struct cut *best)
{
	int64_t *ci = g->ci, cl = 0, cr = 0, wl = 0;
	double bp = best->proxy;
	size_t K = g->K, msl = (size_t)g->msl, p = 0, at = SIZE_MAX;

	if (m < 2 * msl)
		return 0;
	for (size_t k = 0; k < K; k++) {
		ci[k] = 0;
		cr += ncls[k] * ncls[k];
	}
	for (; p + 1 < msl; p++)
		SWEEP_ROW();
	/* cuts after row p for p in [msl - 1, m - msl) */
	for (; p < m - msl; p++) {
		double dl, dr, px;

		SWEEP_ROW();
		if ((double)a[p + 1].v <= (double)a[p].v + CONST_GAP)
			continue;
		dl = (double)wl;
		dr = (double)(W - wl);
		/* tree.c's division-free test: provably below the best */
		if ((double)cl * dr + (double)cr * dl < bp * (dl * dr) * (1 - 1e-9))
			continue;
		px = (double)cl / dl + (double)cr / dr;
		if (px > bp) {
			bp = px;
			at = p;
			if (px >= (double)W)
				break;	/* pure children: no proxy is above W (find_cut) */
		}
	}
	if (at != SIZE_MAX) {
		best->found = 1;
		best->proxy = bp;
		best->f = f;
		best->n_left = at + 1;
		best->kind = CUT_VALUE;
		best->a = a[at].v;
		best->b = a[at + 1].v;
		return 1;
	}
	return 0;
}

/* Order-preserving map of a float to an unsigned key (-0 and +0 apart, equal as values). */
static inline uint32_t fkey(float v)
{
	uint32_t u;

	memcpy(&u, &v, sizeof(u));
	/* negative: ~u; positive: the sign bit set (no branch) */
	return u ^ ((0u - (u >> 31)) | 0x80000000u);
}

static inline float key_value(uint32_t k)
{
	uint32_t u = k ^ (((k >> 31) - 1) | 0x80000000u);
	float v;

	memcpy(&v, &u, sizeof(v));
	return v;
}

/*
 * 1 when the n pairs a[] hold one value (a run of ties: no sort needed).
 * A bucket of many rows is mostly that: two thirds of the rows key_sort
 * passed to sort_vy on mkflows 48k were in such runs.
 */
static int all_equal(const struct vy *a, size_t n)
{
	int eq = 1;

	for (size_t p = 1; p < n; p++)
		eq &= a[p].v == a[0].v;
	return eq;
}

/*
 * Pairs b[0..m) with keys kb[] to a[] in value order: spread on about m
 * buckets over the node's own key range (the top bits of key - kmin; keys
 * are linear in a binade and logarithmic across binades, so skewed values
 * and the narrow ranges of deep nodes spread alike), then one insertion
 * pass, or a sort per bucket when a bucket holds many rows.
 */
static void key_sort(ftrainer *g, const struct vy *b, const uint32_t *kb, size_t m,
		     uint32_t kmin, uint32_t kmax, struct vy *a)
{
	uint32_t *off = g->koff, range = kmax - kmin, sum = 0, most = 0;
	unsigned sh = 0, lg = 4;
	size_t nbk;

	while (lg < KEY_BUCKET_BITS && ((size_t)1 << lg) < m)
		lg++;
	while ((range >> sh) >> lg)
		sh++;
	nbk = (size_t)(range >> sh) + 1;
	memset(off, 0, nbk * sizeof(uint32_t));
	for (size_t p = 0; p < m; p++)
		off[(kb[p] - kmin) >> sh]++;
	for (size_t c = 0; c < nbk; c++) {
		uint32_t k = off[c];

		off[c] = sum;
		sum += k;
		most = k > most ? k : most;
	}
	for (size_t p = 0; p < m; p++)
		a[off[(kb[p] - kmin) >> sh]++] = b[p];
	if (!sh || most <= 1)
		return;		/* one key per bucket, or one row */
	if (most <= 32) {
		sort_small(a, m);
	} else {
		uint32_t b0 = 0;

		for (size_t c = 0; c < nbk; c++) {
			size_t k = off[c] - b0;

			/* insertion moves no tie: check bigger runs only */
			if (k > 1 && (k <= INSERT_MAX || !all_equal(a + b0, k)))
				sort_vy(a + b0, k);
			b0 = off[c];
		}
	}
}

#ifdef HAVE_RANK_SORT
#define RANK_MAX 32
/*
 * The m <= RANK_MAX pairs (v[i], y[i]) to a[] in value order without a
 * branch per comparison: each value's place is the count of values below
 * it plus the count of equal values before it (ties keep their order), 16
 * comparisons per instruction. Returns 0 (nothing written) when a value is
 * NaN, whose comparisons give no order.
 */
__attribute__((target("avx512f,popcnt"))) static int rank_sort(const float *v, const uint32_t *y,
								size_t m, struct vy *a)
{
	__mmask16 ok0 = (__mmask16)(m >= 16 ? 0xffff : (1u << m) - 1);
	__mmask16 ok1 = (__mmask16)(m >= 32 ? 0xffff : m > 16 ? (1u << (m - 16)) - 1 : 0);
	__m512 v0 = _mm512_maskz_loadu_ps(ok0, v), v1 = _mm512_maskz_loadu_ps(ok1, v + 16);

	if (_mm512_mask_cmp_ps_mask(ok0, v0, v0, _CMP_UNORD_Q) |
	    _mm512_mask_cmp_ps_mask(ok1, v1, v1, _CMP_UNORD_Q))
		return 0;
	for (size_t i = 0; i < m; i++) {
		__m512 x = _mm512_set1_ps(v[i]);
		uint32_t before = (uint32_t)(((uint64_t)1 << i) - 1);
		__mmask16 b0 = (__mmask16)(ok0 & before), b1 = (__mmask16)(ok1 & (before >> 16));
		unsigned r = (unsigned)__builtin_popcount(_mm512_mask_cmp_ps_mask(ok0, v0, x, _CMP_LT_OQ)) +
			     (unsigned)__builtin_popcount(_mm512_mask_cmp_ps_mask(ok1, v1, x, _CMP_LT_OQ)) +
			     (unsigned)__builtin_popcount(_mm512_mask_cmp_ps_mask(b0, v0, x, _CMP_EQ_OQ)) +
			     (unsigned)__builtin_popcount(_mm512_mask_cmp_ps_mask(b1, v1, x, _CMP_EQ_OQ));

		a[r].v = v[i];
		a[r].yw = y[i];
	}
	return 1;
}
#endif

/*
 * Exact search on feature f: the node's (value, row word) pairs sorted by
 * value. A feature of at most 256 distinct values with no more bins than
 * 2m is sorted by its codes (one code per value: no pass after); the
 * others by rank_sort up to RANK_MAX rows where the CPU has AVX-512, from
 * 16 rows by key_sort; fewer rows by insertion.
 */
static int eval_exact(ftrainer *g, int32_t f, size_t start, size_t end, const int64_t *ncls,
		      int64_t W, struct cut *best)
{
	const float *col;
	const uint8_t *code;
	size_t m = end - start, st = src(g, f, m, &col, &code), nb = g->bv.nb[f];
	const uint32_t *smp = g->smp + start, *yw = g->yw + start;
	struct vy *a = g->vy, *b = g->vy2;
	float lo = INFINITY, hi = -INFINITY;

	if (f == g->sorted) {
		/* the parent's cut feature: its sorted pairs, split with the rows */
		const struct vy *r = g->ps + start;

		if ((double)r[m - 1].v <= (double)r[0].v + CONST_GAP)
			return RES_CONST;
		if (sweep(g, r, f, m, ncls, W, best))
			g->best_pairs = r;
		return RES_OK;
	}
	if (m >= 16 && g->bv.exact[f] && nb <= 2 * m) {
		uint32_t *off = g->off, sum = 0;
		uint8_t *lc = g->lc;

		memset(off, 0, nb * sizeof(uint32_t));
		for (size_t p = 0; p < m; p++) {
			size_t s = (size_t)smp[p] * st, s2 = (size_t)smp[p + PF_AHEAD] * st;
			float v = col[s];
			uint8_t c = code[s];

			__builtin_prefetch(col + s2);
			__builtin_prefetch(code + s2);

			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
			b[p].v = v;
			b[p].yw = yw[p];
			lc[p] = c;
			off[c]++;
		}
		if ((double)hi <= (double)lo + CONST_GAP)
			return RES_CONST;
		for (size_t c = 0; c < nb; c++) {
			uint32_t k = off[c];

			off[c] = sum;
			sum += k;
		}
		for (size_t p = 0; p < m; p++)
			a[off[lc[p]]++] = b[p];
#ifdef HAVE_RANK_SORT
	} else if (g->simd && m <= RANK_MAX) {
		float v[RANK_MAX];
		uint32_t y[RANK_MAX];

		for (size_t p = 0; p < m; p++) {
			v[p] = col[(size_t)smp[p] * st];
			y[p] = yw[p];
			__builtin_prefetch(col + (size_t)smp[p + PF_AHEAD] * st);

			lo = v[p] < lo ? v[p] : lo;
			hi = v[p] > hi ? v[p] : hi;
		}
		if ((double)hi <= (double)lo + CONST_GAP)
			return RES_CONST;
		if (!rank_sort(v, y, m, a)) {
			for (size_t p = 0; p < m; p++) {
				a[p].v = v[p];
				a[p].yw = y[p];
			}
			sort_small(a, m);
		}
#endif
	} else if (m >= 16) {
		uint32_t *kb = g->kb, kmin = UINT32_MAX, kmax = 0;

		for (size_t p = 0; p < m; p++) {
			size_t s = (size_t)smp[p] * st;
			float v = col[s];
			uint32_t k = fkey(v);

			__builtin_prefetch(col + (size_t)smp[p + PF_AHEAD] * st);

			kmin = k < kmin ? k : kmin;
			kmax = k > kmax ? k : kmax;
			b[p].v = v;
			b[p].yw = yw[p];
			kb[p] = k;
		}
		if ((double)key_value(kmax) <= (double)key_value(kmin) + CONST_GAP)
			return RES_CONST;
		key_sort(g, b, kb, m, kmin, kmax, a);
	} else {
		for (size_t p = 0; p < m; p++) {
			float v = col[(size_t)smp[p] * st];

			__builtin_prefetch(col + (size_t)smp[p + PF_AHEAD] * st);

			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
			a[p].v = v;
			a[p].yw = yw[p];
		}
		if ((double)hi <= (double)lo + CONST_GAP)
			return RES_CONST;
		sort_small(a, m);
	}
	if (sweep(g, a, f, m, ncls, W, best)) {
		/* keep the best's pairs: swap the buffers */
		g->vy = g->vyb;
		g->vyb = a;
		g->best_pairs = a;
	}
	return RES_OK;
}

/* ---- histogram search ---- */

/*
 * Histogram of the node's rows on feature f's codes: weight << 32 | 1 added
 * to cell (class, bin); even and odd rows fill two copies (no store-to-load
 * chain on runs of one bin). The stride is a constant in each copy of the
 * loop.
 */
#define HIST_LOOP(ST)                                                                        \
	for (; p + 1 < end; p += 2) {                                                        \
		uint32_t y0 = yw[p], y1 = yw[p + 1];                                          \
		__builtin_prefetch(code + (size_t)smp[p + PF_AHEAD] * (ST));                  \
		__builtin_prefetch(code + (size_t)smp[p + PF_AHEAD + 1] * (ST));              \
		size_t c0 = code[(size_t)smp[p] * (ST)], c1 = code[(size_t)smp[p + 1] * (ST)]; \
                                                                                             \
		h0[(size_t)(y0 & 255) * NB + c0] += (uint64_t)(y0 >> 8) << 32 | 1;            \
		h1[(size_t)(y1 & 255) * NB + c1] += (uint64_t)(y1 >> 8) << 32 | 1;            \
	}

static void hist_fill(ftrainer *g, const uint8_t *code, size_t st, size_t start, size_t end)
{
	const uint32_t *smp = g->smp, *yw = g->yw;
	uint64_t *h0 = g->h, *h1 = g->h + g->K * NB;
	size_t p = start;

	if (st == 1)
		HIST_LOOP(1)
	else
		HIST_LOOP(st)
	if (p < end)
		h0[(size_t)(yw[p] & 255) * NB + code[(size_t)smp[p] * st]] +=
			(uint64_t)(yw[p] >> 8) << 32 | 1;
}

/*
 * Cuts of feature f on the histogram h of the node's m rows (h1: a second
 * copy to merge into h, or NULL); leaves h zeroed. K classes, cum[K]
 * scratch: hist_scan calls it with a constant K, its loops over the
 * classes unrolled and cum[] in registers.
 */
static inline __attribute__((always_inline)) int
scan_k(ftrainer *g, size_t K, int64_t *cum, int32_t f, size_t m, uint64_t *h, uint64_t *h1,
       const int64_t *ncls, int64_t W, struct cut *best)
{
	const float *lo = g->bv.lo + (size_t)f * NB, *hi = g->bv.hi + (size_t)f * NB;
	size_t nb = g->bv.nb[f];
	size_t msl = (size_t)g->msl, nl = 0;
	uint32_t *hc = g->hc;
	int64_t wl = 0;
	unsigned cmin = 0, cmax = 0;
	int res = RES_OK;

	/* merge the copies, rows per bin, the range of bins touched */
	memset(hc, 0, nb * sizeof(uint32_t));
	for (size_t k = 0; k < K; k++) {
		uint64_t *x = h + k * NB;

		if (h1) {
			uint64_t *x1 = h1 + k * NB;

			for (size_t c = 0; c < nb; c++) {
				x[c] += x1[c];
				x1[c] = 0;
				hc[c] += (uint32_t)x[c];
			}
		} else {
			for (size_t c = 0; c < nb; c++)
				hc[c] += (uint32_t)x[c];
		}
	}
	while (!hc[cmin])
		cmin++;
	for (cmax = (unsigned)nb - 1; !hc[cmax]; cmax--)
		;
	if (cmin == cmax) {
		res = (double)hi[cmin] <= (double)lo[cmin] + CONST_GAP ? RES_CONST : RES_EXACT;
		goto out;
	}
	if ((double)lo[cmax] <= (double)hi[cmin] + CONST_GAP) {
		res = RES_EXACT;
		goto out;
	}
	memset(cum, 0, K * sizeof(int64_t));
	for (unsigned c = cmin; c < cmax;) {
		unsigned c2 = c + 1;
		int64_t l = 0, r = 0;
		double px;

		while (!hc[c2])
			c2++;
#pragma GCC unroll 8
		for (size_t k = 0; k < K; k++) {
			int64_t x = (int64_t)(h[k * NB + c] >> 32);

			cum[k] += x;
			wl += x;
		}
		nl += hc[c];
		if ((double)lo[c2] <= (double)hi[c] + CONST_GAP || nl < msl || m - nl < msl) {
			c = c2;
			continue;
		}
#pragma GCC unroll 8
		for (size_t k = 0; k < K; k++) {
			int64_t rk = ncls[k] - cum[k];

			l += cum[k] * cum[k];
			r += rk * rk;
		}
		px = (double)l / (double)wl + (double)r / (double)(W - wl);
		if (px > best->proxy) {
			best->found = 1;
			best->proxy = px;
			best->f = f;
			best->n_left = nl;
			best->kind = g->bv.exact[f] ? CUT_VBIN : CUT_QBIN;
			best->bin = (int)c;
			best->bin2 = (int)c2;
			best->a = hi[c];
			best->b = lo[c2];
		}
		c = c2;
	}
out:
	for (size_t k = 0; k < K; k++)
		memset(h + k * NB + cmin, 0, (cmax - cmin + 1) * sizeof(uint64_t));
	return res;
}

#define SCAN_K(N)        \
	case N:          \
		return scan_k(g, N, c8, f, m, h, h1, ncls, W, best)

static int hist_scan(ftrainer *g, int32_t f, size_t m, uint64_t *h, uint64_t *h1,
		     const int64_t *ncls, int64_t W, struct cut *best)
{
	int64_t c8[8];

	switch (g->K) {
		SCAN_K(2);
		SCAN_K(3);
		SCAN_K(4);
		SCAN_K(5);
		SCAN_K(6);
		SCAN_K(7);
		SCAN_K(8);
	default:
		return scan_k(g, g->K, g->cum, f, m, h, h1, ncls, W, best);
	}
}

static int eval_hist(ftrainer *g, int32_t f, size_t start, size_t end, const int64_t *ncls,
		     int64_t W, struct cut *best)
{
	const float *col;
	const uint8_t *code;
	size_t st = src(g, f, end - start, &col, &code);

	hist_fill(g, code, st, start, end);
	return hist_scan(g, f, end - start, g->h, g->h + g->K * NB, ncls, W, best);
}

/* hist_fill_many on the row-major codes: one row's codes, nf features */
static inline __attribute__((always_inline)) void
fill_rows(ftrainer *g, const uint32_t *fs, size_t nf, uint32_t fmin, uint32_t fmax, size_t start,
	  size_t end)
{
	const uint32_t *smp = g->smp, *yw = g->yw;
	const uint8_t *code = g->bv.codes;
	size_t F = g->F, KB = g->K * NB, o[HIST_BATCH];
	uint64_t *hb = g->hb;

	for (size_t j = 0; j < nf; j++)
		o[j] = j * KB;
	for (size_t p = start; p < end; p++) {
		const uint8_t *row = code + (size_t)smp[p] * F, *r2 = code + (size_t)smp[p + PF_AHEAD] * F;
		uint32_t y = yw[p];
		uint64_t *h = hb + (size_t)(y & 255) * NB, inc = (uint64_t)(y >> 8) << 32 | 1;

		__builtin_prefetch(r2 + fmin);
		__builtin_prefetch(r2 + fmax);
#pragma GCC unroll 8
		for (size_t j = 0; j < nf; j++)
			h[o[j] + row[fs[j]]] += inc;
	}
}

/* hist_fill_many on the feature columns of the codes */
static inline __attribute__((always_inline)) void
fill_cols(ftrainer *g, const uint32_t *fs, size_t nf, size_t start, size_t end)
{
	const uint32_t *smp = g->smp, *yw = g->yw;
	size_t KB = g->K * NB;
	uint64_t *hb = g->hb;
	const uint8_t *cp[HIST_BATCH];

	for (size_t j = 0; j < nf; j++)
		cp[j] = g->bv.ccodes + (size_t)fs[j] * g->n_rows;
	for (size_t p = start; p < end; p++) {
		size_t s = smp[p], s2 = smp[p + PF_AHEAD];
		uint32_t y = yw[p];
		uint64_t *h = hb + (size_t)(y & 255) * NB, inc = (uint64_t)(y >> 8) << 32 | 1;

#pragma GCC unroll 8
		for (size_t j = 0; j < nf; j++) {
			__builtin_prefetch(cp[j] + s2);
			h[j * KB + cp[j][s]] += inc;
		}
	}
}

/*
 * fill_rows or fill_cols with a constant count nf: its loop over the
 * features unrolls (a variable count costs a branch and an index a code).
 */
#define FILL_N(N)                                                         \
	case N:                                                           \
		if (cols)                                                 \
			fill_cols(g, fs, N, start, end);                  \
		else                                                      \
			fill_rows(g, fs, N, fmin, fmax, start, end);      \
		break

/*
 * Histograms of nf features fs[] in one pass over the node's rows, feature
 * j's at hb + j * K * NB: each row's codes are read together (one line of
 * the row-major codes for a small node) instead of in nf passes.
 */
static void hist_fill_many(ftrainer *g, const uint32_t *fs, size_t nf, size_t start, size_t end)
{
	int cols = tree_node_reads_columns(end - start, g->n_rows);
	uint32_t fmin = fs[0], fmax = fs[0];

	for (size_t j = 1; j < nf; j++) {
		fmin = fs[j] < fmin ? fs[j] : fmin;
		fmax = fs[j] > fmax ? fs[j] : fmax;
	}
	switch (nf) {
		FILL_N(2);
		FILL_N(3);
		FILL_N(4);
		FILL_N(5);
		FILL_N(6);
		FILL_N(7);
		FILL_N(8);
	default:
		if (cols)
			fill_cols(g, fs, nf, start, end);
		else
			fill_rows(g, fs, nf, fmin, fmax, start, end);
	}
}

/*
 * Features drawn as scikit-learn (and tree.c) draws them: without
 * replacement until max_features were visited and at least one was not
 * constant. known[f]: constant in this node; found constants go to kids[].
 */
static int eval_one(ftrainer *g, uint32_t f, size_t start, size_t end, int hist, uint64_t *h,
		    const int64_t *ncls, int64_t W, struct cut *best)
{
	int res;

	if (!hist)
		return eval_exact(g, (int32_t)f, start, end, ncls, W, best);
	res = h ? hist_scan(g, (int32_t)f, end - start, h, NULL, ncls, W, best)
		: eval_hist(g, (int32_t)f, start, end, ncls, W, best);
	if (res == RES_EXACT)
		res = eval_exact(g, (int32_t)f, start, end, ncls, W, best);
	return res;
}

/* The next feature drawn without replacement: perm[*k] after a swap; *k + 1. */
static uint32_t draw(ftrainer *g, size_t *k)
{
	size_t j = *k + (size_t)rng_below(&g->r, g->F - *k);
	uint32_t f = g->perm[j];

	g->perm[j] = g->perm[*k];
	g->perm[(*k)++] = f;
	return f;
}

static void find_cut(ftrainer *g, size_t start, size_t end, const uint8_t *known, uint8_t *kids,
		     const int64_t *ncls, int64_t W, struct cut *best)
{
	size_t F = g->F, k = 0, m = end - start, nd = 0, nh = 0;
	int visited = 0, found = 0, drawn = 0;
	int use_hist = g->hist_min && m >= g->hist_min, small_exact = m >= EXACT_HIST_MIN;
	uint32_t *d = g->drawn, hs[HIST_BATCH];

	memset(best, 0, sizeof(*best));
	best->proxy = -INFINITY;
	memcpy(kids, known, F);
	for (size_t i = 0; i < F; i++)
		g->perm[i] = (uint32_t)i;
	/*
	 * The first max_features draws are made whatever they find: draw them
	 * at once, fill the histograms of (up to HIST_BATCH of) them in one
	 * pass, then evaluate all in draw order (the first best wins ties).
	 * No proxy exceeds W (l / wl <= wl and r / wr <= wr, each rounded
	 * down to at most that integer, and their sum to at most W), so once
	 * a cut reaches W, no later feature can win: those are not evaluated
	 * (one not known constant stays so for the children, which find it
	 * again; the draws do not change, a cut being found). A filled
	 * histogram is still scanned: the scan zeroes it.
	 */
	while (k < F && (int)nd < g->maxf) {
		uint32_t f = draw(g, &k);

		d[nd++] = f;
		if (!known[f] && (use_hist || (small_exact && g->bv.exact[f])) && nh < HIST_BATCH)
			hs[nh++] = f;
	}
	if (nh > 1)
		hist_fill_many(g, hs, nh, start, end);
	for (size_t i = 0, jh = 0; i < nd; i++) {
		uint32_t f = d[i];
		int hist = use_hist || (small_exact && g->bv.exact[f]), res;
		uint64_t *h = NULL;

		visited++;
		if (known[f]) {
			drawn++;
			continue;
		}
		if (nh > 1 && jh < nh && hs[jh] == f)
			h = g->hb + jh++ * g->K * NB;
		else if (best->proxy >= (double)W)
			continue;	/* a perfect cut is found (see above) */
		res = eval_one(g, f, start, end, hist, h, ncls, W, best);
		if (res == RES_CONST) {
			kids[f] = 1;
			found++;
		}
	}
	/* more draws while every feature visited was constant */
	while (k < F && visited <= found + drawn) {
		uint32_t f = draw(g, &k);
		int res;

		visited++;
		if (known[f]) {
			drawn++;
			continue;
		}
		res = eval_one(g, f, start, end, use_hist || (small_exact && g->bv.exact[f]), NULL,
			       ncls, W, best);
		if (res == RES_CONST) {
			kids[f] = 1;
			found++;
		}
	}
}

/*
 * Row s (word y) to the left part (in place) or the right one (buffer),
 * without a branch: both places are written, one index moves (a left row
 * overwrites the slot later; the right rows are copied over the tail).
 */
#define MOVE_ROW(LEFT)                                  \
	do {                                            \
		size_t l_ = (LEFT) != 0;                \
		smp[i] = s;                             \
		yw[i] = y;                              \
		ts[nr] = s;                             \
		ty[nr] = y;                             \
		i += l_;                                \
		nr += 1 - l_;                           \
		cs[l_][y & 255] += y >> 8;              \
	} while (0)

/*
 * Threshold of cut c and stable partition of the node's rows (left first),
 * with the children's class sums and weights.
 */
static float apply_cut(ftrainer *g, size_t start, size_t end, struct cut *c, int64_t *lcls,
		       int64_t *lw, int64_t *rcls, int64_t *rw)
{
	const float *col;
	const uint8_t *code;
	size_t st = src(g, c->f, end - start, &col, &code), nr = 0, i = start, K = g->K;
	uint32_t *smp = g->smp, *yw = g->yw, *ts = g->tsmp, *ty = g->tyw;
	int64_t WL = 0, WR = 0, *cs[2] = { rcls, lcls };
	float a = -INFINITY, b = INFINITY, thr = 0;
	int bin = c->bin;

	memset(lcls, 0, K * sizeof(int64_t));
	memset(rcls, 0, K * sizeof(int64_t));
	if (c->kind == CUT_VALUE) {
		thr = tree_midpoint(c->a, c->b);
		for (size_t p = start; p < end; p++) {
			uint32_t s = smp[p], y = yw[p];

			__builtin_prefetch(col + (size_t)smp[p + PF_AHEAD] * st);
			MOVE_ROW(col[(size_t)s * st] <= thr);
		}
	} else if (c->kind == CUT_VBIN) {
		for (size_t p = start; p < end; p++) {
			uint32_t s = smp[p], y = yw[p];

			__builtin_prefetch(code + (size_t)smp[p + PF_AHEAD] * st);
			MOVE_ROW(code[(size_t)s * st] <= bin);
		}
		thr = tree_midpoint(c->a, c->b);
	} else {
		/*
		 * Quantile bins: the node values around the cut are the largest
		 * of bin's rows and the smallest of bin2's. The partition lists
		 * those rows without a branch (bin's from the front of q[],
		 * bin2's from the back; each row written to both places, one
		 * index moves), then only their values are read.
		 */
		int bin2 = c->bin2;
		uint32_t *q = g->kb;
		size_t qa = 0, qb = 0, m = end - start;

		for (size_t p = start; p < end; p++) {
			uint32_t s = smp[p], y = yw[p];
			int cd = code[(size_t)s * st];

			__builtin_prefetch(code + (size_t)smp[p + PF_AHEAD] * st);

			q[qa] = s;
			q[m - qb] = s;
			qa += cd == bin;
			qb += cd == bin2;
			MOVE_ROW(cd <= bin);
		}
		for (size_t p = 0; p < qa; p++) {
			float v = col[(size_t)q[p] * st];

			a = v > a ? v : a;
		}
		for (size_t p = m + 1 - qb; p <= m; p++) {
			float v = col[(size_t)q[p] * st];

			b = v < b ? v : b;
		}
		c->a = a;
		c->b = b;
		thr = tree_midpoint(a, b);
	}
	memcpy(smp + i, ts, nr * sizeof(uint32_t));
	memcpy(yw + i, ty, nr * sizeof(uint32_t));
	for (size_t k = 0; k < K; k++) {
		WL += lcls[k];
		WR += rcls[k];
	}
	*lw = WL;
	*rw = WR;
	return thr;
}

/* ---- nodes ---- */

static int stays_leaf(const ftrainer *g, size_t m, int depth, double imp)
{
	const tree_opts *o = g->o;

	return m == 0 || (o->max_depth > 0 && depth >= o->max_depth) ||
	       m < (size_t)(o->min_samples_split > 2 ? o->min_samples_split : 2) ||
	       m < 2 * (size_t)(o->min_samples_leaf > 1 ? o->min_samples_leaf : 1) ||
	       imp <= DBL_EPSILON;
}

/* Rows with a weight, as row words; 0 when a weight does not qualify. */
static int take_rows(ftrainer *g, const double *w)
{
	size_t n = g->n_rows;
	const int32_t *y = g->d->y;
	double tot = 0;

	g->n = 0;
	for (size_t i = 0; i < n; i++) {
		double v = w ? w[i] : 1.0;

		if (!(v > 0))
			continue;
		if (v != floor(v) || v >= (double)(1u << W_BITS))
			return 0;
		tot += v;
		g->smp[g->n] = (uint32_t)i;
		g->yw[g->n++] = (uint32_t)y[i] | (uint32_t)v << 8;
	}
	return tot < 0x1p26;
}

/*
 * The arena: blocks of ARENA_BLOCK bytes (or one block for a bigger
 * request), huge pages from table_alloc_big, handed out in order (64-byte
 * aligned pieces), so that the trees' arrays cost a fault per 2 MB instead
 * of one per 4 KB.
 */
#define ARENA_BLOCK ((size_t)32 << 20)
static void arena_push(tree_arena *a, void *blk)
{
	ALLOC_GROW(a->blk, a->n_blk + 1, a->cap_blk);
	a->blk[a->n_blk++] = blk;
}

static void *arena_alloc(tree_arena *a, size_t bytes)
{
	void *p;

	bytes = (bytes + 63) & ~(size_t)63;
	if (bytes > a->left) {
		size_t sz = bytes > ARENA_BLOCK ? bytes : ARENA_BLOCK;

		p = table_alloc_big(sz);
		arena_push(a, p);
		a->cur = p;
		a->left = sz;
	}
	p = a->cur;
	a->cur += bytes;
	a->left -= bytes;
	return p;
}

/* Point t at copies of its first n nodes and values: in a, or malloc'ed when a is NULL. */
static void tree_settle(tree *t, tree_arena *a, const tree_node *nodes, const double *value)
{
	size_t n = t->n_nodes ? t->n_nodes : 1, nb = st_mult(n, sizeof(tree_node));
	size_t vb = st_mult(st_mult(n, t->n_classes), sizeof(double));

	t->nodes = a ? arena_alloc(a, nb) : xmalloc(nb);
	t->value = a ? arena_alloc(a, vb) : xmalloc(vb);
	memcpy(t->nodes, nodes, st_mult(t->n_nodes, sizeof(tree_node)));
	memcpy(t->value, value, st_mult(st_mult(t->n_nodes, t->n_classes), sizeof(double)));
	t->cap = t->n_nodes;
}

void tree_arena_adopt(tree_arena *a, tree *t)
{
	tree_node *nodes = t->nodes;
	double *value = t->value;

	tree_settle(t, a, nodes, value);
	free(nodes);
	free(value);
}

void tree_arena_take(tree_arena *a, tree_arena *from)
{
	for (size_t i = 0; i < from->n_blk; i++)
		arena_push(a, from->blk[i]);
	free(from->blk);
	memset(from, 0, sizeof(*from));
}

void tree_arena_release(tree_arena *a)
{
	for (size_t i = 0; i < a->n_blk; i++)
		free(a->blk[i]);
	free(a->blk);
	memset(a, 0, sizeof(*a));
}

static void grow_stack(ftrainer *g, size_t need)
{
	size_t F = g->F ? g->F : 1;

	if (need <= g->cap)
		return;
	while (g->cap < need)
		g->cap *= 2;
	g->st = xreallocarray(g->st, g->cap, sizeof(*g->st));
	g->flags = xreallocarray(g->flags, g->cap, F);
	g->fcls = xreallocarray(g->fcls, g->cap * g->K, sizeof(int64_t));
	g->fw = xreallocarray(g->fw, g->cap, sizeof(int64_t));
}

tree *ftrainer_grow(ftrainer *g, const double *w, const tree_opts *o)
{
	size_t F = g->F, K = g->K, sp = 0;
	tree *t;

	if (o->max_leaves > 0 || K > 256 || !take_rows(g, w))
		return NULL;
	g->o = o;
	g->msl = o->min_samples_leaf > 1 ? o->min_samples_leaf : 1;
	g->maxf = o->max_features > 0 && (size_t)o->max_features < F ? o->max_features : (int)F;
	rng_seed(&g->r, o->seed);
	t = xcalloc(1, sizeof(*t));
	t->n_classes = K;
	t->n_features = F;
	t->nodes = g->snodes;
	t->value = g->svalue;
	t->cap = g->scap;
	memset(g->fcls, 0, K * sizeof(int64_t));
	g->fw[0] = 0;
	for (size_t p = 0; p < g->n; p++) {
		g->fcls[g->yw[p] & 255] += g->yw[p] >> 8;
		g->fw[0] += g->yw[p] >> 8;
	}
	memset(g->flags, 0, F);
	g->st[sp++] = (struct frame){ 0, g->n, 0, -1, 0, -1 };
	while (sp > 0) {
		struct frame e = g->st[--sp];
		size_t m = e.end - e.start;
		int64_t W = g->fw[sp];
		double imp;
		struct cut best;
		int leaf;
		int32_t id, sorted;

		for (size_t k = 0; k < K; k++)
			g->dcls[k] = (double)g->fcls[sp * K + k];
		imp = tree_gini(g->dcls, K, (double)W);
		leaf = stays_leaf(g, m, e.depth, imp);
		if (!leaf) {
			g->sorted = e.sorted;
			find_cut(g, e.start, e.end, g->flags + sp * F, g->kids, g->fcls + sp * K, W,
				 &best);
			leaf = !best.found;
		}
		id = tree_add_node(t, e.parent, e.is_left, g->dcls, (double)W, (uint32_t)m, imp);
		if (e.depth > t->max_depth_seen)
			t->max_depth_seen = e.depth;
		if (leaf)
			continue;
		grow_stack(g, sp + 2);
		t->nodes[id].feature = best.f;
		/* right child at sp, left at sp + 1: the left subtree comes first (pre-order) */
		t->nodes[id].threshold = apply_cut(g, e.start, e.end, &best, g->fcls + (sp + 1) * K,
						   &g->fw[sp + 1], g->fcls + sp * K, &g->fw[sp]);
		/*
		 * A value cut leaves each child's rows in the cut feature's order
		 * a part of the node's sorted pairs (left: the first n_left): kept
		 * by position for the children, which sort that feature no more.
		 */
		sorted = -1;
		if (best.kind == CUT_VALUE) {
			sorted = best.f;
			if (g->best_pairs != g->ps + e.start)
				memcpy(g->ps + e.start, g->best_pairs, m * sizeof(struct vy));
		}
		memcpy(g->flags + sp * F, g->kids, F);
		g->st[sp++] = (struct frame){ e.start + best.n_left, e.end, e.depth + 1, id, 0, sorted };
		memcpy(g->flags + sp * F, g->kids, F);
		g->st[sp++] = (struct frame){ e.start, e.start + best.n_left, e.depth + 1, id, 1, sorted };
	}
	g->snodes = t->nodes;
	g->svalue = t->value;
	g->scap = t->cap;
	tree_settle(t, g->arena, g->snodes, g->svalue);
	return t;
}
