#!/usr/bin/env bash
# --max-flows N bounds the open flows: on 200,000 open two-packet flows with
# N = 1000, at most N flows are left for the end of file (End Reason eof), the
# others end early (End Reason max-flows), the summary line counts them, the
# rows are those of the unlimited run (each flow had both its packets before
# it was evicted) and the peak RSS stays small; a limit that is never
# reached changes no byte of a corpus capture's output (both profiles).
set -u
cd "$T" || exit 1
python3 "$ROOT/tests/tools/synflood.py" 200000 two.pcap 2 || { echo "cannot generate the capture"; exit 1; }
status=0
rss() {	# peak RSS in MB of: flowmeter ARGS...
	python3 - "$@" <<'PY'
import resource, subprocess, sys
r = subprocess.run(["flowmeter"] + sys.argv[1:], stderr=open("err", "w"))
if r.returncode != 0:
    print("exit", r.returncode); sys.exit(1)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
}
for prof in cic fixed; do
	rm -f lim.csv full.csv
	full_mb=$(rss --profile $prof --end-reason two.pcap full.csv) || { echo "FAIL: $prof: $full_mb"; status=1; continue; }
	lim_mb=$(rss --profile $prof --end-reason --max-flows 1000 two.pcap lim.csv) || { echo "FAIL: $prof --max-flows: $lim_mb"; cat err; status=1; continue; }
	eof=$(awk -F, 'NR > 1 && $NF == "eof"' lim.csv | wc -l)
	ev=$(awk -F, 'NR > 1 && $NF == "max-flows"' lim.csv | wc -l)
	said=$(sed -n 's/.*; \([0-9]*\) flows ended early by --max-flows.*/\1/p' err)
	echo "report: $prof: 200,000 open two-packet flows, --max-flows 1000: $eof at eof, $ev evicted (summary: $said), peak RSS $lim_mb MB (without: $full_mb MB)"
	[ "$eof" -le 1000 ] && [ "$eof" -gt 0 ] || { echo "FAIL: $prof: $eof flows open at the end, limit 1000"; status=1; }
	[ "$ev" = 199000 ] || { echo "FAIL: $prof: $ev evicted rows, want 199000"; status=1; }
	[ "$said" = "$ev" ] || { echo "FAIL: $prof: the summary says '$said' evicted, rows say $ev:"; cat err; status=1; }
	cmp -s <(sed 's/,[^,]*$//' full.csv | sort) <(sed 's/,[^,]*$//' lim.csv | sort) ||
		{ echo "FAIL: $prof: the rows differ from the unlimited run's"; status=1; }
	case $BUILD in */san*) continue ;; esac	# ASan changes memory
	[ "$lim_mb" -le 64 ] || { echo "FAIL: $prof: peak RSS $lim_mb MB with --max-flows 1000"; status=1; }
done
if [ -d "$CORPUS/pcaps" ] && [ -d "$CORPUS/golden/cic" ]; then
	n=0
	for cap in general/pcpp__tls2.pcap synthetic/tcp_teardown.pcap synthetic/udp_timeout.pcap \
		linktypes/zeek__echo-connections.pcap.gz; do
		for prof in cic fixed; do
			g="$CORPUS/golden/$prof/${cap}_Flow.csv"
			[ -f "$g" ] || continue
			rm -f out.csv
			flowmeter --profile $prof --max-flows 1000000000 "$CORPUS/pcaps/$cap" out.csv 2>/dev/null ||
				{ echo "FAIL: $cap $prof: exit $?"; status=1; continue; }
			cmp -s out.csv "$g" || { echo "FAIL: $cap $prof: --max-flows 1000000000 changes the output"; status=1; }
			n=$((n + 1))
		done
	done
	[ $n -gt 0 ] || { echo "FAIL: no corpus capture ran"; status=1; }
	echo "report: a limit never reached: $n corpus outputs byte-identical to the goldens"
fi
exit $status
