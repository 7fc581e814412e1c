#!/usr/bin/env bash
# make bench: run every scripts/bench/*.sh (one per tool). Each prints its
# figures as ratios against a reference measured in the same run, and the
# rows of the summary as lines
#   table: TASK | ROWS | OURS | REFERENCE | RATIO | PEAK_MB
# (OURS and REFERENCE in CPU seconds unless the task says wall, RATIO =
# reference / ours), which this script gathers into one table at the end.
# BENCH='regex' runs only the scripts whose name matches. Each script's wall
# time is printed after it; a script that fails, or prints no table: line,
# is named at the end and makes the exit status 1. BENCH_DIR (default
# scripts/bench) is where the scripts are (tests/checks/bench_table.sh).
set -u
cd "$(dirname "$0")/.."
# Debian's python3 (with python3-sklearn/pandas) before any pyenv/virtualenv one
export PATH="$PWD/bin:/usr/bin:$PATH"
status=0 failed= times=
log=$(mktemp "${TMPDIR:-/tmp}/bench.XXXXXX")
one=$(mktemp "${TMPDIR:-/tmp}/bench.XXXXXX")
trap 'rm -f "$log" "$one"' EXIT
for b in "${BENCH_DIR:-scripts/bench}"/*.sh; do
	[ -f "$b" ] || continue
	name=$(basename "$b" .sh)
	[[ $name =~ ${BENCH:-.} ]] || continue
	echo "== $name"
	t0=$(date +%s)
	bash "$b" 2>&1 | tee "$one"
	rc=${PIPESTATUS[0]}
	cat "$one" >>"$log"
	t=$(($(date +%s) - t0))
	echo "== $name: $t s wall"
	times="$times $name ${t}s,"
	if [ "$rc" != 0 ]; then
		echo "bench $name failed (exit $rc)"
		failed="$failed $name"
		status=1
	elif ! grep -q '^table: ' "$one" && ! grep -q '^skip' "$one"; then
		echo "bench $name printed no table: line"
		failed="$failed $name(no-table)"
		status=1
	fi
done
echo
echo "== summary (ratio = reference / ours; CPU seconds user+sys unless marked wall)"
grep '^table: ' "$log" | sed 's/^table: //' | awk -F' *[|] *' '
BEGIN { n = 1; r[1,1] = "task"; r[1,2] = "rows"; r[1,3] = "ours"; r[1,4] = "reference";
	r[1,5] = "ratio"; r[1,6] = "peak MB"; for (i = 1; i <= 6; i++) w[i] = length(r[1,i]) }
NF >= 6 { n++; for (i = 1; i <= 6; i++) { r[n,i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
END {
	for (j = 1; j <= n; j++) {
		line = ""
		for (i = 1; i <= 6; i++)
			line = line (i > 1 ? " | " : "") sprintf(i == 1 ? "%-*s" : "%*s", w[i], r[j,i])
		print line
		if (j == 1) { s = ""; for (i = 1; i <= 6; i++) s = s (i > 1 ? "-|-" : "") sprintf("%*s", w[i], "") ; gsub(/ /, "-", s); print s }
	}
	if (n == 1) print "(no table: lines)"
}'
echo "time per script:${times%,}"
[ -z "$failed" ] || echo "failed:$failed"
exit $status
