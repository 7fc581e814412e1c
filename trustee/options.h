/*
 * options.h: the Trustee options that explain, report and check share
 * (--samples, --samples-frac, --iter, --stability-iter, --train-size,
 * --top-k, --seed): one option table and one parser, so the subcommands
 * cannot drift apart. The values are checked with common/cli's parsers and
 * its message template (usage errors exit 2).
 */
#ifndef TRUSTEE_OPTIONS_H
#define TRUSTEE_OPTIONS_H

#include "distill.h"

#include <getopt.h>

/* Option codes, above those of the subcommands (which start at 256). */
enum {
	TRUSTEE_OPT_SAMPLES = 1000, TRUSTEE_OPT_SAMPLES_FRAC, TRUSTEE_OPT_ITER, TRUSTEE_OPT_STAB,
	TRUSTEE_OPT_TRAIN_SIZE, TRUSTEE_OPT_TOPK, TRUSTEE_OPT_SEED,
};

/* struct option entries of the shared options, for a subcommand's long option table. */
#define TRUSTEE_DISTILL_OPTIONS                                                       \
	{ "samples", required_argument, NULL, TRUSTEE_OPT_SAMPLES },                   \
	{ "samples-frac", required_argument, NULL, TRUSTEE_OPT_SAMPLES_FRAC },         \
	{ "iter", required_argument, NULL, TRUSTEE_OPT_ITER },                         \
	{ "stability-iter", required_argument, NULL, TRUSTEE_OPT_STAB },               \
	{ "train-size", required_argument, NULL, TRUSTEE_OPT_TRAIN_SIZE },             \
	{ "top-k", required_argument, NULL, TRUSTEE_OPT_TOPK },                        \
	{ "seed", required_argument, NULL, TRUSTEE_OPT_SEED }

/* What the parser has seen (for the checks across options). */
typedef struct trustee_distill_seen {
	int samples, samples_frac;
} trustee_distill_seen;

/* opt (a getopt_long result) with its value arg into d: 1 when opt is one
 * of the shared options, else 0 (nothing done). A bad value exits 2. */
int trustee_distill_option(int opt, const char *arg, distill_opts *d, trustee_distill_seen *seen);

/* After the options: --samples with --samples-frac, or more than
 * TRUSTEE_MAX_STUDENTS students (S x N), are usage errors (exit 2). */
void trustee_distill_options_done(const distill_opts *d, const trustee_distill_seen *seen);

/* The largest count any option of trustee takes. */
#define TRUSTEE_COUNT_MAX (1 << 30)

/* At most this many students (S x N) in one run: the paper's suggestion is 500. */
#define TRUSTEE_MAX_STUDENTS 100000

#endif
