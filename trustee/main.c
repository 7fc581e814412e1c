/*
 * trustee: distill a trained model into a small decision tree and show its rules.
 * Placeholder CLI until the tool's own issue lands: it knows --help and
 * --version only and says so.
 */
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] =
	"Usage: trustee explain MODEL DATA.csv\n"
	"distill a trained model into a small decision tree and show its rules.\n"
	"\n"
	"NOT IMPLEMENTED YET: this build only knows --help and --version.\n"
	"\n"
	"  -h, --help     show this help and exit\n"
	"  -V, --version  show the version and exit\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	util_set_progname("trustee");
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return close_stdout() ? 1 : 0;
		case 'V':
			printf("trustee %s\n", TOOLKIT_VERSION);
			return close_stdout() ? 1 : 0;
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	die("not implemented yet");
}
