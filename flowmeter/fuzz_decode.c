/*
 * Fuzz target: the capture reader and the packet decoder.
 * First byte < 0x80: the rest is one frame, decoded for the link type
 * chosen by that byte, in every profile and decode mode.
 * First byte >= 0x80: the rest is a capture file (pcap, pcapng or gzip) read
 * through fm_reader (via a memfd) and every record decoded likewise; the
 * file is read a second time through libpcap only (FLOWMETER_READER=libpcap)
 * and the records must be the same (differential test of the fast path).
 */
#define _GNU_SOURCE
#include "decode.h"
#include "reader.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = { 1, 0, 9, 10, 12, 14, 50, 51, 101, 104, 105, 107, 108, 113, 127,
			     228, 229, 239, 276, 147 };

static void decode_all(const struct fm_rec *rec)
{
	struct fm_pkt p;

	for (int prof = 0; prof < 2; prof++)
		for (int mode = 0; mode < 2; mode++)
			(void)fm_decode((enum fm_profile)prof, (enum fm_decode)mode, rec, &p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;

	if (!init) {
		util_set_progname("fuzz_decode");
		init = 1;
	}
	if (size == 0)
		return 0;
	if (data[0] < 0x80) {
		struct fm_rec rec = { 0, data + 1, (uint32_t)(size - 1), (uint32_t)(size - 1),
				      dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))] };
		decode_all(&rec);
		rec.wirelen = 0;	/* wirelen < caplen */
		decode_all(&rec);
	} else {
		char path[64];
		int fd = memfd_create("fuzz_decode", 0);
		fm_reader *r, *r2;
		struct fm_rec rec, rec2;
		int rc, rc2;

		if (fd < 0)
			return 0;
		if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1)) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			r = fm_reader_open(path, FM_PROFILE_CIC);
			setenv("FLOWMETER_READER", "libpcap", 1);
			r2 = fm_reader_open(path, FM_PROFILE_CIC);
			unsetenv("FLOWMETER_READER");
			if (!r != !r2)
				abort();
			if (r) {
				do {
					rc = fm_reader_next(r, &rec);
					rc2 = fm_reader_next(r2, &rec2);
					if (rc != rc2 || fm_reader_truncated(r) != fm_reader_truncated(r2))
						abort();
					if (rc == 1) {
						if (rec.ts != rec2.ts || rec.caplen != rec2.caplen ||
						    rec.wirelen != rec2.wirelen ||
						    rec.linktype != rec2.linktype ||
						    memcmp(rec.data, rec2.data, rec.caplen))
							abort();
						decode_all(&rec);
					}
				} while (rc == 1);
				(void)fm_reader_bytes(r);
				fm_reader_close(r);
				fm_reader_close(r2);
			}
		}
		close(fd);
	}
	return 0;
}
