/*
 * table_columns: table_load fills column-major X the same way whether the
 * columns are sized up front (a file: its lines counted first) or grow while
 * reading (stdin): every cell is strtod's value as float32 and dropped rows
 * leave no gap; a count that overestimates the rows (blank lines, a quoted
 * field holding line breaks, dropped rows) still leaves the columns n_rows
 * apart.
 */
#include "check.h"
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROWS 5000
#define F 7

static int same_tables(const table *a, const table *b)
{
	if (a->n_rows != b->n_rows || a->n_features != b->n_features || a->n_dropped != b->n_dropped)
		return 0;
	for (size_t i = 0; i < a->n_rows; i++)
		if (a->src_line[i] != b->src_line[i] || a->y[i] != b->y[i])
			return 0;
	return !memcmp(a->X, b->X, a->n_rows * a->n_features * sizeof(float));
}

int main(void)
{
	char path[] = "/tmp/table_columns_XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	float *want = malloc(sizeof(float) * ROWS * F);
	size_t kept = 0, dropped = 0;
	unsigned s = 12345;
	table t, u;
	table_opts o;

	CHECK(fp != NULL && want != NULL);
	fprintf(fp, "Note,a,b,c,d,e,f,g,Label\n");
	for (size_t i = 0; i < ROWS; i++) {
		char cell[F][40];
		int drop = i % 97 == 5;

		for (int j = 0; j < F; j++) {
			s = s * 1103515245u + 12345u;
			switch (j % 4) {
			case 0:
				snprintf(cell[j], sizeof(cell[j]), "%u", s >> 8);
				break;
			case 1:
				snprintf(cell[j], sizeof(cell[j]), "%.6g", (double)(s >> 4) / 977.0 - 1e5);
				break;
			case 2:
				snprintf(cell[j], sizeof(cell[j]), "%.17g", (double)s * 1e-7);
				break;
			default:
				snprintf(cell[j], sizeof(cell[j]), "%ue%d", s % 1000, (int)(s % 40) - 20);
				break;
			}
		}
		if (drop)
			strcpy(cell[3], "NaN");
		/* a quoted note with a line break now and then, blank lines too */
		fprintf(fp, i % 13 == 0 ? "\"two\nlines\"" : "n%zu", i);
		for (int j = 0; j < F; j++)
			fprintf(fp, ",%s", cell[j]);
		fprintf(fp, ",%s\n", i % 3 ? "x" : "y");
		if (i % 29 == 0)
			fprintf(fp, "\n");
		if (drop) {
			dropped++;
			continue;
		}
		for (int j = 0; j < F; j++)
			want[kept * F + (size_t)j] = (float)strtod(cell[j], NULL);
		kept++;
	}
	fclose(fp);

	table_opts_default(&o);
	o.exclude = "Note";
	o.nonfinite = TABLE_NONFINITE_DROP;
	CHECK(table_load(&t, path, &o) == 0);
	CHECK(t.n_rows == kept && t.n_dropped == dropped && t.n_features == F);
	{
		int ok = t.n_rows == kept;

		for (size_t i = 0; ok && i < kept; i++)
			for (size_t j = 0; j < F; j++)
				if (memcmp(&t.X[j * kept + i], &want[i * F + j], sizeof(float)))
					ok = 0;
		CHECK(ok);
	}
	/* stdin: no count, the columns grow (1024 rows, then by half) */
	CHECK(freopen(path, "r", stdin) != NULL);
	CHECK(table_load(&u, "-", &o) == 0);
	CHECK(same_tables(&t, &u));
	table_release(&u);
	/* no rows: X still holds a cell per feature */
	fp = fopen(path, "w");
	fprintf(fp, "a,b,Label\n");
	fclose(fp);
	o.exclude = NULL;
	CHECK(table_load(&u, path, &o) == 0 && u.n_rows == 0 && u.X != NULL);
	table_release(&u);
	table_release(&t);
	free(want);
	unlink(path);
	return check_done();
}
