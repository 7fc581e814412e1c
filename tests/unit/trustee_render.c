/*
 * trustee_render: SVG and DOT of a hand-built tree (structure and escaping;
 * tests/checks/trustee_shortcut.sh parses a real SVG with an XML parser),
 * JSON string and number text.
 */
#include "check.h"

#include <stdlib.h>

#include "json.h"
#include "render.h"
#include "util.h"

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void set(tree *t, int i, int l, int r, int f, float thr, double a, double b)
{
	double n = a + b;

	t->nodes[i].left = l;
	t->nodes[i].right = r;
	t->nodes[i].feature = f;
	t->nodes[i].threshold = thr;
	t->nodes[i].impurity = 1 - (a / n) * (a / n) - (b / n) * (b / n);
	t->nodes[i].weighted = n;
	t->value[i * 2] = a;
	t->value[i * 2 + 1] = b;
}


static char *draw(const tree *t, const render_names *nm, int svg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (svg)
		CHECK_EQ(render_svg(fp, t, nm, "a <title> & more"), 0);
	else
		CHECK_EQ(render_dot(fp, t, nm), 0);
	fclose(fp);
	return buf;
}

int main(void)
{
	static const char *const feats[] = { "Protocol", "Bytes \"fwd\" & <bwd>" };
	static const char *const classes[] = { "vimeo", "you<tube>" };
	render_names nm = { feats, 2, classes, 2 };
	tree t = { 0 };
	char *s;

	t.n_nodes = 5;
	t.nodes = xcalloc(5, sizeof(*t.nodes));
	t.value = xcalloc(10, sizeof(*t.value));
	t.n_classes = 2;
	t.n_features = 2;
	set(&t, 0, 1, 2, 0, 11.5f, 60, 40);
	set(&t, 1, 3, 4, 1, 300, 55, 5);
	set(&t, 2, -1, -1, -1, 0, 5, 35);
	set(&t, 3, -1, -1, -1, 0, 50, 1);
	set(&t, 4, -1, -1, -1, 0, 5, 4);

	s = draw(&t, &nm, 1);
	CHECK(!strncmp(s, "<?xml version=\"1.0\"", 19));
	CHECK(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\"") != NULL);
	CHECK(strstr(s, ">Protocol &lt;= 11.5</text>") != NULL);
	CHECK(strstr(s, ">Bytes &quot;fwd&quot; &amp; &lt;bwd&gt; &lt;= 300</text>") != NULL);
	CHECK(strstr(s, "<title>a &lt;title&gt; &amp; more</title>") != NULL);
	CHECK(strstr(s, ">you&lt;tube&gt;</text>") != NULL);
	CHECK_EQ(count(s, "<g class=\"leaf\">"), 3);
	CHECK_EQ(count(s, "<g class=\"split\">"), 2);
	CHECK_EQ(count(s, ">true</text>"), 2);
	CHECK_EQ(count(s, ">false</text>"), 2);
	CHECK_EQ(count(s, "<path d="), 4);
	CHECK(strstr(s, ">samples 100 (100.0%)</text>") != NULL);
	CHECK(strstr(s, ">purity 98.0%</text>") != NULL);
	CHECK(strstr(s, "</svg>\n") != NULL);
	CHECK(strchr(s, '"' ) != NULL && !strstr(s, "\"fwd\""));	/* no raw quote in text */
	free(s);

	s = draw(&t, &nm, 0);
	CHECK(!strncmp(s, "digraph Tree {\n", 15));
	CHECK(strstr(s, "0 [label=\"Protocol <= 11.5\\ngini = 0.480\\nsamples = 100 (100.0%)\\n"
			"value = [60, 40]\\nclass = vimeo\"") != NULL);
	CHECK(strstr(s, "Bytes \\\"fwd\\\" & <bwd> <= 300") != NULL);
	CHECK(strstr(s, "0 -> 1 [label=\"true\"];\n0 -> 2 [label=\"false\"];") != NULL);
	CHECK_EQ(count(s, " -> "), 4);
	free(s);

	{
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		json_string(fp, "a\"b\\c\n\x01");
		fputc(' ', fp);
		json_number(fp, 0.1);
		fputc(' ', fp);
		json_number(fp, 1.0 / 3);
		fputc(' ', fp);
		json_number(fp, 0.0 / 0.0);
		fclose(fp);
		CHECK_STR(buf, "\"a\\\"b\\\\c\\n\\u0001\" 0.1 0.3333333333333333 null");
		free(buf);
	}
	free(t.nodes);
	free(t.value);
	return check_done();
}
