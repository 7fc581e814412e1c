#!/bin/bash
# Benchmark: what --names costs (issue 17: at most +15 % of flowmeter's CPU
# time on the benchmark capture, i.e. ratio >= 0.87). flowmeter with and
# without --names, alternating, NAMES_REPS runs each (default 10), CPU time
# (user+sys) as the mean of the runs (/usr/bin/time counts in 0.01 s, so one
# run of a 0.2 s command is too coarse), on:
#  - the capture of scripts/bench/flowmeter.sh (1M-packet mkpcap.py capture,
#    cached under build/bench/): no handshakes, so this is the per-packet
#    screening every packet pays;
#  - a synth capture (YouTube over QUIC, Vimeo and Twitch over TLS, DNS and
#    background noise; cached under build/bench/): a named flow in every
#    two, the TLS ClientHellos, QUIC Initials (decrypted) and DNS answers;
#  - the corpus's browsing capture pcpp__example.pcap (TLS, HTTP, DNS: a
#    handshake every ~35 packets; too small to time, instructions only).
# With valgrind installed, callgrind instruction counts (reproducible, user
# space only) of both runs on the synth capture and pcpp__example.pcap; set
# CALLGRIND=0 to skip them. The CSV without --names must be the --names CSV
# minus its two last columns, or the script exits 1.
set -e
. "$(dirname "$0")/flowmeter-capture.bash"
SYN=$DIR/synth-names.pcap
REPS=${NAMES_REPS:-10}
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
[ -x "$BIN/synth" ] || { echo "missing $BIN/synth (run make)"; exit 1; }
if [ ! -s "$SYN" ]; then
	echo "generating $SYN ..."
	"$BIN/synth" -s youtube,vimeo,twitch,noise -d 300 -n 20 -S 1 -o "$SYN.tmp"
	mv "$SYN.tmp" "$SYN"
fi

# run ARGS...: one flowmeter run, prints "cpu_seconds peak_rss_kb"
run() {
	/usr/bin/time -f "%U %S %M" -o "$DIR/names-time.out" "$BIN/flowmeter" "$@" >/dev/null 2>"$DIR/names-stderr.out" ||
		{ echo "failed: flowmeter $*" >&2; cat "$DIR/names-stderr.out" >&2; exit 1; }
	awk '{ printf "%.2f %d\n", $1 + $2, $3 }' "$DIR/names-time.out"
}
# compare CAP: REPS alternating runs without and with --names; sets mean_p,
# mean_n (CPU seconds), min_p, min_n, rss_n (KB), rows, pkts, named
compare() {
	local cap=$1 i
	rm -f "$DIR/names-plain.csv" "$DIR/names-names.csv" "$DIR/names-p.out" "$DIR/names-n.out"
	for i in $(seq "$REPS"); do
		run "$cap" "$DIR/names-plain.csv" >>"$DIR/names-p.out"
		run --names "$cap" "$DIR/names-names.csv" >>"$DIR/names-n.out"
	done
	read -r mean_p min_p _ < <(awk '{ s += $1; if (NR == 1 || $1 < m) m = $1 } END { printf "%.3f %.2f\n", s / NR, m }' "$DIR/names-p.out")
	read -r mean_n min_n rss_n < <(awk '{ s += $1; if (NR == 1 || $1 < m) m = $1; if ($2 > k) k = $2 }
		END { printf "%.3f %.2f %d\n", s / NR, m, k }' "$DIR/names-n.out")
	rows=$(($(wc -l <"$DIR/names-names.csv") - 1))
	[ "$rows" -gt 0 ] || { echo "flowmeter --names wrote no flows for $cap"; exit 1; }
	# the same rows; --names only appends 'Server Name' and 'Name Source'
	# (a name is CSV-quoted when it holds a comma, so cut by column from the right)
	"$PY" - "$DIR/names-plain.csv" "$DIR/names-names.csv" <<'PYEOF' || exit 1
import csv, sys
a, b = (list(csv.reader(open(p, newline=""))) for p in sys.argv[1:3])
if len(a) != len(b) or any(x != y[:-2] for x, y in zip(a, b)):
    sys.exit("flowmeter --names changed the profile's columns or rows")
PYEOF
	pkts=$(sed -n 's/.*: \([0-9]*\) packets read.*/\1/p' "$DIR/names-stderr.out" | tail -1)
	named=$(tail -1 "$DIR/names-stderr.out")
}
# report LABEL: prints the figures of the last compare and its table line
report() {
	echo "$1: $pkts packets, $rows flows"
	echo "  without --names: $mean_p s CPU (mean of $REPS; best $min_p s)"
	echo "  with --names   : $mean_n s CPU (mean of $REPS; best $min_n s), peak RSS $((rss_n / 1024)) MB"
	echo "  $named"
	awk -v a="$mean_p" -v b="$mean_n" 'BEGIN{ if (a > 0) printf "  cost of --names: %+.1f%% of CPU time (target <= 15%%)\n", (b / a - 1) * 100 }'
	awk -v l="$1" -v a="$mean_p" -v b="$mean_n" -v p="$pkts" -v m="$rss_n" 'BEGIN{
		printf "table: flowmeter --names (vs without, %s) | %d pkts | %.3f s | %.3f s | %.2fx | %.0f\n", l, p, b, a, (b > 0 ? a / b : 0), m / 1024 }'
}
ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN/flowmeter" "$@" 2>&1 >/dev/null |
	awk '/refs:/ { gsub(",", "", $4); print $4 }'; }
callgrind() {	# callgrind CAP LABEL
	[ "${CALLGRIND:-1}" = 1 ] && command -v valgrind >/dev/null || return 0
	local a b
	a=$(ir "$1" "$DIR/names-plain.csv"); b=$(ir --names "$1" "$DIR/names-names.csv")
	[ -n "$a" ] && [ -n "$b" ] || { echo "callgrind gave no count for $1"; exit 1; }
	awk -v l="$2" -v a="$a" -v b="$b" 'BEGIN{ printf "  %s instructions (callgrind): %d without, %d with --names: %+.1f%%\n", l, a, b, (a > 0 ? (b / a - 1) * 100 : 0) }'
}

cat "$CAP" "$SYN" >/dev/null
compare "$CAP"
report "mkpcap.py, no handshakes"
compare "$SYN"
report "synth, TLS/QUIC/DNS"
callgrind "$SYN" "synth capture"
ex=$CORPUS/pcaps/general/pcpp__example.pcap
if [ -f "$ex" ]; then
	REPS=1 compare "$ex"
	echo "pcpp__example.pcap (corpus browsing capture): $pkts packets, $rows flows"
	echo "  $named"
	callgrind "$ex" "pcpp__example.pcap"
fi
rm -f "$DIR"/names-*.csv "$DIR"/names-*.out
