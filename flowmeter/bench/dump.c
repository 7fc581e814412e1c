/*
 * flowmeter-dump: print what the reader and decoder extract from each
 * packet, in the format of `cfm_model.py --dump` (tools/DumpPackets.java),
 * so the decoder can be compared with the model and the real tool.
 *
 *   flowmeter-dump [--profile cic|fixed] [--decode cic|full] [-x] [-r] FILE
 *   -x  also print ICMP type/code and TCP seq/ack (fixed profile fields)
 *   -r  print the skip reason after "null", and a summary on stderr
 *   -c  print nothing per packet, only the summary (reader+decoder speed)
 */
#include "../decode.h"
#include "../reader.h"
#include "util.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void addr(char *buf, const struct fm_pkt *p, const uint8_t *a)
{
	inet_ntop(p->af == 6 ? AF_INET6 : AF_INET, a, buf, INET6_ADDRSTRLEN);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "decode", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum fm_profile prof = FM_PROFILE_CIC;
	enum fm_decode mode = FM_DECODE_CIC;
	uint64_t counts[FM_SKIP_NREASONS] = { 0 };
	int c, extra = 0, reasons = 0, quiet = 0, rc;
	uint64_t sum = 0;
	fm_reader *r;
	struct fm_rec rec;
	struct fm_pkt p;
	uint64_t i = 0;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	util_set_progname("flowmeter-dump");
	while ((c = getopt_long(argc, argv, "p:d:xrch", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!strcmp(optarg, "cic") || !strcmp(optarg, "upstream"))
				prof = FM_PROFILE_CIC;
			else if (!strcmp(optarg, "fixed"))
				prof = FM_PROFILE_FIXED;
			else
				die_usage("unknown profile '%s'", optarg);
			break;
		case 'd':
			if (!strcmp(optarg, "cic"))
				mode = FM_DECODE_CIC;
			else if (!strcmp(optarg, "full"))
				mode = FM_DECODE_FULL;
			else
				die_usage("unknown decode mode '%s'", optarg);
			break;
		case 'x': extra = 1; break;
		case 'r': reasons = 1; break;
		case 'c': quiet = reasons = 1; break;
		case 'h':
			printf("Usage: flowmeter-dump [--profile cic|fixed] [--decode cic|full] [-x] [-r] [-c] FILE\n");
			return 0;
		default:
			die_usage("unknown option");
		}
	}
	if (optind + 1 != argc)
		die_usage("expected one capture file");
	r = fm_reader_open(argv[optind], prof);
	if (!r)
		return 1;
	while ((rc = fm_reader_next(r, &rec)) == 1) {
		enum fm_skip why = fm_decode(prof, mode, &rec, &p);
		i++;
		counts[why]++;
		if (quiet) {
			sum += p.payload + p.sport;
			continue;
		}
		if (why != FM_OK) {
			if (reasons)
				printf("%" PRIu64 " null (%s)\n", i, fm_skip_names[why]);
			else
				printf("%" PRIu64 " null\n", i);
			continue;
		}
		addr(s, &p, p.src);
		addr(d, &p, p.dst);
		printf("%" PRIu64 " %s %s %u %u %u ts=%" PRId64 " pay=%u hdr=%u win=%u "
		       "F%dS%dR%dP%dA%dU%dE%dC%d", i, s, d, p.sport, p.dport, p.proto,
		       p.ts, p.payload, p.hdr, p.window,
		       !!(p.flags & FM_FIN), !!(p.flags & FM_SYN), !!(p.flags & FM_RST),
		       !!(p.flags & FM_PSH), !!(p.flags & FM_ACK), !!(p.flags & FM_URG),
		       !!(p.flags & FM_ECE), !!(p.flags & FM_CWR));
		if (extra)
			printf(" icmp=%d/%d seq=%" PRIu32 " ack=%" PRIu32,
			       p.icmp_type, p.icmp_code, p.seq, p.ack);
		putchar('\n');
	}
	if (reasons) {
		fprintf(stderr, "packets=%" PRIu64, i);
		if (quiet)
			fprintf(stderr, " sum=%" PRIu64, sum);
		for (int k = 0; k < FM_SKIP_NREASONS; k++)
			if (counts[k])
				fprintf(stderr, " %s=%" PRIu64, fm_skip_names[k], counts[k]);
		fprintf(stderr, "%s\n", fm_reader_truncated(r) ? " (truncated)" : "");
	}
	fm_reader_close(r);
	if (close_stdout())
		return 1;
	return rc < 0 ? 1 : 0;
}
