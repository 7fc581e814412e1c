/*
 * Unit tests of flowmeter's capture reader on files written here: classic
 * pcap (µs/ns, both byte orders, snaplen clipping, signed seconds; through
 * the fast path and through libpcap),
 * pcapng (if_tsresol), gzip, stdin, truncated and damaged files.
 */
#include "check.h"
#include "../../flowmeter/reader.h"
#include "util.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static char dir[64];
static uint8_t buf[4096];
static size_t blen;

static void put(const void *p, size_t n)
{
	memcpy(buf + blen, p, n);
	blen += n;
}

static void put32(uint32_t v, int be)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
	put(b, 4);
}

static void put16(unsigned v, int be)
{
	uint8_t b[2] = { (uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8) };
	put(b, 2);
}

static void pcap_hdr(uint32_t magic, int be, uint32_t snaplen)
{
	blen = 0;
	put32(magic, be);
	put16(2, be); put16(4, be);
	put32(0, be); put32(0, be);
	put32(snaplen, be);
	put32(1, be);
}

static void pcap_rec(uint32_t sec, uint32_t frac, uint32_t incl, uint32_t orig, int be)
{
	put32(sec, be); put32(frac, be); put32(incl, be); put32(orig, be);
	for (uint32_t i = 0; i < incl; i++)
		buf[blen++] = (uint8_t)i;
}

static const char *save(const char *name)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	fwrite(buf, 1, blen, f);
	fclose(f);
	return path;
}

static void test_classic(void)
{
	struct fm_rec r;
	fm_reader *rd;
	const char *p;

	/* µs little-endian, snaplen 100: a 120-byte record is clipped */
	pcap_hdr(0xa1b2c3d4, 0, 100);
	pcap_rec(1000, 999999, 60, 60, 0);
	pcap_rec(1001, 5, 120, 1500, 0);
	pcap_rec(0x80000000u, 1, 10, 10, 0);
	p = save("us.pcap");
	rd = fm_reader_open(p, FM_PROFILE_CIC);
	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK_EQ(fm_reader_linktype(rd), 1);
	CHECK_EQ(fm_reader_is_pcapng(rd), 0);
	CHECK_EQ(fm_reader_size(rd), blen);
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	CHECK_EQ(r.ts, 1000999999LL);
	CHECK_EQ(r.caplen, 60);
	CHECK_EQ(r.data[59], 59);
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	CHECK_EQ(r.ts, 1001000005LL);
	CHECK_EQ(r.caplen, 100);
	CHECK_EQ(r.wirelen, 1500);
	CHECK_EQ(r.linktype, 1);
	/* libpcap reads a native-order record's seconds as signed 32 bits
	 * (the fork's 2039 -> 1902 timestamps) */
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	CHECK_EQ(r.ts, -2147483648LL * 1000000 + 1);
	CHECK_EQ(fm_reader_next(rd, &r), 0);
	CHECK_EQ(fm_reader_truncated(rd), 0);
	CHECK_EQ(fm_reader_bytes(rd), blen);
	fm_reader_close(rd);

	/* ns big-endian: truncated to µs; libpcap 1.10 byte-swaps the seconds
	 * of a swapped file as unsigned */
	pcap_hdr(0xa1b23c4d, 1, 0);
	pcap_rec(1000, 123456789, 10, 10, 1);
	pcap_rec(0x80000000u, 999, 10, 10, 1);
	p = save("ns.pcap");
	rd = fm_reader_open(p, FM_PROFILE_FIXED);
	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	CHECK_EQ(r.ts, 1000123456LL);
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	CHECK_EQ(r.ts, 2147483648LL * 1000000);
	CHECK_EQ(fm_reader_next(rd, &r), 0);
	fm_reader_close(rd);
}

static void test_truncated_damaged(void)
{
	struct fm_rec r;
	fm_reader *rd;
	const char *p;

	pcap_hdr(0xa1b2c3d4, 0, 65535);
	pcap_rec(1, 0, 40, 40, 0);
	pcap_rec(2, 0, 40, 40, 0);
	blen -= 5;	/* file ends inside the second record */
	p = save("trunc.pcap");
	rd = fm_reader_open(p, FM_PROFILE_CIC);
	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	fprintf(stderr, "(a warning is expected next)\n");
	CHECK_EQ(fm_reader_next(rd, &r), 0);
	CHECK_EQ(fm_reader_truncated(rd), 1);
	CHECK_EQ(fm_reader_next(rd, &r), 0);
	fm_reader_close(rd);

	/* a record length beyond any snaplen: damaged */
	pcap_hdr(0xa1b2c3d4, 0, 65535);
	pcap_rec(1, 0, 40, 40, 0);
	put32(2, 0); put32(0, 0); put32(0x7fffffff, 0); put32(40, 0);
	p = save("damaged.pcap");
	rd = fm_reader_open(p, FM_PROFILE_CIC);
	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	fprintf(stderr, "(an error is expected next)\n");
	CHECK_EQ(fm_reader_next(rd, &r), -1);
	CHECK_EQ(fm_reader_truncated(rd), 0);
	fm_reader_close(rd);

	/* not a capture, empty, missing */
	blen = 0;
	put("hello world, this is text\n", 26);
	fprintf(stderr, "(three errors are expected next)\n");
	CHECK(fm_reader_open(save("text.pcap"), FM_PROFILE_CIC) == NULL);
	blen = 0;
	CHECK(fm_reader_open(save("empty.pcap"), FM_PROFILE_CIC) == NULL);
	CHECK(fm_reader_open("/nonexistent/x.pcap", FM_PROFILE_CIC) == NULL);
	fprintf(stderr, "(two errors are expected next)\n");
	CHECK(fm_reader_open(dir, FM_PROFILE_CIC) == NULL);
	CHECK(fm_reader_open("/dev/null", FM_PROFILE_CIC) == NULL);
}

static void test_gzip_stdin(void)
{
	struct fm_rec r;
	fm_reader *rd;
	char path[128];
	gzFile gz;
	int fd, saved;

	pcap_hdr(0xa1b2c3d4, 0, 65535);
	pcap_rec(7, 8, 30, 30, 0);
	pcap_rec(9, 10, 31, 31, 0);
	snprintf(path, sizeof(path), "%s/x.bin", dir);
	gz = gzopen(path, "wb");
	gzwrite(gz, buf, (unsigned)blen);
	gzclose(gz);
	rd = fm_reader_open(path, FM_PROFILE_CIC);
	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	CHECK_EQ(r.ts, 7000008);
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	CHECK_EQ(r.caplen, 31);
	CHECK_EQ(fm_reader_next(rd, &r), 0);
	CHECK(fm_reader_bytes(rd) > 0);
	fm_reader_close(rd);

	/* the same gzip on stdin */
	fd = open(path, O_RDONLY);
	saved = dup(0);
	dup2(fd, 0);
	close(fd);
	rd = fm_reader_open("-", FM_PROFILE_CIC);
	CHECK(rd != NULL);
	if (rd) {
		CHECK_EQ(fm_reader_size(rd), 0 + fm_reader_size(rd));
		CHECK_EQ(fm_reader_next(rd, &r), 1);
		CHECK_EQ(fm_reader_next(rd, &r), 1);
		CHECK_EQ(r.ts, 9000010);
		CHECK_EQ(fm_reader_next(rd, &r), 0);
		fm_reader_close(rd);
	}
	dup2(saved, 0);
	close(saved);

	/* a gzip stream that ends early: truncated (warning), records kept */
	{
		FILE *f = fopen(path, "rb");
		static uint8_t z[4096];
		size_t n = fread(z, 1, sizeof(z), f);
		fclose(f);
		blen = 0;
		put(z, n - 12);	/* drop part of the last block and the trailer */
		rd = fm_reader_open(save("short.gz"), FM_PROFILE_CIC);
		CHECK(rd != NULL);
		if (rd) {
			int k = 0;
			fprintf(stderr, "(a warning is expected next)\n");
			while (fm_reader_next(rd, &r) == 1)
				k++;
			CHECK(k <= 2);
			CHECK_EQ(fm_reader_truncated(rd), 1);
			fm_reader_close(rd);
		}
		/* corrupted deflate data: damaged */
		blen = 0;
		put(z, 10);
		memset(buf + blen, 0xff, 40);
		blen += 40;
		fprintf(stderr, "(an error is expected next)\n");
		CHECK(fm_reader_open(save("bad.gz"), FM_PROFILE_CIC) == NULL);
	}
}

static void test_pcapng(void)
{
	struct fm_rec r;
	fm_reader *rd;
	uint64_t t = 1500000000123456789ULL;	/* ns */

	blen = 0;
	/* section header block */
	put32(0x0A0D0D0A, 0); put32(28, 0); put32(0x1A2B3C4D, 0);
	put16(1, 0); put16(0, 0); put32(0xffffffff, 0); put32(0xffffffff, 0); put32(28, 0);
	/* interface description block, Ethernet, if_tsresol = 9 */
	put32(1, 0); put32(32, 0); put16(1, 0); put16(0, 0); put32(0, 0);
	put16(9, 0); put16(1, 0); put("\x09\x00\x00\x00", 4);
	put16(0, 0); put16(0, 0);
	put32(32, 0);
	/* enhanced packet block with 20 bytes of data */
	put32(6, 0); put32(52, 0); put32(0, 0);
	put32((uint32_t)(t >> 32), 0); put32((uint32_t)t, 0);
	put32(20, 0); put32(64, 0);
	for (int i = 0; i < 20; i++)
		buf[blen++] = (uint8_t)i;
	put32(52, 0);
	rd = fm_reader_open(save("ns.pcapng"), FM_PROFILE_CIC);
	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK_EQ(fm_reader_is_pcapng(rd), 1);
	CHECK_EQ(fm_reader_next(rd, &r), 1);
	CHECK_EQ(r.ts, 1500000000123456LL);
	CHECK_EQ(r.caplen, 20);
	CHECK_EQ(r.wirelen, 64);
	CHECK_EQ(fm_reader_next(rd, &r), 0);
	fm_reader_close(rd);
}

int main(void)
{
	char cmd[128];

	util_set_progname("flowmeter");
	snprintf(dir, sizeof(dir), "/tmp/fm_reader.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	/* classic pcap: the reader's own fast path, then libpcap's */
	test_classic();
	test_truncated_damaged();
	setenv("FLOWMETER_READER", "libpcap", 1);
	test_classic();
	test_truncated_damaged();
	unsetenv("FLOWMETER_READER");
	test_gzip_stdin();
	test_pcapng();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", dir);
	return check_done();
}
