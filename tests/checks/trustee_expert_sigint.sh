#!/usr/bin/env bash
# A hanging --expert-cmd is interrupted with the run: SIGINT (and SIGTERM)
# sent to trustee reach the command, trustee ends by the signal, the command
# is gone and no output file is left behind. Job control (set -m) starts
# trustee in its own process group with SIGINT not ignored, as from a
# terminal; the signal goes to trustee alone (it passes it on), then, for
# SIGINT, to the whole group as Ctrl-C does.
set -u
set -m
T=$(mktemp -d "${TMPDIR:-/tmp}/trustee-sigint.XXXXXX")
cleanup() { [ -s "$T/pid" ] && kill -9 "$(cat "$T/pid")" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, i, i % 2 ? "youtube" : "vimeo" }' >"$T/flows.csv"
for how in INT TERM group-INT; do
	sig=${how#group-}
	rm -f "$T/pid" "$T/out.json"
	trustee explain "$T/flows.csv" --expert-cmd "echo \$\$ > '$T/pid'; exec sleep 1000" \
		--json "$T/out.json" >/dev/null 2>&1 &
	tp=$!
	for _ in $(seq 100); do [ -s "$T/pid" ] && break; sleep 0.1; done
	[ -s "$T/pid" ] || fail "the command did not start"
	cp=$(cat "$T/pid")
	if [ "$how" = "group-$sig" ]; then kill -$sig -- -$tp; else kill -$sig $tp; fi
	for _ in $(seq 100); do kill -0 $tp 2>/dev/null || break; sleep 0.1; done
	kill -0 $tp 2>/dev/null && { kill -9 $tp; fail "$how: trustee still runs"; }
	wait $tp
	rc=$?
	[ $rc -gt 128 ] || fail "$how: trustee exit status $rc (expected death by the signal)"
	for _ in $(seq 50); do kill -0 "$cp" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$cp" 2>/dev/null && fail "$how: the expert command still runs"
	[ -e "$T/out.json" ] && fail "$how: output file left behind"
	ls "$T" | grep -q tmp && fail "$how: temporary file left behind"
	echo "report: $how: trustee ended with status $rc, the command with it"
done
exit 0
