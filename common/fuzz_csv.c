/* Fuzz target: the CSV reader on arbitrary bytes (header + records), both modes. */
#define _GNU_SOURCE
#include "csv.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp, *devnull;
	csv_reader *r;
	csv_field *f;
	static int init;
	if (!init) {
		util_set_progname("fuzz_csv");
		init = 1;
	}
	if (size == 0)
		return 0;
	fp = fmemopen((void *)(uintptr_t)data, size, "r");
	if (!fp)
		return 0;
	devnull = fopen("/dev/null", "w");
	r = csv_open_fp(fp, "fuzz.csv");
	if (r) {
		size_t n = csv_ncols(r);
		for (size_t i = 0; i < n; i++)
			(void)csv_colindex(r, csv_colname(r, i));
		while (csv_read(r, &f) == 1) {
			for (size_t i = 0; i < n; i++)
				csv_write_field(devnull, f[i].s, f[i].len);
		}
	}
	csv_free(r);
	fclose(fp);
	/* raw mode: the record and the raw fields lie within the input buffer */
	fp = fmemopen((void *)(uintptr_t)data, size, "r");
	if (fp && (r = csv_open_fp_raw(fp, "fuzz.csv"))) {
		size_t n = csv_ncols(r), len;
		while (csv_read(r, &f) == 1) {
			csv_field *raw = csv_raw(r);
			const char *rec = csv_record(r, &len);
			for (size_t i = 0; i < n; i++) {
				if (raw[i].s < rec || raw[i].s + raw[i].len > rec + len)
					abort();
				csv_write_field(devnull, f[i].s, f[i].len);
			}
		}
	}
	csv_free(r);
	if (fp)
		fclose(fp);
	fclose(devnull);
	return 0;
}
