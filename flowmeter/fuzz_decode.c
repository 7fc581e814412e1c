/*
 * Fuzz target: the capture reader and the packet decoder.
 * First byte < 0x80: the rest is one frame, decoded for the link type
 * chosen by that byte, in every profile and decode mode.
 * First byte >= 0x80: the rest is a capture file (pcap, pcapng or gzip) read
 * through fm_reader (via a memfd) and every record decoded likewise.
 */
#define _GNU_SOURCE
#include "decode.h"
#include "reader.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
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
		fm_reader *r;
		struct fm_rec rec;

		if (fd < 0)
			return 0;
		if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1)) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			r = fm_reader_open(path, FM_PROFILE_CIC);
			if (r) {
				while (fm_reader_next(r, &rec) == 1)
					decode_all(&rec);
				(void)fm_reader_bytes(r);
				fm_reader_close(r);
			}
		}
		close(fd);
	}
	return 0;
}
