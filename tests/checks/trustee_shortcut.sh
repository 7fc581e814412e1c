#!/usr/bin/env bash
# End to end: a forest trained on flows with a planted Protocol shortcut
# (../shared/tools/mkshortcut.py), explained by trustee, must show Protocol
# at the root with a shortcut hint; the SVG must parse as XML and show the
# root split; the same seed must give the same explanation with 1 and 2 threads.
set -u
SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}
if ! python3 -c 'import numpy, pandas' 2>/dev/null; then
	echo "skip: python3 with numpy and pandas is needed for mkshortcut.py"
	exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/trustee-check.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 "$SHARED/tools/mkshortcut.py" 4000 "$T/flows.csv" --seed 11 >/dev/null ||
	fail "mkshortcut.py"
forest train "$T/flows.csv" -o "$T/model.rf" --trees 30 --seed 1 --threads 2 --nonfinite drop \
	>"$T/train.out" 2>&1 || { cat "$T/train.out"; fail "forest train"; }
trustee explain "$T/model.rf" "$T/flows.csv" --nonfinite drop --seed 3 --threads 2 --iter 10 \
	--json "$T/e.json" --svg "$T/tree.svg" --dot "$T/tree.dot" >"$T/explain.txt" 2>"$T/explain.err" ||
	{ cat "$T/explain.err"; fail "trustee explain"; }
[ -s "$T/explain.err" ] && { cat "$T/explain.err"; fail "trustee explain wrote to stderr"; }
grep -q "^if Protocol <= " "$T/explain.txt" || fail "text rules do not start with Protocol"
grep -q "the root split tests 'Protocol'" "$T/explain.txt" || fail "no Protocol hint in the text"
grep -q "not a verdict" "$T/explain.txt" || fail "hint is not phrased as a hint"

python3 - "$T" <<'PY' || fail "JSON/SVG/DOT checks"
import json, sys, xml.etree.ElementTree as ET
t = sys.argv[1]
e = json.load(open(t + "/e.json"))
assert e["root_feature"] == "Protocol", e["root_feature"]
hint = [h for h in e["hints"] if h["feature"] == "Protocol"]
assert hint and hint[0]["where"] == "root split", e["hints"]
assert 0.5 < hint[0]["share"] <= 1, hint
for k in ("fidelity", "fidelity_unpruned", "score", "agreement", "reward"):
    assert 0 <= e[k] <= 1, (k, e[k])
assert e["fidelity"] > 0.8, e["fidelity"]
assert e["leaves"] >= 2 and e["depth"] >= 1 and "Protocol" in e["features_used"]
assert e["top_branches"] and all(b["samples"] > 0 for b in e["top_branches"])
root = ET.parse(t + "/tree.svg").getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg"
texts = ["".join(x.itertext()) for x in root.iter("{http://www.w3.org/2000/svg}text")]
assert any(s.startswith("Protocol <= ") for s in texts), texts[:5]
assert "true" in texts and "false" in texts
dot = open(t + "/tree.dot").read()
assert dot.startswith("digraph Tree {") and 'label="Protocol <= ' in dot
print("report: fidelity %.4f (unpruned %.4f), score %.4f, %d leaves, Protocol hint share %.1f%%"
      % (e["fidelity"], e["fidelity_unpruned"], e["score"], e["leaves"], 100 * hint[0]["share"]))
PY

# reproducible across thread counts
trustee explain "$T/model.rf" "$T/flows.csv" --nonfinite drop --seed 3 --threads 1 --iter 10 \
	--json "$T/e1.json" >"$T/explain1.txt" 2>/dev/null || fail "trustee explain --threads 1"
cmp -s "$T/explain.txt" "$T/explain1.txt" || fail "text differs between --threads 2 and 1"
cmp -s "$T/e.json" "$T/e1.json" || fail "JSON differs between --threads 2 and 1"
echo "report: same explanation with --threads 1 and 2"
exit 0
