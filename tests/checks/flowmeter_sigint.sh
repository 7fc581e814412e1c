#!/usr/bin/env bash
# SIGINT during a long run: reading stops, the flows finished so far are
# written (atomically, under the final name), the message says so, exit 1.
set -u
f="$CORPUS/pcaps/general/pcpp__tls2.pcap"
[ -f "$f" ] || { echo "no corpus at $CORPUS"; exit 77; }
args=()
for i in $(seq 3000); do args+=("$f"); done
flowmeter --concat "${args[@]}" "$T/out.csv" 2>"$T/err" &
pid=$!
sleep 1
kill -INT $pid 2>/dev/null
wait $pid
code=$?
if ! grep -q 'interrupted' "$T/err"; then
	grep -q 'flows written' "$T/err" && { echo "the run ended before SIGINT arrived"; exit 77; }
	echo "FAIL: no 'interrupted' message (exit $code):"; cat "$T/err"; exit 1
fi
status=0
[ "$code" = 1 ] || { echo "FAIL: exit $code, want 1"; status=1; }
[ -f "$T/out.csv" ] || { echo "FAIL: no output file"; exit 1; }
ls "$T" | grep -q 'tmp' && { echo "FAIL: temporary file left behind"; status=1; }
n=$(($(wc -l < "$T/out.csv") - 1))
want=$(sed -n 's/.*interrupted: \([0-9]*\) flows finished so far.*/\1/p' "$T/err")
[ "$n" = "$want" ] || { echo "FAIL: $n rows, message says $want"; status=1; }
head -1 "$T/out.csv" | grep -q '^Flow ID,' || { echo "FAIL: no header"; status=1; }
echo "report: SIGINT after 1 s: $n finished flows written, exit $code"
exit $status
