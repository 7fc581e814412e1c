/*
 * options.c: see options.h.
 */
#include "options.h"
#include "cli.h"
#include "util.h"

int trustee_distill_option(int opt, const char *arg, distill_opts *d, trustee_distill_seen *seen)
{
	switch (opt) {
	case TRUSTEE_OPT_SAMPLES:
		d->samples = (size_t)cli_int("--samples", arg, 2, TRUSTEE_COUNT_MAX);
		seen->samples = 1;
		return 1;
	case TRUSTEE_OPT_SAMPLES_FRAC:
		d->samples_frac = cli_fraction("--samples-frac", arg, 1);
		seen->samples_frac = 1;
		return 1;
	case TRUSTEE_OPT_ITER:
		d->iter = cli_int("--iter", arg, 1, TRUSTEE_COUNT_MAX);
		return 1;
	case TRUSTEE_OPT_STAB:
		d->stability_iter = cli_int("--stability-iter", arg, 1, TRUSTEE_COUNT_MAX);
		return 1;
	case TRUSTEE_OPT_TRAIN_SIZE:
		d->train_size = cli_fraction("--train-size", arg, 0);
		return 1;
	case TRUSTEE_OPT_TOPK:
		d->top_k = (size_t)cli_int("--top-k", arg, 1, TRUSTEE_COUNT_MAX);
		return 1;
	case TRUSTEE_OPT_SEED:
		d->seed = cli_uint64("--seed", arg);
		return 1;
	default:
		return 0;
	}
}

void trustee_distill_options_done(const distill_opts *d, const trustee_distill_seen *seen)
{
	long long students = (long long)d->iter * d->stability_iter;

	if (seen->samples && seen->samples_frac)
		die_usage("--samples and --samples-frac exclude each other");
	if (students > TRUSTEE_MAX_STUDENTS)
		die_usage("--iter %d x --stability-iter %d = %lld students is too many (at most %d; "
			  "Trustee's default is 5 x 50 = 250)", d->iter, d->stability_iter, students,
			  TRUSTEE_MAX_STUDENTS);
}
