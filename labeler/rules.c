/*
 * rules.c: labeler recipes from YAML (libyaml's document API) and from the
 * command line; positions of expressions inside the recipe file for messages.
 * See rules.h. The run itself is in run.c.
 *
 * libyaml marks count lines and columns from 0 and in characters; messages
 * print them 1-based. An expression's characters are mapped back to byte
 * offsets in the recipe by aligning the scalar's value with its source text
 * (quotes, escapes and folded line breaks are skipped), so an error inside
 * "match: ..." points at the offending token in the file.
 */
#include "rules.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- positions ---- */

static void offset_linecol(const rules_recipe *r, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, ls = 0;
	if (off > r->textlen)
		off = r->textlen;
	for (size_t i = 0; i < off; i++)
		if (r->text[i] == '\n') {
			l++;
			ls = i + 1;
		}
	*line = l;
	*col = 1;
	for (size_t i = ls; i < off; i++)	/* characters, not bytes */
		if (((unsigned char)r->text[i] & 0xC0) != 0x80)
			(*col)++;
}

int rules_error_at(const rules_recipe *r, size_t offset, const char *fmt, ...)
{
	char msg[1024];
	size_t line, col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	offset_linecol(r, offset, &line, &col);
	return error("%s:%zu:%zu: %s", r->name, line, col, msg);
}

/*
 * Where a mark lookup stopped: line and column (as libyaml counts them) and
 * the byte offset there. Marks are asked for mostly in file order, so going
 * on from the last one keeps a whole recipe's lookups linear in its size (a
 * list of a million names on one line was quadratic); an earlier mark starts
 * again from the top.
 */
typedef struct mark_cursor {
	size_t line, col, off;
} mark_cursor;

/* Byte offset of a libyaml mark (0-based line, 0-based column in characters).
 * c: the cursor to go on from and update (NULL: from the top). */
static size_t mark_offset(const rules_recipe *r, yaml_mark_t m, mark_cursor *c)
{
	mark_cursor top = { 0, 0, 0 };
	if (!c)
		c = &top;
	if (m.line < c->line || (m.line == c->line && m.column < c->col))
		*c = top;
	size_t off = c->off, line = c->line, col = c->col;
	while (off < r->textlen && line < m.line) {
		if (r->text[off] == '\n') {
			line++;
			col = 0;
		}
		off++;
	}
	while (off < r->textlen && col < m.column && r->text[off] != '\n') {
		off++;
		while (off < r->textlen && ((unsigned char)r->text[off] & 0xC0) == 0x80)
			off++;
		col++;
	}
	c->line = line;
	c->col = col;
	c->off = off;
	return off;
}

/* ---- building ---- */

rules_recipe *rules_new(void)
{
	rules_recipe *r = xcalloc(1, sizeof(*r));
	r->nonfinite = CLI_NONFINITE_KEEP;
	r->name = xstrdup("");
	r->text = xstrdup("");
	r->label_column = xstrdup("Label");
	return r;
}

rules_expr *rules_expr_new(const char *text, const char *origin)
{
	rules_expr *e = xcalloc(1, sizeof(*e));
	e->text = text ? xstrdup(text) : NULL;
	e->len = text ? strlen(text) : 0;
	e->origin = origin;
	return e;
}

static void expr_text_free(rules_expr *e)
{
	if (!e)
		return;
	free(e->text);
	free(e->map);
	free(e);
}

static void rules_list_free(rules_rule *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].when.text);
		free(v[i].when.map);
		free(v[i].label);
	}
	free(v);
}

void rules_free(rules_recipe *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nsrc; i++) {
		rules_source *s = &r->src[i];
		free(s->path);
		free(s->label);
		expr_text_free(s->match);
		expr_text_free(s->drop);
		rules_list_free(s->rules, s->nrules);
	}
	free(r->src);
	free(r->defl);
	expr_text_free(r->match);
	expr_text_free(r->drop);
	rules_list_free(r->rules, r->nrules);
	for (size_t i = 0; i < r->ncolumns; i++)
		free(r->columns[i]);
	free(r->columns);
	free(r->colpos);
	free(r->label_column);
	free(r->output);
	free(r->name);
	free(r->text);
	free(r);
}

expr *rules_compile(const rules_recipe *r, const rules_expr *e, const char *const *cols,
		    size_t ncols, const char *source)
{
	expr_error err;
	expr *x;
	char where[600] = "";
	if (!e || !e->text)
		return NULL;
	x = expr_compile(e->text, e->len, cols, ncols, &err);
	if (x)
		return x;
	if (source)
		snprintf(where, sizeof(where), " in '%s'", source);
	if (e->map) {
		size_t pos = err.pos <= e->len ? err.pos : e->len;
		rules_error_at(r, e->map[pos], "%s%s", err.msg, where);
	} else {
		error("%s:1:%zu: %s%s", e->origin, err.pos + 1, err.msg, where);
	}
	return NULL;
}

/* ---- YAML ---- */

typedef struct loader {
	rules_recipe *r;
	yaml_document_t *doc;
	char *dir;		/* folder of the recipe, "" for none */
	mark_cursor at;		/* where the last mark lookup stopped */
} loader;

static size_t node_off(loader *L, yaml_node_t *n)
{
	return mark_offset(L->r, n->start_mark, &L->at);
}

static int node_error(loader *L, yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int node_error(loader *L, yaml_node_t *n, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return rules_error_at(L->r, node_off(L, n), "%s", msg);
}

static int is_null(yaml_node_t *n)
{
	const char *v;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

static int get_scalar(loader *L, yaml_node_t *n, const char *key, char **out)
{
	if (n->type != YAML_SCALAR_NODE || is_null(n))
		return node_error(L, n, "'%s' needs a value (a single word or text)", key);
	free(*out);
	*out = xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
	return 0;
}

/* Map every character of the scalar's value to a byte offset in the recipe. */
static rules_expr *get_expr(loader *L, yaml_node_t *n, const char *key, int allow_null)
{
	rules_expr *e;
	const char *v, *raw = L->r->text;
	size_t len, j, end;
	if (allow_null && is_null(n))
		return rules_expr_new(NULL, L->r->name);
	if (n->type != YAML_SCALAR_NODE || is_null(n)) {
		node_error(L, n, "'%s' needs an expression", key);
		return NULL;
	}
	v = (const char *)n->data.scalar.value;
	len = n->data.scalar.length;
	e = xcalloc(1, sizeof(*e));
	e->text = xstrndup(v, len);
	e->len = len;
	e->origin = L->r->name;
	e->map = xcalloc(len + 1, sizeof(*e->map));
	j = node_off(L, n);
	end = mark_offset(L->r, n->end_mark, &L->at);
	if (end > L->r->textlen)
		end = L->r->textlen;
	for (size_t k = 0; k < len; k++) {
		size_t t = j;
		while (t < end && t < j + 64 && raw[t] != v[k])
			t++;
		if (t < end && raw[t] == v[k]) {
			e->map[k] = t;
			j = t + 1;
		} else {	/* an escape: stay roughly in place */
			e->map[k] = j < end ? j : (end ? end - 1 : 0);
			if (j < end)
				j++;
		}
	}
	e->map[len] = j;	/* "end of expression": just after its last character */
	return e;
}

/*
 * Index of key k in keys, or -1 after an error: unknown (with the closest
 * key) or given twice in one mapping (seen[i] holds 1 + the offset of the
 * first one, zeroed by the caller per mapping).
 */
static int key_check(loader *L, yaml_node_t *k, const char *const *keys, size_t nkeys,
		     const char *where, size_t *seen)
{
	const char *s;
	const char *near;
	if (k->type != YAML_SCALAR_NODE)
		return node_error(L, k, "expected a key name in %s", where);
	s = (const char *)k->data.scalar.value;
	for (size_t i = 0; i < nkeys; i++)
		if (!strcmp(s, keys[i])) {
			if (seen[i]) {
				size_t line, col;
				offset_linecol(L->r, seen[i] - 1, &line, &col);
				return node_error(L, k, "duplicate key '%s' in %s (first at line %zu, column %zu)",
						  s, where, line, col);
			}
			seen[i] = node_off(L, k) + 1;
			return (int)i;
		}
	near = util_closest(s, keys, nkeys);
	if (near)
		return node_error(L, k, "unknown key '%s' in %s (did you mean '%s'?)", s, where, near);
	return node_error(L, k, "unknown key '%s' in %s", s, where);
}

static int load_rules(loader *L, yaml_node_t *n, rules_rule **out, size_t *nout)
{
	static const char *const keys[] = { "when", "label" };
	size_t cap = 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return node_error(L, n, "'rules' must be a list of {when: EXPR, label: NAME}");
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *m = yaml_document_get_node(L->doc, *it);
		rules_rule *ru;
		int seen_when = 0;
		size_t seen[2] = { 0, 0 };
		if (!m || m->type != YAML_MAPPING_NODE)
			return node_error(L, m ? m : n, "a rule must be {when: EXPR, label: NAME}");
		ALLOC_GROW(*out, *nout + 1, cap);
		ru = &(*out)[(*nout)++];
		memset(ru, 0, sizeof(*ru));
		for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(L->doc, p->key);
			yaml_node_t *v = yaml_document_get_node(L->doc, p->value);
			int ki = key_check(L, k, keys, 2, "a rule", seen);
			if (ki < 0)
				return -1;
			if (ki == 0) {
				rules_expr *e = get_expr(L, v, "when", 0);
				if (!e)
					return -1;
				free(ru->when.text);
				free(ru->when.map);
				ru->when = *e;
				free(e);
				seen_when = 1;
			} else if (get_scalar(L, v, "label", &ru->label) < 0) {
				return -1;
			}
		}
		if (!seen_when)
			return node_error(L, m, "a rule needs 'when'");
		if (!ru->label)
			return node_error(L, m, "a rule needs 'label'");
	}
	return 0;
}

static char *resolve_path(loader *L, const char *p)
{
	if (p[0] == '/' || !strcmp(p, "-") || !*L->dir)
		return xstrdup(p);
	char *s = xmalloc(st_add(st_add(strlen(L->dir), strlen(p)), 2));
	sprintf(s, "%s/%s", L->dir, p);
	return s;
}

/* the match or drop filter *dst (of a source or the recipe) from v,
 * replacing what was there */
static int set_filter(loader *L, yaml_node_t *v, const char *key, rules_expr **dst)
{
	rules_expr *e = get_expr(L, v, key, 1);

	if (!e)
		return -1;
	expr_text_free(*dst);
	*dst = e;
	return 0;
}

static int load_source(loader *L, yaml_node_t *n, rules_source *s)
{
	static const char *const keys[] = { "path", "label", "match", "drop", "rules" };
	size_t seen[5] = { 0 };
	memset(s, 0, sizeof(*s));
	if (n->type == YAML_SCALAR_NODE && !is_null(n)) {	/* "- file.csv" */
		s->path = resolve_path(L, (const char *)n->data.scalar.value);
		return 0;
	}
	if (n->type != YAML_MAPPING_NODE)
		return node_error(L, n, "a source must be {path: FILE, label: NAME, ...}");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(L->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(L->doc, p->value);
		int ki = key_check(L, k, keys, 5, "a source", seen);
		char *tmp = NULL;
		switch (ki) {
		case 0:
			if (get_scalar(L, v, "path", &tmp) < 0)
				return -1;
			free(s->path);
			s->path = resolve_path(L, tmp);
			free(tmp);
			break;
		case 1:
			if (get_scalar(L, v, "label", &s->label) < 0)
				return -1;
			break;
		case 2:
		case 3:
			if (set_filter(L, v, keys[ki], ki == 2 ? &s->match : &s->drop) < 0)
				return -1;
			break;
		case 4:
			rules_list_free(s->rules, s->nrules);
			s->rules = NULL;
			s->nrules = 0;
			s->has_rules = 1;
			if (!is_null(v) && load_rules(L, v, &s->rules, &s->nrules) < 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (!s->path)
		return node_error(L, n, "a source needs 'path'");
	return 0;
}

static int load_top(loader *L, yaml_node_t *root)
{
	static const char *const keys[] = { "sources", "default", "match", "drop", "rules",
					    "columns", "nonfinite", "label_column", "output", "timezone" };
	rules_recipe *r = L->r;
	yaml_node_t *sources = NULL;
	size_t seen[sizeof(keys) / sizeof(keys[0])] = { 0 };
	if (root->type != YAML_MAPPING_NODE)
		return node_error(L, root, "a recipe is a mapping with 'sources' and rules");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(L->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(L->doc, p->value);
		int ki = key_check(L, k, keys, sizeof(keys) / sizeof(keys[0]), "the recipe", seen);
		char *tmp = NULL;
		switch (ki) {
		case 0:
			if (v->type != YAML_SEQUENCE_NODE)
				return node_error(L, v, "'sources' must be a list of {path: FILE, label: NAME}");
			sources = v;
			break;
		case 1:
			if (get_scalar(L, v, "default", &r->defl) < 0)
				return -1;
			break;
		case 2:
		case 3:
			if (set_filter(L, v, keys[ki], ki == 2 ? &r->match : &r->drop) < 0)
				return -1;
			break;
		case 4:
			if (!is_null(v) && load_rules(L, v, &r->rules, &r->nrules) < 0)
				return -1;
			break;
		case 5: {
			size_t cap = 0;
			if (v->type != YAML_SEQUENCE_NODE)
				return node_error(L, v, "'columns' must be a list of column names");
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				yaml_node_t *c = yaml_document_get_node(L->doc, *it);
				char *name = NULL;
				if (get_scalar(L, c, "columns", &name) < 0)
					return -1;
				size_t had = cap;
				ALLOC_GROW(r->columns, r->ncolumns + 1, cap);
				if (cap != had)	/* grow the positions with the names, not per name */
					r->colpos = xreallocarray(r->colpos, cap, sizeof(*r->colpos));
				r->colpos[r->ncolumns] = node_off(L, c);
				r->columns[r->ncolumns++] = name;
			}
			if (!r->ncolumns)
				return node_error(L, v, "'columns' is empty");
			break;
		}
		case 6:
			if (get_scalar(L, v, "nonfinite", &tmp) < 0)
				return -1;
			r->nonfinite = cli_nonfinite_word(tmp);
			free(tmp);
			if (r->nonfinite < 0)
				return node_error(L, v, "'nonfinite' must be error, drop, zero, clip or keep");
			break;
		case 7:
			if (get_scalar(L, v, "label_column", &r->label_column) < 0)
				return -1;
			break;
		case 8:
			if (get_scalar(L, v, "output", &tmp) < 0)
				return -1;
			free(r->output);
			r->output = resolve_path(L, tmp);
			free(tmp);
			break;
		case 9:
			if (get_scalar(L, v, "timezone", &tmp) < 0)
				return -1;
			if (expr_timezone(tmp) < 0) {
				node_error(L, v, "unknown time zone '%s' (UTC, +HH:MM, or a tz database name "
					   "such as Europe/Berlin)", tmp);
				free(tmp);
				return -1;
			}
			free(tmp);
			break;
		default:
			return -1;
		}
	}
	if (!sources)
		return node_error(L, root, "the recipe has no 'sources'");
	for (yaml_node_item_t *it = sources->data.sequence.items.start; it < sources->data.sequence.items.top;
	     it++) {
		yaml_node_t *n = yaml_document_get_node(L->doc, *it);
		r->src = xreallocarray(r->src, r->nsrc + 1, sizeof(*r->src));
		if (load_source(L, n, &r->src[r->nsrc]) < 0) {
			r->nsrc++;
			return -1;
		}
		r->nsrc++;
	}
	if (!r->nsrc)
		return node_error(L, sources, "'sources' is empty");
	return 0;
}

/* Largest recipe read (a recipe is a few kB; /dev/zero or a FIFO that never
 * ends would otherwise be buffered until memory runs out). */
#define RECIPE_MAX_BYTES ((size_t)64 << 20)

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	if (!fp) {
		error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got, room;
		ALLOC_GROW(buf, n + 4096 + 1, cap);
		room = cap - n - 1;
		if (room > RECIPE_MAX_BYTES + 1 - n)
			room = RECIPE_MAX_BYTES + 1 - n;	/* one byte past the cap tells */
		got = fread(buf + n, 1, room, fp);
		n += got;
		if (n > RECIPE_MAX_BYTES) {
			error("%s: recipe larger than %zu MB", path, RECIPE_MAX_BYTES >> 20);
			if (fp != stdin)
				fclose(fp);
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		error("error reading '%s': %s", path, strerror(errno ? errno : EIO));
		if (fp != stdin)
			fclose(fp);
		free(buf);
		return NULL;
	}
	if (fp != stdin)
		fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * Lists and mappings nested deeper than this are refused before libyaml sees
 * them. Flow collections ([ and {): its parser takes time quadratic in the
 * depth (24 s for 100,000 levels). Block ones (one per indentation level and
 * per leading '- ', '? ' or ': ' on a line, "- - - - x"): memory linear but
 * large (10,000,000 levels on one 20 MB line took 3 GB). A recipe needs four.
 */
#define RECIPE_MAX_DEPTH 64

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int ends_line(const char *t, size_t n, size_t i)
{
	return i >= n || t[i] == '\n' || is_blank(t[i]);
}

static size_t count_spaces(const char *t, size_t n, size_t i)
{
	size_t k = i;
	while (k < n && t[k] == ' ')
		k++;
	return k - i;
}

/* Open block levels: the indentation column of each. */
struct block_levels {
	size_t col[RECIPE_MAX_DEPTH + 1];
	size_t n;
};

static int block_push(const rules_recipe *r, struct block_levels *b, size_t col, size_t at)
{
	while (b->n && b->col[b->n - 1] >= col)
		b->n--;
	if (b->n == RECIPE_MAX_DEPTH)
		return rules_error_at(r, at, "lists and mappings nested deeper than %d levels",
				      RECIPE_MAX_DEPTH);
	b->col[b->n++] = col;
	return 0;
}

/*
 * The block levels a line at i (its first byte) opens: its indentation, then
 * one per leading indicator ("- - ? x" opens four). Blank lines, comment lines
 * and document markers open none (a marker closes all). Sets *indent.
 */
static int block_line(const rules_recipe *r, struct block_levels *b, size_t i, size_t *indent)
{
	const char *t = r->text;
	size_t n = r->textlen, j = i + count_spaces(t, n, i);

	*indent = j - i;
	while (j < n && is_blank(t[j]))
		j++;
	if (j >= n || t[j] == '\n' || t[j] == '#')
		return 0;
	if (j == i && n - i >= 3 && (!memcmp(t + i, "---", 3) || !memcmp(t + i, "...", 3)) &&
	    ends_line(t, n, i + 3)) {
		b->n = 0;
		return 0;
	}
	if (block_push(r, b, j - i, j) < 0)
		return -1;
	while (j < n && (t[j] == '-' || t[j] == '?' || t[j] == ':') && ends_line(t, n, j + 1)) {
		size_t at = j++;
		while (j < n && is_blank(t[j]))
			j++;
		if (j >= n || t[j] == '\n' || t[j] == '#')
			break;	/* its content is on the next lines, at their indentation */
		if (block_push(r, b, j - i, at) < 0)
			return -1;
	}
	return 0;
}

/*
 * A block scalar header ('|' or '>' at i, chomping and indentation marks, a
 * comment) is followed by content lines that are text, not structure: the
 * offset of the line break before the first line after them, or i when the
 * header is no header ("a | b" is plain text).
 */
static size_t block_scalar_end(const char *t, size_t n, size_t i, size_t indent)
{
	size_t k = i + 1, content = 0;

	while (k < n && (t[k] == '+' || t[k] == '-' || (t[k] >= '0' && t[k] <= '9')))
		k++;
	while (k < n && is_blank(t[k]))
		k++;
	if (k < n && t[k] == '#' && is_blank(t[k - 1]))
		while (k < n && t[k] != '\n')
			k++;
	if (k < n && t[k] != '\n')
		return i;
	while (k < n) {	/* k: a line break; the next line starts at k + 1 */
		size_t s = k + 1, m = count_spaces(t, n, s), e = s + m;

		while (e < n && is_blank(t[e]))
			e++;
		if (e < n && t[e] != '\n') {	/* not blank: its indentation decides */
			if (!content)
				content = m > indent ? m : SIZE_MAX;
			if (m < content)
				break;
		}
		while (e < n && t[e] != '\n')
			e++;
		k = e;
	}
	return k < n ? k : n - 1;
}

/*
 * Cheap scan for the nesting depth: brackets inside quoted scalars and
 * comments do not count (a quote starts a scalar after a space, the start of
 * a line or one of [{,:), nor do the lines of block scalars ('|', '>').
 * Returns 0 or -1 after an error at the bracket or indicator.
 */
static int check_depth(const rules_recipe *r)
{
	const char *t = r->text;
	size_t n = r->textlen, depth = 0, indent = 0;
	struct block_levels b = { .n = 0 };

	for (size_t i = 0; i < n; i++) {
		char c = t[i], prev = i ? t[i - 1] : '\n';
		int starts = prev == ' ' || prev == '\t' || prev == '\n' || prev == '[' || prev == '{' ||
			     prev == ',' || prev == ':';
		if (prev == '\n' && !depth && block_line(r, &b, i, &indent) < 0)
			return -1;
		if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n')) {
			while (i < n && t[i] != '\n')
				i++;
		} else if ((c == '\'' || c == '"') && starts) {
			for (i++; i < n; i++) {
				if (c == '"' && t[i] == '\\') {	/* an escape */
					i++;
					continue;
				}
				if (t[i] == c) {
					if (c == '\'' && i + 1 < n && t[i + 1] == '\'') {	/* '' */
						i++;
						continue;
					}
					break;
				}
			}
		} else if ((c == '|' || c == '>') && starts && !depth) {
			i = block_scalar_end(t, n, i, indent);
		} else if (c == '[' || c == '{') {
			if (++depth > RECIPE_MAX_DEPTH)
				return rules_error_at(r, i, "lists and mappings nested deeper than %d levels",
						      RECIPE_MAX_DEPTH);
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return 0;
}

rules_recipe *rules_parse(const char *name, const char *text, size_t len)
{
	rules_recipe *r;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	loader L;
	const char *slash;
	int rc;

	r = xcalloc(1, sizeof(*r));
	r->nonfinite = CLI_NONFINITE_KEEP;
	r->name = xstrdup(name);
	r->label_column = xstrdup("Label");
	r->text = xmalloc(len + 1);
	memcpy(r->text, text, len);
	r->text[len] = '\0';
	r->textlen = len;
	if (check_depth(r) < 0) {
		rules_free(r);
		return NULL;
	}
	if (!yaml_parser_initialize(&parser))
		die("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)r->text, r->textlen);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_mark_t m = parser.problem_mark;
		if (parser.context)
			error("%s:%zu:%zu: %s %s", name, m.line + 1, m.column + 1, parser.problem,
			      parser.context);
		else
			error("%s:%zu:%zu: %s", name, m.line + 1, m.column + 1,
			      parser.problem ? parser.problem : "cannot parse YAML");
		yaml_parser_delete(&parser);
		rules_free(r);
		return NULL;
	}
	root = yaml_document_get_root_node(&doc);
	memset(&L, 0, sizeof(L));
	L.r = r;
	L.doc = &doc;
	slash = strrchr(name, '/');
	L.dir = slash ? xstrndup(name, (size_t)(slash - name + (slash == name))) : xstrdup("");
	if (!root)
		rc = error("%s: empty recipe (expected 'sources' and rules)", name);
	else
		rc = load_top(&L, root);
	if (rc == 0) {	/* one document only: a second one would be silently ignored */
		yaml_document_t doc2;
		if (!yaml_parser_load(&parser, &doc2)) {
			yaml_mark_t m = parser.problem_mark;
			rc = error("%s:%zu:%zu: %s", name, m.line + 1, m.column + 1,
				   parser.problem ? parser.problem : "cannot parse YAML");
		} else {
			yaml_node_t *root2 = yaml_document_get_root_node(&doc2);
			if (root2)
				rc = rules_error_at(r, mark_offset(r, doc2.start_mark, NULL),
						    "a second YAML document: a recipe is one document");
			yaml_document_delete(&doc2);
		}
	}
	free(L.dir);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc < 0) {
		rules_free(r);
		return NULL;
	}
	return r;
}

rules_recipe *rules_load(const char *path)
{
	size_t len;
	char *text = read_file(path, &len);
	rules_recipe *r;
	if (!text)
		return NULL;
	r = rules_parse(path, text, len);
	free(text);
	return r;
}
