#!/usr/bin/env bash
# A capture of 1,000,000 distinct 5-tuples (SYN flood) stays within the memory
# bound documented in docs/flowmeter.md: peak RSS at most 256 MB in both
# profiles (one compact record per single-packet flow), and every flow is
# accounted for (fixed profile writes the million single-packet flows).
set -u
case $BUILD in */san*) echo "memory is measured on the optimised build only (ASan changes it)"; exit 77 ;; esac
python3 "$ROOT/tests/tools/synflood.py" 1000000 flood.pcap || { echo "cannot generate the capture"; exit 1; }
status=0
for prof in cic fixed; do
	rss=$(python3 - "$prof" <<'PY'
import resource, subprocess, sys
r = subprocess.run(["flowmeter", "--profile", sys.argv[1], "flood.pcap", "out.csv"],
                   stderr=subprocess.DEVNULL)
if r.returncode != 0:
    print("exit", r.returncode); sys.exit(1)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
) || { echo "flowmeter --profile $prof failed: $rss"; status=1; continue; }
	rows=$(($(wc -l <out.csv) - 1))
	echo "report: 1,000,000 SYNs, --profile $prof: peak RSS $rss MB, $rows rows"
	[ "$rss" -le 256 ] || { echo "FAIL: peak RSS $rss MB > 256 MB"; status=1; }
	want=0; [ $prof = fixed ] && want=1000000
	[ "$rows" = $want ] || { echo "FAIL: $rows rows, want $want"; status=1; }
done
exit $status
