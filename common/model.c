/*
 * model.c: model files (explicit little-endian, crc32-checked) and
 * in-process prediction for forest and linear models.
 */
#include "model.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static cforest *cforest_build(const ml_model *m);
static void cforest_free(cforest *c);

static const char model_magic[8] = { 'F', 'O', 'R', 'E', 'S', 'T', 'M', 'D' };
#define HEADER_LEN 24u	/* magic, version, flags, payload length */
#define MAX_COUNT (1u << 24)

ml_model *model_new(enum model_kind kind)
{
	ml_model *m = xcalloc(1, sizeof(*m));

	m->kind = kind;
	m->format_version = MODEL_FORMAT_VERSION;
	m->oob_score = NAN;
	return m;
}

static void free_strs(char **s, size_t n)
{
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void model_free(ml_model *m)
{
	if (!m)
		return;
	free(m->tool_version);
	free_strs(m->features, m->n_features);
	free_strs(m->classes, m->n_classes);
	free(m->options);
	for (size_t i = 0; i < m->n_trees; i++)
		tree_free(m->trees[i]);
	free(m->trees);
	free(m->lin.scale_min);
	free(m->lin.scale_max);
	free(m->lin.w);
	free(m->lin.label);
	cforest_free(m->cf);
	free(m);
}

const char *model_kind_name(const ml_model *m)
{
	return m->kind == MODEL_LINEAR ? "linear" : "forest";
}

/* ---- writer ---- */

/*
 * Writer: counts bytes only (counting), or appends to p; with fp set, the
 * buffer is flushed to fp (and into the running crc) once it passes 1 MiB.
 */
typedef struct wbuf {
	uint8_t *p;
	size_t n, cap;
	int counting;
	uint64_t total;		/* bytes written so far (all modes) */
	FILE *fp;
	uint32_t crc;
	int err;
} wbuf;

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	while (n) {
		size_t chunk = n > (1u << 30) ? (1u << 30) : n;

		crc = (uint32_t)crc32(crc, p, (uInt)chunk);
		p += chunk;
		n -= chunk;
	}
	return crc;
}

static void w_flush(wbuf *b)
{
	if (!b->fp || !b->n)
		return;
	b->crc = crc_update(b->crc, b->p, b->n);
	if (fwrite(b->p, 1, b->n, b->fp) != b->n)
		b->err = 1;
	b->n = 0;
}

static void w_bytes(wbuf *b, const void *src, size_t n)
{
	b->total += n;
	if (b->counting)
		return;
	ALLOC_GROW(b->p, st_add(b->n, n), b->cap);
	memcpy(b->p + b->n, src, n);
	b->n += n;
	if (b->fp && b->n >= (1u << 20))
		w_flush(b);
}

static void w_u8(wbuf *b, uint8_t v)
{
	w_bytes(b, &v, 1);
}

static void w_u32(wbuf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	w_bytes(b, x, 4);
}

static void w_u64(wbuf *b, uint64_t v)
{
	w_u32(b, (uint32_t)v);
	w_u32(b, (uint32_t)(v >> 32));
}

static void w_f64(wbuf *b, double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	w_u64(b, u);
}

static void w_f32(wbuf *b, float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	w_u32(b, u);
}

static void w_str(wbuf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	w_u32(b, (uint32_t)n);
	w_bytes(b, s ? s : "", n);
}

static void put_u32_at(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Header (with the payload length) and payload; no crc. */
static void write_model(wbuf *b, const ml_model *m, uint64_t payload)
{
	w_bytes(b, model_magic, 8);
	w_u32(b, MODEL_FORMAT_VERSION);
	w_u32(b, 0);
	w_u64(b, payload);
	w_str(b, m->tool_version);
	w_u8(b, (uint8_t)m->kind);
	w_u64(b, m->seed);
	w_u64(b, m->n_train);
	w_f64(b, m->oob_score);
	w_str(b, m->options);
	w_u32(b, (uint32_t)m->n_features);
	for (size_t i = 0; i < m->n_features; i++)
		w_str(b, m->features[i]);
	w_u32(b, (uint32_t)m->n_classes);
	for (size_t i = 0; i < m->n_classes; i++)
		w_str(b, m->classes[i]);
	if (m->kind == MODEL_FOREST) {
		w_u32(b, (uint32_t)m->n_trees);
		for (size_t t = 0; t < m->n_trees; t++) {
			const tree *tr = m->trees[t];

			w_u32(b, (uint32_t)tr->n_nodes);
			w_u32(b, (uint32_t)tr->max_depth_seen);
			for (size_t i = 0; i < tr->n_nodes; i++) {
				const tree_node *nd = &tr->nodes[i];

				w_u32(b, (uint32_t)nd->left);
				w_u32(b, (uint32_t)nd->right);
				w_u32(b, (uint32_t)nd->feature);
				w_f32(b, nd->threshold);
				w_f64(b, nd->impurity);
				w_u32(b, nd->n_samples);
				w_f64(b, nd->weighted);
			}
			for (size_t i = 0; i < tr->n_nodes * m->n_classes; i++)
				w_f64(b, tr->value[i]);
		}
	} else {
		const model_linear *l = &m->lin;
		size_t nw = (m->n_features + (l->bias >= 0)) * (size_t)l->nr_w;

		w_u32(b, (uint32_t)l->solver);
		w_f64(b, l->C);
		w_f64(b, l->bias);
		w_u32(b, (uint32_t)l->probability);
		for (size_t f = 0; f < m->n_features; f++) {
			w_f64(b, l->scale_min[f]);
			w_f64(b, l->scale_max[f]);
		}
		w_u32(b, (uint32_t)l->nr_w);
		for (size_t i = 0; i < nw; i++)
			w_f64(b, l->w[i]);
		for (size_t k = 0; k < m->n_classes; k++)
			w_u32(b, (uint32_t)l->label[k]);
	}
}

static uint64_t payload_len(const ml_model *m)
{
	wbuf c = { 0 };

	c.counting = 1;
	write_model(&c, m, 0);
	return c.total - HEADER_LEN;
}

uint8_t *model_serialize(const ml_model *m, size_t *len)
{
	wbuf b = { 0 };
	uint64_t payload = payload_len(m);

	b.cap = (size_t)payload + HEADER_LEN + 4;
	b.p = xmalloc(b.cap);
	write_model(&b, m, payload);
	w_u32(&b, crc_update((uint32_t)crc32(0L, Z_NULL, 0), b.p, b.n));
	*len = b.n;
	return b.p;
}

int model_save(const ml_model *m, const char *path)
{
	outfile o;
	wbuf b = { 0 };
	uint64_t payload = payload_len(m);
	uint8_t c[4];

	if (out_open(&o, path) < 0)
		return -1;
	b.fp = o.fp;
	b.crc = (uint32_t)crc32(0L, Z_NULL, 0);
	write_model(&b, m, payload);
	w_flush(&b);
	free(b.p);
	put_u32_at(c, b.crc);
	if (b.err || fwrite(c, 1, 4, o.fp) != 4) {
		int e = errno;

		out_abort(&o);
		return error("cannot write '%s': %s", path, strerror(e));
	}
	return out_commit(&o);
}

/* ---- reader ---- */

typedef struct rbuf {
	const uint8_t *p;
	size_t n, off;
	int bad;
} rbuf;

static int r_need(rbuf *r, size_t n)
{
	if (r->bad || n > r->n - r->off) {
		r->bad = 1;
		return 0;
	}
	return 1;
}

static uint32_t r_u32(rbuf *r)
{
	const uint8_t *p;

	if (!r_need(r, 4))
		return 0;
	p = r->p + r->off;
	r->off += 4;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t r_u64(rbuf *r)
{
	uint64_t lo = r_u32(r);

	return lo | (uint64_t)r_u32(r) << 32;
}

static uint8_t r_u8(rbuf *r)
{
	if (!r_need(r, 1))
		return 0;
	return r->p[r->off++];
}

static double r_f64(rbuf *r)
{
	uint64_t u = r_u64(r);
	double d;

	memcpy(&d, &u, 8);
	return d;
}

static float r_f32(rbuf *r)
{
	uint32_t u = r_u32(r);
	float f;

	memcpy(&f, &u, 4);
	return f;
}

static char *r_str(rbuf *r)
{
	uint32_t n = r_u32(r);
	char *s;

	if (!r_need(r, n))
		return NULL;
	s = xstrndup((const char *)r->p + r->off, n);
	r->off += n;
	return s;
}

/* Count of items of at least `each` bytes: refuse counts the data cannot hold. */
static size_t r_count(rbuf *r, size_t each)
{
	uint32_t n = r_u32(r);

	if (r->bad || n > MAX_COUNT || (size_t)n * each > r->n - r->off) {
		r->bad = 1;
		return 0;
	}
	return n;
}

static char **r_strs(rbuf *r, size_t *n)
{
	char **s;

	*n = r_count(r, 4);
	s = xcalloc(*n ? *n : 1, sizeof(char *));
	for (size_t i = 0; i < *n; i++) {
		s[i] = r_str(r);
		if (!s[i])
			s[i] = xstrdup("");
	}
	return s;
}

static int check_tree(const tree *t, size_t n_features)
{
	for (size_t i = 0; i < t->n_nodes; i++) {
		const tree_node *nd = &t->nodes[i];

		if (nd->left == TREE_LEAF) {
			if (nd->right != TREE_LEAF)
				return -1;
			continue;
		}
		/* children come after their parent: no cycles */
		if (nd->left <= (int32_t)i || nd->right <= (int32_t)i ||
		    (size_t)nd->left >= t->n_nodes || (size_t)nd->right >= t->n_nodes ||
		    nd->feature < 0 || (size_t)nd->feature >= n_features)
			return -1;
	}
	return t->n_nodes ? 0 : -1;
}

ml_model *model_parse(const uint8_t *buf, size_t len, const char *name)
{
	rbuf r = { buf, len, 0, 0 };
	uint32_t version, crc, want;
	uint64_t payload;
	ml_model *m;
	uint8_t kind;

	if (len == 0) {
		error("'%s': empty file, not a model", name);
		return NULL;
	}
	if (len < 8 || memcmp(buf, model_magic, 8)) {
		error("'%s': not a forest model file (bad magic)", name);
		return NULL;
	}
	if (len < HEADER_LEN + 4) {
		error("'%s': truncated model file (%zu bytes)", name, len);
		return NULL;
	}
	r.off = 8;
	version = r_u32(&r);
	if (version > MODEL_FORMAT_VERSION || version == 0) {
		error("'%s': model format version %u is not supported (this forest reads version %u; "
		      "newer models need a newer forest)",
		      name, (unsigned)version, (unsigned)MODEL_FORMAT_VERSION);
		return NULL;
	}
	(void)r_u32(&r);
	payload = r_u64(&r);
	if (payload > len - HEADER_LEN - 4) {
		error("'%s': truncated model file (%zu bytes, header announces %llu)", name, len,
		      (unsigned long long)(payload + HEADER_LEN + 4));
		return NULL;
	}
	if (payload < len - HEADER_LEN - 4) {
		error("'%s': corrupted model file (%llu trailing bytes)", name,
		      (unsigned long long)(len - HEADER_LEN - 4 - payload));
		return NULL;
	}
	want = (uint32_t)crc32(0L, Z_NULL, 0);
	{
		size_t off = 0, end = len - 4;

		while (off < end) {
			size_t chunk = end - off > (1u << 30) ? (1u << 30) : end - off;

			want = (uint32_t)crc32(want, buf + off, (uInt)chunk);
			off += chunk;
		}
	}
	r.n = len - 4;
	{
		rbuf c = { buf, len, len - 4, 0 };

		crc = r_u32(&c);
	}
	if (crc != want) {
		error("'%s': corrupted model file (checksum mismatch)", name);
		return NULL;
	}
	m = model_new(MODEL_FOREST);
	m->format_version = version;
	m->tool_version = r_str(&r);
	kind = r_u8(&r);
	m->seed = r_u64(&r);
	m->n_train = r_u64(&r);
	m->oob_score = r_f64(&r);
	m->options = r_str(&r);
	m->features = r_strs(&r, &m->n_features);
	m->classes = r_strs(&r, &m->n_classes);
	if (kind != MODEL_FOREST && kind != MODEL_LINEAR)
		r.bad = 1;
	if (!r.bad && (m->n_classes == 0 || m->n_features == 0))
		r.bad = 1;
	if (!r.bad && kind == MODEL_FOREST) {
		m->kind = MODEL_FOREST;
		m->n_trees = r_count(&r, 8);
		m->trees = xcalloc(m->n_trees ? m->n_trees : 1, sizeof(tree *));
		for (size_t t = 0; t < m->n_trees && !r.bad; t++) {
			tree *tr = xcalloc(1, sizeof(*tr));
			size_t nn = r_count(&r, 36 + 8 * m->n_classes);

			m->trees[t] = tr;
			tr->n_classes = m->n_classes;
			tr->n_features = m->n_features;
			tr->max_depth_seen = (int)r_u32(&r);
			if (r.bad)
				break;
			tr->n_nodes = tr->cap = nn;
			tr->nodes = xcalloc(nn ? nn : 1, sizeof(tree_node));
			tr->value = xcalloc(st_mult(nn ? nn : 1, m->n_classes), sizeof(double));
			for (size_t i = 0; i < nn; i++) {
				tree_node *nd = &tr->nodes[i];

				nd->left = (int32_t)r_u32(&r);
				nd->right = (int32_t)r_u32(&r);
				nd->feature = (int32_t)r_u32(&r);
				nd->threshold = r_f32(&r);
				nd->impurity = r_f64(&r);
				nd->n_samples = r_u32(&r);
				nd->weighted = r_f64(&r);
			}
			for (size_t i = 0; i < nn * m->n_classes; i++)
				tr->value[i] = r_f64(&r);
			if (!r.bad && check_tree(tr, m->n_features) < 0)
				r.bad = 1;
		}
		if (!r.bad && m->n_trees == 0)
			r.bad = 1;
	} else if (!r.bad) {
		model_linear *l = &m->lin;
		size_t nw;

		m->kind = MODEL_LINEAR;
		l->solver = (int)r_u32(&r);
		l->C = r_f64(&r);
		l->bias = r_f64(&r);
		l->probability = (int)r_u32(&r);
		if (r_need(&r, 16 * m->n_features)) {
			l->scale_min = xcalloc(m->n_features, sizeof(double));
			l->scale_max = xcalloc(m->n_features, sizeof(double));
			for (size_t f = 0; f < m->n_features; f++) {
				l->scale_min[f] = r_f64(&r);
				l->scale_max[f] = r_f64(&r);
			}
		}
		l->nr_w = (int)r_u32(&r);
		if (l->nr_w < 1 || (size_t)l->nr_w > m->n_classes)
			r.bad = 1;
		nw = r.bad ? 0 : (m->n_features + (l->bias >= 0)) * (size_t)l->nr_w;
		if (!r.bad && r_need(&r, 8 * nw + 4 * m->n_classes)) {
			l->w = xcalloc(nw ? nw : 1, sizeof(double));
			for (size_t i = 0; i < nw; i++)
				l->w[i] = r_f64(&r);
			l->label = xcalloc(m->n_classes, sizeof(int32_t));
			for (size_t k = 0; k < m->n_classes; k++) {
				l->label[k] = (int32_t)r_u32(&r);
				if (l->label[k] < 0 || (size_t)l->label[k] >= m->n_classes)
					r.bad = 1;
			}
		}
	}
	if (!r.bad && r.off != r.n)
		r.bad = 1;
	if (r.bad) {
		error("'%s': malformed model file (inconsistent content at byte %zu)", name, r.off);
		model_free(m);
		return NULL;
	}
	m->cf = cforest_build(m);
	return m;
}

ml_model *model_load(const char *path)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;
	ml_model *m;

	if (!fp) {
		error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		ALLOC_GROW(buf, n + 65536, cap);
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		error("cannot read '%s': %s", path, strerror(errno));
		if (fp != stdin)
			fclose(fp);
		free(buf);
		return NULL;
	}
	if (fp != stdin)
		fclose(fp);
	m = model_parse(buf, n, path);
	free(buf);
	return m;
}

/* ---- prediction ---- */

double model_linear_scale(const model_linear *l, size_t f, float x)
{
	double v = x >= 0 ? log1p((double)x) : -log1p(-(double)x);
	double lo = l->scale_min[f], hi = l->scale_max[f];

	if (!(hi > lo))
		return 0;
	return (v - lo) / (hi - lo);
}

static int32_t argmax(const double *p, size_t n)
{
	int32_t b = 0;

	for (size_t k = 1; k < n; k++)
		if (p[k] > p[b])
			b = (int32_t)k;
	return b;
}

/* Decision values -> probabilities (LIBLINEAR's predict_probability) or one-hot. */
static int32_t linear_row(const ml_model *m, const float *row, size_t stride, size_t n_rows,
			  double *proba)
{
	const model_linear *l = &m->lin;
	size_t F = m->n_features, K = m->n_classes, nw = (size_t)l->nr_w;
	double dec[256], *d = K <= 256 ? dec : xcalloc(K, sizeof(double));
	int32_t best;

	(void)n_rows;
	for (size_t j = 0; j < nw; j++)
		d[j] = 0;
	for (size_t f = 0; f < F; f++) {
		double x = model_linear_scale(l, f, row[f * stride]);

		if (x == 0)
			continue;
		for (size_t j = 0; j < nw; j++)
			d[j] += l->w[f * nw + j] * x;
	}
	if (l->bias >= 0)
		for (size_t j = 0; j < nw; j++)
			d[j] += l->w[F * nw + j] * l->bias;
	for (size_t k = 0; k < K; k++)
		proba[k] = 0;
	if (nw == 1 && K == 2) {
		if (l->probability) {
			double p0 = 1.0 / (1.0 + exp(-d[0]));

			proba[l->label[0]] = p0;
			proba[l->label[1]] = 1.0 - p0;
		} else {
			proba[d[0] > 0 ? l->label[0] : l->label[1]] = 1.0;
		}
	} else if (l->probability) {
		double s = 0;

		for (size_t j = 0; j < nw; j++) {
			double p = 1.0 / (1.0 + exp(-d[j]));

			proba[l->label[j]] = p;
			s += p;
		}
		for (size_t k = 0; k < K; k++)
			proba[k] = s > 0 ? proba[k] / s : 0;
	} else {
		size_t bj = 0;

		for (size_t j = 1; j < nw; j++)
			if (d[j] > d[bj])
				bj = j;
		proba[l->label[bj]] = 1.0;
	}
	best = argmax(proba, K);
	if (d != dec)
		free(d);
	return best;
}

int32_t model_predict_proba(const ml_model *m, const float *row, double *proba)
{
	size_t K = m->n_classes;

	if (m->kind == MODEL_LINEAR)
		return linear_row(m, row, 1, 1, proba);
	for (size_t k = 0; k < K; k++)
		proba[k] = 0;
	for (size_t t = 0; t < m->n_trees; t++) {
		const tree *tr = m->trees[t];
		int32_t leaf = tree_apply(tr, row);
		const double *v = tr->value + (size_t)leaf * K;
		double s = 0;

		for (size_t k = 0; k < K; k++)
			s += v[k];
		if (s > 0)
			for (size_t k = 0; k < K; k++)
				proba[k] += v[k] / s;
	}
	for (size_t k = 0; k < K; k++)
		proba[k] /= (double)m->n_trees;
	return argmax(proba, K);
}

/*
 * Batch prediction layout (struct cforest): every tree re-laid in preorder
 * as 8-byte nodes, so a tree of 17k nodes takes 137 KB and stays in L2
 * while it runs over a whole chunk of rows. Node i's left child is i + 1
 * (implicit); w holds, for a split, bit 0 = 0, the feature in bits
 * 1..fbits and the right child (relative to the tree's first node) above;
 * for a leaf, bit 0 = 1, feature bits 0 and the tree's leaf index above. Leaves
 * point at their class fractions, normalised exactly as in
 * model_predict_proba, so both paths give the same bits.
 * A forest whose trees do not fit these bits (very many features and
 * nodes), or whose nodes are shared between parents, gets no layout
 * (NULL) and is predicted row by row on its trees instead.
 */
typedef struct pnode {
	float thr;
	uint32_t w;
} pnode;

struct cforest {
	size_t n_trees, K, F;
	unsigned fbits;		/* feature bits; right child = w >> (fbits + 1) */
	uint32_t fmask;
	size_t *root;		/* first node of each tree in nodes[] */
	size_t *leaf0;		/* first leaf of each tree in leafp[] */
	pnode *nodes;
	double *leafp;		/* n_leaves * K class fractions */
};

static void cforest_free(cforest *c)
{
	if (!c)
		return;
	free(c->root);
	free(c->leaf0);
	free(c->nodes);
	free(c->leafp);
	free(c);
}

static cforest *cforest_build(const ml_model *m)
{
	cforest *c;
	size_t total = 0, leaves = 0, K = m->n_classes, ni = 0, li = 0, maxn = 0;
	uint32_t *stack = NULL, *patch = NULL;
	unsigned fb = 0;

	if (m->kind != MODEL_FOREST || !m->n_trees || !m->trees)
		return NULL;
	while (((size_t)1 << fb) < m->n_features)
		fb++;
	for (size_t t = 0; t < m->n_trees; t++) {
		total += m->trees[t]->n_nodes;
		leaves += tree_n_leaves(m->trees[t]);
		if (m->trees[t]->n_nodes > maxn)
			maxn = m->trees[t]->n_nodes;
	}
	if (fb > 24 || maxn >= ((size_t)1 << (31 - fb)))
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->n_trees = m->n_trees;
	c->K = K;
	c->F = m->n_features;
	c->fbits = fb;
	c->fmask = (uint32_t)(((size_t)1 << fb) - 1);
	c->root = xcalloc(m->n_trees + 1, sizeof(size_t));
	c->leaf0 = xcalloc(m->n_trees + 1, sizeof(size_t));
	c->nodes = xcalloc(total + 1, sizeof(pnode));
	c->leafp = xcalloc(st_mult(leaves + 1, K), sizeof(double));
	stack = xcalloc(maxn + 1, sizeof(uint32_t));
	patch = xcalloc(maxn + 1, sizeof(uint32_t));
	for (size_t t = 0; t < m->n_trees; t++) {
		const tree *tr = m->trees[t];
		pnode *base = c->nodes + ni;
		size_t sp = 0, nn = 0;

		c->root[t] = ni;
		c->leaf0[t] = li;
		/* preorder: pop a node, lay it out, push right (patched later) then left */
		stack[sp] = 0;
		patch[sp++] = UINT32_MAX;
		while (sp) {
			uint32_t old = stack[--sp], par = patch[sp];
			const tree_node *nd = &tr->nodes[old];

			if (nn >= tr->n_nodes || li + (nd->left == TREE_LEAF) > leaves)
				goto shared;	/* a node reached twice: keep the row-by-row path */
			if (par != UINT32_MAX)
				base[par].w |= (uint32_t)nn << (fb + 1);
			if (nd->left == TREE_LEAF) {
				const double *v = tr->value + (size_t)old * K;
				double sum = 0;

				for (size_t k = 0; k < K; k++)
					sum += v[k];
				for (size_t k = 0; k < K; k++)
					c->leafp[li * K + k] = sum > 0 ? v[k] / sum : 0;
				base[nn].thr = 0;
				base[nn].w = 1u | (uint32_t)(li - c->leaf0[t]) << (fb + 1);
				li++;
			} else {
				base[nn].thr = nd->threshold;
				base[nn].w = (uint32_t)nd->feature << 1;
				stack[sp] = (uint32_t)nd->right;
				patch[sp++] = (uint32_t)nn;
				stack[sp] = (uint32_t)nd->left;
				patch[sp++] = UINT32_MAX;	/* left child = next node */
			}
			nn++;
		}
		ni += nn;
	}
	free(stack);
	free(patch);
	return c;
shared:
	free(stack);
	free(patch);
	cforest_free(c);
	return NULL;
}

/* Rows per group traversing a tree together (independent chains in flight). */
#define PRED_GROUP 8

/*
 * One step of row j of the group: from node n (relative to base), go to the
 * left child n + 1 or the right one, or stay at a leaf; branch-free, as the
 * comparison is unpredictable. xg holds the group feature-major (feature f of
 * row j at xg[f * PRED_GROUP + j]); a leaf's feature bits are 0.
 */
#define PRED_STEP(j)                                                                        \
	do {                                                                                \
		uint32_t w_ = base[n##j].w, leaf_ = 0u - (w_ & 1);                          \
		uint32_t gr_ = 0u - (uint32_t)!(xg[((w_ >> 1) & fmask) * PRED_GROUP + j] <= \
						base[n##j].thr);                            \
		uint32_t nx_ = ((n##j + 1) & ~gr_) | ((w_ >> rs) & gr_);                     \
		n##j = (n##j & leaf_) | (nx_ & ~leaf_);                                      \
		all &= w_;                                                                  \
	} while (0)

/*
 * Rows [lo, lo + nb) of column-major X: copied into xb in groups of
 * PRED_GROUP rows (feature-major inside a group), then each tree in turn runs
 * over all of them, a group's rows stepping in lockstep until all are at
 * their leaves. Fractions are added per row in tree order, so the sums do not
 * depend on the chunking or the threads.
 */
static void forest_chunk(const cforest *c, const float *X, size_t n_rows, size_t lo, size_t nb,
			 double *proba, float *xb)
{
	size_t K = c->K, F = c->F, ng = (nb + PRED_GROUP - 1) / PRED_GROUP * PRED_GROUP;
	unsigned rs = c->fbits + 1;
	uint32_t fmask = c->fmask;

	for (size_t f = 0; f < F; f++) {
		const float *col = X + f * n_rows + lo;

		for (size_t r = 0; r < nb; r++)
			xb[(r / PRED_GROUP) * F * PRED_GROUP + f * PRED_GROUP + r % PRED_GROUP] = col[r];
		for (size_t r = nb; r < ng; r++)
			xb[(r / PRED_GROUP) * F * PRED_GROUP + f * PRED_GROUP + r % PRED_GROUP] = 0;
	}
	memset(proba, 0, nb * K * sizeof(double));
	for (size_t t = 0; t < c->n_trees; t++) {
		const pnode *base = c->nodes + c->root[t];
		const double *lp = c->leafp + c->leaf0[t] * K;

		for (size_t g = 0; g < ng; g += PRED_GROUP) {
			const float *xg = xb + g * F;
			uint32_t n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
			uint32_t leafn[PRED_GROUP];
			size_t gn = nb - g < PRED_GROUP ? nb - g : PRED_GROUP;

			for (;;) {
				uint32_t all = 1;

				PRED_STEP(0);
				PRED_STEP(1);
				PRED_STEP(2);
				PRED_STEP(3);
				PRED_STEP(4);
				PRED_STEP(5);
				PRED_STEP(6);
				PRED_STEP(7);
				if (all & 1)
					break;
			}
			leafn[0] = n0, leafn[1] = n1, leafn[2] = n2, leafn[3] = n3;
			leafn[4] = n4, leafn[5] = n5, leafn[6] = n6, leafn[7] = n7;
			for (size_t j = 0; j < gn; j++) {
				const double *v = lp + (size_t)(base[leafn[j]].w >> rs) * K;
				double *p = proba + (g + j) * K;

				for (size_t k = 0; k < K; k++)
					p[k] += v[k];
			}
		}
	}
}

/* Rows [lo, hi): probabilities into proba (hi - lo rows), classes into out[lo..hi). */
static void predict_block(const ml_model *m, const cforest *cf, const float *X, size_t n_rows,
			  size_t lo, size_t hi, double *proba, int32_t *out, float *xb)
{
	size_t K = m->n_classes, F = m->n_features, nb = hi - lo;

	if (m->kind == MODEL_LINEAR || !cf) {
		float *row = xb;

		for (size_t i = lo; i < hi; i++) {
			int32_t c;

			if (m->kind == MODEL_LINEAR) {
				c = linear_row(m, X + i, n_rows, n_rows, proba + (i - lo) * K);
			} else {
				for (size_t f = 0; f < F; f++)
					row[f] = X[f * n_rows + i];
				c = model_predict_proba(m, row, proba + (i - lo) * K);
			}
			if (out)
				out[i] = c;
		}
		return;
	}
	forest_chunk(cf, X, n_rows, lo, nb, proba, xb);
	for (size_t r = 0; r < nb; r++) {
		double *p = proba + r * K;

		for (size_t k = 0; k < K; k++)
			p[k] /= (double)m->n_trees;
		if (out)
			out[lo + r] = argmax(p, K);
	}
}

struct pred_job {
	const ml_model *m;
	const cforest *cf;
	const float *X;
	size_t n_rows, block;
	double *proba;	/* full output or NULL */
	int32_t *out;
	size_t next;
	pthread_mutex_t mu;
};

static void *pred_worker(void *arg)
{
	struct pred_job *j = arg;
	size_t K = j->m->n_classes, F = j->m->n_features ? j->m->n_features : 1;
	double *tmp = j->proba ? NULL : xmalloc(st_mult(j->block, K) * sizeof(double));
	float *xb = xmalloc(st_mult(j->block + PRED_GROUP, F) * sizeof(float));

	for (;;) {
		size_t lo, hi;

		pthread_mutex_lock(&j->mu);
		lo = j->next;
		j->next += j->block;
		pthread_mutex_unlock(&j->mu);
		if (lo >= j->n_rows)
			break;
		hi = j->n_rows - lo > j->block ? lo + j->block : j->n_rows;
		predict_block(j->m, j->cf, j->X, j->n_rows, lo, hi,
			      j->proba ? j->proba + lo * K : tmp, j->out, xb);
	}
	free(tmp);
	free(xb);
	return NULL;
}

/*
 * Rows per chunk: the chunk's row-major copy about 1 MB (it is read once per
 * tree), 1024..16384 rows, fewer when the rows are shared between threads.
 */
static size_t pred_block_rows(const ml_model *m, size_t n_rows, int threads)
{
	size_t F = m->n_features ? m->n_features : 1, b = ((size_t)1 << 20) / (4 * F), per;

	if (m->kind == MODEL_LINEAR)
		return 256;
	b = b < 1024 ? 1024 : b > 16384 ? 16384 : b;
	per = (n_rows + (size_t)threads - 1) / (size_t)threads;
	if (threads > 1 && per < b)
		b = per < PRED_GROUP ? PRED_GROUP : per;
	return b;
}

void model_predict_proba_mt(const ml_model *m, const float *X, size_t n_rows, int threads,
			    double *proba, int32_t *out)
{
	struct pred_job j = { m, NULL, X, n_rows, 0, proba, out, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t th[64];
	int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads, started = 0;
	cforest *own = NULL;

	if (m->kind == MODEL_FOREST)
		j.cf = m->cf ? m->cf : (own = cforest_build(m));
	j.block = pred_block_rows(m, n_rows, nt);
	if ((size_t)nt > n_rows / j.block + 1)
		nt = (int)(n_rows / j.block + 1);
	for (int i = 1; i < nt; i++)
		if (!pthread_create(&th[started], NULL, pred_worker, &j))
			started++;
	pred_worker(&j);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	cforest_free(own);
}

void model_predict_mt(const ml_model *m, const float *X, size_t n_rows, int threads,
		      int32_t *out)
{
	model_predict_proba_mt(m, X, n_rows, threads, NULL, out);
}

void model_predict(const ml_model *m, const float *X, size_t n_rows, int32_t *out)
{
	model_predict_proba_mt(m, X, n_rows, 1, NULL, out);
}

void model_importances(const ml_model *m, double *imp)
{
	size_t F = m->n_features, used = 0;
	double *ti = xcalloc(F ? F : 1, sizeof(double)), sum = 0;

	memset(imp, 0, F * sizeof(double));
	if (m->kind == MODEL_FOREST) {
		for (size_t t = 0; t < m->n_trees; t++) {
			if (m->trees[t]->n_nodes <= 1)
				continue;
			tree_importances(m->trees[t], ti);
			for (size_t f = 0; f < F; f++)
				imp[f] += ti[f];
			used++;
		}
		if (used)
			for (size_t f = 0; f < F; f++)
				imp[f] /= (double)used;
	} else {
		size_t nw = (size_t)m->lin.nr_w;

		for (size_t f = 0; f < F; f++)
			for (size_t j = 0; j < nw; j++)
				imp[f] += fabs(m->lin.w[f * nw + j]) / (double)nw;
	}
	for (size_t f = 0; f < F; f++)
		sum += imp[f];
	if (sum > 0)
		for (size_t f = 0; f < F; f++)
			imp[f] /= sum;
	free(ti);
}
