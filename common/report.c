/*
 * report.c: classification_report, confusion matrix and F1 as scikit-learn.
 */
#include "report.h"

#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * F1 of one class as scikit-learn 1.2 computes it, bit for bit: precision
 * p = tp / |pred|, recall r = tp / |true|, F1 = 2 p r / (p + r), 0 when
 * p + r is 0 (zero_division=0).
 */
static double f1_of(uint64_t tp, uint64_t n_true, uint64_t n_pred)
{
	double p = n_pred ? (double)tp / (double)n_pred : 0;
	double r = n_true ? (double)tp / (double)n_true : 0;

	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

void report_compute(report *r, const int32_t *truth, const int32_t *pred, size_t n,
		    size_t n_classes)
{
	size_t K = n_classes, np = 0;
	uint64_t *pc, correct = 0, total = 0;

	memset(r, 0, sizeof(*r));
	r->n_classes = K;
	r->n = n;
	r->confusion = xcalloc(K * K + 1, sizeof(uint64_t));
	r->precision = xcalloc(K + 1, sizeof(double));
	r->recall = xcalloc(K + 1, sizeof(double));
	r->f1 = xcalloc(K + 1, sizeof(double));
	r->support = xcalloc(K + 1, sizeof(uint64_t));
	r->present = xcalloc(K + 1, 1);
	pc = xcalloc(K + 1, sizeof(uint64_t));
	for (size_t i = 0; i < n; i++) {
		size_t t = (size_t)truth[i], p = (size_t)pred[i];

		if (t >= K || p >= K)
			continue;
		r->confusion[t * K + p]++;
		r->support[t]++;
		pc[p]++;
		r->present[t] = r->present[p] = 1;
		correct += t == p;
	}
	for (size_t k = 0; k < K; k++) {
		uint64_t tp = r->confusion[k * K + k];
		double p, rc;

		if (!r->present[k])
			continue;
		np++;
		total += r->support[k];
		p = pc[k] ? (double)tp / (double)pc[k] : 0;
		rc = r->support[k] ? (double)tp / (double)r->support[k] : 0;
		r->precision[k] = p;
		r->recall[k] = rc;
		r->f1[k] = f1_of(tp, r->support[k], pc[k]);
		r->macro_p += p;
		r->macro_r += rc;
		r->macro_f1 += r->f1[k];
		r->weighted_p += p * (double)r->support[k];
		r->weighted_r += rc * (double)r->support[k];
		r->weighted_f1 += r->f1[k] * (double)r->support[k];
	}
	if (np) {
		r->macro_p /= (double)np;
		r->macro_r /= (double)np;
		r->macro_f1 /= (double)np;
	}
	if (total) {
		r->weighted_p /= (double)total;
		r->weighted_r /= (double)total;
		r->weighted_f1 /= (double)total;
	}
	r->accuracy = n ? (double)correct / (double)n : 1.0;
	free(pc);
}

void report_release(report *r)
{
	free(r->confusion);
	free(r->precision);
	free(r->recall);
	free(r->f1);
	free(r->support);
	free(r->present);
	memset(r, 0, sizeof(*r));
}

static const char *const *sort_names_;

static int cmp_id(const void *a, const void *b)
{
	return strcmp(sort_names_[*(const size_t *)a], sort_names_[*(const size_t *)b]);
}

/* Present classes ordered by name (sklearn sorts the labels). */
static size_t present_order(const report *r, const char *const *names, size_t *ord)
{
	size_t n = 0;

	for (size_t k = 0; k < r->n_classes; k++)
		if (r->present[k])
			ord[n++] = k;
	sort_names_ = names;
	qsort(ord, n, sizeof(size_t), cmp_id);
	return n;
}

void report_print_text(FILE *fp, const report *r, const char *const *names, int digits)
{
	size_t *ord = xmalloc((r->n_classes + 1) * sizeof(size_t));
	size_t n = present_order(r, names, ord);
	int width = (int)strlen("weighted avg");
	uint64_t total = 0;

	if (digits < 0)
		digits = 2;
	for (size_t i = 0; i < n; i++) {
		int l = (int)strlen(names[ord[i]]);

		if (l > width)
			width = l;
		total += r->support[ord[i]];
	}
	if (digits > width)
		width = digits;
	fprintf(fp, "%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score",
		"support");
	for (size_t i = 0; i < n; i++) {
		size_t k = ord[i];

		fprintf(fp, "%*s  %9.*f %9.*f %9.*f %9llu\n", width, names[k], digits, r->precision[k],
			digits, r->recall[k], digits, r->f1[k], (unsigned long long)r->support[k]);
	}
	fputc('\n', fp);
	fprintf(fp, "%*s  %9s %9s %9.*f %9llu\n", width, "accuracy", "", "", digits, r->accuracy,
		(unsigned long long)total);
	fprintf(fp, "%*s  %9.*f %9.*f %9.*f %9llu\n", width, "macro avg", digits, r->macro_p, digits,
		r->macro_r, digits, r->macro_f1, (unsigned long long)total);
	fprintf(fp, "%*s  %9.*f %9.*f %9.*f %9llu\n", width, "weighted avg", digits, r->weighted_p,
		digits, r->weighted_r, digits, r->weighted_f1, (unsigned long long)total);
	free(ord);
}

void report_print_confusion(FILE *fp, const report *r, const char *const *names)
{
	size_t *ord = xmalloc((r->n_classes + 1) * sizeof(size_t));
	size_t n = present_order(r, names, ord);
	int w0 = (int)strlen("true\\pred"), *w = xcalloc(n + 1, sizeof(int));

	for (size_t i = 0; i < n; i++) {
		int l = (int)strlen(names[ord[i]]);
		char buf[32];

		if (l > w0)
			w0 = l;
		w[i] = l;
		for (size_t j = 0; j < n; j++) {
			int d = snprintf(buf, sizeof(buf), "%llu",
					 (unsigned long long)r->confusion[ord[j] * r->n_classes + ord[i]]);

			if (d > w[i])
				w[i] = d;
		}
	}
	fprintf(fp, "%-*s", w0, "true\\pred");
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "  %*s", w[i], names[ord[i]]);
	fputc('\n', fp);
	for (size_t j = 0; j < n; j++) {
		fprintf(fp, "%-*s", w0, names[ord[j]]);
		for (size_t i = 0; i < n; i++)
			fprintf(fp, "  %*llu", w[i],
				(unsigned long long)r->confusion[ord[j] * r->n_classes + ord[i]]);
		fputc('\n', fp);
	}
	free(w);
	free(ord);
}

void report_print_json(FILE *fp, const report *r, const char *const *names)
{
	size_t *ord = xmalloc((r->n_classes + 1) * sizeof(size_t));
	size_t n = present_order(r, names, ord);

	fputs("{\"accuracy\":", fp);
	json_number(fp, r->accuracy);
	fputs(",\"macro_f1\":", fp);
	json_number(fp, r->macro_f1);
	fputs(",\"weighted_f1\":", fp);
	json_number(fp, r->weighted_f1);
	fputs(",\"classes\":{", fp);
	for (size_t i = 0; i < n; i++) {
		size_t k = ord[i];

		if (i)
			fputc(',', fp);
		json_string(fp, names[k]);
		fputs(":{\"precision\":", fp);
		json_number(fp, r->precision[k]);
		fputs(",\"recall\":", fp);
		json_number(fp, r->recall[k]);
		fputs(",\"f1\":", fp);
		json_number(fp, r->f1[k]);
		fprintf(fp, ",\"support\":%llu}", (unsigned long long)r->support[k]);
	}
	fputs("},\"labels\":[", fp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', fp);
		json_string(fp, names[ord[i]]);
	}
	fputs("],\"confusion\":[", fp);
	for (size_t j = 0; j < n; j++) {
		fputs(j ? ",[" : "[", fp);
		for (size_t i = 0; i < n; i++)
			fprintf(fp, "%s%llu", i ? "," : "",
				(unsigned long long)r->confusion[ord[j] * r->n_classes + ord[i]]);
		fputc(']', fp);
	}
	fputs("]}\n", fp);
	free(ord);
}

double report_macro_f1(const int32_t *truth, const int32_t *pred, size_t n, size_t n_classes)
{
	size_t *tp, *nt, *np, present = 0;
	double sum = 0;

	if (!n || !n_classes)
		return 0;
	tp = xcalloc(n_classes, sizeof(*tp));
	nt = xcalloc(n_classes, sizeof(*nt));
	np = xcalloc(n_classes, sizeof(*np));
	for (size_t i = 0; i < n; i++) {
		size_t t = (size_t)truth[i], p = (size_t)pred[i];

		if (t >= n_classes || p >= n_classes)
			continue;
		nt[t]++;
		np[p]++;
		tp[t] += t == p;
	}
	for (size_t c = 0; c < n_classes; c++) {
		if (!nt[c] && !np[c])
			continue;
		present++;
		sum += f1_of(tp[c], nt[c], np[c]);
	}
	free(tp);
	free(nt);
	free(np);
	return present ? sum / (double)present : 0;
}

double report_accuracy(const int32_t *truth, const int32_t *pred, size_t n)
{
	size_t ok = 0;

	for (size_t i = 0; i < n; i++)
		ok += truth[i] == pred[i];
	return n ? (double)ok / (double)n : 1.0;
}
