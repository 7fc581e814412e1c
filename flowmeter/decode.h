/*
 * decode.h: one captured frame -> struct fm_pkt, the way CICFlowMeter's
 * jnetpcap-based PacketReader does it (FM_DECODE_CIC, per profile), or with
 * proper link-type dispatch and IPv6 (FM_DECODE_FULL).
 */
#ifndef FM_DECODE_H
#define FM_DECODE_H

#include "packet.h"
#include "reader.h"

/* Decode one record into *out following profile/decode mode; returns FM_OK
 * or the skip reason (then *out is unspecified). out->ts = rec->ts. */
enum fm_skip fm_decode(enum fm_profile prof, enum fm_decode mode,
		       const struct fm_rec *rec, struct fm_pkt *out);

#endif
