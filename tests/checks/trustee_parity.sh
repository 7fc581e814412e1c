#!/usr/bin/env bash
# Statistical parity with Trustee: a small Python re-implementation of
# TrusteeML 1.1.6's loop (../shared/spec/trustee.md sections 2 and 4, with
# scikit-learn's DecisionTreeClassifier as the student) and `trustee explain
# --exact` with the same settings, on the same rows and the same expert
# labels (the forest's predictions). Seeds differ (numpy vs ours), so the
# check compares outcomes: both pick Protocol at the root, and the pruned
# trees' fidelity to the model agrees within 0.03.
set -u
SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}
if ! python3 -c 'import numpy, pandas, sklearn' 2>/dev/null; then
	echo "skip: python3 with numpy, pandas and sklearn is needed"
	exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/trustee-parity.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 "$SHARED/tools/mkshortcut.py" 6000 "$T/flows.csv" --seed 21 >/dev/null || fail "mkshortcut.py"
forest train "$T/flows.csv" -o "$T/m.rf" --trees 30 --seed 2 --threads 2 --nonfinite drop \
	>/dev/null 2>&1 || fail "forest train"
forest predict "$T/m.rf" "$T/flows.csv" -o "$T/pred.csv" --nonfinite drop >/dev/null 2>&1 ||
	fail "forest predict"
trustee explain "$T/m.rf" "$T/flows.csv" --nonfinite drop --exact --samples 1500 --iter 10 \
	--stability-iter 3 --seed 5 --threads 2 --json "$T/e.json" >/dev/null 2>"$T/err" ||
	{ cat "$T/err"; fail "trustee explain"; }

python3 - "$T" <<'PY' || fail "parity"
import json, sys
import numpy as np, pandas as pd
from sklearn.metrics import f1_score
from sklearn.tree import DecisionTreeClassifier

t = sys.argv[1]
d = pd.read_csv(t + "/pred.csv")
d = d[d["Predicted"].notna()]          # rows forest dropped (non-finite) have no prediction
feats = [c for c in d.columns if c not in ("Label", "Predicted")]
X = d[feats].to_numpy(dtype=np.float32)
y = d["Predicted"].to_numpy()
S, N, M, ts, k = 3, 10, 1500, 0.7, 10

def keep_set(dt):
    tr = dt.tree_
    leaves, stack = [], [(0, [])]
    while stack:                       # depth-first, left first
        node, path = stack.pop()
        if tr.children_left[node] == tr.children_right[node]:
            leaves.append((node, path))
        else:
            stack.append((tr.children_right[node], path + [node]))
            stack.append((tr.children_left[node], path + [node]))
    leaves.sort(key=lambda l: -tr.n_node_samples[l[0]])   # stable
    return {n for _, p in leaves[:k] for n in p if tr.impurity[n] > 0.1}

def pruned_predict(dt, keep, Xs):
    tr, out = dt.tree_, []
    for x in Xs:
        node = 0
        while node in keep:
            node = tr.children_left[node] if x[tr.feature[node]] <= tr.threshold[node] else tr.children_right[node]
        out.append(dt.classes_[np.argmax(tr.value[node][0])])
    return np.array(out)

rng = np.random.default_rng(5)
perm = rng.permutation(len(X))
ntr = int(ts * len(X))
pool, agree = perm[:ntr], perm[ntr:]
D = list(pool)
tops = []
for i in range(S):
    best = None
    for j in range(N):
        rows = np.array(D)[rng.choice(len(D), M, replace=False)]
        m = int(ts * M)
        tr_rows, te_rows = rows[:m], rows[m:]
        dt = DecisionTreeClassifier(random_state=0).fit(X[tr_rows], y[tr_rows])
        r = f1_score(y[te_rows], dt.predict(X[te_rows]), average="macro")
        D.extend(te_rows)
        if best is None or r > best[1]:
            best = (dt, r)
    tops.append(best)
keeps = [keep_set(dt) for dt, _ in tops]
preds = [pruned_predict(dt, kp, X[agree]) for (dt, _), kp in zip(tops, keeps)]
agr = [np.mean([f1_score(pj, pi, average="macro") for pj in preds]) for pi in preds]
c = int(np.argmax(agr))
dt, kp = tops[c][0], keeps[c]
py_root = feats[dt.tree_.feature[0]] if 0 in kp else None
py_fid = f1_score(y, pruned_predict(dt, kp, X), average="macro")
reach, stack = 0, [0]
while stack:                           # kept split nodes reachable from the root
    n = stack.pop()
    if n in kp:
        reach += 1
        stack += [dt.tree_.children_left[n], dt.tree_.children_right[n]]

e = json.load(open(t + "/e.json"))
print("report: pruned-tree fidelity: trustee %.4f, Python Trustee loop %.4f; root %s / %s; "
      "leaves %d / %d" % (e["fidelity"], py_fid, e["root_feature"], py_root, e["leaves"],
                          reach + 1))
assert e["root_feature"] == "Protocol" and py_root == "Protocol", (e["root_feature"], py_root)
assert abs(e["fidelity"] - py_fid) < 0.03, (e["fidelity"], py_fid)
PY
exit 0
