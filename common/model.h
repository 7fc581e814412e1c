/*
 * model.h: trained models (random forest or LIBLINEAR linear model) as
 * written by `forest train`, their file format and in-process prediction.
 *
 * File format (all integers little-endian, doubles as IEEE-754 bits LE):
 *   "FORESTMD" magic (8 bytes), u32 format version (MODEL_FORMAT_VERSION),
 *   u32 flags (0), u64 payload length, payload, u32 checksum of every
 *   preceding byte (magic .. end of payload): CRC-32C from version 2, zlib
 *   crc32 in version 1. Version 2 pads the payload to 8-byte offsets before
 *   the trees and stores nodes as 40-byte records laid out as tree_node, so
 *   a mapped file is used as read (the loaded trees point into it and are
 *   read-only). Version 1 files are still read; only version 2 is written.
 * Loading checks, in this order, and reports (naming the file): empty file,
 * not a model (bad magic), newer format version, absurd payload length,
 * truncated or trailing bytes (a stream is read only up to the announced
 * length), checksum mismatch (corrupted), then malformed payload.
 *
 * Prediction takes rows of n_features float32 values in the model's feature
 * order (m->features): map your CSV columns by name first (table.h with
 * opts.want = m->features does this). Both kinds give class probabilities;
 * the predicted class is the argmax, ties to the lowest class index (numpy).
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tree.h"

#define MODEL_FORMAT_VERSION 2

enum model_kind { MODEL_FOREST = 1, MODEL_LINEAR = 2 };

/* Linear part: LIBLINEAR weights plus our feature scaling. */
typedef struct model_linear {
	int solver;		/* LIBLINEAR solver_type (0 = L2R_LR, 1/2 = SVM) */
	double C, bias;		/* bias < 0: none */
	double *scale_min, *scale_max;	/* n_features: min/max of signed log1p(x) on training data */
	int nr_w;		/* weight vectors: 1 for 2 classes (except MCSVM), else n_classes */
	double *w;		/* (n_features + (bias >= 0)) * nr_w, feature-major as LIBLINEAR */
	int32_t *label;		/* n_classes: LIBLINEAR label order -> our class id */
	int probability;	/* 1 for logistic regression (probabilities), 0: one-hot of argmax */
} model_linear;

/* Prediction layout of a forest (model.c). */
typedef struct cforest cforest;

typedef struct ml_model {
	enum model_kind kind;
	uint32_t format_version;
	char *tool_version;	/* "forest 0.1.0" that wrote it */
	size_t n_features;
	char **features;
	size_t n_classes;
	char **classes;		/* sorted class names, index = class id */
	char *options;		/* human-readable training options ("trees=100 max_features=sqrt ...") */
	uint64_t seed;
	uint64_t n_train;	/* training rows */
	double oob_score;	/* NaN when not computed */
	/* MODEL_FOREST */
	size_t n_trees;
	tree **trees;		/* value[] = weighted class counts per node */
	/* MODEL_LINEAR */
	model_linear lin;
	/* batch prediction layout built by model_parse/model_load/model_prepare (NULL: built per call) */
	cforest *cf;
	/* file image a loaded version-2 forest's trees point into (read-only), or NULL */
	void *blob;
	size_t blob_len;
	int blob_mapped;
	/* blocks (free() each) a trained forest's trees' nodes and values live in, or none */
	void **arena;
	size_t n_arena;
} ml_model;

/* New empty model of a kind (names copied later by the trainer). */
ml_model *model_new(enum model_kind kind);
void model_free(ml_model *m);	/* NULL-safe */
const char *model_kind_name(const ml_model *m);	/* "forest" or "linear" */

/* Serialise to path ("-" = stdout) atomically. Returns 0 or -1 (error printed). */
int model_save(const ml_model *m, const char *path);
/* Serialise to a malloc'ed buffer (for tests: same model -> same bytes). */
uint8_t *model_serialize(const ml_model *m, size_t *len);
/* Same in an older format version (1 or 2), for tests of the reader. */
uint8_t *model_serialize_version(const ml_model *m, uint32_t version, size_t *len);
/* Load; returns NULL after printing an error naming path. */
ml_model *model_load(const char *path);
/* Parse from memory; name is used in messages. NULL after an error. */
ml_model *model_parse(const uint8_t *buf, size_t len, const char *name);
/* Build the batch prediction layout a model trained in this process lacks, so that
 * several batch predictions on it do not each build their own (no-op if it has one). */
void model_prepare(ml_model *m);
struct table_opts;
/* table_opts_default, then m's features (in its order) and classes: a CSV read for m */
void model_table_opts(const ml_model *m, struct table_opts *o);

/*
 * One row (n_features floats in model order): write n_classes probabilities
 * to proba (mean of tree leaf fractions for a forest) and return the
 * predicted class id. Thread-safe (the model is read-only).
 */
int32_t model_predict_proba(const ml_model *m, const float *row, double *proba);

/*
 * Batch over column-major X (X[f * n_rows + i], model feature order):
 * out[i] = predicted class id. threads <= 1: in the calling thread.
 * Results do not depend on threads (fixed accumulation order).
 */
void model_predict(const ml_model *m, const float *X, size_t n_rows, int32_t *out);
void model_predict_mt(const ml_model *m, const float *X, size_t n_rows, int threads,
		      int32_t *out);
/* Same with probabilities: proba[i * n_classes + k]; out may be NULL. */
void model_predict_proba_mt(const ml_model *m, const float *X, size_t n_rows, int threads,
			    double *proba, int32_t *out);

/* For tests: 0 = batch prediction uses the portable loop only (default 1: AVX-512 where the CPU has it). */
void model_predict_set_simd(int on);

/* CRC-32C of format version 2 (crc 0 to start; hw: the SSE4.2 instruction where available). */
uint32_t model_crc32c(uint32_t crc, const void *p, size_t n, int hw);

/* Scaled value used by linear models: signed log1p then min-max to [0,1]. */
double model_linear_scale(const model_linear *l, size_t f, float x);

/*
 * Impurity importances (scikit-learn's feature_importances_, MDI) of a
 * forest into imp[n_features] (sums to 1 unless all trees are single
 * leaves). For a linear model: mean |w| per feature, normalised to sum 1.
 */
void model_importances(const ml_model *m, double *imp);

#endif
