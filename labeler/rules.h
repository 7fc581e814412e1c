/*
 * rules.h: a labeler recipe (what to read, how to label, filter and select)
 * loaded from YAML with libyaml or built from command-line options, and the
 * run that applies it (reads the sources, writes the merged CSV).
 *
 * Recipe keys (docs/labeler.md):
 *   sources: [{path, label, match, drop, rules}]   (match/drop/rules override the globals)
 *   default, match, drop, rules: [{when, label}], columns: [..],
 *   nonfinite: keep|error|drop|zero|clip, label_column (Label), output
 */
#ifndef RULES_H
#define RULES_H

#include "cli.h"
#include "expr.h"

#include <stddef.h>

/* An expression's text and where it came from, for messages. */
typedef struct rules_expr {
	char *text;
	size_t len;
	const char *origin;	/* recipe file name, or the option ("--match") */
	size_t *map;		/* text offset -> byte offset in the recipe (len+1), or NULL */
} rules_expr;

typedef struct rules_rule {
	rules_expr when;
	char *label;		/* "$label" means the source's label */
} rules_rule;

typedef struct rules_source {
	char *path;		/* as opened (relative to the recipe's folder) */
	char *label;		/* NULL: none */
	rules_expr *match, *drop;	/* NULL: use the recipe's */
	rules_rule *rules;
	size_t nrules;
	int has_rules;		/* its own rules list (possibly empty) */
} rules_source;

typedef struct rules_recipe {
	char *name;		/* recipe file name for messages ("" for the command line) */
	char *text;		/* recipe file contents (positions point into it) */
	size_t textlen;
	rules_source *src;
	size_t nsrc;
	char *defl;		/* default label, NULL: none */
	rules_expr *match, *drop;
	rules_rule *rules;
	size_t nrules;
	char **columns;		/* NULL: keep all */
	size_t *colpos;		/* byte offset of each column name in the recipe, or NULL */
	size_t ncolumns;
	int nonfinite;		/* enum cli_nonfinite: keep (default), error, drop, zero, clip */
	char *label_column;
	char *output;		/* NULL: stdout unless -o */
} rules_recipe;

/* Load a YAML recipe; NULL after printing "labeler: file:line:col: ..." */
rules_recipe *rules_load(const char *path);
/* The same on text in memory; name is used in messages and to resolve paths. */
rules_recipe *rules_parse(const char *name, const char *text, size_t len);
/* An empty recipe for the command-line form (label_column "Label"). */
rules_recipe *rules_new(void);
void rules_free(rules_recipe *r);

/* A rules_expr for text from an option (origin is the option name). */
rules_expr *rules_expr_new(const char *text, const char *origin);

/*
 * Compile e against cols; on error print "labeler: origin:line:col: message"
 * (followed by "in 'source'" when source is not NULL) and return NULL.
 */
expr *rules_compile(const rules_recipe *r, const rules_expr *e, const char *const *cols,
		    size_t ncols, const char *source);

/* Print a message for a position in the recipe ("file:line:col: ..."). */
int rules_error_at(const rules_recipe *r, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Run the recipe: read every source, label, drop, select, write the CSV to
 * out ("-" = stdout). With stats, per-source, per-label counts go to stderr.
 * Returns 0 or -1 (message printed, no output file left behind).
 */
int rules_run(const rules_recipe *r, const char *out, int stats);

#endif
