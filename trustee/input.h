/*
 * input.h: what trustee works on: a data CSV and the expert's label of
 * every row. With a model file (forest or linear, from `forest train`) the
 * model's features are taken from the CSV by name, in the model's order
 * (common/table), and the model is asked once for every row, in process.
 * Without one (trustee/expert: a predictions file, a column of the data or
 * a command) the features are chosen as `forest train` chooses them, and
 * the answers are matched to the data rows before non-finite rows are
 * dropped; the classes are the sorted distinct answers.
 */
#ifndef INPUT_H
#define INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "expert.h"
#include "table.h"

typedef struct input {
	size_t n_rows, n_features;
	float *X;			/* column-major: X[f * n_rows + i], model feature order */
	char **features;		/* n_features names (the model's) */
	size_t n_classes;
	char **classes;			/* n_classes names (the model's) */
	int32_t *expert;		/* model prediction per row */
	int32_t *truth;			/* true class per row, NULL without a label column */
	size_t n_truth_classes;		/* n_classes + labels the model does not know */
	char **truth_classes;		/* n_truth_classes names (first n_classes = classes) */
	char *model_kind;		/* "forest" or "linear"; NULL without a model file */
	size_t n_dropped;		/* rows dropped for non-finite values */
} input;

/*
 * Load model_path and data_path; label names the true-label column (an
 * absent column is no error: truth stays NULL). policy: what to do with
 * NaN/Infinity in a model feature, as forest does. threads is used for the
 * model's predictions. Returns 0, or -1 after printing an error naming the
 * file (and the missing feature, line or value).
 */
int input_load(input *in, const char *model_path, const char *data_path, const char *label,
	       enum table_nonfinite policy, int threads);

/* Where the expert's labels come from and how the data is read. */
typedef struct input_opts {
	enum expert_kind kind;
	const char *model;		/* EXPERT_MODEL: the model file */
	const char *predictions;	/* EXPERT_PREDICTIONS: the file, NULL = a column of data */
	const char *column;		/* its column (default "Predicted") */
	const char *command;		/* EXPERT_COMMAND: run with /bin/sh */
	const char *data;		/* the data CSV ("-" only with a model file) */
	const char *label;		/* true-label column (optional) */
	const char *features, *exclude;	/* without a model file, as forest train */
	int keep_identifiers;
	enum table_nonfinite nonfinite;
	int threads;
} input_opts;

/*
 * Load the data and the expert's labels as o says. Returns 0, or -1 after
 * printing an error naming the file or the command and the row.
 */
int input_open(input *in, const input_opts *o);
void input_release(input *in);

#endif
