/*
 * table.h: a labelled data set in memory, loaded from a CSV for training or
 * evaluating a model. Features are float32 (scikit-learn casts X to float32
 * too), stored column-major: X[f * n_rows + i]. Labels are class ids into
 * the classes[] name array.
 *
 * Column selection (table_load):
 *  - opts->want (model feature names, exact order) when set: every name must
 *    be a column, else an error names the missing feature ("did you mean").
 *  - otherwise every column except the label column, the identifier columns
 *    (table_is_identifier: Flow ID, Src IP, Dst IP, Source IP, Destination IP,
 *    Timestamp; reported in t->excluded) and opts->exclude; or exactly
 *    opts->features when given. Every selected cell must be a number.
 * Classes: opts->classes fixes the class list (a model's); labels not in it
 * get new ids after the fixed ones (t->n_classes grows, t->n_known_classes
 * stays the fixed count). Without it, classes are the sorted unique labels
 * (scikit-learn's np.unique order, strcmp).
 */
#ifndef TABLE_H
#define TABLE_H

#include <stddef.h>
#include <stdint.h>

enum table_nonfinite {
	TABLE_NONFINITE_ERROR = 0,	/* refuse, naming file:line and column (default) */
	TABLE_NONFINITE_DROP,		/* drop the row (counted in n_dropped) */
	TABLE_NONFINITE_ZERO,		/* NaN and +-inf become 0 */
	TABLE_NONFINITE_CLIP,		/* NaN -> 0, +-inf (and finite beyond float32) -> +-FLT_MAX */
};

/* Parse "error|drop|zero|clip"; returns 0 or -1 (nothing printed). */
int table_parse_nonfinite(const char *s, enum table_nonfinite *out);

struct table;
struct table_batch;

typedef struct table_opts {
	const char *label;		/* label column name; NULL = no labels */
	int label_optional;		/* 1: a missing label column is not an error (y stays NULL) */
	const char *features;		/* comma-separated feature list, NULL = all */
	const char *exclude;		/* comma-separated columns to leave out, NULL = none */
	const char *const *want;	/* exact feature list in order (a model's), NULL = none */
	size_t n_want;
	const char *const *classes;	/* fixed class list (a model's), NULL = from data */
	size_t n_classes;
	enum table_nonfinite nonfinite;
	int keep_identifiers;		/* 1: do not exclude identifier columns by default */
	/* Streaming (forest predict): with on_batch set, table_load hands the rows
	 * over every batch_rows records and once at the end (maybe none): t holds
	 * the batch's kept rows (X n_rows apart, src_line; y when labelled), b its
	 * records. A nonzero return stops the load (table_load returns -1). */
	size_t batch_rows;
	/* 1: two sets of batch buffers in turn, so a batch's t->X, n_rows and b
	 * stay valid (copy the pointers) until the next on_batch call returns;
	 * once the last batch is handed over (or the load fails after one was),
	 * on_batch(ctx, NULL, NULL) is called and must finish every batch */
	int batch_keep;
	int (*on_batch)(void *ctx, const struct table *t, const struct table_batch *b);
	void *ctx;
} table_opts;

/* The records of a batch, in file order, kept and dropped alike. */
typedef struct table_batch {
	size_t n_recs;
	const char *text;	/* each record as a CSV line without its end: as read when it has
				 * no quote or CR, else its values written again (csv_write_field) */
	const size_t *off;	/* n_recs + 1: record i is text[off[i] .. off[i + 1]) */
	const int64_t *row;	/* n_recs: its row in t, -1 when it was dropped */
	const char *const *header;	/* every column name of the file */
	size_t n_header;
} table_batch;
void table_opts_default(table_opts *o);	/* label "Label", everything else 0/NULL */

typedef struct table {
	size_t n_rows, n_features;
	float *X;			/* n_features * n_rows, column-major */
	char **features;		/* n_features names */
	int32_t *y;			/* n_rows class ids, NULL without a label column */
	size_t n_classes;		/* classes[] entries */
	size_t n_known_classes;		/* = n_classes unless opts->classes was given */
	char **classes;
	size_t n_dropped;		/* rows dropped by TABLE_NONFINITE_DROP */
	size_t n_fixed;			/* cells changed by ZERO/CLIP */
	char **excluded;		/* identifier columns left out by default */
	size_t n_excluded;
	size_t *src_line;		/* n_rows: CSV line of each kept row */
} table;

/*
 * Load path ("-" = stdin) into t (zeroed first). Returns 0, or -1 after
 * printing an error naming the file (and line/column for bad cells).
 */
int table_load(table *t, const char *path, const table_opts *o);
void table_release(table *t);	/* frees everything, leaves t zeroed */
/* Free n strings and the array holding them (NULL-safe); model.c uses it too. */
void table_free_strs(char **s, size_t n);

/*
 * xmalloc for a big array filled once (a table's X, a model's layout, the
 * forest's tree arenas): from 2 MB on, whole 2 MB aligned huge pages are
 * asked of the kernel, so filling it takes a fault per 2 MB instead of one
 * per 4 KB. The bytes are not zeroed; free() releases it.
 */
void *table_alloc_big(size_t bytes);

/* 1 if name is one of the identifier columns excluded by default. */
int table_is_identifier(const char *name);

/* Class id of name in t->classes, or -1. */
int32_t table_class_id(const table *t, const char *name);

#endif
