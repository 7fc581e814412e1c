/*
 * synth.h: a traffic synthesizer for the demo. It models a few video
 * services and background traffic as packets seen at the client's side of a
 * home network (Ethernet/IPv4) and writes them as a classic pcap file
 * (microsecond timestamps, LINKTYPE_ETHERNET, full payloads).
 *
 * Everything is deterministic for a seed: the same options give the same
 * bytes (integer arithmetic for the file, the toolkit's xoshiro PRNG, and
 * only exp/log/sqrt/cos from libm for the models, so another libm could move
 * a timestamp by a microsecond; tests/cli/synth/golden pins glibc's result).
 */
#ifndef SYNTH_H
#define SYNTH_H

#include <stdint.h>
#include <stdio.h>

/* Service bits for synth_opts.services. */
enum {
	SYNTH_YOUTUBE = 1,	/* QUIC (UDP/443) video and audio streams, some TLS/TCP fallback */
	SYNTH_VIMEO = 2,	/* TLS/TCP, HTTP range requests for 4-6 s segments */
	SYNTH_TWITCH = 4,	/* live HLS over TLS/TCP: playlist + 2 s segment every 2 s, chat */
	SYNTH_NOISE = 8		/* DNS, NTP, short HTTPS, idle keep-alive connections */
};

struct synth_opts {
	uint64_t seed;
	double duration;	/* seconds of capture */
	int sessions;		/* viewing sessions per video service */
	int services;		/* SYNTH_* bits */
	int no_quic;		/* YouTube (and noise) use TLS over TCP only */
	uint64_t max_bytes;	/* refuse a capture file larger than this; 0 = no limit */
};

struct synth_stats {
	uint64_t packets;
	uint64_t bytes;		/* on the wire, Ethernet frames */
	uint64_t connections;	/* TCP connections and UDP exchanges generated */
	uint64_t file_bytes;	/* size of the capture file (SYNTH_TOO_BIG: estimated) */
};

/* Default bound of the capture file's size (synth --max-bytes). */
#define SYNTH_MAX_BYTES_DEFAULT 2000000000ULL

/* synth_write() results besides 0 and -1. */
enum {
	SYNTH_TOO_BIG = 1,	/* above max_bytes: nothing written, st->file_bytes estimated */
	SYNTH_EMPTY = 2		/* no packet falls in the capture: nothing written */
};

/*
 * Parse a service list ("youtube,noise"); returns the SYNTH_* bits or -1
 * when a name is unknown (*bad then points at it, inside s).
 */
int synth_parse_services(const char *s, const char **bad, size_t *badlen);

/*
 * Generate the capture and write it to fp. Returns 0, or -1 when writing
 * fails (nothing printed: the caller reports the file), or SYNTH_TOO_BIG /
 * SYNTH_EMPTY before anything is written. The packets are generated first
 * (about 40 bytes of memory per packet), then written; generation stops at
 * the first session that takes the file above max_bytes, and file_bytes is
 * then extrapolated from the sessions generated so far. st may be NULL.
 */
int synth_write(const struct synth_opts *o, FILE *fp, struct synth_stats *st);

#endif
