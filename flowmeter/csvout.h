/*
 * csvout.h: CICFlowMeter's CSV text: header line and one row per flow
 * (BasicFlow.dumpFlowBasedFeaturesEx of upstream, 84 columns, or of the
 * corrected fork, 94 columns), numbers as Java prints them.
 *
 * A writer (fm_csv, embedded by its user: fm_csv_init, nothing to release)
 * holds the header of its profile and options and a timestamp cache of its
 * own, so writers of one process share no state.
 */
#ifndef FM_CSVOUT_H
#define FM_CSVOUT_H

#include <stddef.h>
#include <stdint.h>

#include "flowfeat.h"
#include "packet.h"

/* Largest row fm_csv_row() can write. */
#define FM_CSV_ROWMAX 8192

typedef struct fm_csv {
	int fixed;		/* profile fixed (else cic) */
	unsigned want;		/* column groups of this profile and options */
	char header[4096];
	size_t header_len;
	int ts_valid;		/* ts holds the text of second ts_sec */
	int64_t ts_sec;
	char ts[96];
	size_t ts_n;
} fm_csv;

/* A writer for prof, with a last column "End Reason" when end_reason. */
void fm_csv_init(fm_csv *w, enum fm_profile prof, int end_reason);
/* Header line with its "\n"; the text belongs to w. */
const char *fm_csv_header(const fm_csv *w, size_t *len);
/* Row of f with its "\n" into buf (FM_CSV_ROWMAX bytes); returns the length.
 * Timestamps: cic in the local zone (TZ), fixed in UTC. */
size_t fm_csv_row(fm_csv *w, char *buf, const struct fm_flow *f);

#endif
