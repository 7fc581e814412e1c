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

# best of 3 wall-clock runs; prints "seconds peak_rss_kb"
measure() {
	local best= rss= t r i
	for i in 1 2 3; do
		/usr/bin/time -f "%e %M" -o "$DIR/time.out" "$@" >/dev/null 2>"$DIR/stderr.out" ||
			{ echo "failed: $*" >&2; cat "$DIR/stderr.out" >&2; return 1; }
		read -r t r <"$DIR/time.out"
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		if [ -z "$rss" ] || [ "$r" -gt "$rss" ]; then rss=$r; fi
	done
	echo "$best $rss"
}
rate() { awk -v n="$PKTS" -v t="$1" 'BEGIN{ if (t <= 0) t = 0.005; printf "%.0f", n / t }'; }

cat "$CAP" >/dev/null	# page cache warm for every contender
read -r t_pcap rss_pcap < <(measure "$BUILD/flowmeter-pcaploop" "$CAP")
read -r t_dec rss_dec < <(measure "$BUILD/flowmeter-dump" -c "$CAP")
echo "libpcap read loop      : $(rate "$t_pcap") packets/s (${t_pcap} s, peak RSS ${rss_pcap} KB)"
echo "reader+decoder (cic)   : $(rate "$t_dec") packets/s (${t_dec} s, peak RSS ${rss_dec} KB)"
if "$BIN/flowmeter" --help | grep -q 'NOT IMPLEMENTED'; then
	echo "flowmeter is still a placeholder: end-to-end ratio not measured"
	exit 0
fi
read -r t_fm rss_fm < <(measure "$BIN/flowmeter" "$CAP" "$DIR/flowmeter-out.csv")
rows=$(($(wc -l <"$DIR/flowmeter-out.csv") - 1))
echo "flowmeter end to end   : $(rate "$t_fm") packets/s (${t_fm} s, peak RSS ${rss_fm} KB, $rows flows)"
awk -v a="$t_pcap" -v b="$t_fm" 'BEGIN{ r = (b > 0) ? a / b : 0;
	printf "ratio flowmeter / libpcap loop: %.2f (target >= 0.50)\n", r }'
awk -v k="$rss_fm" 'BEGIN{ printf "peak RSS flowmeter: %.1f MB (target <= 256 MB)\n", k / 1024 }'
rm -f "$DIR/flowmeter-out.csv"
