#!/usr/bin/env bash
# trustee check --retrain-cmd keeps each step's CSVs in a temporary folder
# under $TMPDIR: a signal while the command runs (SIGINT, SIGTERM, SIGHUP)
# removes the folder and its files, trustee ends by the signal, the command
# is gone, and nothing is written; a normal run leaves no folder either. Job
# control (set -m) starts trustee with SIGINT not ignored, as from a terminal.
# (die() and out-of-memory exits: tests/unit/common_util.c, test_cleanup.)
set -u
set -m
W=$(mktemp -d "${TMPDIR:-/tmp}/check-tmpdir.XXXXXX")
cleanup() { [ -s "$W/pid" ] && kill -9 "$(cat "$W/pid")" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >"$W/train.csv"
mkdir "$W/tmp"
opts="--steps 1 --samples 40 --iter 5 --stability-iter 2 --threads 1"
# a command that answers as forest does, so the normal run completes
answer="forest train \"\$TRAIN\" -o '$W/r.rf' --trees 3 --seed 1 -q >/dev/null && forest predict '$W/r.rf' \"\$TEST\" -o -"
TMPDIR=$W/tmp trustee check "$W/train.csv" --retrain-cmd "$answer" $opts --json "$W/ok.json" >/dev/null 2>"$W/err"
rc=$?
[ $rc = 0 ] || fail "a normal --retrain-cmd run: exit $rc: $(head -c 300 "$W/err")"
[ -s "$W/ok.json" ] || fail "a normal --retrain-cmd run wrote no JSON"
[ -z "$(ls -A "$W/tmp")" ] || fail "a normal run left $(ls -A "$W/tmp")"
for sig in INT TERM HUP; do
	rm -f "$W/pid" "$W/out.json"
	TMPDIR=$W/tmp trustee check "$W/train.csv" --retrain-cmd "echo \$\$ > '$W/pid'; exec sleep 1000" \
		$opts --json "$W/out.json" >/dev/null 2>"$W/err" &
	tp=$!
	for _ in $(seq 100); do [ -s "$W/pid" ] && break; sleep 0.1; done
	if [ ! -s "$W/pid" ]; then
		fail "SIG$sig: the command did not start: $(head -c 300 "$W/err")"
		kill -9 $tp; wait $tp
		continue
	fi
	ls "$W"/tmp/trustee-check.*/train.csv >/dev/null 2>&1 || fail "SIG$sig: no step CSV while the command runs"
	cp=$(cat "$W/pid")
	kill -$sig $tp
	for _ in $(seq 100); do kill -0 $tp 2>/dev/null || break; sleep 0.1; done
	kill -0 $tp 2>/dev/null && { kill -9 $tp; fail "SIG$sig: trustee still runs"; }
	wait $tp
	rc=$?
	[ $rc = $((128 + $(kill -l $sig))) ] || fail "SIG$sig: exit $rc, want $((128 + $(kill -l $sig)))"
	for _ in $(seq 50); do kill -0 "$cp" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$cp" 2>/dev/null && { kill -9 "$cp"; fail "SIG$sig: the command still runs"; }
	[ -z "$(ls -A "$W/tmp")" ] || fail "SIG$sig: left $(cd "$W/tmp" && find . -mindepth 1 | tr '\n' ' ')"
	rm -rf "$W"/tmp/*
	[ ! -e "$W/out.json" ] || fail "SIG$sig: wrote out.json"
	echo "report: SIG$sig during --retrain-cmd: exit $rc, temporary folder removed"
done
exit $status
