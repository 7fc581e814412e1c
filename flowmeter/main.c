/*
 * flowmeter: turn packet captures into CICFlowMeter-compatible flow CSVs.
 * CLI only: reading is reader.c/decode.c, flows are flowtable.c and
 * flowfeat.c (not features.h: that name would shadow glibc's <features.h>), text
 * is csvout.c.
 */
#include "cli.h"
#include "csvout.h"
#include "decode.h"
#include "flowtable.h"
#include "names.h"
#include "progress.h"
#include "reader.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: flowmeter [OPTIONS] IN... OUT\n"
	"   or: flowmeter [OPTIONS] -o OUT IN...\n"
	"Turn packet captures into flow CSVs exactly as CICFlowMeter writes them.\n"
	"\n"
	"IN is a capture file (pcap, pcapng, either gzip-compressed) or a directory\n"
	"of them. When OUT is an existing directory, or IN is a directory, or there\n"
	"are several INs, each capture gets OUT/<capture file name>_Flow.csv;\n"
	"otherwise OUT is the CSV file to write ('-' for standard output).\n"
	"OUT is the last argument (as CICFlowMeter's), or -o OUT, and then every\n"
	"argument is an IN. Options come before the INs.\n"
	"\n"
	"  -o, --output OUT         the CSV file or folder to write (instead of the\n"
	"                           last argument)\n"
	"  -p, --profile P          cic: CICFlowMeter 98a5eba, bugs included (default);\n"
	"                           fixed: the corrected fork (GintsEngelen, 94 columns)\n"
	"  -d, --decode M           cic: decode packets as CICFlowMeter does (default);\n"
	"                           full: every common link type, IPv4 and IPv6\n"
	"      --flow-timeout S     end a flow S seconds after its first packet\n"
	"                           (default 120, as CICFlowMeter)\n"
	"      --activity-timeout S gap in seconds that ends an active period\n"
	"                           (default 5, as CICFlowMeter)\n"
	"      --idle-timeout S     end a flow idle for S seconds (default: never,\n"
	"                           as CICFlowMeter)\n"
	"      --end-reason         add a column 'End Reason': fin, rst, flow-timeout,\n"
	"                           idle-timeout, eof (fixed profile also icmp-change)\n"
	"      --concat             treat all INs as one capture, in the order given\n"
	"      --max-flows N        at most N open flows: a new flow beyond them ends\n"
	"                           the least recently active one early (counted in\n"
	"                           the summary line; default: no limit, as CICFlowMeter)\n"
	"      --names              add columns 'Server Name' and 'Name Source': the\n"
	"                           flow's TLS or QUIC server name (SNI), HTTP Host, or\n"
	"                           the name a DNS answer gave its address (sni, quic,\n"
	"                           http, dns)\n"
	"      --names-max N        DNS answers and named connections kept (default\n"
	"                           1000000; the oldest are dropped and counted)\n"
	"      --shard K/N          keep only the flows whose direction-independent\n"
	"                           key hashes to K of N (1 <= K <= N); the N outputs\n"
	"                           together hold exactly the rows of one full run\n"
	"  -h, --help               show this help and exit\n"
	"  -V, --version            show the version and exit\n"
	"\n"
	"Each capture ends with a summary line on stderr: packets read, used and\n"
	"skipped by reason, and flows written.\n";

enum {
	OPT_FLOW_TIMEOUT = 256, OPT_ACT_TIMEOUT, OPT_IDLE_TIMEOUT, OPT_END_REASON,
	OPT_CONCAT, OPT_SHARD, OPT_MAX_FLOWS, OPT_NAMES, OPT_NAMES_MAX,
};

/*
 * Signals: SIGINT, SIGTERM and SIGHUP stop reading; the first one sets
 * `interrupted` and puts back the handlers of out_install_signals(), so a
 * second signal (or SIGQUIT, SIGPIPE, ...) ends the run the common way:
 * pending temporary files removed, conventional signal status.
 */
static volatile sig_atomic_t interrupted;
static const int stop_sigs[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction prev_sa[3];

static void on_stop(int sig)
{
	(void)sig;
	interrupted = 1;
	for (int i = 0; i < 3; i++)
		sigaction(stop_sigs[i], &prev_sa[i], NULL);
}

static void install_signals(void)
{
	struct sigaction sa;

	out_install_signals();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;	/* no SA_RESTART: a blocking open() or read() returns */
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++) {
		sigaction(stop_sigs[i], NULL, &prev_sa[i]);
		if (!(prev_sa[i].sa_flags & SA_SIGINFO) && prev_sa[i].sa_handler == SIG_IGN)
			continue;	/* ignored by whoever started us (nohup): stays so */
		sigaction(stop_sigs[i], &sa, NULL);
	}
}

/* Does path name a regular file that starts like a capture (classic pcap
 * in either byte order, µs or ns; pcapng; gzip)? Such a file is never
 * overwritten: it is most likely an IN the user meant to read (a forgotten
 * OUT, a shell glob). */
static int is_capture(const char *path)
{
	static const uint8_t magic[][4] = {
		{ 0xa1, 0xb2, 0xc3, 0xd4 }, { 0xd4, 0xc3, 0xb2, 0xa1 },
		{ 0xa1, 0xb2, 0x3c, 0x4d }, { 0x4d, 0x3c, 0xb2, 0xa1 },
		{ 0x0a, 0x0d, 0x0d, 0x0a },
	};
	uint8_t b[4];
	struct stat st;
	ssize_t got;
	int fd;

	if (!strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	got = read(fd, b, 4);
	close(fd);
	if (got >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return 1;
	for (size_t i = 0; got == 4 && i < sizeof(magic) / sizeof(magic[0]); i++)
		if (!memcmp(b, magic[i], 4))
			return 1;
	return 0;
}

/* Where OUT came from, for refuse_capture(): -o, else the last argument. */
static int out_by_option;

static _Noreturn void refuse_capture(const char *path)
{
	error("refusing to write '%s': it is a capture file (%s is the OUT to write)", path,
	      out_by_option ? "the value of -o" : "the last argument");
	exit(2);
}

struct run {
	enum fm_profile prof;
	enum fm_decode mode;
	struct fm_gen_opts go;
	int end_reason;
	int names;		/* --names */
	size_t names_max;
	names *nm;		/* names of the current output */
	uint64_t named[5];	/* flows written, by name source */
	/* output of the current capture */
	outfile out;
	fm_csv csv;
	uint64_t flows;
	char row[FM_CSV_ROWMAX + NAMES_CSV_MAX];
};

static void emit_row(void *ctx, const struct fm_flow *f)
{
	struct run *r = ctx;
	size_t n = fm_csv_row(&r->csv, r->row, f);

	if (r->nm) {
		const char *name;
		enum names_src src = names_flow(r->nm, f->key.af, f->key.proto, f->src, f->sport,
						f->rev ? f->key.a : f->key.b, f->dport, f->start, &name);
		n = n - 1 + names_csv(r->row + n - 1, name, src);
		r->row[n++] = '\n';
		r->named[src]++;
	}
	fwrite(r->row, 1, n, r->out.fp);
	r->flows++;
}

struct counts {
	uint64_t read, used, shard, skip[FM_SKIP_NREASONS];
	uint64_t full_ok;	/* skipped for IPv6/link type, readable with --decode full */
};

static void summary(const char *name, const struct counts *c, uint64_t flows,
		    uint64_t single, uint64_t evicted, enum fm_decode mode)
{
	char buf[1024];
	int n = 0;
	uint64_t skipped = 0;

	for (int i = 1; i < FM_SKIP_NREASONS; i++)
		skipped += c->skip[i];
	if (!strcmp(name, "-"))
		name = "(stdin)";
	n += snprintf(buf + n, sizeof(buf) - (size_t)n,
		      "%s: %" PRIu64 " packet%s read, %" PRIu64 " used, %" PRIu64 " skipped", name,
		      c->read, c->read == 1 ? "" : "s", c->used, skipped);
	if (skipped) {
		const char *sep = " (";
		for (int i = 1; i < FM_SKIP_NREASONS; i++) {
			if (!c->skip[i])
				continue;
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%" PRIu64 " %s", sep,
				      c->skip[i], fm_skip_names[i] ? fm_skip_names[i] : "other");
			sep = ", ";
		}
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, ")");
	}
	if (c->shard)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, ", %" PRIu64 " in other shards",
			      c->shard);
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, "; %" PRIu64 " flow%s written", flows,
		      flows == 1 ? "" : "s");
	if (flows == 0) {
		if (c->read == 0)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " (the capture has no packets)");
		else if (c->used == 0 && c->shard)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n,
				      " (no packet of this shard)");
		else if (c->used == 0)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " (no usable packet)");
		else if (single)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n,
				      " (every flow had a single packet, which CICFlowMeter never "
				      "writes; --profile fixed writes them)");
	}
	if (evicted)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "; %" PRIu64 " flow%s ended early by --max-flows", evicted,
			      evicted == 1 ? "" : "s");
	if (mode == FM_DECODE_CIC && 2 * c->full_ok > c->read)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "; most packets were skipped for %s: --decode full reads them",
			      c->skip[FM_SKIP_IPV6] >= c->skip[FM_SKIP_LINKTYPE] ? "being IPv6"
										  : "their link type");
	fprintf(stderr, "%s: %s\n", util_progname(), buf);
}

/* Read one capture into the generator. Returns 0, -1 (damaged), -2 (cannot
 * be opened: nothing read), 1 (interrupted). */
static int read_capture(struct run *r, fm_gen *g, const char *path, struct counts *c)
{
	fm_reader *rd = fm_reader_open(path, r->prof);
	struct fm_rec rec;
	struct fm_pkt p;
	progress pg;
	int rc, ret = 0;

	if (!rd)
		return -2;
	progress_init(&pg, "bytes", fm_reader_size(rd));
	while ((rc = fm_reader_next(rd, &rec)) == 1) {
		enum fm_skip why = fm_decode(r->prof, r->mode, &rec, &p);

		c->read++;
		if (why != FM_OK) {
			c->skip[why]++;
			if ((why == FM_SKIP_IPV6 || why == FM_SKIP_LINKTYPE) &&
			    r->mode == FM_DECODE_CIC &&
			    fm_decode(r->prof, FM_DECODE_FULL, &rec, &p) == FM_OK)
				c->full_ok++;
		} else {
			if (fm_gen_packet(g, &p))
				c->shard++;
			else
				c->used++;
			if (r->nm)	/* every shard's packets: DNS answers name them all */
				names_packet(r->nm, &p, p.l4, p.payload);
		}
		if (!(c->read & 15)) {
			/* progress_update draws at most every 1024 calls and 0.25 s */
			if (pg.enabled)
				progress_update(&pg, fm_reader_bytes(rd));
			if (interrupted) {
				ret = 1;
				break;
			}
		}
	}
	if (rc < 0)
		ret = -1;
	if (interrupted)
		ret = 1;
	progress_end(&pg);
	fm_reader_close(rd);
	return ret;
}

/* OUT.csv -> OUT.partial.csv, other names get ".partial" appended */
static char *partial_name(const char *path)
{
	size_t n = strlen(path);
	char *s = xmalloc(n + 16);

	if (n > 4 && !strcmp(path + n - 4, ".csv"))
		snprintf(s, n + 16, "%.*s.partial.csv", (int)(n - 4), path);
	else
		snprintf(s, n + 16, "%s.partial", path);
	return s;
}

/*
 * Reading was interrupted (SIGINT, SIGTERM, SIGHUP). Nothing read: no file
 * written. Else the flows finished so far are committed under
 * OUT.partial.csv, never under OUT (standard output and devices, written in
 * place, already have them). Returns 130.
 */
static int interrupted_output(struct run *r, const char *out_path, const struct counts *c,
			      uint64_t open)
{
	char *partial;

	if (!c->read && r->out.tmp) {
		out_abort(&r->out);
		fprintf(stderr, "%s: interrupted before any packet was read: nothing written\n",
			util_progname());
		return 130;
	}
	if (!r->out.tmp) {	/* standard output, or a device or FIFO written in place */
		if (out_commit(&r->out) < 0)
			return 130;
		fprintf(stderr,
			"%s: interrupted: %" PRIu64 " flows finished so far written to '%s', %" PRIu64
			" open flows not written (the output is incomplete)\n",
			util_progname(), r->flows, strcmp(out_path, "-") ? out_path :
			"standard output", open);
		return 130;
	}
	partial = partial_name(out_path);
	if (is_capture(partial) || out_check(partial) < 0) {
		out_abort(&r->out);
		fprintf(stderr, "%s: interrupted: nothing written ('%s' is not ours to replace)\n",
			util_progname(), partial);
		free(partial);
		return 130;
	}
	if (out_commit_as(&r->out, partial) < 0) {	/* not over a link's target */
		free(partial);
		return 130;
	}
	fprintf(stderr,
		"%s: interrupted: %" PRIu64 " flows finished so far written to '%s' (not '%s': %"
		PRIu64 " open flows are missing)\n",
		util_progname(), r->flows, partial, out_path, open);
	free(partial);
	return 130;
}

/* --names: how the written flows got their names, and the tables' drops */
static void names_summary(const struct run *r)
{
	struct names_stats st;

	names_get_stats(r->nm, &st);
	fprintf(stderr,
		"%s: names: %" PRIu64 " of %" PRIu64 " flows named (%" PRIu64 " sni, %" PRIu64
		" quic, %" PRIu64 " http, %" PRIu64 " dns); %" PRIu64 " DNS answers",
		util_progname(), r->flows - r->named[NAMES_NONE], r->flows, r->named[NAMES_SNI],
		r->named[NAMES_QUIC], r->named[NAMES_HTTP], r->named[NAMES_DNS], st.dns_answers);
	if (st.dns_dropped || st.conn_dropped)
		fprintf(stderr, ", %" PRIu64 " answers and %" PRIu64
			" named connections dropped (--names-max %zu)", st.dns_dropped,
			st.conn_dropped, r->names_max);
	if (st.pending_dropped)
		fprintf(stderr, ", %" PRIu64 " handshakes not read (more than %d at once)",
			st.pending_dropped, NAMES_MAX_PENDING);
	if (st.quic_undecryptable)
		fprintf(stderr, ", %" PRIu64 " QUIC Initials did not decrypt", st.quic_undecryptable);
	if (st.cname_loops)
		fprintf(stderr, ", %" PRIu64 " CNAME loops", st.cname_loops);
	fputc('\n', stderr);
}

static int process_capture(struct run *r, char **ins, size_t n, const char *out_path);

/* Process the captures ins[0..n) as one capture into out_path. Returns 0,
 * 1 on error, 130 when interrupted (the finished flows are written). */
static int process(struct run *r, char **ins, size_t n, const char *out_path)
{
	int rc = process_capture(r, ins, n, out_path);

	names_free(r->nm);
	r->nm = NULL;
	return rc;
}

static int process_capture(struct run *r, char **ins, size_t n, const char *out_path)
{
	struct counts c;
	fm_gen *g;
	size_t hlen;
	const char *hdr;
	int status = 0, rc = 0;
	static char obuf[1 << 20];

	memset(&c, 0, sizeof(c));
	if (out_open(&r->out, out_path) < 0)
		return 1;
	if (r->out.fp != stdout)
		setvbuf(r->out.fp, obuf, _IOFBF, sizeof(obuf));
	r->flows = 0;
	fm_csv_init(&r->csv, r->prof, r->end_reason);
	hdr = fm_csv_header(&r->csv, &hlen);
	if (r->names) {
		fwrite(hdr, 1, hlen - 1, r->out.fp);
		fputs(",Server Name,Name Source\n", r->out.fp);
		r->nm = names_new(r->names_max);
		memset(r->named, 0, sizeof(r->named));
	} else {
		fwrite(hdr, 1, hlen, r->out.fp);
	}
	g = fm_gen_new(&r->go, emit_row, r);
	for (size_t i = 0; i < n && rc != 1; i++) {
		rc = read_capture(r, g, ins[i], &c);
		if (interrupted)
			rc = 1;
		else if (rc == -2 && n == 1) {
			/* not a capture at all: no output, as CICFlowMeter */
			fm_gen_free(g);
			out_abort(&r->out);
			return 1;
		}
		if (rc < 0)
			status = 1;
	}
	if (rc == 1) {
		uint64_t open = fm_gen_open_flows(g);
		fm_gen_free(g);
		return interrupted_output(r, out_path, &c, open);
	}
	fm_gen_finish(g);
	if (out_commit(&r->out) < 0) {
		fm_gen_free(g);
		return 1;
	}
	if (n > 1) {
		char name[4096];
		snprintf(name, sizeof(name), "%s (+%zu more)", ins[0], n - 1);
		summary(name, &c, r->flows, fm_gen_dropped_single(g), fm_gen_evicted(g),
			r->mode);
	} else {
		summary(ins[0], &c, r->flows, fm_gen_dropped_single(g), fm_gen_evicted(g),
			r->mode);
	}
	if (r->nm)
		names_summary(r);
	fm_gen_free(g);
	return status;
}

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* append the captures of directory d (regular files, not hidden, sorted) */
static int list_dir(const char *d, char ***v, size_t *n, size_t *cap)
{
	DIR *dir = opendir(d);
	struct dirent *e;
	size_t first = *n;

	if (!dir)
		return error("cannot open directory '%s': %s", d, strerror(errno));
	while ((e = readdir(dir))) {
		size_t len;
		char *path;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		len = strlen(d) + strlen(e->d_name) + 2;
		path = xmalloc(len);
		snprintf(path, len, "%s/%s", d, e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		ALLOC_GROW(*v, *n + 1, *cap);
		(*v)[(*n)++] = path;
	}
	closedir(dir);
	if (*n == first)
		return error("'%s': no capture in this folder (it has no regular, non-hidden file)",
			     d);
	qsort(*v + first, *n - first, sizeof(**v), cmp_str);
	return 0;
}

static char *out_name(const char *outdir, const char *in)
{
	const char *base = strrchr(in, '/');
	size_t len;
	char *s;

	base = base ? base + 1 : in;
	len = strlen(outdir) + strlen(base) + 16;
	s = xmalloc(len);
	snprintf(s, len, "%s/%s_Flow.csv", outdir, base);
	return s;
}

struct named {
	const char *out;
	size_t in;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->out, y->out);
	return c ? c : (x->in > y->in) - (x->in < y->in);
}

/* Several INs of a folder run that would write the same OUT/<name>_Flow.csv
 * (d1/x.pcap d2/x.pcap): refused up front, naming both. */
static void check_names_apart(char **ins, char **outs, size_t n)
{
	struct named *v = xmalloc(n * sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		v[i].out = outs[i];
		v[i].in = i;
	}
	qsort(v, n, sizeof(*v), cmp_named);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i - 1].out, v[i].out)) {
			error("'%s' and '%s' would both be written to '%s' (run them separately, "
			      "into different OUT folders)", ins[v[i - 1].in], ins[v[i].in], v[i].out);
			exit(2);
		}
	free(v);
}

static int64_t parse_seconds(const char *opt, const char *s, int allow_zero)
{
	double v;

	if (parse_double(s, 0, &v) < 0 || v < 0 || (!allow_zero && v == 0) || v > 9e12)
		cli_bad_value(opt, s, allow_zero ? "a number of seconds >= 0" : "a number of seconds > 0");
	return (int64_t)llround(v * 1e6);
}

/* --shard K/N: two strict decimal numbers, 1 <= K <= N <= 1000000 */
static void parse_shard(const char *arg, uint32_t *k0, uint32_t *n)
{
	const char *slash = strchr(arg, '/');
	char kbuf[32];
	int k, nn;

	if (!slash || (size_t)(slash - arg) >= sizeof(kbuf))
		goto bad;
	memcpy(kbuf, arg, (size_t)(slash - arg));
	kbuf[slash - arg] = 0;
	if (parse_int(kbuf, 1, 1000000, &k) < 0 || parse_int(slash + 1, 1, 1000000, &nn) < 0 ||
	    k > nn)
		goto bad;
	*k0 = (uint32_t)k - 1;
	*n = (uint32_t)nn;
	return;
bad:
	cli_bad_value("--shard", arg, "K/N with 1 <= K <= N <= 1000000");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "profile", required_argument, NULL, 'p' },
		{ "decode", required_argument, NULL, 'd' },
		{ "flow-timeout", required_argument, NULL, OPT_FLOW_TIMEOUT },
		{ "activity-timeout", required_argument, NULL, OPT_ACT_TIMEOUT },
		{ "idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT },
		{ "end-reason", no_argument, NULL, OPT_END_REASON },
		{ "concat", no_argument, NULL, OPT_CONCAT },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
		{ "names", no_argument, NULL, OPT_NAMES },
		{ "names-max", required_argument, NULL, OPT_NAMES_MAX },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct run r;
	int c, longindex, concat = 0, status = 0, dirmode, names_max_set = 0;
	char **ins = NULL, **outs, *out = NULL;
	int first_in, last_in;	/* argv[first_in..last_in) are the INs */
	size_t nin = 0, capin = 0, nout;

	util_set_progname("flowmeter");
	r.prof = FM_PROFILE_CIC;
	r.mode = FM_DECODE_CIC;
	r.go.flow_timeout = 120000000;
	r.go.activity_timeout = 5000000;
	r.names_max = NAMES_MAX_DEFAULT;
	opterr = 0;
	while ((longindex = -1, c = getopt_long(argc, argv, "+:o:p:d:hV", opts, &longindex)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			out_by_option = 1;
			break;
		case 'p':
			if (!strcmp(optarg, "cic"))
				r.prof = FM_PROFILE_CIC;
			else if (!strcmp(optarg, "fixed"))
				r.prof = FM_PROFILE_FIXED;
			else
				cli_bad_value(longindex >= 0 ? "--profile" : "-p", optarg, "cic or fixed");
			break;
		case 'd':
			if (!strcmp(optarg, "cic"))
				r.mode = FM_DECODE_CIC;
			else if (!strcmp(optarg, "full"))
				r.mode = FM_DECODE_FULL;
			else
				cli_bad_value(longindex >= 0 ? "--decode" : "-d", optarg, "cic or full");
			break;
		case OPT_FLOW_TIMEOUT:
			r.go.flow_timeout = parse_seconds("--flow-timeout", optarg, 0);
			break;
		case OPT_ACT_TIMEOUT:
			r.go.activity_timeout = parse_seconds("--activity-timeout", optarg, 0);
			break;
		case OPT_IDLE_TIMEOUT:
			r.go.idle_timeout = parse_seconds("--idle-timeout", optarg, 0);
			break;
		case OPT_END_REASON:
			r.end_reason = 1;
			break;
		case OPT_CONCAT:
			concat = 1;
			break;
		case OPT_SHARD:
			parse_shard(optarg, &r.go.shard_k, &r.go.shard_n);
			break;
		case OPT_MAX_FLOWS:
			if (parse_uint64(optarg, &r.go.max_flows) < 0 || r.go.max_flows < 1 ||
			    r.go.max_flows > 1000000000)
				cli_bad_value("--max-flows", optarg, "an integer from 1 to 1000000000");
			break;
		case OPT_NAMES:
			r.names = 1;
			break;
		case OPT_NAMES_MAX: {
			uint64_t v;
			if (parse_uint64(optarg, &v) < 0 || v < 1 || v > 1000000000)
				cli_bad_value("--names-max", optarg, "an integer from 1 to 1000000000");
			r.names_max = (size_t)v;
			names_max_set = 1;
			break;
		}
		case 'h':
			fputs(usage_text, stdout);
			return close_stdout() ? 1 : 0;
		case 'V':
			printf("flowmeter %s\n", TOOLKIT_VERSION);
			return close_stdout() ? 1 : 0;
		default:
			cli_getopt_error(c, argv, opts);
		}
	}
	r.go.prof = r.prof;
	if (names_max_set && !r.names)
		die_usage("--names-max needs --names");
	first_in = optind;
	if (out) {
		if (argc - optind < 1)
			die_usage("expected IN... after -o OUT");
		last_in = argc;
	} else {
		if (argc - optind < 2)
			die_usage("expected IN... OUT (or -o OUT IN...)");
		out = argv[argc - 1];
		last_in = argc - 1;
	}
	dirmode = is_dir(out) || (!concat && last_in - first_in > 1);
	for (int i = first_in; i < last_in; i++) {
		/* options stop at the first IN: "IN -o OUT" would read a capture named -o */
		if (argv[i][0] == '-' && argv[i][1] && access(argv[i], F_OK) != 0)
			die_usage("'%s' after the captures: options come before IN... (a capture of "
				  "that name would be ./%s)", argv[i], argv[i]);
		if (is_dir(argv[i])) {
			if (!concat)
				dirmode = 1;
			if (list_dir(argv[i], &ins, &nin, &capin) < 0)
				status = 1;
		} else {
			if (!strcmp(argv[i], "-") && isatty(0))
				die_usage("standard input is a terminal, not a capture (redirect a "
					  "capture to it, or name the file)");
			ALLOC_GROW(ins, nin + 1, capin);
			ins[nin++] = xstrdup(argv[i]);
		}
	}
	if (nin == 0)
		return 1;	/* only empty or unreadable folders: said so */
	for (size_t i = 0; i < nin; i++)
		out_note_input(strcmp(ins[i], "-") ? ins[i] : "/dev/stdin");
	if (dirmode && !is_dir(out)) {
		if (!strcmp(out, "-"))
			die_usage("several outputs cannot go to standard output (use --concat)");
		if (is_capture(out))
			refuse_capture(out);
		if (last_in - first_in > 1)
			die_usage("'%s' is not a folder (needed for several captures)", out);
		if (mkdir(out, 0777) != 0)
			die("cannot create directory '%s': %s", out, strerror(errno));
	}
	nout = dirmode && !concat ? nin : 1;
	outs = xcalloc(nout, sizeof(*outs));
	for (size_t i = 0; i < nout; i++)
		outs[i] = dirmode ? out_name(out, ins[i]) : xstrdup(out);
	if (dirmode && !concat)
		check_names_apart(ins, outs, nin);
	for (size_t i = 0; i < nout; i++) {
		if (out_check(outs[i]) < 0)
			exit(2);
		if (is_capture(outs[i]))
			refuse_capture(outs[i]);
	}

	install_signals();
	if (nout == 1) {
		status |= process(&r, ins, nin, outs[0]);
	} else {
		size_t i;
		for (i = 0; i < nin; i++) {
			int rc = process(&r, &ins[i], 1, outs[i]);
			if (rc != 130)
				status |= rc;
			if (interrupted) {
				i++;	/* the capture under way is done with */
				break;
			}
		}
		if (i < nin)
			fprintf(stderr, "%s: interrupted: %zu capture%s not read\n", util_progname(),
				nin - i, nin - i == 1 ? "" : "s");
	}
	if (interrupted)
		status = 130;
	for (size_t i = 0; i < nin; i++)
		free(ins[i]);
	for (size_t i = 0; i < nout; i++)
		free(outs[i]);
	free(ins);
	free(outs);
	if (status == 130)
		return 1;	/* interrupted: a runtime failure, house exit codes */
	if (close_stdout())
		return 1;
	return status ? 1 : 0;
}
