# Sourced by scripts/bench/flowmeter*.sh (not a benchmark itself: make bench
# runs only *.sh). Sets ROOT BIN BUILD DIR PKTS CAP PY and generates the
# benchmark capture, a FLOWMETER_BENCH_PACKETS-packet (default 1,000,000)
# mkpcap.py capture of 2000 flows, once, cached in build/bench/.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
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
	"$PY" "$ROOT/../shared/tools/mkpcap.py" --packets "$PKTS" --flows 2000 --seed 1 -o "$CAP.tmp" \
		>/dev/null 2>"$DIR/mkpcap.err" || { cat "$DIR/mkpcap.err"; rm -f "$CAP.tmp"; exit 1; }
	mv "$CAP.tmp" "$CAP" && rm -f "$DIR/mkpcap.err"
fi
[ -x "$BIN/flowmeter" ] || { echo "missing $BIN/flowmeter (run make)"; exit 1; }
