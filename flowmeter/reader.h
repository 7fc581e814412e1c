/*
 * reader.h: capture file reading for flowmeter.
 *
 * Classic pcap (µs or ns, either byte order), pcapng, or a gzip of either,
 * detected by content whatever the file name; "-" is stdin. Records come out
 * as CICFlowMeter (jnetpcap over libpcap) saw them: caplen clipped to the
 * snaplen, ns truncated to µs, ts = seconds * 1e6 + µs.
 */
#ifndef FM_READER_H
#define FM_READER_H

#include <stdint.h>

#include "packet.h"

typedef struct fm_reader fm_reader;

/* One record. data stays valid until the next fm_reader_next/close. */
struct fm_rec {
	int64_t ts;		/* µs, as CICFlowMeter uses it for the profile */
	const uint8_t *data;
	uint32_t caplen, wirelen;
	int linktype;		/* DLT_* of the record's interface */
};

/* Open a capture. Returns NULL after printing "flowmeter: 'path': why",
 * or without a message when a signal interrupted the open or the wait
 * (errno EINTR). A FIFO with no writer is waited for; when none comes
 * within a second, "flowmeter: 'path': waiting for a writer (a FIFO)" is
 * printed. */
fm_reader *fm_reader_open(const char *path, enum fm_profile prof);
/* DLT of the (first) interface */
int fm_reader_linktype(const fm_reader *r);
/* 1 = record, 0 = end of file (a truncated last record is a warning: sets
 * the truncated flag, and the warning is printed), -1 = damaged file (message
 * printed "flowmeter: 'path': what is wrong"; none when a signal interrupted
 * a read of a pipe, errno EINTR). Reading stops either way. */
int fm_reader_next(fm_reader *r, struct fm_rec *rec);
/* 1 if the file ended inside a record */
int fm_reader_truncated(const fm_reader *r);
/* bytes of the file consumed so far (compressed bytes for gzip), for progress */
uint64_t fm_reader_bytes(const fm_reader *r);
/* file size, or 0 if unknown (stdin, pipe) */
uint64_t fm_reader_size(const fm_reader *r);
/* 1 if the file is pcapng (0 classic pcap) */
int fm_reader_is_pcapng(const fm_reader *r);
void fm_reader_close(fm_reader *r);

#endif
