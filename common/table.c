/*
 * table.c: load a labelled CSV into float32 column-major features.
 */
#include "table.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static void free_strs(char **s, size_t n)
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
	free_strs(t->features, t->n_features);
	free(t->y);
	free_strs(t->classes, t->n_classes);
	free_strs(t->excluded, t->n_excluded);
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

/* Header names with pandas-style ".1", ".2" suffixes on duplicates. */
static char **mangled_header(csv_reader *r)
{
	size_t n = csv_ncols(r);
	char **h = xcalloc(n ? n : 1, sizeof(char *));

	for (size_t i = 0; i < n; i++) {
		const char *name = csv_colname(r, i);
		size_t dup = 0;

		for (size_t j = 0; j < i; j++)
			if (!strcmp(csv_colname(r, j), name))
				dup++;
		if (dup) {
			size_t len = strlen(name) + 24;

			h[i] = xmalloc(len);
			snprintf(h[i], len, "%s.%zu", name, dup);
		} else {
			h[i] = xstrdup(name);
		}
	}
	return h;
}

static long find_col(char *const *h, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(h[i], name))
			return (long)i;
	/* trimmed match (CIC-IDS2017 headers have leading spaces) */
	while (*name == ' ')
		name++;
	for (size_t i = 0; i < n; i++) {
		const char *s = h[i];
		size_t ls, ln = strlen(name);

		while (*s == ' ')
			s++;
		ls = strlen(s);
		while (ls && s[ls - 1] == ' ')
			ls--;
		while (ln && name[ln - 1] == ' ')
			ln--;
		if (ls == ln && !memcmp(s, name, ls))
			return (long)i;
	}
	return -1;
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

/*
 * Fast path for plain decimals ("123", "-4.5", "0.000001"): at most 15
 * significant digits and no exponent, so the digits make an exact integer
 * below 2^53 and one division by an exact power of ten gives the correctly
 * rounded double (Clinger's fast path): the same value as strtod. Anything
 * else returns -1 and goes through parse_double_n.
 */
static int fast_decimal(const char *s, size_t n, double *out)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				      1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
				      1e21, 1e22 };
	size_t i = 0, digits = 0, frac = 0, any = 0;
	int neg = 0, dot = 0;
	uint64_t m = 0;

	if (n == 0 || n > 40)
		return -1;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return -1;
	for (; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			any++;
			if (m || c != '0')
				digits++;
			if (digits > 15)
				return -1;
			m = m * 10 + (uint64_t)(c - '0');
			if (dot)
				frac++;
		} else if (c == '.' && !dot) {
			dot = 1;
		} else {
			return -1;
		}
	}
	if (!any || frac > 22)
		return -1;
	{
		double v = (double)m / p10[frac];

		*out = neg ? -v : v;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int table_load(table *t, const char *path, const table_opts *o)
{
	csv_reader *r;
	char **h = NULL, **list = NULL, **excl = NULL;
	size_t nh, n_list = 0, n_excl = 0, nf = 0, rows = 0, rcap = 0, ccap = 0, lcap = 0, scap = 0;
	long *col = NULL, lab = -1;
	float *rowbuf = NULL;	/* row-major while reading */
	int32_t *y = NULL;
	csv_field *fld;
	int rc, ret = -1;
	const char *name;

	memset(t, 0, sizeof(*t));
	r = csv_open(path);
	if (!r)
		return -1;
	name = csv_name(r);
	nh = csv_ncols(r);
	h = mangled_header(r);
	if (o->label) {
		lab = find_col(h, nh, o->label);
		if (lab < 0 && !o->label_optional) {
			missing_col(name, h, nh, o->label, " (the label column; see --label)");
			goto out;
		}
	}
	col = xcalloc(nh + (o->n_want ? o->n_want : 0) + 1, sizeof(long));
	t->features = xcalloc(nh + o->n_want + 1, sizeof(char *));
	if (o->want) {
		for (size_t j = 0; j < o->n_want; j++) {
			col[j] = find_col(h, nh, o->want[j]);
			if (col[j] < 0) {
				missing_col(name, h, nh, o->want[j], ", a feature of the model");
				goto out;
			}
			t->features[nf++] = xstrdup(o->want[j]);
		}
	} else if (o->features) {
		list = split_list(o->features, &n_list);
		for (size_t j = 0; j < n_list; j++) {
			col[j] = find_col(h, nh, list[j]);
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

		if (o->exclude) {
			excl = split_list(o->exclude, &n_excl);
			for (size_t j = 0; j < n_excl; j++)
				if (find_col(h, nh, excl[j]) < 0) {
					missing_col(name, h, nh, excl[j], " (from --exclude)");
					goto out;
				}
		}
		for (size_t i = 0; i < nh; i++) {
			int skip = (long)i == lab;

			for (size_t j = 0; j < n_excl && !skip; j++)
				if (find_col(h, nh, excl[j]) == (long)i)
					skip = 1;
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
	while ((rc = csv_read(r, &fld)) > 0) {
		float *row;
		int drop = 0;

		ALLOC_GROW(rowbuf, st_mult(rows + 1, nf), rcap);
		row = rowbuf + rows * nf;
		for (size_t j = 0; j < nf; j++) {
			const csv_field *c = &fld[col[j]];
			double v;

			if (fast_decimal(c->s, c->len, &v) < 0 &&
			    parse_double_n(c->s, c->len, 1, &v) < 0) {
				if (c->len == 0)
					error("%s:%zu: column '%s': empty value", name, csv_line(r),
					      t->features[j]);
				else
					error("%s:%zu: column '%s': '%s' is not a number%s", name,
					      csv_line(r), t->features[j], c->s,
					      o->want || o->features ? "" : " (leave it out with --exclude)");
				goto out;
			}
			if (!isfinite(v) || fabs(v) > FLT_MAX) {
				switch (o->nonfinite) {
				case TABLE_NONFINITE_ERROR:
					error("%s:%zu: column '%s': value '%s' is %s (refused as scikit-learn "
					      "does; see --nonfinite drop|zero|clip)",
					      name, csv_line(r), t->features[j], c->s,
					      isnan(v) ? "NaN" : "infinite or too large for float32");
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
			row[j] = (float)v;
		}
		if (drop) {
			t->n_dropped++;
			continue;
		}
		if (lab >= 0) {
			const char *ls = fld[lab].s;
			int32_t id = -1;

			for (size_t k = 0; k < t->n_classes; k++)
				if (!strcmp(t->classes[k], ls)) {
					id = (int32_t)k;
					break;
				}
			if (id < 0) {
				ALLOC_GROW(t->classes, t->n_classes + 1, ccap);
				t->classes[t->n_classes] = xstrdup(ls);
				id = (int32_t)t->n_classes++;
			}
			ALLOC_GROW(y, rows + 1, lcap);
			y[rows] = id;
		}
		ALLOC_GROW(t->src_line, rows + 1, scap);
		t->src_line[rows] = csv_line(r);
		rows++;
	}
	if (rc < 0)
		goto out;
	t->n_rows = rows;
	/* transpose to column-major */
	t->X = xmalloc(st_mult(st_mult(rows ? rows : 1, nf), sizeof(float)));
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < nf; j++)
			t->X[j * rows + i] = rowbuf[i * nf + j];
	free(rowbuf);
	rowbuf = NULL;
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
	free(rowbuf);
	free(y);
	free(col);
	free_strs(h, nh);
	free_strs(list, n_list);
	free_strs(excl, n_excl);
	csv_free(r);
	if (ret < 0) {
		if (t->n_features < nf)
			t->n_features = nf;
		table_release(t);
	}
	return ret;
}
