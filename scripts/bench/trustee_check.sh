#!/usr/bin/env bash
# trustee check benchmark (issue 13's budget): a check of 3 steps on 100k rows
# of ../shared/tools/mkshortcut.py data (30k test rows), the model a forest
# of `forest train` (100 trees), must cost at most 4 x one `trustee explain`
# (the explain defaults) plus 3 trainings of the model. All three are
# measured in this run as CPU time (user+sys, /usr/bin/time); the row's
# REFERENCE is that budget, RATIO = budget / check (>= 1x: within budget).
set -u
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
THREADS=${THREADS:-2}
ROWS=${ROWS:-100000}
export PATH="$PWD/bin:/usr/bin:$PATH"
if ! python3 -c 'import numpy, pandas' 2>/dev/null; then
	echo "skip: python3 with numpy and pandas is needed for mkshortcut.py"
	exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/trustee-check-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
python3 "$SHARED/tools/mkshortcut.py" "$ROWS" "$T/train.csv" --seed 5 >/dev/null &&
	python3 "$SHARED/tools/mkshortcut.py" $((ROWS * 3 / 10)) "$T/test.csv" --seed 6 >/dev/null || exit 1

# cpu NAME CMD...: run CMD, record user+sys seconds and peak MB in $T/NAME
cpu() {
	local name=$1; shift
	/usr/bin/time -f '%U %S %M' -o "$T/$name.time" "$@" >"$T/$name.out" 2>"$T/$name.err" ||
		{ cat "$T/$name.err"; exit 1; }
	awk '{ printf "%.2f %.0f\n", $1 + $2, $3 / 1024 }' "$T/$name.time" >"$T/$name.cpu"
}
secs() { cut -d' ' -f1 "$T/$1.cpu"; }
peak() { cut -d' ' -f2 "$T/$1.cpu"; }

cpu train forest train "$T/train.csv" -o "$T/m.rf" --seed 1 --threads "$THREADS" --nonfinite drop -q
cpu explain trustee explain "$T/m.rf" "$T/train.csv" --nonfinite drop --seed 1 --threads "$THREADS"
cpu check trustee check "$T/m.rf" "$T/train.csv" --test "$T/test.csv" --nonfinite drop --steps 3 \
	--seed 1 --threads "$THREADS"
tr=$(secs train) ex=$(secs explain) ch=$(secs check)
budget=$(awk -v e="$ex" -v t="$tr" 'BEGIN { printf "%.2f", 4 * e + 3 * t }')
echo "rows $ROWS, threads $THREADS: forest train $tr s, trustee explain $ex s, trustee check (3 steps) $ch s CPU"
sed -n '/^step/,/^$/p' "$T/check.out"
grep '^[0-9]\. ' "$T/check.out"
awk -v n="$ROWS" -v c="$ch" -v b="$budget" -v p="$(peak check)" 'BEGIN {
	printf "table: trustee check, 3 steps (budget: 4 explains + 3 trainings) | %d | %.2f s | %.2f s | %.1fx | %d\n",
		n, c, b, b / c, p }'
