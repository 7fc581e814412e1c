/*
 * input.h: what trustee works on: a model file (forest or linear, from
 * `forest train`) and a data CSV. The model's features are taken from the
 * CSV by name, in the model's order (common/table); the model is asked once
 * for every row, in process, and its answers are the expert labels of the
 * Trustee loop.
 */
#ifndef INPUT_H
#define INPUT_H

#include <stddef.h>
#include <stdint.h>

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
	char *model_kind;		/* "forest" or "linear" */
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
void input_release(input *in);

#endif
