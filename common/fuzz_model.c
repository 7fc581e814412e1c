/*
 * Fuzz target: the model loader. The input is used as the payload of a
 * model file whose header, length and checksum are made valid here, once as
 * format version 1 and once as the current version (first byte 'R' = the
 * input is a whole file, taken as is), so the fuzzer reaches the payload
 * parser instead of stopping at the checksum. A model that loads must also
 * predict without crashing, whatever its trees look like.
 */
#include "model.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void try_parse(const uint8_t *buf, size_t len)
{
	ml_model *m = model_parse(buf, len, "fuzz.model");

	if (m && m->n_features < 100000) {
		float *row = xcalloc(m->n_features + 1, sizeof(float));
		double *proba = xcalloc(m->n_classes + 1, sizeof(double));
		int32_t out[2];

		model_predict_proba(m, row, proba);
		for (size_t i = 0; i < m->n_features; i++)
			row[i] = (float)(i % 2 ? 1e30 : -3.5);
		model_predict(m, row, 1, out);
		free(row);
		free(proba);
	}
	model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	uint8_t *buf;
	size_t len;

	if (!init) {
		util_set_progname("fuzz_model");
		init = 1;
	}
	if (size > 0 && data[0] == 'R') {
		buf = xmalloc(size);
		memcpy(buf, data + 1, size - 1);
		try_parse(buf, size - 1);
		free(buf);
		return 0;
	}
	len = 24 + size + 4;
	buf = xmalloc(len);
	for (uint32_t version = 1; version <= MODEL_FORMAT_VERSION; version += MODEL_FORMAT_VERSION - 1) {
		uint32_t crc;

		memcpy(buf, "FORESTMD", 8);
		put_le(buf + 8, version, 4);
		put_le(buf + 12, 0, 4);
		put_le(buf + 16, size, 8);
		if (size)
			memcpy(buf + 24, data, size);
		crc = version == 1 ? (uint32_t)crc32(0L, buf, (uInt)(24 + size))
				   : model_crc32c(0, buf, 24 + size, 1);
		put_le(buf + 24 + size, crc, 4);
		try_parse(buf, len);
		if (MODEL_FORMAT_VERSION == 1)
			break;
	}
	free(buf);
	return 0;
}
