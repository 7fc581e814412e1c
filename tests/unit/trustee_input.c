/*
 * trustee_input: a model saved by common/model and a CSV: the model's
 * features are read by name in the model's order, the model answers for
 * every row, labels the model does not know get their own ids, non-finite
 * values follow the policy, and a missing feature or model is an error.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "model.h"
#include "util.h"

static const char csv[] =
	"Label,Dst Port,Protocol,Flow Duration\n"
	"youtube,443,17,10\n"
	"vimeo,443,6,NaN\n"
	"other,80,6,Infinity\n"
	"vimeo,80,6,3.5\n";

/* One tree: Protocol <= 11.5 -> vimeo, else youtube. Features: Flow Duration, Protocol. */
static void save_model(const char *path)
{
	ml_model *m = model_new(MODEL_FOREST);
	tree *t = xcalloc(1, sizeof(*t));

	m->n_features = 2;
	m->features = xcalloc(2, sizeof(char *));
	m->features[0] = xstrdup("Flow Duration");
	m->features[1] = xstrdup("Protocol");
	m->n_classes = 2;
	m->classes = xcalloc(2, sizeof(char *));
	m->classes[0] = xstrdup("vimeo");
	m->classes[1] = xstrdup("youtube");
	m->tool_version = xstrdup("forest 0.1.0");
	m->options = xstrdup("test");
	t->n_nodes = t->cap = 3;
	t->n_classes = 2;
	t->n_features = 2;
	t->nodes = xcalloc(3, sizeof(*t->nodes));
	t->value = xcalloc(6, sizeof(*t->value));
	t->nodes[0] = (tree_node){ 1, 2, 1, 11.5f, 0.5, 4, 4 };
	t->nodes[1] = (tree_node){ -1, -1, -1, 0, 0, 2, 2 };
	t->nodes[2] = (tree_node){ -1, -1, -1, 0, 0, 2, 2 };
	t->value[0] = t->value[1] = 2;
	t->value[2] = 2;
	t->value[5] = 2;
	m->n_trees = 1;
	m->trees = xcalloc(1, sizeof(*m->trees));
	m->trees[0] = t;
	CHECK_EQ(model_save(m, path), 0);
	model_free(m);
}

int main(void)
{
	input in;
	FILE *fp = fopen("data.csv", "w");

	fputs(csv, fp);
	fclose(fp);
	fp = fopen("bad.csv", "w");
	fputs("Label,Protocl,Flow Duration\nvimeo,6,1\n", fp);
	fclose(fp);
	save_model("m.rf");

	CHECK_EQ(input_load(&in, "m.rf", "data.csv", "Label", TABLE_NONFINITE_DROP, 2), 0);
	CHECK_EQ(in.n_rows, 2);
	CHECK_EQ(in.n_dropped, 2);
	CHECK_EQ(in.n_features, 2);
	CHECK_STR(in.features[0], "Flow Duration");
	CHECK(in.X[0] == 10 && in.X[1] == 3.5f);	/* Flow Duration column */
	CHECK(in.X[2] == 17 && in.X[3] == 6);		/* Protocol column */
	CHECK_EQ(in.expert[0], 1);
	CHECK_EQ(in.expert[1], 0);
	CHECK_EQ(in.truth[0], 1);
	CHECK_EQ(in.truth[1], 0);
	CHECK_STR(in.model_kind, "forest");
	input_release(&in);

	CHECK_EQ(input_load(&in, "m.rf", "data.csv", "Label", TABLE_NONFINITE_ZERO, 1), 0);
	CHECK_EQ(in.n_rows, 4);
	CHECK(in.X[1] == 0 && in.X[2] == 0);
	CHECK_EQ(in.truth[2], 2);			/* "other": unknown to the model */
	CHECK_EQ(in.n_truth_classes, 3);
	CHECK_STR(in.truth_classes[2], "other");
	CHECK_EQ(in.n_classes, 2);
	input_release(&in);

	CHECK_EQ(input_load(&in, "m.rf", "data.csv", "NoSuchLabel", TABLE_NONFINITE_ZERO, 1), 0);
	CHECK(in.truth == NULL);
	input_release(&in);

	/* without a model: answers from a file, matched before rows are dropped */
	{
		input_opts io;

		fp = fopen("pred.csv", "w");
		fputs("Predicted\nzebra\nant\nant\nzebra\n", fp);
		fclose(fp);
		memset(&io, 0, sizeof(io));
		io.kind = EXPERT_PREDICTIONS;
		io.predictions = "pred.csv";
		io.column = "Predicted";
		io.data = "data.csv";
		io.label = "Label";
		io.nonfinite = TABLE_NONFINITE_DROP;
		io.threads = 1;
		CHECK_EQ(input_open(&in, &io), 0);
		CHECK_EQ(in.n_rows, 2);			/* rows 1 and 4 are kept */
		CHECK_EQ(in.n_features, 3);		/* Dst Port, Protocol, Flow Duration */
		CHECK_STR(in.features[0], "Dst Port");
		CHECK_EQ(in.n_classes, 1);		/* zebra only: the kept rows' answers */
		CHECK_STR(in.classes[0], "zebra");
		CHECK_EQ(in.expert[0], 0);
		CHECK_EQ(in.expert[1], 0);
		CHECK_EQ(in.n_truth_classes, 3);	/* zebra, then vimeo and youtube */
		CHECK_STR(in.truth_classes[1], "vimeo");
		CHECK_EQ(in.truth[0], 2);
		CHECK_EQ(in.truth[1], 1);
		CHECK(in.model_kind == NULL);
		input_release(&in);

		io.features = "Protocol";
		io.nonfinite = TABLE_NONFINITE_ZERO;
		CHECK_EQ(input_open(&in, &io), 0);
		CHECK_EQ(in.n_rows, 4);
		CHECK_EQ(in.n_features, 1);
		CHECK_EQ(in.n_classes, 2);
		CHECK_STR(in.classes[0], "ant");
		CHECK_EQ(in.expert[0], 1);
		CHECK_EQ(in.expert[1], 0);
		input_release(&in);

		/* a column of the data: Label itself as the expert, never a feature */
		io.predictions = NULL;
		io.features = NULL;
		io.column = "Label";
		io.label = "NoSuchLabel";
		CHECK_EQ(input_open(&in, &io), 0);
		CHECK_EQ(in.n_features, 3);
		CHECK_EQ(in.n_classes, 3);
		CHECK_STR(in.classes[0], "other");
		CHECK(in.truth == NULL);
		input_release(&in);
		remove("pred.csv");
	}

	fprintf(stderr, "(expected errors follow)\n");
	CHECK_EQ(input_load(&in, "m.rf", "data.csv", "Label", TABLE_NONFINITE_ERROR, 1), -1);
	CHECK_EQ(input_load(&in, "m.rf", "bad.csv", "Label", TABLE_NONFINITE_ZERO, 1), -1);
	CHECK_EQ(input_load(&in, "missing.rf", "data.csv", "Label", TABLE_NONFINITE_ZERO, 1), -1);
	CHECK_EQ(input_load(&in, "data.csv", "data.csv", "Label", TABLE_NONFINITE_ZERO, 1), -1);
	remove("data.csv");
	remove("bad.csv");
	remove("m.rf");
	return check_done();
}
