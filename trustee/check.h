/*
 * check.h: `trustee check`: settle "shortcut or real signal?" by retraining.
 * Explain the model, then, step by step, remove the feature the explanation
 * uses most (or the ones --remove names), retrain the model with the options
 * and seed stored in it (forest/forest.h) or with --retrain-cmd, explain the
 * new model and measure accuracy, macro-F1 and fidelity on the same test
 * rows. Prints a verdict table and one plain line per removed feature; see
 * docs/trustee.md ("check") for the thresholds behind the wording.
 */
#ifndef CHECK_H
#define CHECK_H

#include <getopt.h>

/*
 * The whole subcommand: argv is trustee's whole command line, its first
 * argument that is no option "check" (options may come before it). Returns
 * the exit status (0 ok, 1 runtime error); usage errors exit 2 from inside
 * (die_usage).
 */
int check_main(int argc, char **argv);

/* The options of check, for trustee/main.c's scope check. */
extern const struct option check_long_options[];

/*
 * What a feature is, by its name (trustee/hints' classification):
 * "identifier" (flow ids, addresses, ports, timestamps), "artefact"
 * (protocol numbers, TTL-like constants) or "behaviour" (everything else).
 */
const char *check_kind(const char *name);

#endif
