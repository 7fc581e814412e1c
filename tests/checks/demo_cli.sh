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
# a capture flowmeter cannot read is skipped with a warning naming it; the rest goes on
mkdir -p two/yt two/vm
synth -s youtube -S 3 -d 20 -n 3 -o two/yt/y.pcap && synth -s vimeo -S 3 -d 20 -n 3 -o two/vm/v.pcap || fail synth
echo garbage >two/vm/junk.pcap
"$D" --real two -o o3 >out 2>err || fail "--real two: exit status $?: $(cat err)"
grep -q "^demo: warning: skipping '.*two/vm/junk.pcap': flowmeter: " err || fail "--real two: $(cat err)"
grep -q '^your captures  *other,vm,yt ' out || fail "--real two: no summary row: $(tail -3 out)"
grep -c 'path: "flows/' o3/real/recipe.yaml | grep -qx 2 || fail "--real two: recipe sources"
echo "report: help, usage errors, bad --real folders, unreadable capture skipped"
