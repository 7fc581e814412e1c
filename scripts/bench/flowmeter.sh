#!/bin/bash
# Benchmark: flowmeter on a 1M-packet mkpcap.py capture against a bare libpcap
# read loop (pcap_open_offline + pcap_next_ex) on the same file in the same
# run. Prints packets/s of both, their ratio (target >= 0.5) and peak RSS.
# Also the reader+decoder alone (flowmeter-dump -c). The capture is
# generated once and cached under build/bench/.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$ROOT/bin}
BUILD=${BUILD:-$ROOT/build}
DIR=$BUILD/bench
PKTS=${FLOWMETER_BENCH_PACKETS:-1000000}
CAP=$DIR/mkpcap-$PKTS.pcap
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
mkdir -p "$DIR"
if [ ! -s "$CAP" ]; then
	echo "generating $CAP ($PKTS packets) ..."
	"$PY" "$ROOT/../shared/tools/mkpcap.py" --packets "$PKTS" --flows 2000 --seed 1 -o "$CAP.tmp" >/dev/null 2>&1
	mv "$CAP.tmp" "$CAP"
fi
for b in "$BUILD/flowmeter-pcaploop" "$BUILD/flowmeter-dump" "$BIN/flowmeter"; do
	[ -x "$b" ] || { echo "missing $b (run make)"; exit 1; }
done

# best of 3 runs: prints "wall_seconds peak_rss_kb cpu_seconds" (cpu = user+sys of
# the best-wall run; on a busy machine the CPU figure is the steadier one)
measure() {
	local best= rss= cpu= t r u s i
	for i in 1 2 3; do
		/usr/bin/time -f "%e %M %U %S" -o "$DIR/time.out" "$@" >/dev/null 2>"$DIR/stderr.out" ||
			{ echo "failed: $*" >&2; cat "$DIR/stderr.out" >&2; return 1; }
		read -r t r u s <"$DIR/time.out"
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
			best=$t
			cpu=$(awk "BEGIN{print $u + $s}")
		fi
		if [ -z "$rss" ] || [ "$r" -gt "$rss" ]; then rss=$r; fi
	done
	echo "$best $rss $cpu"
}
rate() { awk -v n="$PKTS" -v t="$1" 'BEGIN{ if (t <= 0) t = 0.005; printf "%.0f", n / t }'; }

cat "$CAP" >/dev/null	# page cache warm for every contender
read -r t_pcap rss_pcap c_pcap < <(measure "$BUILD/flowmeter-pcaploop" "$CAP")
read -r t_dec rss_dec c_dec < <(measure "$BUILD/flowmeter-dump" -c "$CAP")
echo "libpcap read loop      : $(rate "$t_pcap") packets/s (${t_pcap} s wall, ${c_pcap} s CPU, peak RSS ${rss_pcap} KB)"
echo "reader+decoder (cic)   : $(rate "$t_dec") packets/s (${t_dec} s wall, ${c_dec} s CPU, peak RSS ${rss_dec} KB)"
read -r t_fm rss_fm c_fm < <(measure "$BIN/flowmeter" "$CAP" "$DIR/flowmeter-out.csv")
rows=$(($(wc -l <"$DIR/flowmeter-out.csv") - 1))
echo "flowmeter end to end   : $(rate "$t_fm") packets/s (${t_fm} s wall, ${c_fm} s CPU, peak RSS ${rss_fm} KB, $rows flows)"
awk -v a="$t_pcap" -v b="$t_fm" -v ca="$c_pcap" -v cb="$c_fm" 'BEGIN{
	r = (b > 0) ? a / b : 0; rc = (cb > 0) ? ca / cb : 0;
	printf "ratio flowmeter / libpcap loop: %.2f wall, %.2f CPU (target >= 0.50)\n", r, rc }'
awk -v k="$rss_fm" 'BEGIN{ printf "peak RSS flowmeter: %.1f MB (target <= 256 MB)\n", k / 1024 }'
awk -v n="$PKTS" -v ca="$c_pcap" -v cb="$c_fm" -v k="$rss_fm" 'BEGIN{
	printf "table: flowmeter (vs libpcap read loop) | %d pkts | %.2f s | %.2f s | %.2fx | %.0f\n", n, cb, ca, (cb > 0) ? ca / cb : 0, k / 1024 }'
read -r t_full rss_full c_full < <(measure "$BIN/flowmeter" --decode full "$CAP" "$DIR/flowmeter-out.csv")
rows=$(($(wc -l <"$DIR/flowmeter-out.csv") - 1))
echo "flowmeter --decode full: $(rate "$t_full") packets/s (${t_full} s wall, ${c_full} s CPU, peak RSS ${rss_full} KB, $rows flows incl. IPv6)"
rm -f "$DIR/flowmeter-out.csv"
