/*
 * input.h: what trustee works on: a model file (forest or linear, from
 * `forest train`) and a data CSV. The model's features are taken from the
 * CSV by name, in the model's order; the model is asked once for every row
 * (in process) and its answers are the expert labels of the Trustee loop.
 */
#ifndef INPUT_H
#define INPUT_H

#include <stddef.h>
#include <stdint.h>

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

enum input_nonfinite {
	INPUT_NONFINITE_REFUSE,	/* error naming the line and column */
	INPUT_NONFINITE_DROP,	/* drop the row (counted in n_dropped) */
	INPUT_NONFINITE_ZERO,	/* replace by 0 */
	INPUT_NONFINITE_CLIP,	/* +-Infinity to the largest finite float32, NaN to 0 */
};

/*
 * Load model_path and data_path; label names the true-label column (absent
 * column: truth stays NULL, no error). threads is used for prediction.
 * Returns 0, or -1 after printing an error naming the file (and the missing
 * feature, line or value).
 */
int input_load(input *in, const char *model_path, const char *data_path, const char *label,
	       enum input_nonfinite policy, int threads);

/*
 * The data part alone: with in->features/n_features and in->classes/
 * n_classes already set, read path into X (and truth when label names a
 * column). Returns 0 or -1 after an error naming the file.
 */
int input_load_csv(input *in, const char *path, const char *label, enum input_nonfinite policy);
void input_release(input *in);

#endif
