/*
 * report_layout: classification_report text byte for byte against goldens
 * produced once by scikit-learn 1.2.1 (classification_report(y, p) and
 * digits=4; f1_score(average="macro")) for the fixed labels below.
 */
#include "check.h"
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char golden2[] =
	"                        precision    recall  f1-score   support\n"
	"\n"
	"                BENIGN       0.50      0.75      0.60         4\n"
	"                   Bot       0.00      0.00      0.00         1\n"
	"                  DDoS       1.00      1.00      1.00         1\n"
	"                   DoS       0.50      0.67      0.57         3\n"
	"              PortScan       1.00      0.50      0.67         2\n"
	"Web Attack Brute Force       0.00      0.00      0.00         1\n"
	"\n"
	"              accuracy                           0.58        12\n"
	"             macro avg       0.50      0.49      0.47        12\n"
	"          weighted avg       0.54      0.58      0.54        12\n";
static const char golden4[] =
	"                        precision    recall  f1-score   support\n"
	"\n"
	"                BENIGN     0.5000    0.7500    0.6000         4\n"
	"                   Bot     0.0000    0.0000    0.0000         1\n"
	"                  DDoS     1.0000    1.0000    1.0000         1\n"
	"                   DoS     0.5000    0.6667    0.5714         3\n"
	"              PortScan     1.0000    0.5000    0.6667         2\n"
	"Web Attack Brute Force     0.0000    0.0000    0.0000         1\n"
	"\n"
	"              accuracy                         0.5833        12\n"
	"             macro avg     0.5000    0.4861    0.4730        12\n"
	"          weighted avg     0.5417    0.5833    0.5373        12\n";
#define GOLDEN_MACRO_F1 0.47301587301587306

static char *render(const report *r, const char *const *names, int digits)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	report_print_text(fp, r, names, digits);
	fclose(fp);
	return buf;
}

int main(void)
{
	/* ids in sorted name order, plus one class absent from both vectors */
	const char *names[] = { "BENIGN", "Bot", "DDoS", "DoS", "Infiltration", "PortScan",
				"Web Attack Brute Force" };
	const char *y[] = { "BENIGN", "BENIGN", "DoS", "PortScan", "DoS", "Bot", "BENIGN", "DDoS",
			    "DoS", "PortScan", "BENIGN", "Web Attack Brute Force" };
	const char *p[] = { "BENIGN", "DoS", "DoS", "PortScan", "BENIGN", "BENIGN", "BENIGN", "DDoS",
			    "DoS", "DoS", "BENIGN", "BENIGN" };
	int32_t yt[12], yp[12];
	report r;
	char *s;

	for (int i = 0; i < 12; i++)
		for (int k = 0; k < 7; k++) {
			if (!strcmp(y[i], names[k]))
				yt[i] = k;
			if (!strcmp(p[i], names[k]))
				yp[i] = k;
		}
	report_compute(&r, yt, yp, 12, 7);
	s = render(&r, names, 2);
	CHECK_STR(s, golden2);
	free(s);
	s = render(&r, names, 4);
	CHECK_STR(s, golden4);
	free(s);
	CHECK(fabs(r.macro_f1 - GOLDEN_MACRO_F1) < 1e-12);
	CHECK(fabs(report_macro_f1(yt, yp, 12, 7) - GOLDEN_MACRO_F1) < 1e-12);
	CHECK(fabs(report_accuracy(yt, yp, 12) - 7.0 / 12) < 1e-12);
	CHECK(r.confusion[0 * 7 + 0] == 3 && r.confusion[0 * 7 + 3] == 1);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		report_print_json(fp, &r, names);
		fclose(fp);
		CHECK(strncmp(buf, "{\"accuracy\":0.583333333333333", 29) == 0);
		CHECK(strstr(buf, "\"Bot\":{\"precision\":0,\"recall\":0,\"f1\":0,\"support\":1}") != NULL);
		CHECK(strstr(buf, "Infiltration") == NULL);
		free(buf);
	}
	report_release(&r);
	/* identical vectors: macro F1 1 */
	CHECK(report_macro_f1(yt, yt, 12, 7) == 1.0);
	return check_done();
}
