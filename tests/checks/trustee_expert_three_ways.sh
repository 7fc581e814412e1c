#!/usr/bin/env bash
# One forest explained three ways gives one explanation: as a model file, as
# `forest predict` output given to --predictions, and as --expert-cmd running
# `forest predict`. For the same seed the JSON is byte-identical except its
# two lines that say what the expert was ("model" and "expert"), and the text
# report except its first line; a column of the data (--predictions-column)
# gives the same too. mkshortcut data with non-finite rows (--nonfinite drop:
# rows are matched to answers before they are dropped).
set -u
SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}
if ! /usr/bin/python3 -c 'import numpy, pandas' 2>/dev/null; then
	echo "skip: python3 with numpy and pandas is needed for mkshortcut.py"
	exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/trustee-3ways.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
O="--nonfinite drop --seed 4 -j 2 --iter 10 --stability-iter 3 --samples 1000"

/usr/bin/python3 "$SHARED/tools/mkshortcut.py" 3000 "$T/flows.csv" --seed 5 >/dev/null || fail "mkshortcut.py"
grep -qE 'NaN|Infinity' "$T/flows.csv" || fail "no non-finite rows in the data"
forest train "$T/flows.csv" -o "$T/m.rf" --trees 20 --seed 1 -j 2 --nonfinite drop >/dev/null 2>&1 ||
	fail "forest train"
forest predict "$T/m.rf" "$T/flows.csv" --nonfinite drop -o "$T/pred.csv" >/dev/null 2>&1 ||
	fail "forest predict"
run() {	# NAME ARGS...: explain, text to NAME.txt, JSON to NAME.json
	local name=$1
	shift
	rm -f "$T/$name.json" "$T/$name.txt"
	trustee explain "$@" $O --json "$T/$name.json" >"$T/$name.txt" 2>"$T/err" ||
		{ cat "$T/err"; fail "trustee explain ($name)"; }
	[ -s "$T/$name.json" ] && [ -s "$T/$name.txt" ] || fail "$name: no output"
}
run model "$T/m.rf" "$T/flows.csv"
run pred "$T/flows.csv" --predictions "$T/pred.csv"
run cmd "$T/flows.csv" --expert-cmd "cat > '$T/in.csv' && forest predict '$T/m.rf' '$T/in.csv' --nonfinite drop"
run column "$T/pred.csv" --predictions-column Predicted

grep -q '"expert": {"kind": "forest", "file": ' "$T/model.json" || fail "model: expert kind"
grep -q '"expert": {"kind": "predictions", "file": ' "$T/pred.json" || fail "pred: expert kind"
grep -q '"expert": {"kind": "command", "command": ' "$T/cmd.json" || fail "cmd: expert kind"
head -1 "$T/pred.txt" | grep -q "^Trustee explanation of predictions '" || fail "pred: header line"
head -1 "$T/cmd.txt" | grep -q "^Trustee explanation of command '" || fail "cmd: header line"
for w in pred cmd column; do
	cmp <(sed 2,3d "$T/model.json") <(sed 2,3d "$T/$w.json" | sed "s|$T/pred.csv|$T/flows.csv|") ||
		fail "$w: JSON differs from the model file's"
done
for w in pred cmd; do
	cmp <(sed 1d "$T/model.txt") <(sed 1d "$T/$w.txt") || fail "$w: text differs from the model file's"
done
echo "report: model file, --predictions, --expert-cmd and --predictions-column: one explanation" \
	"(root $(sed -n 's/.*"root_feature": "\(.*\)",/\1/p' "$T/model.json"))"
exit 0
