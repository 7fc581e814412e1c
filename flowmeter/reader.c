/*
 * reader.c: capture reading through libpcap (what CICFlowMeter's jnetpcap
 * used), with gzip decompression through zlib.
 *
 * libpcap reads classic pcap (µs/ns, both byte orders, clipping caplen to
 * the snaplen, ns truncated to µs, seconds as signed 32 bits) and pcapng
 * (if_tsresol). A gzip file (magic 1f 8b) and any non-seekable input are fed
 * to libpcap through a stdio cookie stream over zlib's gzread, which passes
 * non-gzip data through unchanged.
 */
#define _GNU_SOURCE
#include "reader.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct fm_reader {
	pcap_t *pc;
	FILE *fp;		/* stream libpcap reads (owned by pc once opened) */
	gzFile gz;		/* non-NULL when reading through zlib */
	int fd;
	char *path;		/* for messages */
	uint64_t size;
	int linktype;
	int truncated;
	int done;
	int pcapng;
	enum fm_profile prof;
	uint8_t magic[4];	/* first bytes of the (decompressed) capture */
	unsigned nmagic;
	uint64_t nrec;		/* records returned so far */
};

/* zlib's complaint when the gzip stream itself is damaged, else NULL
 * (a gzip stream that merely ends early is a truncated file) */
static const char *gz_damage(const fm_reader *r)
{
	const char *msg, *p;
	int err = Z_OK;

	if (!r->gz)
		return NULL;
	msg = gzerror(r->gz, &err);
	if (err == Z_OK || err == Z_STREAM_END || err == Z_BUF_ERROR)
		return NULL;
	p = strstr(msg, ">: ");	/* drop zlib's "<fd:3>: " prefix */
	return p ? p + 3 : msg;
}

static int gz_ended_early(const fm_reader *r)
{
	int err = Z_OK;

	if (r->gz)
		gzerror(r->gz, &err);
	return err == Z_BUF_ERROR;
}

static ssize_t gz_cookie_read(void *cookie, char *buf, size_t n)
{
	fm_reader *r = cookie;
	int got;

	if (n > (1u << 30))
		n = 1u << 30;
	got = gzread(r->gz, buf, (unsigned)n);
	if (got < 0) {
		errno = EIO;
		return -1;
	}
	/* remember the decompressed magic (pcap or pcapng) */
	while (r->nmagic < 4 && got > 0 && r->nmagic < (unsigned)got) {
		r->magic[r->nmagic] = (uint8_t)buf[r->nmagic];
		r->nmagic++;
	}
	return got;
}

static int gz_cookie_close(void *cookie)
{
	(void)cookie;	/* closed by fm_reader_close (gzoffset needs it until then) */
	return 0;
}

static const char *disp(const char *path)
{
	return strcmp(path, "-") ? path : "(stdin)";
}

fm_reader *fm_reader_open(const char *path, enum fm_profile prof)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct stat st;
	uint8_t magic[4] = { 0 };
	fm_reader *r;
	int fd, seekable;

	if (!strcmp(path, "-"))
		fd = dup(0);
	else
		fd = open(path, O_RDONLY);
	if (fd < 0) {
		error("cannot open '%s': %s", disp(path), strerror(errno));
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	r->path = xstrdup(disp(path));
	r->prof = prof;
	seekable = !fstat(fd, &st) && S_ISREG(st.st_mode);
	if (seekable)
		r->size = (uint64_t)st.st_size;
	if (seekable) {
		ssize_t got = pread(fd, magic, 4, 0);
		if (got < 0) {
			error("'%s': %s", r->path, strerror(errno));
			goto fail;
		}
		if (got < 4) {
			error("'%s': not a capture file (%s)", r->path,
			      got ? "too short" : "empty");
			goto fail;
		}
	}
	if (!seekable || (magic[0] == 0x1f && magic[1] == 0x8b)) {
		static const cookie_io_functions_t io = {
			.read = gz_cookie_read, .close = gz_cookie_close,
		};
		r->gz = gzdopen(fd, "rb");
		if (!r->gz) {
			error("'%s': cannot read: %s", r->path, strerror(errno));
			goto fail;
		}
		r->fd = -1;	/* owned by gz now */
		gzbuffer(r->gz, 1 << 17);
		r->fp = fopencookie(r, "r", io);
	} else {
		r->fp = fdopen(fd, "rb");
		if (r->fp) {
			r->fd = -1;
			/* stdio's default 4 KB buffer costs a read() per few
			 * records; 256 KB makes syscalls negligible */
			setvbuf(r->fp, NULL, _IOFBF, 1 << 18);
		}
	}
	if (!r->fp) {
		error("'%s': %s", r->path, strerror(errno));
		goto fail;
	}
	r->pc = pcap_fopen_offline(r->fp, errbuf);
	if (!r->pc) {
		if (gz_damage(r))
			error("'%s': damaged gzip data (%s)", r->path, gz_damage(r));
		else if (r->gz && !strncmp(errbuf, "truncated", 9))
			error("'%s': not a capture file (%s)", r->path,
			      gz_ended_early(r) ? "gzip data ends early" : "too short");
		else if (!strncmp(errbuf, "unknown file format", 19))
			error("'%s': not a capture file (not pcap or pcapng)", r->path);
		else
			error("'%s': %s", r->path, errbuf);
		goto fail;
	}
	r->linktype = pcap_datalink(r->pc);
	if (!r->gz) {
		memcpy(r->magic, magic, 4);
		r->nmagic = 4;
	}
	r->pcapng = r->nmagic == 4 && !memcmp(r->magic, "\x0a\x0d\x0d\x0a", 4);
	return r;
fail:
	if (r->fp)
		fclose(r->fp);
	if (r->gz)
		gzclose(r->gz);
	if (r->fd >= 0)
		close(r->fd);
	free(r->path);
	free(r);
	return NULL;
}

int fm_reader_linktype(const fm_reader *r)
{
	return r->linktype;
}

int fm_reader_next(fm_reader *r, struct fm_rec *rec)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (r->done)
		return 0;
	rc = pcap_next_ex(r->pc, &h, &data);
	if (rc == 1) {
		/* Java long arithmetic: wraps on absurd pcapng timestamps */
		rec->ts = (int64_t)((uint64_t)(int64_t)h->ts.tv_sec * 1000000u +
				    (uint64_t)(int64_t)h->ts.tv_usec);
		rec->data = data;
		rec->caplen = h->caplen;
		rec->wirelen = h->len;
		rec->linktype = r->linktype;
		r->nrec++;
		return 1;
	}
	r->done = 1;
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	{
		const char *msg = pcap_geterr(r->pc);
		if (gz_damage(r)) {
			error("'%s': damaged gzip data after %" PRIu64 " records (%s)",
			      r->path, r->nrec, gz_damage(r));
			return -1;
		}
		if (!strncmp(msg, "truncated", 9)) {
			r->truncated = 1;
			warning("'%s': file ends inside record %" PRIu64 ", ignoring it (%s)",
				r->path, r->nrec + 1,
				gz_ended_early(r) ? "gzip data ends early" : msg);
			return 0;
		}
		error("'%s': damaged capture after %" PRIu64 " records: %s",
		      r->path, r->nrec, msg);
		return -1;
	}
}

int fm_reader_truncated(const fm_reader *r)
{
	return r->truncated;
}

uint64_t fm_reader_bytes(const fm_reader *r)
{
	off_t o;

	if (r->gz) {
		o = gzoffset(r->gz);
		return o > 0 ? (uint64_t)o : 0;
	}
	o = ftello(r->fp);
	return o > 0 ? (uint64_t)o : 0;
}

uint64_t fm_reader_size(const fm_reader *r)
{
	return r->size;
}

int fm_reader_is_pcapng(const fm_reader *r)
{
	return r->pcapng;
}

void fm_reader_close(fm_reader *r)
{
	if (!r)
		return;
	pcap_close(r->pc);	/* closes fp */
	if (r->gz)
		gzclose(r->gz);
	free(r->path);
	free(r);
}
