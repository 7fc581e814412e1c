/*
 * reader.c: capture reading through libpcap (what CICFlowMeter's jnetpcap
 * used), with gzip decompression through zlib.
 *
 * libpcap reads classic pcap (µs/ns, both byte orders, clipping caplen to
 * the snaplen, ns truncated to µs, seconds as signed 32 bits) and pcapng
 * (if_tsresol). A gzip file (magic 1f 8b) and any non-seekable input are fed
 * to libpcap through a stdio cookie stream over zlib's gzread, which passes
 * non-gzip data through unchanged.
 *
 * Fast path: a plain classic pcap file is opened by libpcap (which checks
 * the file header and gives the link type and snapshot length), then its
 * records are read here with large read()s and handed out in place, one
 * copy less than libpcap's fread()s; the per-record rules are those of
 * libpcap 1.10's sf-pcap.c (caplen limit per link type, clipping to the
 * snapshot length, 2.3 length swap, ns -> µs, signed 32-bit seconds of
 * native-order files). FLOWMETER_READER=libpcap in the environment turns
 * the fast path off (used by the tests to compare both).
 */
#define _GNU_SOURCE
#include "reader.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <poll.h>
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
	/* fast path (classic pcap read here); pc is NULL then */
	int fast;
	int swapped, nsec, lengths;	/* lengths: 0 normal, 1 swapped, 2 maybe */
	uint32_t snapshot, maxsnap;
	uint8_t *buf;
	size_t cap, pos, len;	/* buf[pos..len) not yet consumed */
	uint64_t foff;		/* file offset of buf[len] */
	int eof;
};

/* libpcap's max_snaplen_for_dlt() */
static uint32_t max_snaplen(int dlt)
{
	switch (dlt) {
	case FM_DLT_DBUS: return 128u * 1024 * 1024;
	case FM_DLT_EBHSCR: return 8u * 1024 * 1024;
	case FM_DLT_USBPCAP: return 1024u * 1024;
	default: return 262144;
	}
}

/* link types whose data libpcap leaves alone in a byte-swapped file
 * (swap_pseudo_headers() rewrites USB and NFLOG headers) */
static int swap_safe(int dlt)
{
	switch (dlt) {
	case FM_DLT_NULL: case FM_DLT_EN10MB: case FM_DLT_PPP: case FM_DLT_FDDI:
	case FM_DLT_RAW12: case FM_DLT_RAW14: case FM_DLT_PPP_SERIAL: case FM_DLT_PPP_ETHER:
	case FM_DLT_RAW: case FM_DLT_C_HDLC: case FM_DLT_IEEE802_11: case FM_DLT_FRELAY:
	case FM_DLT_LOOP: case FM_DLT_LINUX_SLL: case FM_DLT_IEEE802_11_RADIO:
	case FM_DLT_IPV4: case FM_DLT_IPV6: case FM_DLT_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}

/* Make at least `need` unconsumed bytes available; 0 if the file ends
 * first, -1 on a read error (errno set). */
static int fast_fill(fm_reader *r, size_t need)
{
	if (r->len - r->pos >= need)
		return 1;
	memmove(r->buf, r->buf + r->pos, r->len - r->pos);
	r->len -= r->pos;
	r->pos = 0;
	if (need > r->cap) {
		r->cap = need;
		r->buf = xrealloc(r->buf, r->cap);
	}
	while (r->len < need && !r->eof) {
		ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			r->eof = 1;
		r->len += (size_t)n;
		r->foff += (uint64_t)n;
	}
	return r->len - r->pos >= need;
}

static inline uint32_t rd32(const uint8_t *p, int swapped)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

static int fast_next(fm_reader *r, struct fm_rec *rec)
{
	const uint8_t *h;
	uint32_t caplen, wirelen, take, t;
	int64_t sec, usec;
	int got;

	got = fast_fill(r, 16);
	if (got < 0)
		goto ioerr;
	if (!got) {
		size_t have = r->len - r->pos;
		if (!have)
			return 0;
		r->truncated = 1;
		warning("'%s': file ends inside record %" PRIu64 ", ignoring it (truncated dump "
			"file; tried to read 16 header bytes, only got %zu)", r->path, r->nrec + 1, have);
		return 0;
	}
	h = r->buf + r->pos;
	caplen = rd32(h + 8, r->swapped);
	wirelen = rd32(h + 12, r->swapped);
	if (r->swapped) {	/* libpcap: unsigned after the byte swap */
		sec = rd32(h, 1);
		usec = rd32(h + 4, 1);
	} else {		/* bpf_int32 fields */
		sec = (int32_t)rd32(h, 0);
		usec = (int32_t)rd32(h + 4, 0);
	}
	if (r->nsec)
		usec /= 1000;
	if (r->lengths == 1 || (r->lengths == 2 && caplen > wirelen)) {
		t = caplen;
		caplen = wirelen;
		wirelen = t;
	}
	if (caplen > r->maxsnap) {
		if (caplen > r->snapshot)
			error("'%s': damaged capture after %" PRIu64 " records: invalid packet "
			      "capture length %u, bigger than snaplen of %u", r->path, r->nrec,
			      caplen, r->snapshot);
		else
			error("'%s': damaged capture after %" PRIu64 " records: invalid packet "
			      "capture length %u, bigger than maximum of %u", r->path, r->nrec,
			      caplen, r->maxsnap);
		return -1;
	}
	got = fast_fill(r, 16 + (size_t)caplen);
	if (got < 0)
		goto ioerr;
	if (!got) {
		size_t have = r->len - r->pos - 16;
		r->truncated = 1;
		warning("'%s': file ends inside record %" PRIu64 ", ignoring it (truncated dump "
			"file; tried to read %u captured bytes, only got %zu)", r->path, r->nrec + 1,
			caplen > r->snapshot && have < r->snapshot ? r->snapshot : caplen, have);
		return 0;
	}
	take = caplen > r->snapshot ? r->snapshot : caplen;
	/* Java long arithmetic: wraps, never UB */
	rec->ts = (int64_t)((uint64_t)sec * 1000000u + (uint64_t)usec);
	rec->data = r->buf + r->pos + 16;
	rec->caplen = take;
	rec->wirelen = wirelen;
	rec->linktype = r->linktype;
	r->pos += 16 + (size_t)caplen;
	r->nrec++;
	return 1;
ioerr:
	error("'%s': damaged capture after %" PRIu64 " records: error reading dump file: %s",
	      r->path, r->nrec, strerror(errno));
	return -1;
}

/* zlib's complaint when the gzip stream itself is damaged, else NULL
 * (a gzip stream that merely ends early is a truncated file) */
static const char *gz_damage(const fm_reader *r)
{
	const char *msg, *p;
	int err = Z_OK;

	if (!r->gz)
		return NULL;
	msg = gzerror(r->gz, &err);
	if (err == Z_OK || err == Z_STREAM_END || err == Z_BUF_ERROR || err == Z_ERRNO)
		return NULL;	/* Z_ERRNO: a read error, reported with errno */
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
		int err = Z_OK;
		gzerror(r->gz, &err);
		if (err != Z_ERRNO)
			errno = EIO;	/* damaged gzip data (reported by gz_damage) */
		return -1;
	}
	/* remember the decompressed magic (pcap or pcapng) */
	for (int i = 0; r->nmagic < 4 && i < got; i++)
		r->magic[r->nmagic++] = (uint8_t)buf[i];
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

/* Classic pcap (µs or ns, either byte order; not the modified formats)
 * that the fast path reads exactly as libpcap would? */
static int fast_ok(const fm_reader *r)
{
	static const uint8_t m[4][4] = {
		{ 0xa1, 0xb2, 0xc3, 0xd4 }, { 0xd4, 0xc3, 0xb2, 0xa1 },
		{ 0xa1, 0xb2, 0x3c, 0x4d }, { 0x4d, 0x3c, 0xb2, 0xa1 },
	};
	const char *env = getenv("FLOWMETER_READER");
	int i;

	if (env && !strcmp(env, "libpcap"))
		return 0;
	for (i = 0; i < 4; i++)
		if (!memcmp(r->magic, m[i], 4))
			break;
	if (i == 4 || pcap_snapshot(r->pc) <= 0)
		return 0;
	return !pcap_is_swapped(r->pc) || swap_safe(r->linktype);
}

/* Take the file over from libpcap, which has read the 24-byte header. */
static void fast_start(fm_reader *r)
{
	int fd = dup(fileno(r->fp));
	int major = pcap_major_version(r->pc), minor = pcap_minor_version(r->pc);

	if (fd < 0 || lseek(fd, 24, SEEK_SET) != 24) {
		if (fd >= 0)
			close(fd);
		return;	/* stay with libpcap */
	}
	r->fast = 1;
	r->fd = fd;
	r->foff = 24;
	r->swapped = pcap_is_swapped(r->pc);
	r->nsec = r->magic[1] == 0x3c || r->magic[2] == 0x3c;
	r->snapshot = (uint32_t)pcap_snapshot(r->pc);
	r->maxsnap = max_snaplen(r->linktype);
	r->lengths = major == 543 || (major == 2 && minor < 3) ? 1 : major == 2 && minor == 3 ? 2 : 0;
	r->cap = 1 << 20;
	r->buf = xmalloc(r->cap);
	pcap_close(r->pc);	/* closes r->fp */
	r->pc = NULL;
	r->fp = NULL;
}

/*
 * open() without blocking on a FIFO that has no writer yet: the FIFO is
 * opened non-blocking and waited for with poll(); when no writer comes
 * within a second the wait is announced on stderr. A signal ends the wait
 * (-1, errno EINTR, nothing printed).
 */
static int open_nonblock(const char *path)
{
	struct stat st;
	struct pollfd pfd;
	int fd = open(path, O_RDONLY | O_NONBLOCK), rc, fl;

	if (fd < 0)
		return -1;
	if (!fstat(fd, &st) && S_ISFIFO(st.st_mode)) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		rc = poll(&pfd, 1, 1000);
		if (rc == 0) {
			fprintf(stderr, "%s: '%s': waiting for a writer (a FIFO)\n", util_progname(),
				path);
			rc = poll(&pfd, 1, -1);
		}
		if (rc < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
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
		fd = open_nonblock(path);
	if (fd < 0) {
		if (errno != EINTR)
			error("cannot open '%s': %s", disp(path), strerror(errno));
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	r->path = xstrdup(disp(path));
	r->prof = prof;
	if (!fstat(fd, &st) && S_ISDIR(st.st_mode)) {
		error("'%s': is a directory", r->path);
		goto fail;
	}
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
		if (errno == EINTR && strstr(errbuf, strerror(EINTR)))
			;	/* a signal stopped the run: the caller says so */
		else if (gz_damage(r))
			error("'%s': damaged gzip data (%s)", r->path, gz_damage(r));
		else if (r->gz && !strncmp(errbuf, "truncated", 9))
			error("'%s': not a capture file (%s)", r->path,
			      gz_ended_early(r) ? "gzip data ends early" :
			      r->nmagic ? "too short" : "empty");
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
	if (!r->gz && fast_ok(r))
		fast_start(r);
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
	if (r->fast) {
		rc = fast_next(r, rec);
		if (rc != 1)
			r->done = 1;
		return rc;
	}
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
		if (errno == EINTR && strstr(msg, strerror(EINTR)))
			return -1;	/* a signal stopped the run: the caller says so */
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

	if (r->fast)
		return r->foff - (r->len - r->pos);
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
	if (r->pc)
		pcap_close(r->pc);	/* closes fp */
	if (r->fast)
		close(r->fd);
	free(r->buf);
	if (r->gz)
		gzclose(r->gz);
	free(r->path);
	free(r);
}
