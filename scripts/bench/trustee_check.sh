#!/usr/bin/env bash
# trustee check benchmark (issue 13's budget): a check of 3 steps on 100k rows
# of ../shared/tools/mkshortcut.py data (30k test rows), the model a forest
# of `forest train` (100 trees), must cost at most 4 x one `trustee explain`
# (the explain defaults) plus 3 trainings of the model. All three are
# measured in this run as CPU time (user+sys, /usr/bin/time), and printed.
# The models retrained without Protocol fit noise (much larger forests), so
# their trainings and explanations cost more than MODEL's: the table row's
# REFERENCE is the same work done by the separate tools, i.e. one `trustee
# explain` of each of the check's 4 models plus the 3 `forest train` runs
# without the removed columns (--exclude), RATIO = reference / check.
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
echo "issue 13's budget with MODEL's costs: 4 x $ex + 3 x $tr = $budget s"
sed -n '/^step/,/^$/p' "$T/check.out"
grep '^[0-9]\. ' "$T/check.out"

# the same steps with the separate tools: retrain without the removed columns, explain
sep=$ex removed=
for k in 1 2 3; do
	f=$(awk -v k="$k" '/^[0-9]+  / && $1 == k { print }' "$T/check.out" | sed 's/^[0-9]*  *//; s/  .*//')
	[ -n "$f" ] || break
	removed=${removed:+$removed,}$f
	cpu train$k forest train "$T/train.csv" -o "$T/m$k.rf" --exclude "$removed" --seed 1 --threads "$THREADS" \
		--nonfinite drop -q
	cpu explain$k trustee explain "$T/m$k.rf" "$T/train.csv" --nonfinite drop --seed 1 --threads "$THREADS"
	echo "step $k without $removed: forest train $(secs train$k) s, trustee explain $(secs explain$k) s"
	sep=$(awk -v a="$sep" -v b="$(secs train$k)" -v c="$(secs explain$k)" 'BEGIN { printf "%.2f", a + b + c }')
done
echo "separate tools, the same steps: $sep s; trustee check: $ch s"
# The models retrained without the removed columns are larger than MODEL, so
# issue 13's budget, read with MODEL's costs, may be below what the three
# retrainings alone cost: then no check that retrains with MODEL's options
# can meet it. Read with the check's own models it is the reference above.
retrain=0
for k in 1 2 3; do
	[ -f "$T/train$k.cpu" ] && retrain=$(awk -v a="$retrain" -v b="$(secs train$k)" 'BEGIN { printf "%.2f", a + b }')
done
awk -v r="$retrain" -v b="$budget" -v c="$ch" -v s="$sep" 'BEGIN {
	printf "the 3 retrainings alone: %.2f s, %s the budget with the costs of MODEL (%.2f s)\n", r,
		(r > b ? "over" : "within"), b
	printf "budget with the costs of MODEL: %s (%.2f s vs %.2f s); with the costs of the models of the check (4 explains + 3 trainings, the separate tools): %s (%.2f s vs %.2f s)\n",
		(c <= b ? "met" : "missed"), c, b, (c <= s ? "met" : "missed"), c, s }'
awk -v n="$ROWS" -v c="$ch" -v b="$sep" -v p="$(peak check)" 'BEGIN {
	printf "table: trustee check, 3 steps (reference: forest train + trustee explain per step) | %d | %.2f s | %.2f s | %.2fx | %d\n",
		n, c, b, b / c, p }'
