/*
 * forest_table: CSV loading rules (identifier columns, sorted classes,
 * duplicate headers, non-finite policies, fixed model classes) and
 * --max-features resolution.
 */
#include "check.h"
#include "forest.h"
#include "table.h"
#include "util.h"

#include <math.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *write_tmp(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/forest_table_XXXXXX");
	fd = mkstemp(path);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

static char *write_tmpn(const char *text, size_t n)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/forest_table_XXXXXX");
	fd = mkstemp(path);
	if (write(fd, text, n) != (ssize_t)n)
		abort();
	close(fd);
	return path;
}

#include "load_msg.h"

static int quiet_load(table *t, const char *path, const table_opts *o)
{
	int saved = dup(2), rc;
	FILE *null = fopen("/dev/null", "w");

	fflush(stderr);
	dup2(fileno(null), 2);
	rc = table_load(t, path, o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fclose(null);
	return rc;
}

int main(void)
{
	table t;
	table_opts o;
	char *p;
	int mf;

	p = write_tmp("Flow ID,Src IP,Dst Port,A,A,Timestamp,Label\n"
		      "x,1.2.3.4,80,1.5,2,t,b\n"
		      "y,1.2.3.5,443,-3,4,t,a\n"
		      "z,1.2.3.6,22,7,8,t,c\n");
	table_opts_default(&o);
	CHECK(table_load(&t, p, &o) == 0);
	CHECK_EQ(t.n_rows, 3);
	CHECK_EQ(t.n_features, 3);
	CHECK_STR(t.features[0], "Dst Port");
	CHECK_STR(t.features[1], "A");
	CHECK_STR(t.features[2], "A.1");
	CHECK_EQ(t.n_excluded, 3);
	CHECK_STR(t.excluded[0], "Flow ID");
	CHECK_STR(t.excluded[2], "Timestamp");
	CHECK_STR(t.classes[0], "a");
	CHECK_STR(t.classes[2], "c");
	CHECK(t.y[0] == 1 && t.y[1] == 0 && t.y[2] == 2);
	CHECK(t.X[1 * 3 + 1] == -3.0f && t.X[2 * 3 + 2] == 8.0f);
	table_release(&t);

	/* model feature order and fixed classes; unknown label gets a new id */
	{
		const char *want[] = { "A.1", "Dst Port" };
		const char *cls[] = { "a", "b" };

		o.want = want;
		o.n_want = 2;
		o.classes = cls;
		o.n_classes = 2;
		CHECK(table_load(&t, p, &o) == 0);
		CHECK(t.X[0] == 2.0f && t.X[3] == 80.0f);
		CHECK_EQ(t.n_known_classes, 2);
		CHECK_EQ(t.n_classes, 3);
		CHECK(t.y[2] == 2 && !strcmp(t.classes[2], "c"));
		table_release(&t);
		want[1] = "Dst Prt";
		CHECK(quiet_load(&t, p, &o) < 0);
		CHECK(t.X == NULL);
	}
	unlink(p);

	/* non-finite policies */
	p = write_tmp("A,B,Label\n1,Infinity,x\n2,NaN,y\n3,4,x\n5,1e39,y\n");
	table_opts_default(&o);
	CHECK(quiet_load(&t, p, &o) < 0);
	o.nonfinite = TABLE_NONFINITE_DROP;
	CHECK(table_load(&t, p, &o) == 0);
	CHECK_EQ(t.n_rows, 1);
	CHECK_EQ(t.n_dropped, 3);
	CHECK_EQ(t.src_line[0], 4);
	table_release(&t);
	o.nonfinite = TABLE_NONFINITE_ZERO;
	CHECK(table_load(&t, p, &o) == 0);
	CHECK(t.X[4 + 0] == 0 && t.X[4 + 1] == 0 && t.X[4 + 3] == 0);
	table_release(&t);
	o.nonfinite = TABLE_NONFINITE_CLIP;
	CHECK(table_load(&t, p, &o) == 0);
	CHECK(t.X[4 + 0] == FLT_MAX && t.X[4 + 1] == 0 && t.X[4 + 3] == FLT_MAX);
	table_release(&t);
	unlink(p);

	/* 1e999 overflows to +Infinity: a non-finite value, not "not a number" */
	{
		char msg[512];

		p = write_tmp("A,Label\n1e999,x\n-1E+400,y\n3,x\n");
		table_opts_default(&o);
		CHECK(load_msg(&t, p, &o, msg, sizeof(msg)) < 0);
		CHECK(strstr(msg, ":2: column 'A': value '1e999' is infinite") != NULL);
		o.nonfinite = TABLE_NONFINITE_CLIP;
		CHECK(table_load(&t, p, &o) == 0);
		CHECK(t.n_rows == 3 && t.X[0] == FLT_MAX && t.X[1] == -FLT_MAX && t.X[2] == 3);
		table_release(&t);
		o.nonfinite = TABLE_NONFINITE_DROP;
		CHECK(table_load(&t, p, &o) == 0);
		CHECK(t.n_rows == 1 && t.n_dropped == 2 && t.X[0] == 3);
		table_release(&t);
		unlink(p);

		/* a NUL inside a number is shown, not cut */
		p = write_tmpn("A,Label\n12\0x,y\n", 15);
		table_opts_default(&o);
		CHECK(load_msg(&t, p, &o, msg, sizeof(msg)) < 0);
		CHECK(strstr(msg, "'12\\x00x' is not a number (it holds a NUL byte)") != NULL);
		unlink(p);

		/* the reader's header checks reach forest too */
		p = write_tmpn("A,Lab\0el\n1,x\n", 13);
		CHECK(load_msg(&t, p, &o, msg, sizeof(msg)) < 0);
		CHECK(strstr(msg, ":1:6: NUL byte in the name of column 2") != NULL);
		unlink(p);
		p = write_tmp("A,Label\r1,x\r2,y\r");
		CHECK(load_msg(&t, p, &o, msg, sizeof(msg)) < 0);
		CHECK(strstr(msg, "CR-only line ends") != NULL);
		unlink(p);
	}

	/* 100,000 columns, most of them duplicates: pandas-style names, found by hash */
	{
		size_t nc = 100000, k = 0;
		char *txt = xmalloc(nc * 12 + 100), *lp;

		for (size_t i = 0; i < nc; i++)
			k += (size_t)sprintf(txt + k, "%s%s", i ? "," : "", i % 2 ? "D" : (i == 0 ? "Label" : "C"));
		txt[k++] = '\n';
		lp = txt + k;
		for (size_t i = 0; i < nc; i++)
			k += (size_t)sprintf(txt + k, "%s%s", i ? "," : "", i == 0 ? "x" : "1");
		txt[k++] = '\n';
		txt[k] = 0;
		(void)lp;
		p = write_tmp(txt);
		table_opts_default(&o);
		o.features = "D.49999,C.3, D";
		CHECK(table_load(&t, p, &o) == 0);
		CHECK(t.n_features == 3 && !strcmp(t.features[0], "D.49999") && !strcmp(t.features[2], "D"));
		table_release(&t);
		o.features = NULL;
		CHECK(table_load(&t, p, &o) == 0);
		CHECK_EQ(t.n_features, nc - 1);
		CHECK_STR(t.features[nc - 2], "D.49999");
		CHECK_STR(t.features[nc - 3], "C.49998");
		table_release(&t);
		unlink(p);
		free(txt);
	}
	p = write_tmp("A,B,Label\n1,Infinity,x\n2,NaN,y\n3,4,x\n5,1e39,y\n");
	table_opts_default(&o);
	o.nonfinite = TABLE_NONFINITE_ZERO;

	/* --features / --exclude */
	table_opts_default(&o);
	o.nonfinite = TABLE_NONFINITE_ZERO;
	o.exclude = "B";
	CHECK(table_load(&t, p, &o) == 0);
	CHECK(t.n_features == 1 && !strcmp(t.features[0], "A"));
	table_release(&t);
	o.exclude = NULL;
	o.features = "B,A";
	CHECK(table_load(&t, p, &o) == 0);
	CHECK(t.n_features == 2 && !strcmp(t.features[0], "B"));
	table_release(&t);
	o.features = "Label";
	CHECK(quiet_load(&t, p, &o) < 0);
	unlink(p);

	/* the fast decimal parser gives strtod's value, as float32 */
	{
		size_t cap = 1 << 20, len = 0;
		char *csv = malloc(cap);
		const char *edge[] = { "0", "-0", "0.0", ".5", "5.", "007", "123456789012345",
				       "1234567890123456", "0.1", "0.3", "1e5", "-1.5E-3", "9007199254740993",
				       "0.000000000000000000001", "3.4028234e38", "1.17549435e-38",
				       "2.5", "-2.5", "0.30000000000000004", "100000000000000000000000" };
		size_t ne = sizeof(edge) / sizeof(edge[0]), nv = ne + 3000;
		char **vals = calloc(nv, sizeof(char *));
		rng r;
		int ok = 1;

		rng_seed(&r, 3);
		len += (size_t)sprintf(csv + len, "V,Label\n");
		for (size_t i = 0; i < nv; i++) {
			char buf[64];

			if (i < ne) {
				snprintf(buf, sizeof(buf), "%s", edge[i]);
			} else {
				double x = (rng_double(&r) - 0.3) * pow(10, (double)rng_below(&r, 16) - 6);
				int prec = 1 + (int)rng_below(&r, 17);

				snprintf(buf, sizeof(buf), "%.*f", prec % 12, x);
				if (rng_below(&r, 2))
					snprintf(buf, sizeof(buf), "%.*g", prec, x);
			}
			vals[i] = strdup(buf);
			len += (size_t)sprintf(csv + len, "%s,a\n", buf);
		}
		p = write_tmp(csv);
		table_opts_default(&o);
		CHECK(table_load(&t, p, &o) == 0);
		CHECK_EQ(t.n_rows, nv);
		for (size_t i = 0; i < nv && i < t.n_rows; i++) {
			float want = (float)strtod(vals[i], NULL);

			if (memcmp(&want, &t.X[i], sizeof(float))) {
				fprintf(stderr, "value '%s': got %.9g want %.9g\n", vals[i], t.X[i], want);
				ok = 0;
			}
		}
		CHECK(ok);
		table_release(&t);
		unlink(p);
		for (size_t i = 0; i < nv; i++)
			free(vals[i]);
		free(vals);
		free(csv);
		p = write_tmp("V,Label\n.,a\n");
		CHECK(quiet_load(&t, p, &o) < 0);
		unlink(p);
		p = write_tmp("V,Label\n-,a\n");
		CHECK(quiet_load(&t, p, &o) < 0);
		unlink(p);
	}

	/* max_features as scikit-learn */
	CHECK(forest_max_features("sqrt", 78, &mf) == 0 && mf == 8);
	CHECK(forest_max_features(NULL, 78, &mf) == 0 && mf == 8);
	CHECK(forest_max_features("log2", 78, &mf) == 0 && mf == 6);
	CHECK(forest_max_features("all", 78, &mf) == 0 && mf == 78);
	CHECK(forest_max_features("0.5", 78, &mf) == 0 && mf == 39);
	CHECK(forest_max_features("0.001", 78, &mf) == 0 && mf == 1);
	CHECK(forest_max_features("12", 78, &mf) == 0 && mf == 12);
	CHECK(forest_max_features("0", 78, &mf) < 0);
	CHECK(forest_max_features("79", 78, &mf) < 0);
	CHECK(forest_max_features("1.5", 78, &mf) < 0);
	CHECK(forest_max_features("x", 78, &mf) < 0);
	return check_done();
}
