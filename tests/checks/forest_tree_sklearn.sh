#!/usr/bin/env bash
# forest_tree_sklearn: one tree without bootstrap and with every feature
# (`forest train --trees 1 --no-bootstrap --max-features all --hist-min 0`)
# against scikit-learn's DecisionTreeClassifier() on continuous data: the
# splits (feature, float32 threshold, rows, gini) must be the same on every
# node with at least 30 rows (smaller nodes can have equal-gain ties that the
# two random feature orders break differently), and the impurity importances
# must agree within 0.02.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/bin}
if ! python3 -c 'import sklearn, numpy' 2>/dev/null; then
	echo "skip: python3 with sklearn/numpy not available"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY' || exit 1
import sys, numpy as np
rng = np.random.RandomState(4)
n = 1500
X = np.column_stack([rng.normal(size=n), rng.exponential(size=n) * 100, rng.uniform(-5, 5, n),
                     rng.lognormal(2, 1, n), rng.normal(size=n)]).round(5)
y = (X[:, 0] + 0.02 * X[:, 1] > 0.5).astype(int) + (X[:, 2] > 2).astype(int)
mask = rng.rand(n) < 0.05
y[mask] = rng.randint(0, 3, mask.sum())
names = ["a", "b", "c", "d", "e"]
with open(sys.argv[1] + "/d.csv", "w") as f:
    f.write(",".join(names) + ",Label\n")
    for i in range(n):
        f.write(",".join(repr(float(v)) for v in X[i]) + ",k%d\n" % y[i])
PY
"$BIN/forest" train "$tmp/d.csv" -o "$tmp/m.bin" --trees 1 --no-bootstrap --max-features all \
	--hist-min 0 -q >/dev/null || exit 1
"$BIN/forest" info "$tmp/m.bin" --dump > "$tmp/dump.txt" || exit 1
"$BIN/forest" importance "$tmp/m.bin" > "$tmp/imp.txt" || exit 1
python3 - "$tmp" <<'PY'
import sys, numpy as np, pandas as pd
from sklearn.tree import DecisionTreeClassifier
t = sys.argv[1]
d = pd.read_csv(t + "/d.csv")
X = d.drop(columns=["Label"]).values.astype(np.float32); y = d["Label"].values
s = DecisionTreeClassifier(random_state=0).fit(X, y).tree_
ours = {}
for line in open(t + "/dump.txt"):
    if not line.startswith("node "):
        continue
    f = line.split()
    node = int(f[2])
    if f[3] == "leaf":
        ours[node] = (-1, 0.0, -1, -1, int(f[4][2:]), float(f[6][5:]))
    else:
        ours[node] = (int(f[3]), float(f[4]), int(f[5]), int(f[6]), int(f[7][2:]), float(f[9][5:]))
checked = bad = 0
ties = []
def walk(a, b):
    global checked, bad
    of, ot, ol, orr, on, og = ours[a]
    sf, st = s.feature[b], s.threshold[b]
    if s.n_node_samples[b] < 30:
        return
    checked += 1
    if of < 0 and sf < 0 and on == s.n_node_samples[b]:
        return
    same = (on == s.n_node_samples[b] and abs(og - s.impurity[b]) < 1e-12 and of == sf and
            (sf < 0 or np.float32(st) == np.float32(ot) or abs(st - ot) <= 1e-6 * max(1, abs(st))))
    if not same and of >= 0 and sf >= 0 and on == s.n_node_samples[b] and \
            ours[ol][4] == s.n_node_samples[s.children_left[b]]:
        ties.append(a)   # equal-gain split on another feature: subtrees differ from here
        return
    if not same:
        bad += 1
        print("node %d/%d: ours f=%d t=%r n=%d gini=%r, sklearn f=%d t=%r n=%d gini=%r" %
              (a, b, of, ot, on, og, sf, st, s.n_node_samples[b], s.impurity[b]))
        return
    if of >= 0:
        walk(ol, s.children_left[b]); walk(orr, s.children_right[b])
walk(0, 0)
imp = {}
for line in open(t + "/imp.txt"):
    f = line.split()
    if f[0] != "rank":
        imp[f[1]] = float(f[2])
sk = DecisionTreeClassifier(random_state=0).fit(X, y).feature_importances_
diff = max(abs(imp[n] - sk[i]) for i, n in enumerate(["a", "b", "c", "d", "e"]))
print("report: %d nodes with >= 30 rows compared, %d differ, %d equal-gain ties; max MDI difference %.4f; nodes %d vs %d"
      % (checked, bad, len(ties), diff, len(ours), s.node_count))
sys.exit(0 if bad == 0 and checked > 10 and diff < 0.02 else 1)
PY
