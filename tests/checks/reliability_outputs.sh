#!/usr/bin/env bash
# Outputs are atomic and write errors are reported, for every implemented tool:
# a full disk (/dev/full) or a closed stdout exits non-zero with a message; a
# failed run leaves an existing output untouched and no temporary file behind;
# flowmeter interrupted by SIGINT writes the flows finished so far, says so,
# exits non-zero, and leaves a complete CSV (never a half-written one).
set -u
status=0
fail() { echo "FAIL: $*"; status=1; }
implemented() { ! "$1" --help | grep -q 'NOT IMPLEMENTED'; }
no_temp_left() {
	if ls -a "$1" | grep -q '\.tmp'; then fail "temporary file left in $1: $(ls -a "$1" | grep '\.tmp')"; fi
}

python3 "$SHARED/tools/mkpcap.py" --packets 3000 --flows 50 --seed 3 -o cap.pcap 2>/dev/null ||
	{ echo "cannot run mkpcap.py"; exit 77; }

# --- flowmeter
if implemented flowmeter; then
	flowmeter cap.pcap /dev/full 2>err; code=$?
	[ $code = 1 ] || fail "flowmeter to /dev/full: exit $code"
	grep -q '/dev/full' err || fail "flowmeter to /dev/full: no message naming it: $(cat err)"
	flowmeter cap.pcap - 2>err >&-; code=$?
	[ $code = 1 ] || fail "flowmeter to closed stdout: exit $code"
	[ -s err ] || fail "flowmeter to closed stdout: no message"
	mkdir -p keep && echo OLD >keep/out.csv
	head -c 100 /dev/urandom >garbage.pcap
	flowmeter garbage.pcap keep/out.csv 2>err; code=$?
	[ $code = 1 ] || fail "flowmeter on garbage: exit $code"
	[ "$(cat keep/out.csv)" = OLD ] || fail "flowmeter replaced an existing output on failure"
	no_temp_left keep
	# SIGINT while reading a pipe that stays open: deterministic interruption
	mkdir -p sig
	( cat cap.pcap; sleep 3 ) | flowmeter - sig/out.csv 2>sig/err &
	pid=$!
	sleep 1
	kill -INT $(pgrep -P $$ -x flowmeter) 2>/dev/null
	wait $pid; code=$?
	[ $code != 0 ] || fail "flowmeter interrupted: exit 0"
	grep -qi 'interrupt' sig/err || fail "flowmeter interrupted: does not say so: $(cat sig/err)"
	if [ -f sig/out.csv ]; then
		head -1 sig/out.csv | grep -q '^Flow ID,' || fail "interrupted output has no header"
		[ -z "$(tail -c 1 sig/out.csv)" ] || fail "interrupted output ends mid-line"
		echo "report: flowmeter SIGINT: $(($(wc -l <sig/out.csv) - 1)) finished flows written, exit $code"
	fi
	no_temp_left sig
fi

# --- labeler
if implemented labeler; then
	flowmeter cap.pcap flows.csv 2>/dev/null
	labeler flows.csv --label x -o /dev/full 2>err; code=$?
	[ $code = 1 ] || fail "labeler to /dev/full: exit $code"
	grep -q '/dev/full' err || fail "labeler to /dev/full: no message naming it: $(cat err)"
	labeler flows.csv --label x 2>err >&-; code=$?
	[ $code = 1 ] || fail "labeler to closed stdout: exit $code"
	mkdir -p lab && echo OLD >lab/out.csv
	labeler flows.csv --label x --match 'nosuchcolumn > 1' -o lab/out.csv 2>err; code=$?
	[ $code != 0 ] || fail "labeler with unknown column: exit 0"
	[ "$(cat lab/out.csv)" = OLD ] || fail "labeler replaced an existing output on failure"
	no_temp_left lab
fi

# --- forest
if implemented forest && [ -f flows.csv ]; then
	awk -F, 'NR==1{print; next} {$NF=(NR%2?"a":"b"); print}' OFS=, flows.csv >lab.csv
	forest train lab.csv -o /dev/full --trees 3 --seed 1 --nonfinite zero >/dev/null 2>err; code=$?
	grep -q /dev/full err || fail "forest train to /dev/full: no message naming it: $(cat err)"
	[ $code = 1 ] || fail "forest train to /dev/full: exit $code"
	mkdir -p fo && echo OLD >fo/m.rf
	forest train nosuch.csv -o fo/m.rf --trees 3 2>err; code=$?
	[ $code != 0 ] || fail "forest train on a missing file: exit 0"
	[ "$(cat fo/m.rf)" = OLD ] || fail "forest replaced an existing model on failure"
	no_temp_left fo
fi
exit $status
