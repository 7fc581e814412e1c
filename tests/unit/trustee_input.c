/*
 * trustee_input: reading the model's features from a CSV by name, the
 * non-finite policies, true labels the model does not know, and errors.
 */
#include "check.h"

#include <stdlib.h>

#include "input.h"
#include "util.h"

static const char csv[] =
	"Label,Dst Port,Protocol,Flow Duration\n"
	"youtube,443,17,10\n"
	"vimeo,443,6,NaN\n"
	"other,80,6,Infinity\n"
	"vimeo,80,6,3.5\n";

static void setup(input *in)
{
	static const char *const feats[] = { "Flow Duration", "Protocol" };
	static const char *const classes[] = { "vimeo", "youtube" };

	memset(in, 0, sizeof(*in));
	in->n_features = 2;
	in->features = xcalloc(2, sizeof(char *));
	for (int i = 0; i < 2; i++)
		in->features[i] = xstrdup(feats[i]);
	in->n_classes = 2;
	in->classes = xcalloc(2, sizeof(char *));
	for (int i = 0; i < 2; i++)
		in->classes[i] = xstrdup(classes[i]);
}

int main(void)
{
	input in;
	FILE *fp = fopen("data.csv", "w");

	fputs(csv, fp);
	fclose(fp);

	setup(&in);
	CHECK_EQ(input_load_csv(&in, "data.csv", "Label", INPUT_NONFINITE_DROP), 0);
	CHECK_EQ(in.n_rows, 2);
	CHECK_EQ(in.n_dropped, 2);
	CHECK(in.X[0] == 10 && in.X[1] == 3.5f);	/* Flow Duration column */
	CHECK(in.X[2] == 17 && in.X[3] == 6);		/* Protocol column */
	CHECK_EQ(in.truth[0], 1);
	CHECK_EQ(in.truth[1], 0);
	CHECK_EQ(in.n_truth_classes, 2);
	input_release(&in);

	setup(&in);
	CHECK_EQ(input_load_csv(&in, "data.csv", "Label", INPUT_NONFINITE_ZERO), 0);
	CHECK_EQ(in.n_rows, 4);
	CHECK(in.X[1] == 0 && in.X[2] == 0);
	CHECK_EQ(in.truth[2], 2);			/* "other": unknown to the model */
	CHECK_EQ(in.n_truth_classes, 3);
	CHECK_STR(in.truth_classes[2], "other");
	input_release(&in);

	setup(&in);
	CHECK_EQ(input_load_csv(&in, "data.csv", "NoSuchLabel", INPUT_NONFINITE_ZERO), 0);
	CHECK(in.truth == NULL);
	input_release(&in);

	fprintf(stderr, "(expected errors follow)\n");
	setup(&in);
	CHECK_EQ(input_load_csv(&in, "data.csv", "Label", INPUT_NONFINITE_REFUSE), -1);
	input_release(&in);

	setup(&in);
	free(in.features[1]);
	in.features[1] = xstrdup("Protocl");
	CHECK_EQ(input_load_csv(&in, "data.csv", "Label", INPUT_NONFINITE_ZERO), -1);
	input_release(&in);

	setup(&in);
	CHECK_EQ(input_load_csv(&in, "missing.csv", "Label", INPUT_NONFINITE_ZERO), -1);
	input_release(&in);
	remove("data.csv");
	return check_done();
}
