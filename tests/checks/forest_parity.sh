#!/usr/bin/env bash
# forest_parity: accuracy of `forest train` (defaults) against scikit-learn's
# RandomForestClassifier() on the same synthetic CIC-IDS2017-shaped data
# (mkflows.py, 20k rows, 80/20 split), mean of 3 seeds each. Asserts
# accuracy within 0.6 points and macro-F1 within 2.5 points; never timings.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${SHARED:-$ROOT/../shared}
BIN=${BIN:-$ROOT/bin}
MK=$SHARED/tools/mkflows.py
if ! python3 -c 'import sklearn, pandas, numpy' 2>/dev/null; then
	echo "skip: python3 with sklearn/pandas/numpy not available"
	exit 77
fi
[ -f "$MK" ] || { echo "skip: $MK not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$MK" --sizes 20000 --seed 3 --out "$tmp" --no-svm >/dev/null || exit 1
tr=$tmp/flows_20000_train.csv
te=$tmp/flows_20000_test.csv

sk=$(python3 - "$tr" "$te" <<'PY'
import sys, numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
a, b = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
X = a.drop(columns=["Label"]).values.astype(np.float32); y = a["Label"].values
Xt = b.drop(columns=["Label"]).values.astype(np.float32); yt = b["Label"].values
acc, f1 = [], []
for s in (0, 1, 2):
    p = RandomForestClassifier(n_jobs=2, random_state=s).fit(X, y).predict(Xt)
    acc.append((p == yt).mean()); f1.append(f1_score(yt, p, average="macro"))
print("%.6f %.6f" % (np.mean(acc), np.mean(f1)))
PY
) || exit 1

fa=0; ff=0
for s in 1 2 3; do
	"$BIN/forest" train "$tr" -o "$tmp/m.bin" --seed $s --threads 2 -q >/dev/null || exit 1
	r=$("$BIN/forest" eval "$tmp/m.bin" "$te" --json) || exit 1
	fa=$(python3 -c 'import json,sys; print(float(sys.argv[1]) + json.loads(sys.argv[2])["accuracy"])' "$fa" "$r")
	ff=$(python3 -c 'import json,sys; print(float(sys.argv[1]) + json.loads(sys.argv[2])["macro_f1"])' "$ff" "$r")
done
python3 - "$sk" "$fa" "$ff" <<'PY'
import sys
sa, sf = map(float, sys.argv[1].split())
fa, ff = float(sys.argv[2]) / 3, float(sys.argv[3]) / 3
print("report: accuracy sklearn %.4f forest %.4f (diff %+.2f pt); macro-F1 sklearn %.4f forest %.4f"
      % (sa, fa, 100 * (fa - sa), sf, ff))
ok = abs(fa - sa) <= 0.006 and abs(ff - sf) <= 0.025
sys.exit(0 if ok else 1)
PY
