/*
 * synth: write a synthetic capture of video services and background traffic
 * (classic pcap, Ethernet/IPv4), deterministic for a seed. Used by the demo.
 */
#include "cli.h"
#include "synth.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"Usage: synth --service LIST [OPTIONS] -o OUT.pcap\n"
	"synthesize a packet capture of video streaming and background traffic.\n"
	"\n"
	"  -s, --service LIST   services to include, comma-separated or repeated:\n"
	"                       youtube  QUIC (UDP/443) video and audio, some TLS/TCP fallback\n"
	"                       vimeo    TLS/TCP, HTTP range requests for 4-8 s segments\n"
	"                       twitch   live HLS over TLS: a 2 s segment every 2 s, chat\n"
	"                       noise    DNS, NTP, short HTTPS, idle keep-alive connections\n"
	"  -S, --seed N         random seed (default 1); same options, same bytes\n"
	"  -d, --duration SECS  length of the capture (default 60, at most 3600)\n"
	"  -n, --sessions N     viewing sessions per video service (default 8, 1 to 1000)\n"
	"      --no-quic        no QUIC anywhere: YouTube falls back to TLS over TCP\n"
	"      --max-bytes SIZE refuse a capture larger than SIZE bytes (suffixes k, M, G, T:\n"
	"                       powers of 1000; default 2G), before writing anything\n"
	"      --force          no size limit (memory: about 5% of the capture's size)\n"
	"  -o, --output FILE    output capture ('-' = standard output)\n"
	"  -v, --verbose        print what was written on standard error\n"
	"  -h, --help           show this help and exit\n"
	"  -V, --version        show the version and exit\n";

/* SIZE: a whole number of bytes > 0, with an optional k, M, G or T (powers of 1000). */
static int parse_size(const char *s, uint64_t *out)
{
	static const char suffix[] = "kMGT";
	size_t n = strlen(s);
	uint64_t v, mult = 1;
	const char *p;
	char buf[32];

	if (n && (p = strchr(suffix, s[n - 1])) && *p) {
		for (const char *q = suffix; q <= p; q++)
			mult *= 1000;
		n--;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (parse_uint64(buf, &v) < 0 || v == 0 || v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

/* "3.5 GB", "120 MB", "900 kB", "512 bytes" into buf (32 bytes). */
static const char *human_size(uint64_t b, char *buf)
{
	if (b >= 1000000000ULL)
		snprintf(buf, 32, "%.1f GB", (double)b / 1e9);
	else if (b >= 1000000)
		snprintf(buf, 32, "%.1f MB", (double)b / 1e6);
	else if (b >= 1000)
		snprintf(buf, 32, "%.1f kB", (double)b / 1e3);
	else
		snprintf(buf, 32, "%llu bytes", (unsigned long long)b);
	return buf;
}

int main(int argc, char **argv)
{
	enum { OPT_NO_QUIC = 256, OPT_MAX_BYTES, OPT_FORCE };
	static const struct option opts[] = {
		{ "service", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "duration", required_argument, NULL, 'd' },
		{ "sessions", required_argument, NULL, 'n' },
		{ "no-quic", no_argument, NULL, OPT_NO_QUIC },
		{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct synth_opts o = { 1, 60.0, 8, 0, 0, SYNTH_MAX_BYTES_DEFAULT };
	struct synth_stats st;
	const char *out = NULL, *bad;
	size_t badlen;
	int c, longindex, bits, verbose = 0, rc, force = 0;
	outfile of;

	util_set_progname("synth");
	opterr = 0;
	while ((longindex = -1, c = getopt_long(argc, argv, ":s:S:d:n:o:vhV", opts, &longindex)) != -1) {
		/* the spelling shown in messages */
		const char *name = longindex >= 0 ? cli_option_name(c, opts) : NULL;
		char shortname[3] = { '-', (char)c, '\0' };

		if (!name)
			name = shortname;
		switch (c) {
		case 's':
			bits = synth_parse_services(optarg, &bad, &badlen);
			if (bits < 0)
				die_usage("invalid value '%.*s' for %s (youtube, vimeo, twitch or noise)",
					  (int)badlen, bad, name);
			o.services |= bits;
			break;
		case 'S':
			o.seed = cli_uint64(name, optarg);
			break;
		case 'd':
			o.duration = cli_double(name, optarg, 0, 1, 3600,
						"a number of seconds > 0 and <= 3600");
			break;
		case 'n':
			o.sessions = cli_int(name, optarg, 1, 1000);
			break;
		case OPT_MAX_BYTES:
			if (parse_size(optarg, &o.max_bytes) < 0)
				cli_bad_value("--max-bytes", optarg, "a number of bytes > 0, suffixes k, M, G, T");
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_NO_QUIC:
			o.no_quic = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return close_stdout() ? 1 : 0;
		case 'V':
			printf("synth %s\n", TOOLKIT_VERSION);
			return close_stdout() ? 1 : 0;
		default:
			cli_getopt_error(c, argv, opts);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (!o.services)
		die_usage("no service given (--service youtube,vimeo,twitch,noise)");
	if (!out)
		die_usage("no output file given (-o OUT.pcap, '-' for standard output)");
	if (force)
		o.max_bytes = 0;

	out_install_signals();
	if (out_open(&of, out))
		return 1;
	errno = 0;
	rc = synth_write(&o, of.fp, &st);
	if (rc == SYNTH_TOO_BIG) {
		char want[32], lim[32];

		out_abort(&of);
		die_usage("the capture would take about %s (%llu bytes), above the limit of %s "
			  "(%llu bytes): fewer --sessions, a shorter --duration, --max-bytes SIZE or "
			  "--force", human_size(st.file_bytes, want), (unsigned long long)st.file_bytes,
			  human_size(o.max_bytes, lim), (unsigned long long)o.max_bytes);
	}
	if (rc == SYNTH_EMPTY) {
		out_abort(&of);
		die("no packet falls within the first %g s: nothing written (a longer --duration)",
		    o.duration);
	}
	if (rc) {
		error("cannot write '%s': %s", out, strerror(errno ? errno : EIO));
		out_abort(&of);
		return 1;
	}
	if (out_commit(&of))
		return 1;
	if (verbose)
		fprintf(stderr, "synth: %s: %llu packets, %llu bytes, %llu connections\n", out,
			(unsigned long long)st.packets, (unsigned long long)st.bytes,
			(unsigned long long)st.connections);
	return close_stdout() ? 1 : 0;
}
