#!/usr/bin/env bash
# flowmeter --names-max N bounds the name tables: on a capture with many
# names (mkpcap_names.py many 20000: 80,000 DNS answers and 20,000 TLS
# connections with a server name), peak RSS (GNU time's %M) with
# --names-max 100 stays within 2 MB of the run without --names, the run with
# the default bound grows by more than 4 MB (it keeps them all), and the
# summary counts what was dropped. Names stay right under the bound: every
# connection is written right after its FIN, while its name is still kept.
# Under ASan (make sanitize) the RSS comparison is skipped: its quarantine
# keeps freed memory; the counts and the CSV are still checked.
set -u
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
[ -x /usr/bin/time ] || { echo "no /usr/bin/time"; exit 77; }
T=${T:-$(mktemp -d)}
N=20000
python3 "$ROOT/tests/cli/flowmeter-names/mkpcap_names.py" many "$T/many.pcap" $N || exit 1
status=0
# run NAME ARGS...: peak RSS (kB) to $T/NAME.rss, CSV to $T/NAME.csv
run() {
	local name=$1
	shift
	rm -f "$T/$name.csv" "$T/$name.rss"
	if ! /usr/bin/time -f %M -o "$T/$name.rss" "$BIN/flowmeter" "$@" "$T/many.pcap" "$T/$name.csv" \
		2>"$T/$name.err" || [ ! -s "$T/$name.csv" ]; then
		echo "FAIL flowmeter $*: exit status or no output"
		cat "$T/$name.err"
		status=1
	fi
}
run plain
run all --names
run bounded --names --names-max 100
[ $status -eq 0 ] || exit 1
p=$(cat "$T/plain.rss") a=$(cat "$T/all.rss") b=$(cat "$T/bounded.rss")
if ldd "$BIN/flowmeter" 2>/dev/null | grep -q libasan; then
	echo "report: ASan build: peak RSS not compared ($((p / 1024)), $((a / 1024)), $((b / 1024)) MB)"
else
	echo "report: peak RSS $((p / 1024)) MB without --names, $((a / 1024)) MB with (default bound), $((b / 1024)) MB with --names-max 100 ($((4 * N)) DNS answers, $N named connections)"
	[ $((b - p)) -le 2048 ] || { echo "FAIL --names-max 100 uses $((b - p)) kB more than no --names"; status=1; }
	[ $((a - p)) -gt 4096 ] || { echo "FAIL the default bound grows by only $((a - p)) kB: is the capture named?"; status=1; }
fi
want="flowmeter: names: $N of $((N + 1)) flows named ($N sni, 0 quic, 0 http, 0 dns); $((4 * N)) DNS answers"
grep -qxF "$want" "$T/all.err" || { echo "FAIL default bound: want '$want'"; cat "$T/all.err"; status=1; }
want="$want, $((4 * N - 100)) answers and $((N - 100)) named connections dropped (--names-max 100)"
grep -qxF "$want" "$T/bounded.err" || { echo "FAIL --names-max 100: want '$want'"; cat "$T/bounded.err"; status=1; }
# the same names either way, each connection its own (s<i>.example.net)
cmp -s "$T/all.csv" "$T/bounded.csv" || { echo "FAIL --names-max 100 changed the CSV"; status=1; }
n=$(awk -F, 'NR > 1 && $NF == "sni" {print $(NF-1)}' "$T/all.csv" | sort -u | grep -c '^s[0-9]*\.example\.net$')
[ "$n" -eq $N ] || { echo "FAIL $n distinct server names, want $N"; status=1; }
exit $status
