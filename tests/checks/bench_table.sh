#!/usr/bin/env bash
# scripts/bench.sh gathers the table: lines of its scripts into one aligned
# table, names a script that fails or prints no table: line and then exits 1,
# and exits 0 when every script printed its rows (fake scripts in BENCH_DIR).
set -u
B=$ROOT/scripts/bench.sh
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p ok bad
cat >ok/a.sh <<'SH'
echo "detail line"
echo "table: task one (vs ref) | 1000 | 1.00 s | 12.50 s | 12.5x | 40"
echo "table: second | 20 pkts | 0.250 s | 0.500 s | 2.00x | 7"
SH
cat >ok/b_skip.sh <<'SH'
echo "skip: python3 with numpy is needed"
SH
BENCH_DIR=$PWD/ok "$B" >out 2>err || fail "all good: exit status $?: $(cat out err)"
grep -qx 'task              |    rows |    ours | reference | ratio | peak MB' out || fail "header: $(cat out)"
grep -qx 'task one (vs ref) |    1000 |  1.00 s |   12.50 s | 12.5x |      40' out || fail "row 1: $(cat out)"
grep -qx 'second            | 20 pkts | 0.250 s |   0.500 s | 2.00x |       7' out || fail "row 2: $(cat out)"
grep -q '^== a: [0-9]* s wall$' out || fail "no wall time of a: $(cat out)"
grep -q '^failed:' out && fail "all good but: $(grep '^failed:' out)"
cp ok/a.sh bad/a.sh
printf 'echo "table: half | 1 | 1 s | 2 s | 2x | 1"\nexit 3\n' >bad/c_fails.sh
printf 'echo "no rows here"\n' >bad/d_silent.sh
BENCH_DIR=$PWD/bad "$B" >out 2>err; [ $? = 1 ] || fail "failing scripts: exit status not 1"
grep -qx 'bench c_fails failed (exit 3)' out || fail "c_fails not named: $(cat out)"
grep -qx 'bench d_silent printed no table: line' out || fail "d_silent not named: $(cat out)"
grep -qx 'failed: c_fails d_silent(no-table)' out || fail "failed line: $(grep failed: out)"
grep -q '^task one (vs ref) ' out || fail "rows of the good script lost: $(cat out)"
BENCH='^a$' BENCH_DIR=$PWD/bad "$B" >out 2>err || fail "BENCH=^a$: exit status $?"
grep -q '== c_fails' out && fail "BENCH did not select"
echo "report: table aligned from 2 scripts, failing and silent scripts named with exit 1, BENCH selects"
