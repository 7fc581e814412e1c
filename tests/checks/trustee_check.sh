#!/usr/bin/env bash
# trustee check on mkshortcut data (../shared/tools/mkshortcut.py, Protocol planted):
#  - the first removal is Protocol, and the accuracy without it matches a
#    scikit-learn forest retrained without it within the seed spread: the
#    tolerance is max(3 sd, 0.005), sd over 5 scikit-learn seeds (measured on
#    this data: with Protocol 0.9198-0.9228, sd 0.0014; without 0.5165-0.5371,
#    sd 0.0089; ours over model seeds 1-5: 0.9203-0.9218 and 0.5145-0.5351);
#  - the baseline matches scikit-learn the same way;
#  - on data without the shortcut (Protocol independent of the class) the
#    first step's drop is within the check's own noise band;
#  - the same seed gives the same table and JSON with --threads 1 and 2.
set -u
SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}
if ! python3 -c 'import numpy, pandas, sklearn' 2>/dev/null; then
	echo "skip: python3 with numpy, pandas and sklearn is needed"
	exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/trustee-check.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
MK=$SHARED/tools/mkshortcut.py

python3 "$MK" 4000 "$T/train.csv" --seed 11 >/dev/null && python3 "$MK" 2000 "$T/test.csv" --seed 12 >/dev/null &&
	python3 "$MK" 4000 "$T/ns.csv" --seed 21 --youtube-udp 0.5 --vimeo-tcp 0.5 >/dev/null &&
	python3 "$MK" 2000 "$T/nst.csv" --seed 22 --youtube-udp 0.5 --vimeo-tcp 0.5 >/dev/null || fail mkshortcut.py
forest train "$T/train.csv" -o "$T/m.rf" --trees 30 --seed 1 --threads 2 --nonfinite drop -q 2>/dev/null >&2 ||
	fail "forest train"
forest train "$T/ns.csv" -o "$T/ns.rf" --trees 30 --seed 1 --threads 2 --nonfinite drop -q 2>/dev/null >&2 ||
	fail "forest train (no shortcut)"
run() { # out-prefix model train test threads
	rm -f "$1.txt" "$1.json"
	trustee check "$2" "$3" --test "$4" --nonfinite drop --steps 1 --iter 10 --seed 3 --threads "$5" \
		--json "$1.json" >"$1.txt" 2>"$1.err" || { cat "$1.err"; fail "trustee check $*"; }
	[ -s "$1.err" ] && { cat "$1.err"; fail "trustee check wrote to stderr"; }
	[ -s "$1.json" ] || fail "no JSON from trustee check $*"
}
run "$T/c2" "$T/m.rf" "$T/train.csv" "$T/test.csv" 2
run "$T/c1" "$T/m.rf" "$T/train.csv" "$T/test.csv" 1
cmp -s "$T/c1.txt" "$T/c2.txt" || fail "table differs between --threads 1 and 2"
cmp -s "$T/c1.json" "$T/c2.json" || fail "JSON differs between --threads 1 and 2"
run "$T/n" "$T/ns.rf" "$T/ns.csv" "$T/nst.csv" 2
grep -q '^1\. Protocol: the model loses' "$T/c2.txt" || fail "verdict line: $(grep '^1\.' "$T/c2.txt")"

python3 - "$T" <<'PY' || fail "numbers"
import json, sys
import numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier
t = sys.argv[1]
c = json.load(open(t + "/c2.json"))
s = c["steps"][0]
assert s["removed"] == ["Protocol"] and s["kind"] == "artefact", s
assert c["baseline"]["root_feature"] == "Protocol", c["baseline"]
def clean(d):
    return d.replace([np.inf, -np.inf], np.nan).dropna()
tr, te = clean(pd.read_csv(t + "/train.csv")), clean(pd.read_csv(t + "/test.csv"))
assert len(te) == c["settings"]["test_rows"] and len(tr) == c["settings"]["train_rows"]
def sk(drop):
    f = [x for x in tr.columns if x not in ("Label",) + drop]
    acc = []
    for seed in range(5):
        m = RandomForestClassifier(n_estimators=30, random_state=seed, n_jobs=2)
        m.fit(tr[f].values.astype(np.float32), tr["Label"])
        acc.append(float((m.predict(te[f].values.astype(np.float32)) == te["Label"]).mean()))
    return np.mean(acc), np.std(acc, ddof=1), min(acc), max(acc)
for what, ours, drop in (("with Protocol", c["baseline"]["accuracy"], ()),
                         ("without Protocol", s["accuracy"], ("Protocol",))):
    mean, sd, lo, hi = sk(drop)
    tol = max(3 * sd, 0.005)
    print("report: accuracy %s: ours %.4f, scikit-learn %.4f-%.4f (mean %.4f, sd %.4f, tolerance %.4f)"
          % (what, ours, lo, hi, mean, sd, tol))
    assert abs(ours - mean) <= tol, (what, ours, mean, tol)
assert s["accuracy_drop"] > 10 * s["noise"], s
n = json.load(open(t + "/n.json"))["steps"][0]
print("report: no shortcut: step 1 removes %s, drop %+.4f, noise band %.4f"
      % (n["feature"], n["accuracy_drop"], n["noise"]))
assert abs(n["accuracy_drop"]) <= n["noise"], n
PY
echo "report: same table and JSON with --threads 1 and 2"
