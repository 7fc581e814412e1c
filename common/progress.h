/*
 * progress.h: a one-line progress indicator on stderr, only when stderr is a
 * terminal (nothing is printed otherwise). Updates are rate-limited to a few
 * per second, so calling progress_update() per item is cheap.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdint.h>

typedef struct progress {
	int enabled;
	const char *what;	/* e.g. "packets" */
	uint64_t total;		/* 0 if unknown */
	double start, last;
	uint64_t calls;
} progress;

void progress_init(progress *p, const char *what, uint64_t total);
/* done = items (or bytes) so far */
void progress_update(progress *p, uint64_t done);
/* Erase the line (if anything was drawn). */
void progress_end(progress *p);
/* Force-enable or disable (for tests); default follows isatty(2). */
void progress_force(progress *p, int enabled);

#endif
