/*
 * render.h: a distilled tree for people: indented if/else rules, one-line
 * branch rules, Graphviz DOT, and an SVG picture laid out by our own code
 * (no Graphviz needed). Feature and class names index the tree's feature
 * and class numbers. Writers return 0, or -1 when the stream has an error.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>
#include <stdio.h>

#include "json.h"
#include "prune.h"
#include "tree.h"

typedef struct render_names {
	const char *const *features;
	size_t n_features;
	const char *const *classes;
	size_t n_classes;
} render_names;

/* Shortest decimal text that reads back as the same float32 ("11.5", "3e+06"). */
void render_float(char *buf, size_t size, float v);

/*
 * The tree as nested "if FEATURE <= T:" / "else:  (FEATURE > T)" blocks,
 * 4 spaces per level, leaves as "-> CLASS  (samples N = P%, purity Q%)".
 * indent = spaces before every line.
 */
int render_text(FILE *fp, const tree *t, const render_names *nm, int indent);

/*
 * One branch as a one-line rule: its conditions (merged per feature into
 * ranges such as "3 < F <= 5", in order of first use) joined by " and ";
 * "(all rows)" for a tree that is one leaf. Returns a new string (free()).
 */
char *render_rule(const tree *t, const prune_branch *b, const render_names *nm);

/* Graphviz DOT of the tree (filled boxes coloured by class, edges true/false). */
int render_dot(FILE *fp, const tree *t, const render_names *nm);

/*
 * SVG picture: one box per node (split or class, samples, share, gini or
 * purity, class mix as a coloured bar), edges labelled true/false, a legend
 * of class colours, and title (may be NULL) on top.
 */
int render_svg(FILE *fp, const tree *t, const render_names *nm, const char *title);


/* Older names of common/json.h's writers, kept for existing callers. */
static inline void render_json_string(FILE *fp, const char *s)
{
	json_string(fp, s);
}
static inline void render_json_number(FILE *fp, double v)
{
	json_number(fp, v);
}

#endif
