/*
 * table.c: load a labelled CSV into float32 column-major features.
 */
#include "table.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "csv.h"
#include "util.h"

static const char *const identifier_cols[] = {
	"Flow ID", "Src IP", "Dst IP", "Source IP", "Destination IP", "Timestamp",
};

int table_is_identifier(const char *name)
{
	for (size_t i = 0; i < sizeof(identifier_cols) / sizeof(identifier_cols[0]); i++)
		if (!strcmp(name, identifier_cols[i]))
			return 1;
	return 0;
}

int table_parse_nonfinite(const char *s, enum table_nonfinite *out)
{
	static const char *const names[] = { "error", "drop", "zero", "clip" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum table_nonfinite)i;
			return 0;
		}
	return -1;
}

void table_opts_default(table_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->label = "Label";
}

void table_free_strs(char **s, size_t n)
{
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void table_release(table *t)
{
	free(t->X);
	table_free_strs(t->features, t->n_features);
	free(t->y);
	table_free_strs(t->classes, t->n_classes);
	table_free_strs(t->excluded, t->n_excluded);
	free(t->src_line);
	memset(t, 0, sizeof(*t));
}

int32_t table_class_id(const table *t, const char *name)
{
	for (size_t k = 0; k < t->n_classes; k++)
		if (!strcmp(t->classes[k], name))
			return (int32_t)k;
	return -1;
}

typedef struct named {
	const char *name;
	size_t i;
} named;

static int cmp_named(const void *a, const void *b)
{
	const named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/*
 * Header names with pandas-style ".1", ".2" suffixes on duplicates (in
 * column order), found by sorting the names: n log n, not n^2.
 */
static char **mangled_header(csv_reader *r)
{
	size_t n = csv_ncols(r);
	char **h = xcalloc(n ? n : 1, sizeof(char *));
	named *ord = xcalloc(n ? n : 1, sizeof(*ord));

	for (size_t i = 0; i < n; i++) {
		ord[i].name = csv_colname(r, i);
		ord[i].i = i;
	}
	qsort(ord, n, sizeof(*ord), cmp_named);
	for (size_t k = 0, dup = 0; k < n; k++) {
		const char *name = ord[k].name;

		dup = k && !strcmp(ord[k - 1].name, name) ? dup + 1 : 0;
		if (dup) {
			size_t len = strlen(name) + 24;

			h[ord[k].i] = xmalloc(len);
			snprintf(h[ord[k].i], len, "%s.%zu", name, dup);
		} else {
			h[ord[k].i] = xstrdup(name);
		}
	}
	free(ord);
	return h;
}

static int missing_col(const char *path, char *const *h, size_t n, const char *name,
		       const char *what)
{
	const char *near = util_closest(name, (const char *const *)h, n);

	if (near)
		return error("%s: no column '%s'%s (did you mean '%s'?)", path, name, what, near);
	return error("%s: no column '%s'%s", path, name, what);
}

/* Split a comma list into names (xstrdup'ed). */
static char **split_list(const char *s, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	const char *p = s;

	*n = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len) {
			ALLOC_GROW(v, *n + 1, cap);
			v[(*n)++] = xstrndup(p, len);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return v;
}

/* A cell for a message: control bytes (NUL included) as \xNN, long values cut with "...". */
static const char *show_cell(const csv_field *c, char *buf, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < c->len; i++) {
		unsigned char ch = (unsigned char)c->s[i];

		if (o + 8 >= cap) {
			memcpy(buf + o, "...", 4);
			return buf;
		}
		if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	return buf;
}

#define COUNT_BUF ((size_t)64 << 10)

/*
 * Lines of a regular file (a LF or the end after other bytes ends one), read
 * in 64 KB blocks (faulted in once, in cache); 0 when it is not a regular
 * file or cannot be read. Counted before the CSV is parsed, it sizes the
 * columns once.
 */
static size_t count_lines(const char *path)
{
	struct stat st;
	size_t n = 0, got;
	char *buf, last = '\n';
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return 0;
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		return 0;
	}
	buf = xmalloc(COUNT_BUF);
	while ((got = fread(buf, 1, COUNT_BUF, fp)) > 0) {
		for (const char *p = buf, *e = buf + got; (p = memchr(p, '\n', (size_t)(e - p))); p++)
			n++;
		last = buf[got - 1];
	}
	if (ferror(fp))
		n = 0;
	else if (last != '\n')
		n++;
	free(buf);
	fclose(fp);
	return n;
}

void *table_alloc_big(size_t bytes)
{
#ifdef MADV_HUGEPAGE
	const size_t huge = (size_t)2 << 20;

	/*
	 * Whole huge pages, 2 MB aligned, so that no 4 KB page is left at the
	 * ends: on this kind of VM a fault costs 5-15 us, and a 4 MB array
	 * filled through 4 KB pages took 1,000 of them.
	 */
	if (bytes >= huge) {
		size_t len = st_add(bytes, huge - 1) / huge * huge;
		void *p;

		if (posix_memalign(&p, huge, len))
			die("out of memory (%zu bytes)", len);
		(void)madvise(p, len, MADV_HUGEPAGE);
		return p;
	}
#endif
	return xmalloc(bytes ? bytes : 1);
}

/*
 * Room for cap rows of nf columns (column j at j * cap) holding the first
 * rows of x (columns old apart).
 */
static float *grow_columns(float *x, size_t rows, size_t nf, size_t old, size_t cap)
{
	float *n = table_alloc_big(st_mult(st_mult(cap, nf), sizeof(float)));

	for (size_t j = 0; j < nf && rows; j++)
		memcpy(n + j * cap, x + j * old, rows * sizeof(float));
	free(x);
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What table_load does with each CSV column: a feature's index, or one of these. */
enum { ROLE_SKIP = -1, ROLE_LABEL = -2 };

/*
 * A record without quotes whose every feature cell is a csv_number_fast
 * number, in one pass: the features into row[j * stride], the label's span
 * (NUL-free) into *ls and *ll. 0 when the record is anything else (a quote,
 * another field count, an empty, non-finite, long or malformed cell): the
 * caller then splits it and takes the general path, which gives the same
 * values (csv_number's fast path is this one) and the errors.
 */
static int fast_row(const char *s, size_t len, const int *role, size_t nh, float *row,
		    size_t stride, const char **ls, size_t *ll)
{
	const char *p = s, *e = s + len;

	for (size_t i = 0; i < nh; i++) {
		const char *b = p;
		int ro = role[i];

		if (ro >= 0) {
			double v;
			size_t k = csv_number_fast(p, (size_t)(e - p), &v);

			if (!k)
				return 0;
			p += k;
			row[(size_t)ro * stride] = (float)v;
		} else {
			const char *c = memchr(p, ',', (size_t)(e - p));

			p = c ? c : e;
			if (memchr(b, '"', (size_t)(p - b)))
				return 0;
			if (ro == ROLE_LABEL) {
				if (memchr(b, '\0', (size_t)(p - b)))
					return 0;
				*ls = b;
				*ll = (size_t)(p - b);
			}
		}
		if (i + 1 < nh) {
			if (p == e || *p != ',')
				return 0;
			p++;
		}
	}
	return p == e;
}

/* A batch's records (table_opts.on_batch) as they are gathered. */
typedef struct recs {
	char *text;
	size_t len, cap, n, *off;
	int64_t *row;
} recs;

/* Append record bytes, or (fields != NULL) its values written again as csv_write_field does. */
static void recs_add(recs *b, const char *s, size_t n, const csv_field *f, size_t nf)
{
	char *tmp = NULL;
	size_t tn = 0;

	if (f) {
		FILE *mf = open_memstream(&tmp, &tn);

		if (!mf)
			die("out of memory");
		for (size_t i = 0; i < nf; i++) {
			if (i)
				putc(',', mf);
			csv_write_field(mf, f[i].s, f[i].len);
		}
		fclose(mf);
		s = tmp;
		n = tn;
	}
	ALLOC_GROW(b->text, b->len + n + 1, b->cap);
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->off[++b->n] = b->len;
	free(tmp);
}

/* Hand the gathered rows and records to on_batch (X compacted to n_rows apart); then empty. */
static int deliver(table *t, const table_opts *o, csv_reader *r, float *xs, size_t xcap,
		   size_t nf, size_t *rows, int32_t *y, recs *b)
{
	table_batch tb;
	int rc;

	if (*rows < xcap)
		for (size_t j = 1; j < nf; j++)
			memmove(xs + j * *rows, xs + j * xcap, *rows * sizeof(float));
	t->X = xs;
	t->y = y;
	t->n_rows = *rows;
	tb.n_recs = b->n;
	tb.text = b->text ? b->text : "";
	tb.off = b->off;
	tb.row = b->row;
	tb.header = csv_colnames(r);
	tb.n_header = csv_ncols(r);
	rc = o->on_batch(o->ctx, t, &tb);
	t->X = NULL;
	t->y = NULL;
	t->n_rows = 0;
	*rows = 0;
	b->n = b->len = 0;
	return rc;
}

int table_load(table *t, const char *path, const table_opts *o)
{
	csv_reader *r;
	char **h = NULL, **list = NULL, **excl = NULL;
	size_t nh, n_list = 0, n_excl = 0, nf = 0, rows = 0, ccap = 0, lcap = 0, scap = 0;
	long *col = NULL, lab = -1;
	csv_index *hix = NULL;
	unsigned char *skipcol = NULL;
	float *xs = NULL;	/* column-major, columns xcap rows apart while reading */
	size_t xcap = 0, lines = 0;
	int32_t *y = NULL;
	csv_field *fld;
	int rc, ret = -1, *role = NULL, fast = 1;
	const char *name, *rec;
	size_t rlen, batch = o->on_batch ? (o->batch_rows ? o->batch_rows : 1) : 0;
	recs bs[2] = { { 0 }, { 0 } }, *b = bs;
	float *xalt = NULL;	/* o->batch_keep: the other batch's columns */
	int delivered = 0;

	memset(t, 0, sizeof(*t));
	r = csv_open(path);
	if (!r)
		return -1;
	if (strcmp(path, "-") && !batch)
		lines = count_lines(path);
	name = csv_name(r);
	nh = csv_ncols(r);
	h = mangled_header(r);
	hix = csv_index_new((const char *const *)h, nh);
	if (o->label) {
		lab = csv_index_find(hix, o->label);
		if (lab < 0 && !o->label_optional) {
			missing_col(name, h, nh, o->label, " (the label column; see --label)");
			goto out;
		}
	}
	col = xcalloc(nh + (o->n_want ? o->n_want : 0) + 1, sizeof(long));
	t->features = xcalloc(nh + o->n_want + 1, sizeof(char *));
	if (o->want) {
		for (size_t j = 0; j < o->n_want; j++) {
			col[j] = csv_index_find(hix, o->want[j]);
			if (col[j] < 0) {
				missing_col(name, h, nh, o->want[j], ", a feature of the model");
				goto out;
			}
			t->features[nf++] = xstrdup(o->want[j]);
		}
	} else if (o->features) {
		list = split_list(o->features, &n_list);
		for (size_t j = 0; j < n_list; j++) {
			col[j] = csv_index_find(hix, list[j]);
			if (col[j] < 0) {
				missing_col(name, h, nh, list[j], " (from --features)");
				goto out;
			}
			if (col[j] == lab) {
				error("%s: '%s' is the label column, it cannot be a feature", name, list[j]);
				goto out;
			}
			t->features[nf++] = xstrdup(h[col[j]]);
		}
	} else {
		size_t ecap = 0;

		skipcol = xcalloc(nh + 1, 1);
		if (o->exclude) {
			excl = split_list(o->exclude, &n_excl);
			for (size_t j = 0; j < n_excl; j++) {
				long x = csv_index_find(hix, excl[j]);

				if (x < 0) {
					missing_col(name, h, nh, excl[j], " (from --exclude)");
					goto out;
				}
				skipcol[x] = 1;
			}
		}
		for (size_t i = 0; i < nh; i++) {
			int skip = (long)i == lab || skipcol[i];

			if (!skip && !o->keep_identifiers && table_is_identifier(h[i])) {
				ALLOC_GROW(t->excluded, t->n_excluded + 1, ecap);
				t->excluded[t->n_excluded++] = xstrdup(h[i]);
				skip = 1;
			}
			if (skip)
				continue;
			col[nf] = (long)i;
			t->features[nf++] = xstrdup(h[i]);
		}
	}
	t->n_features = nf;
	if (nf == 0) {
		error("%s: no feature columns", name);
		goto out;
	}
	/* fixed classes first */
	if (o->classes) {
		t->classes = xcalloc(o->n_classes + 1, sizeof(char *));
		ccap = o->n_classes + 1;
		for (size_t k = 0; k < o->n_classes; k++)
			t->classes[k] = xstrdup(o->classes[k]);
		t->n_classes = o->n_classes;
	}
	role = xmalloc((nh + 1) * sizeof(int));
	for (size_t i = 0; i < nh; i++)
		role[i] = (long)i == lab ? ROLE_LABEL : ROLE_SKIP;
	for (size_t j = 0; j < nf; j++) {
		if (role[col[j]] != ROLE_SKIP)	/* the label or a feature twice: general path */
			fast = 0;
		role[col[j]] = (int)j;
	}
	if (batch) {
		xcap = batch;
		xs = table_alloc_big(st_mult(st_mult(xcap, nf), sizeof(float)));
		for (int k = 0; k < 1 + !!o->batch_keep; k++) {
			bs[k].off = xcalloc(batch + 1, sizeof(size_t));
			bs[k].row = xcalloc(batch + 1, sizeof(int64_t));
		}
		if (o->batch_keep)
			xalt = table_alloc_big(st_mult(st_mult(xcap, nf), sizeof(float)));
	}
	while ((rc = csv_next(r, &rec, &rlen)) > 0) {
		float *row;
		int drop = 0, plain = 1;
		const char *ls = NULL;
		size_t ll = 0;

		if (batch) {
			if (b->n == batch) {
				delivered = 1;
				if (deliver(t, o, r, xs, xcap, nf, &rows, y, b)) {
					rc = -1;
					break;
				}
				if (o->batch_keep) {	/* the other set, free again */
					float *x = xs;

					xs = xalt;
					xalt = x;
					b = b == bs ? bs + 1 : bs;
				}
			}
			/* a quote or CR: written again from its values below */
			plain = !memchr(rec, '"', rlen) && !memchr(rec, '\r', rlen);
			b->row[b->n] = -1;
			if (plain)
				recs_add(b, rec, rlen, NULL, 0);
		}
		if (rows == xcap) {
			size_t want = xcap + xcap / 2 + 1024;

			if (!xcap && lines)	/* a bound: a row takes one line or more */
				want = lines;
			xs = grow_columns(xs, rows, nf, xcap, want);
			xcap = want;
			/* the labels and line numbers too: each doubling copied them */
			if (!batch) {
				if (lab >= 0 && lcap < want) {
					y = xreallocarray(y, want, sizeof(*y));
					lcap = want;
				}
				if (scap < want) {
					t->src_line = xreallocarray(t->src_line, want, sizeof(*t->src_line));
					scap = want;
				}
			}
		}
		row = xs + rows;
		if (plain && fast && fast_row(rec, rlen, role, nh, row, xcap, &ls, &ll))
			goto label;
		if ((rc = csv_split(r, &fld)) < 0)
			break;
		if (!plain)
			recs_add(b, NULL, 0, fld, nh);
		if (lab >= 0) {
			ls = fld[lab].s;
			ll = strlen(ls);
		}
		for (size_t j = 0; j < nf; j++) {
			const csv_field *c = &fld[col[j]];
			double v;

			if (!csv_number(c->s, c->len, &v)) {
				char shown[160];

				if (c->len == 0)
					error("%s:%zu: column '%s': empty value", name, csv_line(r),
					      t->features[j]);
				else
					error("%s:%zu: column '%s': '%s' is not a number%s%s", name,
					      csv_line(r), t->features[j], show_cell(c, shown, sizeof(shown)),
					      memchr(c->s, '\0', c->len) ? " (it holds a NUL byte)" : "",
					      o->want || o->features ? "" : " (leave it out with --exclude)");
				goto out;
			}
			if (!isfinite(v) || fabs(v) > FLT_MAX) {
				switch (o->nonfinite) {
				case TABLE_NONFINITE_ERROR:
					error("%s:%zu: column '%s': value '%s' is %s (refused as scikit-learn "
					      "does; see --nonfinite drop|zero|clip)",
					      name, csv_line(r), t->features[j],
					      show_cell(c, (char[160]){ 0 }, 160), isnan(v) ? "NaN" : "infinite or too large for float32");
					goto out;
				case TABLE_NONFINITE_DROP:
					drop = 1;
					break;
				case TABLE_NONFINITE_ZERO:
					v = 0;
					t->n_fixed++;
					break;
				case TABLE_NONFINITE_CLIP:
					v = isnan(v) ? 0 : v > 0 ? FLT_MAX : -FLT_MAX;
					t->n_fixed++;
					break;
				}
			}
			row[j * xcap] = (float)v;
		}
		if (drop) {
			t->n_dropped++;
			continue;
		}
	label:
		if (lab >= 0) {
			int32_t id = -1;

			for (size_t k = 0; k < t->n_classes; k++)
				if (!strncmp(t->classes[k], ls, ll) && t->classes[k][ll] == '\0') {
					id = (int32_t)k;
					break;
				}
			if (id < 0) {
				ALLOC_GROW(t->classes, t->n_classes + 1, ccap);
				t->classes[t->n_classes] = xstrndup(ls, ll);
				id = (int32_t)t->n_classes++;
			}
			ALLOC_GROW(y, rows + 1, lcap);
			y[rows] = id;
		}
		ALLOC_GROW(t->src_line, rows + 1, scap);
		t->src_line[rows] = csv_line(r);
		if (batch)
			b->row[b->n - 1] = (int64_t)rows;
		rows++;
	}
	if (rc < 0)
		goto out;
	if (batch) {
		delivered = 1;
		if (deliver(t, o, r, xs, xcap, nf, &rows, y, b))
			goto out;
		if (o->batch_keep) {	/* before xs is freed below */
			delivered = 0;
			if (o->on_batch(o->ctx, NULL, NULL))
				goto out;
		}
		rows = 0;
	}
	t->n_rows = rows;
	/* columns xcap apart -> n_rows apart (each moves down, in order) */
	if (rows == 0) {
		free(xs);
		xs = xcalloc(nf, sizeof(float));
	} else if (rows < xcap) {
		for (size_t j = 1; j < nf; j++)
			memmove(xs + j * rows, xs + j * xcap, rows * sizeof(float));
		xs = xrealloc(xs, st_mult(st_mult(rows, nf), sizeof(float)));
	}
	t->X = xs;
	xs = NULL;
	if (lab >= 0) {
		t->y = y ? y : xcalloc(1, sizeof(int32_t));
		y = NULL;
	}
	if (o->classes) {
		t->n_known_classes = o->n_classes;
	} else if (t->n_classes) {
		/* sorted class names (np.unique order), remap ids */
		char **sorted = xmalloc(t->n_classes * sizeof(char *));
		int32_t *map = xmalloc(t->n_classes * sizeof(int32_t));

		memcpy(sorted, t->classes, t->n_classes * sizeof(char *));
		qsort(sorted, t->n_classes, sizeof(char *), cmp_str);
		for (size_t k = 0; k < t->n_classes; k++)
			for (size_t q = 0; q < t->n_classes; q++)
				if (sorted[q] == t->classes[k])
					map[k] = (int32_t)q;
		for (size_t i = 0; i < rows; i++)
			t->y[i] = map[t->y[i]];
		free(t->classes);
		t->classes = sorted;
		free(map);
		t->n_known_classes = t->n_classes;
	}
	ret = 0;
out:
	free(xs);
	free(y);
	free(col);
	free(role);
	if (delivered && o->batch_keep)
		(void)o->on_batch(o->ctx, NULL, NULL);	/* done with every batch */
	free(xalt);
	for (int k = 0; k < 2; k++) {
		free(bs[k].text);
		free(bs[k].off);
		free(bs[k].row);
	}
	free(skipcol);
	csv_index_free(hix);
	table_free_strs(h, nh);
	table_free_strs(list, n_list);
	table_free_strs(excl, n_excl);
	csv_free(r);
	if (ret < 0) {
		if (t->n_features < nf)
			t->n_features = nf;
		table_release(t);
	}
	return ret;
}
