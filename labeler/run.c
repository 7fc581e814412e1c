/*
 * run.c: apply a recipe. For each source in order: read rows, give each its
 * label (rules, then match -> the source's label, else the default), drop the
 * rows matching drop, drop rows with a missing or non-finite kept cell
 * (nonfinite: drop), and write the kept columns. Cells are copied as the
 * bytes they were in the input (quotes included); only a label we set is
 * written by us (quoted if it needs it).
 */
#include "rules.h"
#include "csv.h"
#include "progress.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output buffer ---- */

typedef struct outbuf {
	FILE *fp;
	char *buf;
	size_t n, cap;
	int err;	/* errno of the first failed write, 0 if none */
} outbuf;

static void ob_write(outbuf *o, const char *s, size_t n)
{
	if (!o->err && fwrite(s, 1, n, o->fp) != n)
		o->err = errno ? errno : EIO;
}

static void ob_flush(outbuf *o)
{
	if (o->n)
		ob_write(o, o->buf, o->n);
	o->n = 0;
}

static inline void ob_put(outbuf *o, const char *s, size_t len)
{
	if (o->n + len > o->cap) {
		ob_flush(o);
		if (len > o->cap) {
			ob_write(o, s, len);
			return;
		}
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

static inline void ob_char(outbuf *o, char c)
{
	if (o->n == o->cap)
		ob_flush(o);
	o->buf[o->n++] = c;
}

/* --nonfinite zero|clip: the text of a missing or non-finite cell x: 0, or
 * for an infinity under clip float32's largest value with its sign (the
 * shortest text that reads back as FLT_MAX, as forest's clip gives). */
static void ob_fixed(outbuf *o, const expr_cell *x, int clip)
{
	static const char fmax[] = "3.4028234663852886E38";
	double v;

	if (clip && csv_number(x->s, x->len, &v) && isinf(v)) {
		if (v < 0)
			ob_char(o, '-');
		ob_put(o, fmax, sizeof(fmax) - 1);
	} else {
		ob_char(o, '0');
	}
}

/* --nonfinite error: the row's first missing or non-finite kept cell. */
static void nonfinite_error(const char *path, size_t line, const char *col, const expr_cell *x)
{
	if (!x->len)
		error("%s:%zu: column '%s': empty value (--nonfinite error; drop, zero, clip or keep "
		      "decide otherwise)", path, line, col);
	else
		error("%s:%zu: column '%s': value '%.*s%s' is not a finite number (--nonfinite error; "
		      "drop, zero, clip or keep decide otherwise)", path, line, col,
		      x->len > 40 ? 40 : (int)x->len, x->s, x->len > 40 ? "..." : "");
}

/* A value we write ourselves: quoted when it holds , " CR or LF. */
static void ob_value(outbuf *o, const char *s, size_t len)
{
	int q = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			q = 1;
	if (!q) {
		ob_put(o, s, len);
		return;
	}
	ob_char(o, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			ob_char(o, '"');
		ob_char(o, s[i]);
	}
	ob_char(o, '"');
}

/* ---- statistics ---- */

typedef struct count {
	char *label;
	size_t len;
	uint64_t rows, afterdrop, kept;
} count;

typedef struct stats {
	count *v;
	size_t n, cap, last;
} stats;

static count *stats_get(stats *st, const char *s, size_t len)
{
	if (st->last < st->n && st->v[st->last].len == len && !memcmp(st->v[st->last].label, s, len))
		return &st->v[st->last];
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].len == len && !memcmp(st->v[i].label, s, len)) {
			st->last = i;
			return &st->v[i];
		}
	ALLOC_GROW(st->v, st->n + 1, st->cap);
	memset(&st->v[st->n], 0, sizeof(count));
	st->v[st->n].label = xstrndup(s, len);
	st->v[st->n].len = len;
	st->last = st->n;
	return &st->v[st->n++];
}

static void stats_print(const rules_recipe *r, stats *st)
{
	stats all;
	memset(&all, 0, sizeof(all));
	fprintf(stderr, "source\tlabel\trows\tafter_drop\tkept\n");
	for (size_t i = 0; i < r->nsrc; i++)
		for (size_t j = 0; j < st[i].n; j++) {
			count *c = &st[i].v[j], *a = stats_get(&all, c->label, c->len);
			fprintf(stderr, "%s\t%s\t%llu\t%llu\t%llu\n", r->src[i].path, c->label,
				(unsigned long long)c->rows, (unsigned long long)c->afterdrop,
				(unsigned long long)c->kept);
			a->rows += c->rows;
			a->afterdrop += c->afterdrop;
			a->kept += c->kept;
		}
	for (size_t j = 0; j < all.n; j++) {
		count *c = &all.v[j];
		fprintf(stderr, "(all)\t%s\t%llu\t%llu\t%llu\n", c->label, (unsigned long long)c->rows,
			(unsigned long long)c->afterdrop, (unsigned long long)c->kept);
		free(c->label);
	}
	free(all.v);
}

/* ---- the run ---- */

typedef struct compiled {
	expr *match, *drop;
	expr **when;
	size_t nwhen;
} compiled;

static void compiled_free(compiled *c)
{
	expr_free(c->match);
	expr_free(c->drop);
	for (size_t i = 0; i < c->nwhen; i++)
		expr_free(c->when[i]);
	free(c->when);
	memset(c, 0, sizeof(*c));
}

static int compile_source(const rules_recipe *r, const rules_source *s, const char *const *names,
			  size_t n, compiled *c, const char *where)
{
	const rules_expr *m = s->match ? s->match : r->match;
	const rules_expr *d = s->drop ? s->drop : r->drop;
	const rules_rule *ru = s->has_rules ? s->rules : r->rules;
	size_t nru = s->has_rules ? s->nrules : r->nrules;
	memset(c, 0, sizeof(*c));
	if (m && m->text && !(c->match = rules_compile(r, m, names, n, where)))
		return -1;
	if (d && d->text && !(c->drop = rules_compile(r, d, names, n, where)))
		return -1;
	c->when = xcalloc(nru ? nru : 1, sizeof(*c->when));
	for (size_t i = 0; i < nru; i++) {
		if (!(c->when[i] = rules_compile(r, &ru[i].when, names, n, where)))
			return -1;
		c->nwhen++;
	}
	return 0;
}

/* Column not found: message at its place in the recipe, or naming --columns. */
static int no_column(const rules_recipe *r, size_t k, const char *path, const char *const *names,
		     size_t n)
{
	const char *near = util_closest(r->columns[k], names, n);
	char hint[600] = "";
	if (near)
		snprintf(hint, sizeof(hint), " (did you mean '%s'?)", near);
	if (r->colpos)
		return rules_error_at(r, r->colpos[k], "unknown column '%s' in '%s'%s", r->columns[k], path,
				      hint);
	return error("--columns: unknown column '%s' in '%s'%s", r->columns[k], path, hint);
}

int rules_run(const rules_recipe *r, const char *out, int stats_on)
{
	outfile of;
	outbuf ob;
	stats *st = xcalloc(r->nsrc, sizeof(*st));
	char **first = NULL;	/* first source's header (with the label column) */
	size_t nfirst = 0;
	char *firstpath = NULL;
	const char *eol = "\n";
	size_t eollen = 1;
	int rc = -1;
	progress pr;
	int any_labels = r->nrules || r->defl;

	for (size_t si = 0; si < r->nsrc; si++)
		if (r->src[si].label || r->src[si].nrules)
			any_labels = 1;
	if (out_open(&of, out) < 0) {
		free(st);
		return -1;
	}
	memset(&ob, 0, sizeof(ob));
	ob.fp = of.fp;
	ob.cap = 1 << 20;
	ob.buf = xmalloc(ob.cap);
	progress_init(&pr, "rows", 0);

	for (size_t si = 0; si < r->nsrc; si++) {
		const rules_source *s = &r->src[si];
		csv_reader *in = csv_open_raw(s->path);
		const char *const *hdr;
		const char **names = NULL;
		size_t ncols, nnames, nout, *sel = NULL, nsel;
		long labelcol;
		int virt = 0, labeling, passthrough, ok = 0;
		compiled c;
		const char *slabel = s->label ? s->label : "";
		size_t slabellen = strlen(slabel);
		size_t deflen = r->defl ? strlen(r->defl) : 0;
		const rules_rule *ru = s->has_rules ? s->rules : r->rules;
		size_t *rulelen = NULL;
		expr_cell *cells, *raw;
		csv_index *ix = NULL;
		uint64_t nrow = 0;
		int got;

		memset(&c, 0, sizeof(c));
		if (!in)
			goto fail;
		hdr = csv_colnames(in);
		ncols = csv_ncols(in);
		names = xcalloc(ncols + 1, sizeof(*names));
		memcpy(names, hdr, ncols * sizeof(*names));
		labelcol = csv_colindex(in, r->label_column);
		nnames = ncols;
		if (labelcol < 0) {
			/* expressions may name it; it is written when labels are set */
			virt = 1;
			labelcol = (long)ncols;
			names[nnames++] = r->label_column;
		}
		nout = virt && !any_labels ? ncols : nnames;
		if (si == 0) {
			eol = csv_crlf(in) ? "\r\n" : "\n";
			eollen = strlen(eol);
		}

		/* columns: the selection, or the whole (identical) header */
		if (r->columns) {
			nsel = r->ncolumns;
			sel = xcalloc(nsel, sizeof(*sel));
			ix = csv_index_new(names, nnames);
			for (size_t k = 0; k < nsel; k++) {
				long x = csv_index_find(ix, r->columns[k]);
				if (x < 0) {
					no_column(r, k, s->path, names, nnames);
					goto cleanup;
				}
				sel[k] = (size_t)x;
			}
		} else {
			nsel = nout;
			sel = xcalloc(nsel, sizeof(*sel));
			for (size_t k = 0; k < nsel; k++)
				sel[k] = k;
			if (si > 0) {
				size_t k = 0;
				while (k < nout && k < nfirst && !strcmp(names[k], first[k]))
					k++;
				if (k < nout || k < nfirst) {
					if (k < nout && k < nfirst)
						error("'%s': header differs from '%s': column %zu is '%s' there, '%s' here"
						      " (choose common columns with 'columns')",
						      s->path, firstpath, k + 1, first[k], names[k]);
					else
						error("'%s': header differs from '%s': %zu columns there, %zu here"
						      " (choose common columns with 'columns')",
						      s->path, firstpath, nfirst, nout);
					goto cleanup;
				}
			}
		}
		if (si == 0) {
			nfirst = nout;
			first = xcalloc(nout, sizeof(*first));
			for (size_t k = 0; k < nout; k++)
				first[k] = xstrdup(names[k]);
			firstpath = xstrdup(s->path);
			if (csv_bom(in))	/* kept, as the rest of the bytes */
				ob_put(&ob, "\xEF\xBB\xBF", 3);
			for (size_t k = 0; k < nsel; k++) {
				if (k)
					ob_char(&ob, ',');
				ob_value(&ob, names[sel[k]], strlen(names[sel[k]]));
			}
			ob_put(&ob, eol, eollen);
		}

		if (compile_source(r, s, names, nnames, &c, si ? s->path : NULL) < 0)
			goto cleanup;
		labeling = c.nwhen || s->label || r->defl;
		rulelen = xcalloc(c.nwhen + 1, sizeof(*rulelen));
		for (size_t k = 0; k < c.nwhen; k++)
			rulelen[k] = strlen(ru[k].label);
		passthrough = !labeling && !r->columns && nsel == ncols;

		while ((got = csv_read(in, &cells)) == 1) {
			raw = passthrough && !virt ? cells : csv_raw(in);
			int set = 0;
			if (virt) {
				cells[ncols].s = raw[ncols].s = "";
				cells[ncols].len = raw[ncols].len = 0;
			}
			if (labeling) {
				const char *L = NULL;
				size_t LL = 0;
				size_t k;
				for (k = 0; k < c.nwhen; k++)
					if (expr_eval(c.when[k], cells, slabel, slabellen)) {
						L = ru[k].label;
						LL = rulelen[k];
						if (!strcmp(L, "$label")) {
							L = slabel;
							LL = slabellen;
						}
						break;
					}
				if (k == c.nwhen) {
					if (!c.match || expr_eval(c.match, cells, slabel, slabellen)) {
						if (s->label) {
							L = slabel;
							LL = slabellen;
						} else if (r->defl) {
							L = r->defl;
							LL = deflen;
						}
					} else if (r->defl) {
						L = r->defl;
						LL = deflen;
					}
				}
				if (L) {
					cells[labelcol].s = L;
					cells[labelcol].len = LL;
					set = 1;
				}
			}
			count *cnt = stats_on ? stats_get(&st[si], cells[labelcol].s, cells[labelcol].len) : NULL;
			if (cnt)
				cnt->rows++;
			if (c.drop && expr_eval(c.drop, cells, slabel, slabellen))
				continue;
			if (cnt)
				cnt->afterdrop++;
			int fix = 0;
			if (r->nonfinite != CLI_NONFINITE_KEEP) {
				size_t k;
				for (k = 0; k < nsel; k++) {
					const expr_cell *x = &cells[sel[k]];
					if (csv_nonfinite(x->s, x->len))
						break;
				}
				if (k < nsel) {
					if (r->nonfinite == CLI_NONFINITE_DROP)
						continue;
					if (r->nonfinite == CLI_NONFINITE_ERROR) {
						nonfinite_error(s->path, csv_line(in), names[sel[k]], &cells[sel[k]]);
						got = -1;
						break;
					}
					fix = 1;
					if (raw == cells)
						raw = csv_raw(in);
				}
			}
			if (cnt)
				cnt->kept++;
			if (passthrough && !fix) {
				size_t len;
				const char *rec = csv_record(in, &len);
				ob_put(&ob, rec, len);
			} else {
				for (size_t k = 0; k < nsel; k++) {
					size_t col = sel[k];
					if (k)
						ob_char(&ob, ',');
					if ((long)col == labelcol && (set || virt))
						ob_value(&ob, cells[col].s, cells[col].len);
					else if (fix && csv_nonfinite(cells[col].s, cells[col].len))
						ob_fixed(&ob, &cells[col], r->nonfinite == CLI_NONFINITE_CLIP);
					else
						ob_put(&ob, raw[col].s, raw[col].len);
				}
			}
			ob_put(&ob, eol, eollen);
			if ((++nrow & 0xffff) == 0)
				progress_update(&pr, nrow);
			if (ob.err)
				break;
		}
		if (ob.err) {
			error("error writing '%s': %s", out && strcmp(out, "-") ? out : "standard output",
			      strerror(ob.err));
			got = -1;
		}
		if (got == 0)
			ok = 1;
cleanup:
		compiled_free(&c);
		free(rulelen);
		free(sel);
		free(names);
		csv_index_free(ix);
		csv_free(in);
		if (!ok)
			goto fail;
	}
	ob_flush(&ob);
	if (ob.err) {
		error("error writing '%s': %s", out && strcmp(out, "-") ? out : "standard output",
		      strerror(ob.err));
		goto fail;
	}
	progress_end(&pr);
	if (out_commit(&of) < 0)
		goto done;
	if (stats_on)
		stats_print(r, st);
	rc = 0;
	goto done;
fail:
	progress_end(&pr);
	out_abort(&of);
done:
	for (size_t i = 0; i < r->nsrc; i++) {
		for (size_t j = 0; j < st[i].n; j++)
			free(st[i].v[j].label);
		free(st[i].v);
	}
	free(st);
	for (size_t k = 0; k < nfirst; k++)
		free(first[k]);
	free(first);
	free(firstpath);
	free(ob.buf);
	return rc;
}
