/*
 * progress.c: see progress.h.
 */
#include "progress.h"
#include "util.h"

#include <stdio.h>
#include <unistd.h>

void progress_init(progress *p, const char *what, uint64_t total)
{
	p->enabled = isatty(2);
	p->what = what;
	p->total = total;
	p->start = p->last = util_now();
	p->calls = 0;
}

void progress_force(progress *p, int enabled)
{
	p->enabled = enabled;
}

void progress_update(progress *p, uint64_t done)
{
	double now, rate;
	if (!p->enabled || (++p->calls & 1023))
		return;
	now = util_now();
	if (now - p->last < 0.25)
		return;
	p->last = now;
	rate = done / (now - p->start > 0 ? now - p->start : 1e-9);
	if (p->total)
		fprintf(stderr, "\r%s: %llu/%llu %s (%.0f%%, %.0f/s)   ", util_progname(),
			(unsigned long long)done, (unsigned long long)p->total, p->what,
			100.0 * (double)done / (double)p->total, rate);
	else
		fprintf(stderr, "\r%s: %llu %s (%.0f/s)   ", util_progname(),
			(unsigned long long)done, p->what, rate);
	fflush(stderr);
}

void progress_end(progress *p)
{
	if (p->enabled && p->last > p->start) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
}
