#!/bin/bash
# Benchmark: flowmeter on a 1M-packet mkpcap.py capture against a bare libpcap
# read loop (pcap_open_offline + pcap_next_ex) on the same file in the same
# run. Prints packets/s of both, their ratio (target >= 0.5) and peak RSS.
# Also the reader+decoder alone (flowmeter-dump -c), flowmeter through
# libpcap's own reader (FLOWMETER_READER=libpcap, which must write the same
# bytes) and --decode full. The capture is generated once and cached under
# build/bench/. Any failed run or differing output exits 1.
set -e
. "$(dirname "$0")/flowmeter-capture.bash"
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

# M VAR... -- CMD...: measure CMD into the variables, exit 1 when it fails
M() {
	local vars=() res
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	res=$(measure "$@") || exit 1
	read -r "${vars[@]}" <<<"$res"
}
# flows CSV: its data rows, exit 1 when there are none
flows() {
	local n=$(($(wc -l <"$1") - 1))
	[ "$n" -gt 0 ] || { echo "flowmeter wrote no flows to $1" >&2; exit 1; }
	echo "$n"
}

cat "$CAP" >/dev/null	# page cache warm for every contender
M t_pcap rss_pcap c_pcap -- "$BUILD/flowmeter-pcaploop" "$CAP"
M t_dec rss_dec c_dec -- "$BUILD/flowmeter-dump" -c "$CAP"
echo "libpcap read loop      : $(rate "$t_pcap") packets/s (${t_pcap} s wall, ${c_pcap} s CPU, peak RSS ${rss_pcap} KB)"
echo "reader+decoder (cic)   : $(rate "$t_dec") packets/s (${t_dec} s wall, ${c_dec} s CPU, peak RSS ${rss_dec} KB)"
rm -f "$DIR/flowmeter-out.csv" "$DIR/flowmeter-libpcap.csv"
M t_fm rss_fm c_fm -- "$BIN/flowmeter" "$CAP" "$DIR/flowmeter-out.csv"
rows=$(flows "$DIR/flowmeter-out.csv")
echo "flowmeter end to end   : $(rate "$t_fm") packets/s (${t_fm} s wall, ${c_fm} s CPU, peak RSS ${rss_fm} KB, $rows flows)"
awk -v a="$t_pcap" -v b="$t_fm" -v ca="$c_pcap" -v cb="$c_fm" 'BEGIN{
	r = (b > 0) ? a / b : 0; rc = (cb > 0) ? ca / cb : 0;
	printf "ratio flowmeter / libpcap loop: %.2f wall, %.2f CPU (target >= 0.50)\n", r, rc }'
awk -v k="$rss_fm" 'BEGIN{ printf "peak RSS flowmeter: %.1f MB (target <= 256 MB)\n", k / 1024 }'
awk -v n="$PKTS" -v ca="$c_pcap" -v cb="$c_fm" -v k="$rss_fm" 'BEGIN{
	printf "table: flowmeter (vs libpcap read loop) | %d pkts | %.2f s | %.2f s | %.2fx | %.0f\n", n, cb, ca, (cb > 0) ? ca / cb : 0, k / 1024 }'
M t_lib rss_lib c_lib -- env FLOWMETER_READER=libpcap "$BIN/flowmeter" "$CAP" "$DIR/flowmeter-libpcap.csv"
cmp -s "$DIR/flowmeter-out.csv" "$DIR/flowmeter-libpcap.csv" ||
	{ echo "flowmeter through libpcap's reader wrote different flows"; exit 1; }
echo "flowmeter, libpcap reader: $(rate "$t_lib") packets/s (${t_lib} s wall, ${c_lib} s CPU, peak RSS ${rss_lib} KB, same bytes)"
rm -f "$DIR/flowmeter-out.csv"
M t_full rss_full c_full -- "$BIN/flowmeter" --decode full "$CAP" "$DIR/flowmeter-out.csv"
rows=$(flows "$DIR/flowmeter-out.csv")
echo "flowmeter --decode full: $(rate "$t_full") packets/s (${t_full} s wall, ${c_full} s CPU, peak RSS ${rss_full} KB, $rows flows incl. IPv6)"
rm -f "$DIR/flowmeter-out.csv" "$DIR/flowmeter-libpcap.csv"
