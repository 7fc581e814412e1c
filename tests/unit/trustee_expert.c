/*
 * trustee_expert: the expert's answers from a command's output (one label
 * per line, CRLF, quoted, or a CSV with a Predicted column; wrong counts,
 * binary and empty output refused), from a CSV column, and the command
 * runner itself: exit status, a large input echoed back (no pipe
 * deadlock), a command that never reads its input.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "expert.h"
#include "util.h"

static int parse(const char *text, size_t n_rows, expert_labels *l)
{
	return expert_parse_labels("expert command", NULL, text, strlen(text), n_rows, l);
}

int main(void)
{
	expert_labels l;
	char *out, *big;
	size_t len, n_big = 200000;
	FILE *fp;

	CHECK_EQ(parse("a\nb\nc\n", 3, &l), 0);
	CHECK_STR(l.label[0], "a");
	CHECK_STR(l.label[2], "c");
	expert_labels_free(&l);
	CHECK_EQ(parse("a\r\n\"b,1\"\r\n\"say \"\"hi\"\"\"\r\n\r\n", 3, &l), 0);
	CHECK_STR(l.label[1], "b,1");
	CHECK_STR(l.label[2], "say \"hi\"");
	expert_labels_free(&l);
	CHECK_EQ(parse("id,Predicted,p\r\n1,x,0.5\r\n2,\"y z\",0.7\r\n", 2, &l), 0);
	CHECK_EQ(l.n, 2);
	CHECK_STR(l.label[0], "x");
	CHECK_STR(l.label[1], "y z");
	expert_labels_free(&l);
	CHECK_EQ(parse("no header\n", 1, &l), 0);		/* one label per line */
	CHECK_STR(l.label[0], "no header");
	expert_labels_free(&l);

	fprintf(stderr, "(expected errors follow)\n");
	CHECK_EQ(parse("a\nb\n", 3, &l), -1);
	CHECK(l.label == NULL && l.n == 0);
	CHECK_EQ(parse("", 3, &l), -1);
	CHECK_EQ(parse("\n\n", 3, &l), -1);
	CHECK_EQ(expert_parse_labels("expert command", NULL, "a\0b\n", 4, 1, &l), -1);
	CHECK_EQ(parse("Predicted\n", 1, &l), -1);		/* header only */

	/* the runner: status, stdout, stderr */
	CHECK_EQ(expert_cmd_run("expert command", "printf 'x\\ny\\n'", "", 0, &out, &len), 0);
	CHECK_EQ(len, 4);
	CHECK_STR(out, "x\ny\n");
	free(out);
	CHECK_EQ(expert_cmd_run("expert command", "echo boom >&2; exit 3", "", 0, &out, &len), -1);
	CHECK(out == NULL);
	CHECK_EQ(expert_cmd_run("expert command", "kill -TERM $$", "", 0, &out, &len), -1);

	/* 200,000 lines in and out at once: no deadlock, every byte back */
	big = xmalloc(n_big * 8 + 1);
	for (size_t i = 0; i < n_big; i++)
		snprintf(big + 8 * i, 9, "%07zu\n", i);
	CHECK_EQ(expert_cmd_run("expert command", "cat", big, n_big * 8, &out, &len), 0);
	CHECK_EQ(len, n_big * 8);
	CHECK(len == n_big * 8 && !memcmp(out, big, len));
	free(out);
	CHECK_EQ(expert_cmd_labels("expert command", "cat", big, n_big * 8, n_big, &l), 0);
	CHECK_STR(l.label[n_big - 1], "0199999");
	expert_labels_free(&l);
	/* a command that answers without reading what it is given */
	CHECK_EQ(expert_cmd_run("expert command", "echo done", big, n_big * 8, &out, &len), 0);
	CHECK_STR(out, "done\n");
	free(out);
	free(big);

	/* a CSV column */
	fp = fopen("p.csv", "w");
	fputs("Score,Predicted\r\n1,a\r\n2,\"b\"\r\n3,\r\n", fp);
	fclose(fp);
	CHECK_EQ(expert_read_column("p.csv", "Predicted", &l), 0);
	CHECK_EQ(l.n, 3);
	CHECK_STR(l.label[1], "b");
	CHECK_STR(l.label[2], "");
	CHECK_EQ(l.line[2], 4);
	expert_labels_free(&l);
	CHECK_EQ(expert_read_column("p.csv", "Label", &l), -1);
	fp = fopen("p.csv", "w");
	fputs("Predicted\n", fp);
	fclose(fp);
	CHECK_EQ(expert_read_column("p.csv", "Predicted", &l), -1);
	remove("p.csv");
	return check_done();
}
