/*
 * render.c: text rules, DOT and SVG for a (pruned) tree.
 *
 * The SVG layout is the classic one for decision trees (scikit-learn's
 * plot_tree does the same): leaves take consecutive slots left to right in
 * depth-first order, a split node sits centred above its two children, one
 * row per depth. Box widths come from an estimate of the text width, so
 * long CICFlowMeter feature names fit without a font library.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void render_float(char *buf, size_t size, float v)
{
	if (isnan(v)) {
		snprintf(buf, size, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, size, v < 0 ? "-Infinity" : "Infinity");
		return;
	}
	for (int p = 1; p <= 9; p++) {
		snprintf(buf, size, "%.*g", p, (double)v);
		if (strtof(buf, NULL) == v) {
			const char *e = strchr(buf, 'e');
			int x = e ? atoi(e + 1) : 0;

			/* plain digits for the usual magnitudes: 10, not 1e+01 */
			if (e && x >= -4 && x < 10)
				snprintf(buf, size, "%.*f", p - 1 - x > 0 ? p - 1 - x : 0, (double)v);
			return;
		}
	}
}

static const char *feat_name(const render_names *nm, int32_t f)
{
	return f >= 0 && (size_t)f < nm->n_features ? nm->features[f] : "?";
}

static const char *class_name(const render_names *nm, int32_t c)
{
	return c >= 0 && (size_t)c < nm->n_classes ? nm->classes[c] : "?";
}

static double purity(const tree *t, int32_t node)
{
	double tot = prune_node_total(t, node);

	return tot > 0 ? t->value[(size_t)node * t->n_classes + (size_t)tree_node_class(t, node)] / tot : 0;
}

static double share(const tree *t, int32_t node)
{
	double root = t->nodes[0].weighted;

	return root > 0 ? t->nodes[node].weighted / root : 0;
}

/* ---- text ------------------------------------------------------------- */

static void text_rec(FILE *fp, const tree *t, const render_names *nm, int32_t node, int pad)
{
	const tree_node *nd = &t->nodes[node];
	char thr[32];

	if (tree_is_leaf(t, node)) {
		fprintf(fp, "%*s-> %s  (samples %.0f = %.1f%%, purity %.1f%%)\n", pad, "",
			class_name(nm, tree_node_class(t, node)), nd->weighted,
			100 * share(t, node), 100 * purity(t, node));
		return;
	}
	render_float(thr, sizeof(thr), nd->threshold);
	fprintf(fp, "%*sif %s <= %s:\n", pad, "", feat_name(nm, nd->feature), thr);
	text_rec(fp, t, nm, nd->left, pad + 4);
	fprintf(fp, "%*selse:  (%s > %s)\n", pad, "", feat_name(nm, nd->feature), thr);
	text_rec(fp, t, nm, nd->right, pad + 4);
}

int render_text(FILE *fp, const tree *t, const render_names *nm, int indent)
{
	if (t->n_nodes)
		text_rec(fp, t, nm, 0, indent);
	return ferror(fp) ? -1 : 0;
}

/* ---- one-line rules ----------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	ALLOC_GROW(b->s, st_add(b->len, n + 1), b->cap);
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

char *render_rule(const tree *t, const prune_branch *b, const render_names *nm)
{
	struct sbuf sb = { 0 };
	int32_t *feats = xreallocarray(NULL, b->len ? b->len : 1, sizeof(*feats));
	float *lo = xreallocarray(NULL, b->len ? b->len : 1, sizeof(*lo));
	float *hi = xreallocarray(NULL, b->len ? b->len : 1, sizeof(*hi));
	unsigned char *has_lo = xcalloc(b->len ? b->len : 1, 1), *has_hi = xcalloc(b->len ? b->len : 1, 1);
	size_t nf = 0;

	for (size_t i = 0; i < b->len; i++) {
		const tree_node *nd = &t->nodes[b->path[i]];
		size_t k;

		for (k = 0; k < nf && feats[k] != nd->feature; k++)
			;
		if (k == nf)
			feats[nf++] = nd->feature;
		if (prune_branch_left(t, b, i)) {
			if (!has_hi[k] || nd->threshold < hi[k])
				hi[k] = nd->threshold;
			has_hi[k] = 1;
		} else {
			if (!has_lo[k] || nd->threshold > lo[k])
				lo[k] = nd->threshold;
			has_lo[k] = 1;
		}
	}
	for (size_t k = 0; k < nf; k++) {
		char a[32], c[32];

		if (k)
			sb_add(&sb, " and ");
		if (has_lo[k]) {
			render_float(a, sizeof(a), lo[k]);
			sb_add(&sb, has_hi[k] ? a : feat_name(nm, feats[k]));
			sb_add(&sb, has_hi[k] ? " < " : " > ");
			sb_add(&sb, has_hi[k] ? feat_name(nm, feats[k]) : a);
		}
		if (has_hi[k]) {
			render_float(c, sizeof(c), hi[k]);
			if (!has_lo[k])
				sb_add(&sb, feat_name(nm, feats[k]));
			sb_add(&sb, " <= ");
			sb_add(&sb, c);
		}
	}
	if (!nf)
		sb_add(&sb, "(all rows)");
	free(feats);
	free(lo);
	free(hi);
	free(has_lo);
	free(has_hi);
	return sb.s;
}

/* ---- colours -------------------------------------------------------------- */

static const unsigned palette[] = {
	0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
	0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac,
};
#define N_PALETTE (sizeof(palette) / sizeof(palette[0]))

static unsigned class_color(size_t c)
{
	unsigned col = palette[c % N_PALETTE];

	if (c >= N_PALETTE) {	/* darken repeats so they stay distinguishable */
		unsigned r = (col >> 16) * 2 / 3, g = ((col >> 8) & 0xff) * 2 / 3, b = (col & 0xff) * 2 / 3;

		col = r << 16 | g << 8 | b;
	}
	return col;
}

/* Majority colour blended with white; purer nodes are more saturated. */
static unsigned node_fill(const tree *t, int32_t node)
{
	unsigned col = class_color((size_t)tree_node_class(t, node)), out = 0;
	double k = (double)t->n_classes, p = purity(t, node), a;

	a = k > 1 ? (p - 1 / k) / (1 - 1 / k) : 1;
	if (a < 0)
		a = 0;
	a = 0.12 + 0.45 * a;
	for (int sh = 16; sh >= 0; sh -= 8) {
		double c = (double)((col >> sh) & 0xff);
		unsigned v = (unsigned)lround(255 - (255 - c) * a);

		out |= v << sh;
	}
	return out;
}

/* ---- DOT ------------------------------------------------------------------ */

static void dot_escape(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
}

int render_dot(FILE *fp, const tree *t, const render_names *nm)
{
	fputs("digraph Tree {\n"
	      "node [shape=box, style=\"filled, rounded\", fontname=\"helvetica\"];\n"
	      "edge [fontname=\"helvetica\"];\n", fp);
	for (size_t i = 0; i < t->n_nodes; i++) {
		const tree_node *nd = &t->nodes[i];
		int32_t node = (int32_t)i;
		char thr[32];

		fprintf(fp, "%zu [label=\"", i);
		if (!tree_is_leaf(t, node)) {
			render_float(thr, sizeof(thr), nd->threshold);
			dot_escape(fp, feat_name(nm, nd->feature));
			fprintf(fp, " <= %s\\n", thr);
		}
		fprintf(fp, "gini = %.3f\\nsamples = %.0f (%.1f%%)\\nvalue = [", nd->impurity,
			nd->weighted, 100 * share(t, node));
		for (size_t c = 0; c < t->n_classes; c++)
			fprintf(fp, "%s%.0f", c ? ", " : "", t->value[i * t->n_classes + c]);
		fputs("]\\nclass = ", fp);
		dot_escape(fp, class_name(nm, tree_node_class(t, node)));
		fprintf(fp, "\", fillcolor=\"#%06x\"];\n", node_fill(t, node));
		if (!tree_is_leaf(t, node)) {
			fprintf(fp, "%zu -> %d [label=\"true\"];\n", i, nd->left);
			fprintf(fp, "%zu -> %d [label=\"false\"];\n", i, nd->right);
		}
	}
	fputs("}\n", fp);
	return ferror(fp) ? -1 : 0;
}

/* ---- SVG ------------------------------------------------------------------ */

#define SVG_FONT 13.0
#define SVG_CHAR 7.3		/* average advance of a 13px sans-serif glyph */
#define SVG_LINE 17.0
#define SVG_BOX_H 82.0
#define SVG_VGAP 46.0
#define SVG_MARGIN 20.0
#define SVG_HGAP 26.0

static void xml_escape(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&apos;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

/* The three text lines of a node box. */
static void node_lines(const tree *t, const render_names *nm, int32_t node, char line[3][256])
{
	const tree_node *nd = &t->nodes[node];
	char thr[32];

	if (tree_is_leaf(t, node)) {
		snprintf(line[0], 256, "%s", class_name(nm, tree_node_class(t, node)));
		snprintf(line[2], 256, "purity %.1f%%", 100 * purity(t, node));
	} else {
		render_float(thr, sizeof(thr), nd->threshold);
		snprintf(line[0], 256, "%s <= %s", feat_name(nm, nd->feature), thr);
		snprintf(line[2], 256, "gini %.3f", nd->impurity);
	}
	snprintf(line[1], 256, "samples %.0f (%.1f%%)", nd->weighted, 100 * share(t, node));
}

/*
 * Tidy layout (Reingold-Tilford style): each subtree is placed as close to
 * its left sibling as its contours allow (one slot apart at every depth
 * they share), and a split node is centred over its children. Chains of
 * small side leaves, common in pruned trees, then stay narrow.
 */
struct layout {
	double *off;		/* offset from the parent's x */
	double *x;
	int *depth;
	double slot_w;
};

struct contour {
	double *lo, *hi;	/* leftmost / rightmost x per relative depth */
	int h;			/* levels */
};

static struct contour tidy_rec(const tree *t, int32_t node, int depth, struct layout *L)
{
	struct contour c, a, b;
	double s = 0;

	L->depth[node] = depth;
	if (tree_is_leaf(t, node)) {
		c.h = 1;
		c.lo = xmalloc(sizeof(*c.lo));
		c.hi = xmalloc(sizeof(*c.hi));
		c.lo[0] = c.hi[0] = 0;
		return c;
	}
	a = tidy_rec(t, t->nodes[node].left, depth + 1, L);
	b = tidy_rec(t, t->nodes[node].right, depth + 1, L);
	for (int d = 0; d < a.h && d < b.h; d++)
		if (a.hi[d] - b.lo[d] + L->slot_w > s)
			s = a.hi[d] - b.lo[d] + L->slot_w;
	L->off[t->nodes[node].left] = -s / 2;
	L->off[t->nodes[node].right] = s / 2;
	c.h = 1 + (a.h > b.h ? a.h : b.h);
	c.lo = xreallocarray(NULL, (size_t)c.h, sizeof(*c.lo));
	c.hi = xreallocarray(NULL, (size_t)c.h, sizeof(*c.hi));
	c.lo[0] = c.hi[0] = 0;
	for (int d = 0; d + 1 < c.h; d++) {
		int in_a = d < a.h, in_b = d < b.h;

		c.lo[d + 1] = in_a ? a.lo[d] - s / 2 : b.lo[d] + s / 2;
		c.hi[d + 1] = in_b ? b.hi[d] + s / 2 : a.hi[d] - s / 2;
	}
	free(a.lo);
	free(a.hi);
	free(b.lo);
	free(b.hi);
	return c;
}

static void place_rec(const tree *t, int32_t node, double x, struct layout *L)
{
	L->x[node] = x;
	if (!tree_is_leaf(t, node)) {
		place_rec(t, t->nodes[node].left, x + L->off[t->nodes[node].left], L);
		place_rec(t, t->nodes[node].right, x + L->off[t->nodes[node].right], L);
	}
}

/* Lay the tree out; returns the width used by node centres (max x - min x). */
static double tidy_layout(const tree *t, struct layout *L)
{
	struct contour c = tidy_rec(t, 0, 0, L);
	double lo = 0, hi = 0;

	for (int d = 0; d < c.h; d++) {
		if (c.lo[d] < lo)
			lo = c.lo[d];
		if (c.hi[d] > hi)
			hi = c.hi[d];
	}
	free(c.lo);
	free(c.hi);
	place_rec(t, 0, -lo + SVG_MARGIN + L->slot_w / 2, L);
	return hi - lo;
}

int render_svg(FILE *fp, const tree *t, const render_names *nm, const char *title)
{
	size_t n = t->n_nodes ? t->n_nodes : 1;
	struct layout L = { 0 };
	char line[3][256];
	double box_w = 140, width, height, top, legend_w = 0, bw, span;
	int depth = tree_depth(t);

	if (!t->n_nodes)
		return error("empty tree");
	L.x = xcalloc(n, sizeof(*L.x));
	L.off = xcalloc(n, sizeof(*L.off));
	L.depth = xcalloc(n, sizeof(*L.depth));
	for (size_t i = 0; i < t->n_nodes; i++) {
		node_lines(t, nm, (int32_t)i, line);
		for (int k = 0; k < 3; k++) {
			double w = (double)strlen(line[k]) * SVG_CHAR * (k == 0 ? 1.15 : 1) + 22;

			if (w > box_w)
				box_w = w;
		}
	}
	bw = box_w;
	L.slot_w = box_w + SVG_HGAP;
	span = tidy_layout(t, &L);
	for (size_t c = 0; c < t->n_classes; c++)
		legend_w += 30 + (double)strlen(class_name(nm, (int32_t)c)) * SVG_CHAR;
	top = SVG_MARGIN + (title ? 26 : 0) + 30;
	width = 2 * SVG_MARGIN + span + L.slot_w;
	if (width < legend_w + 2 * SVG_MARGIN)
		width = legend_w + 2 * SVG_MARGIN;
	if (title && width < (double)strlen(title) * 8.5 + 2 * SVG_MARGIN)
		width = (double)strlen(title) * 8.5 + 2 * SVG_MARGIN;
	height = top + (depth + 1) * SVG_BOX_H + depth * SVG_VGAP + SVG_MARGIN;

	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
		"font-size=\"%.0f\">\n", width, height, width, height, SVG_FONT);
	fputs("<title>", fp);
	xml_escape(fp, title ? title : "decision tree");
	fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", fp);
	if (title) {
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"15\" font-weight=\"bold\">",
			SVG_MARGIN, SVG_MARGIN + 14);
		xml_escape(fp, title);
		fputs("</text>\n", fp);
	}
	/* legend */
	{
		double lx = SVG_MARGIN, ly = SVG_MARGIN + (title ? 26 : 0);

		fputs("<g class=\"legend\">\n", fp);
		for (size_t c = 0; c < t->n_classes; c++) {
			const char *name = class_name(nm, (int32_t)c);

			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"#%06x\"/>"
				"<text x=\"%.1f\" y=\"%.1f\">", lx, ly, class_color(c), lx + 19, ly + 12);
			xml_escape(fp, name);
			fputs("</text>\n", fp);
			lx += 30 + (double)strlen(name) * SVG_CHAR;
		}
		fputs("</g>\n", fp);
	}
	/* edges first, so boxes are drawn over them */
	fputs("<g class=\"edges\" fill=\"none\" stroke=\"#666666\" stroke-width=\"1.4\">\n", fp);
	for (size_t i = 0; i < t->n_nodes; i++) {
		const tree_node *nd = &t->nodes[i];

		if (tree_is_leaf(t, (int32_t)i))
			continue;
		for (int side = 0; side < 2; side++) {
			int32_t ch = side ? nd->right : nd->left;
			double x0 = L.x[i], y0 = top + L.depth[i] * (SVG_BOX_H + SVG_VGAP) + SVG_BOX_H;
			double x1 = L.x[ch], y1 = top + L.depth[ch] * (SVG_BOX_H + SVG_VGAP);
			double ym = (y0 + y1) / 2;

			fprintf(fp, "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n", x0, y0, x0,
				ym, x1, ym, x1, y1);
		}
	}
	fputs("</g>\n<g class=\"edge-labels\" font-size=\"12\" fill=\"#444444\">\n", fp);
	for (size_t i = 0; i < t->n_nodes; i++) {
		const tree_node *nd = &t->nodes[i];

		if (tree_is_leaf(t, (int32_t)i))
			continue;
		for (int side = 0; side < 2; side++) {
			int32_t ch = side ? nd->right : nd->left;
			double y0 = top + L.depth[i] * (SVG_BOX_H + SVG_VGAP) + SVG_BOX_H;
			double y1 = top + L.depth[ch] * (SVG_BOX_H + SVG_VGAP);
			double xm = (L.x[i] + L.x[ch]) / 2, ym = (y0 + y1) / 2;

			fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n",
				xm + (side ? 8 : -8), ym + 4, side ? "start" : "end", side ? "false" : "true");
		}
	}
	fputs("</g>\n<g class=\"nodes\">\n", fp);
	for (size_t i = 0; i < t->n_nodes; i++) {
		int32_t node = (int32_t)i;
		double x = L.x[i] - bw / 2, y = top + L.depth[i] * (SVG_BOX_H + SVG_VGAP);
		double tot = prune_node_total(t, node), bx = x + 10, bwid = bw - 20;

		node_lines(t, nm, node, line);
		fprintf(fp, "<g class=\"%s\">\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			"rx=\"6\" fill=\"#%06x\" stroke=\"#555555\"/>\n", tree_is_leaf(t, node) ? "leaf" : "split",
			x, y, bw, SVG_BOX_H, node_fill(t, node));
		for (int k = 0; k < 3; k++) {
			fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"%s>", L.x[i],
				y + 18 + k * SVG_LINE, k == 0 ? " font-weight=\"bold\"" : "");
			xml_escape(fp, line[k]);
			fputs("</text>\n", fp);
		}
		/* class mix bar */
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"#ffffff\" "
			"stroke=\"#888888\" stroke-width=\"0.6\"/>\n", bx, y + SVG_BOX_H - 18, bwid);
		for (size_t c = 0; c < t->n_classes && tot > 0; c++) {
			double v = t->value[i * t->n_classes + c], w = bwid * v / tot;

			if (v <= 0)
				continue;
			fprintf(fp, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"10\" fill=\"#%06x\">"
				"<title>", bx, y + SVG_BOX_H - 18, w, class_color(c));
			xml_escape(fp, class_name(nm, (int32_t)c));
			fprintf(fp, " %.1f%%</title></rect>\n", 100 * v / tot);
			bx += w;
		}
		fputs("</g>\n", fp);
	}
	fputs("</g>\n</svg>\n", fp);
	free(L.x);
	free(L.off);
	free(L.depth);
	return ferror(fp) ? -1 : 0;
}
