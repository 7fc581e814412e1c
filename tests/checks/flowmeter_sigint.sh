#!/usr/bin/env bash
# SIGINT, SIGTERM or SIGHUP during a long run: reading stops, the flows
# finished so far are committed under OUT.partial.csv (never under OUT: an
# existing OUT is left as it was), the message names that file and says how
# many rows it holds, exit 1, no temporary file left. A second SIGINT right
# after the first ends the run at once (the common handler of
# out_install_signals): still no temporary file and nothing under OUT.
#
# flowmeter reads the capture from a FIFO that stays open, so it is always
# still running when the signal comes (never a race with a fast machine);
# env --default-signal undoes the SIGINT that bash ignores in background
# jobs of a script.
set -u
f="$CORPUS/pcaps/general/pcpp__tls2.pcap"
[ -f "$f" ] || { echo "no corpus at $CORPUS"; exit 77; }
status=0
# start flowmeter on the FIFO, write the capture into it and keep it open
start() {
	rm -f "$T/in.fifo"
	mkfifo "$T/in.fifo"
	env --default-signal=INT,TERM,HUP flowmeter - "$T/out.csv" <"$T/in.fifo" 2>"$T/err" &
	pid=$!
	exec 3>"$T/in.fifo"
	cat "$f" >&3
	sleep 0.5
}
stop_feed() { exec 3>&-; rm -f "$T/in.fifo"; }
leftovers() { ls -a "$T" | grep -q 'tmp' && { echo "FAIL: $1: temporary file left behind"; ls -a "$T"; status=1; }; }
for sig in INT TERM HUP; do
	rm -f "$T"/out*.csv
	echo "old" >"$T/out.csv"
	start
	kill -$sig $pid
	wait $pid
	code=$?
	stop_feed
	if ! grep -q 'interrupted' "$T/err"; then
		echo "FAIL: SIG$sig: no 'interrupted' message (exit $code):"; cat "$T/err"; exit 1
	fi
	[ "$code" = 1 ] || { echo "FAIL: SIG$sig: exit $code, want 1"; status=1; }
	[ "$(cat "$T/out.csv")" = old ] || { echo "FAIL: SIG$sig: out.csv was replaced"; status=1; }
	[ -f "$T/out.partial.csv" ] || { echo "FAIL: SIG$sig: no out.partial.csv"; cat "$T/err"; exit 1; }
	grep -qF "written to '$T/out.partial.csv' (not '$T/out.csv'" "$T/err" ||
		{ echo "FAIL: SIG$sig: the message does not name the partial file:"; cat "$T/err"; status=1; }
	leftovers SIG$sig
	n=$(($(wc -l < "$T/out.partial.csv") - 1))
	want=$(sed -n 's/.*interrupted: \([0-9]*\) flows finished so far.*/\1/p' "$T/err")
	[ "$n" = "$want" ] || { echo "FAIL: SIG$sig: $n rows, message says $want"; status=1; }
	[ "$n" -gt 0 ] || { echo "FAIL: SIG$sig: no finished flow of the capture written"; status=1; }
	head -1 "$T/out.partial.csv" | grep -q '^Flow ID,' || { echo "FAIL: SIG$sig: no header"; status=1; }
	echo "report: SIG$sig while reading: $n finished flows in out.partial.csv, exit $code"
done
# two SIGINTs: the second one kills (130) or finds the partial file committed
rm -f "$T"/out*.csv
start
kill -INT $pid; sleep 0.02; kill -INT $pid 2>/dev/null
wait $pid
code=$?
stop_feed
case $code in 130|1) ;; *) echo "FAIL: two SIGINTs: exit $code"; cat "$T/err"; status=1 ;; esac
[ -e "$T/out.csv" ] && { echo "FAIL: two SIGINTs: out.csv written"; status=1; }
leftovers "two SIGINTs"
echo "report: two SIGINTs: exit $code, no temporary file, nothing under the final name"
exit $status
