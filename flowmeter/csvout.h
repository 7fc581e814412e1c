/*
 * csvout.h: CICFlowMeter's CSV text: header line and one row per flow
 * (BasicFlow.dumpFlowBasedFeaturesEx of upstream, 84 columns, or of the
 * corrected fork, 94 columns), numbers as Java prints them.
 */
#ifndef FM_CSVOUT_H
#define FM_CSVOUT_H

#include <stddef.h>

#include "flowfeat.h"
#include "packet.h"

/* Largest row fm_csv_row() can write. */
#define FM_CSV_ROWMAX 8192

/* Header line with its "\n" (plus ",End Reason" when end_reason). */
const char *fm_csv_header(enum fm_profile prof, int end_reason, size_t *len);
/* Row of f with its "\n" into buf (FM_CSV_ROWMAX bytes); returns the length.
 * Timestamps: cic in the local zone (TZ), fixed in UTC. */
size_t fm_csv_row(char *buf, const struct fm_flow *f, enum fm_profile prof, int end_reason);
/* Flow ID text of a key ("a-b-pa-pb-proto"); returns the length. */
size_t fm_csv_key(char *buf, const struct fm_key *k);
/* Java String.hashCode of the Flow ID text, spread as java.util.HashMap
 * does (h ^ h >>> 16). */
uint32_t fm_csv_key_jhash(const struct fm_key *k);

#endif
