/*
 * report.h: classification metrics as scikit-learn computes them.
 *
 * Labels are class ids in [0, n_classes); names[] gives their text. Like
 * sklearn's classification_report/f1_score without labels=, only classes
 * present in truth or pred take part (sorted by id: give ids in sorted name
 * order to match sklearn's row order). Undefined precision/recall (0/0) is 0
 * (sklearn's zero_division="warn" value).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct report {
	size_t n_classes;
	uint64_t *confusion;	/* n_classes^2, [truth * n_classes + pred] */
	uint64_t n;		/* rows */
	/* per class (0 for absent classes) */
	double *precision, *recall, *f1;
	uint64_t *support;
	uint8_t *present;	/* class in truth or pred */
	double accuracy;
	double macro_p, macro_r, macro_f1;
	double weighted_p, weighted_r, weighted_f1;
} report;

/* Compute everything. report_release frees the arrays. */
void report_compute(report *r, const int32_t *truth, const int32_t *pred, size_t n,
		    size_t n_classes);
void report_release(report *r);

/*
 * sklearn.metrics.classification_report(y_true, y_pred, digits=digits)
 * text, byte for byte (default digits 2), followed by nothing.
 */
void report_print_text(FILE *fp, const report *r, const char *const *names, int digits);
/* Confusion matrix as a table: header "true\pred" then class names. */
void report_print_confusion(FILE *fp, const report *r, const char *const *names);
/*
 * JSON on one line + "\n": {"accuracy":..,"macro_f1":..,"weighted_f1":..,
 * "classes":{"name":{"precision":..,"recall":..,"f1":..,"support":N},..},
 * "labels":[..],"confusion":[[..],..]} (present classes, in id order).
 */
void report_print_json(FILE *fp, const report *r, const char *const *names);

/* sklearn f1_score(a, b, average="macro") between two label vectors. */
double report_macro_f1(const int32_t *truth, const int32_t *pred, size_t n, size_t n_classes);
/* Fraction of equal labels (1.0 for n = 0). */
double report_accuracy(const int32_t *truth, const int32_t *pred, size_t n);

#endif
