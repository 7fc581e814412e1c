#!/bin/bash
# Benchmark: what --names costs. flowmeter with and without --names on the
# capture of scripts/bench/flowmeter.sh (1M-packet mkpcap.py capture, cached
# under build/bench/), both in this run, alternating, best of 5 by CPU time
# (user+sys). Target: --names costs at most 15% (ratio >= 0.87). The mkpcap
# capture has no real handshakes, so it measures the per-packet screening;
# the corpus's browsing capture pcpp__example.pcap (TLS, HTTP, DNS: a
# handshake every ~35 packets) is measured too, with callgrind instruction
# counts (reproducible) when valgrind is installed. Measured: +5.0% instructions
# on the mkpcap capture, +10% on pcpp__example.pcap.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$ROOT/bin}
BUILD=${BUILD:-$ROOT/build}
DIR=$BUILD/bench
PKTS=${FLOWMETER_BENCH_PACKETS:-1000000}
CAP=$DIR/mkpcap-$PKTS.pcap
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
mkdir -p "$DIR"
if [ ! -s "$CAP" ]; then
	echo "generating $CAP ($PKTS packets) ..."
	"$PY" "$ROOT/../shared/tools/mkpcap.py" --packets "$PKTS" --flows 2000 --seed 1 -o "$CAP.tmp" >/dev/null 2>&1
	mv "$CAP.tmp" "$CAP"
fi
[ -x "$BIN/flowmeter" ] || { echo "missing $BIN/flowmeter (run make)"; exit 1; }

# one run: prints "cpu_seconds peak_rss_kb"
run() {
	/usr/bin/time -f "%U %S %M" -o "$DIR/names-time.out" "$BIN/flowmeter" "$@" >/dev/null 2>"$DIR/names-stderr.out" ||
		{ echo "failed: flowmeter $*" >&2; cat "$DIR/names-stderr.out" >&2; return 1; }
	awk '{ printf "%.2f %d\n", $1 + $2, $3 }' "$DIR/names-time.out"
}
# compare CAP REPS: best CPU of plain and --names runs, alternating
compare() {
	local cap=$1 reps=$2 i c r
	best_p= best_n= rss_n=0
	for i in $(seq "$reps"); do
		read -r c r < <(run "$cap" "$DIR/names-plain.csv")
		if [ -z "$best_p" ] || awk "BEGIN{exit !($c < $best_p)}"; then best_p=$c; fi
		read -r c r < <(run --names "$cap" "$DIR/names-names.csv")
		if [ -z "$best_n" ] || awk "BEGIN{exit !($c < $best_n)}"; then best_n=$c; fi
		[ "$r" -gt "$rss_n" ] && rss_n=$r
	done
	rows=$(($(wc -l <"$DIR/names-names.csv") - 1))
	named=$(tail -1 "$DIR/names-stderr.out")
}
cat "$CAP" >/dev/null
compare "$CAP" 5
echo "flowmeter            : $best_p s CPU ($PKTS packets, $rows flows)"
echo "flowmeter --names    : $best_n s CPU, peak RSS $((rss_n / 1024)) MB"
echo "  $named"
awk -v a="$best_p" -v b="$best_n" 'BEGIN{ printf "cost of --names: %+.1f%% of CPU time (target <= 15%%)\n", (b / a - 1) * 100 }'
awk -v a="$best_p" -v b="$best_n" -v rows="$rows" -v m="$rss_n" 'BEGIN{
	printf "table: flowmeter --names (vs without) | %d | %.2f s | %.2f s | %.2fx | %.0f\n", rows, b, a, (b > 0 ? a / b : 0), m / 1024 }'
ex=$CORPUS/pcaps/general/pcpp__example.pcap
if [ -f "$ex" ]; then
	compare "$ex" 5
	echo "pcpp__example.pcap   : $best_p s CPU plain, $best_n s CPU --names ($rows flows)"
	echo "  $named"
	if command -v valgrind >/dev/null; then
		ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN/flowmeter" "$@" 2>&1 >/dev/null |
			awk '/refs:/ { gsub(",", "", $4); print $4 }'; }
		a=$(ir "$ex" "$DIR/names-plain.csv"); b=$(ir --names "$ex" "$DIR/names-names.csv")
		awk -v a="$a" -v b="$b" 'BEGIN{ printf "pcpp__example.pcap instructions (callgrind): %d plain, %d --names: %+.1f%%\n", a, b, (b / a - 1) * 100 }'
	fi
fi
