#!/usr/bin/env bash
# scripts/demo.sh's own command line: help, usage errors (exit 2), bad --real folders (exit 1).
set -u
D=$ROOT/scripts/demo.sh
fail() { echo "FAIL: $*"; exit 1; }
"$D" --help >out 2>err || fail "--help exited $?"
head -1 out | grep -q '^Usage: scripts/demo.sh' || fail "--help: $(head -1 out)"
[ -s err ] && fail "--help wrote to stderr"
"$D" --bogus >out 2>err; [ $? = 2 ] || fail "unknown option: exit status not 2"
grep -qx "demo: unknown option '--bogus'" err || fail "unknown option: $(cat err)"
"$D" --seed 1x >out 2>err; [ $? = 2 ] || fail "bad seed: exit status not 2"
grep -qx "demo: invalid seed '1x'" err || fail "bad seed: $(cat err)"
"$D" -o >out 2>err; [ $? = 1 ] || fail "-o without argument: exit status not 1"
grep -q "needs an argument" err || fail "-o without argument: $(cat err)"
"$D" --real nowhere -o o1 >out 2>err; [ $? = 1 ] || fail "--real nowhere: exit status not 1"
grep -qx "demo: cannot open 'nowhere': not a directory" err || fail "--real nowhere: $(cat err)"
mkdir -p one/a && : >one/a/x.txt
"$D" --real one -o o2 >out 2>err; [ $? = 1 ] || fail "--real with no captures: exit status not 1"
grep -q "needs at least two class folders" err || fail "--real with no captures: $(cat err)"
echo "report: help, usage errors and bad --real folders"
