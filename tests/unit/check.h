/*
 * check.h: the tiny unit-test harness. CHECK(cond) records a failure with
 * file:line and keeps going; CHECK_STR/CHECK_EQ show both values.
 * Call check_done() at the end of main: it prints "N passed, N failed" and
 * returns the exit status.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_pass_, check_fail_;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (cond)                                                        \
			check_pass_++;                                           \
		else {                                                           \
			check_fail_++;                                           \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                \
		}                                                                \
	} while (0)

#define CHECK_STR(got, want)                                                     \
	do {                                                                     \
		const char *g_ = (got), *w_ = (want);                            \
		if (g_ && w_ && !strcmp(g_, w_))                                 \
			check_pass_++;                                           \
		else {                                                           \
			check_fail_++;                                           \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",      \
				__FILE__, __LINE__, g_ ? g_ : "(null)",          \
				w_ ? w_ : "(null)");                             \
		}                                                                \
	} while (0)

#define CHECK_EQ(got, want)                                                      \
	do {                                                                     \
		long long g_ = (long long)(got), w_ = (long long)(want);         \
		if (g_ == w_)                                                    \
			check_pass_++;                                           \
		else {                                                           \
			check_fail_++;                                           \
			fprintf(stderr, "%s:%d: %s = %lld, want %lld\n",         \
				__FILE__, __LINE__, #got, g_, w_);               \
		}                                                                \
	} while (0)

static inline int check_done(void)
{
	printf("%d passed, %d failed\n", check_pass_, check_fail_);
	return check_fail_ ? 1 : 0;
}

#endif
