#!/usr/bin/env bash
# Bench of the whole demo: scripts/demo.sh (synth, flowmeter, labeler, forest,
# trustee) against the Python chain it replaces, on the same captures in the
# same run: the executable CICFlowMeter model (../shared/spec/cfm_model.py,
# which reproduces CICFlowMeter's CSVs), pandas for the recipe, scikit-learn's
# RandomForestClassifier(100), and a scikit-learn decision tree distilled from
# the forest (a stand-in for TrusteeML, which is not installed: one student
# instead of Trustee's 5 x 20, so the reference is, if anything, too fast).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
M=$ROOT/../shared/spec/cfm_model.py
export PATH="$ROOT/bin:/usr/bin:$PATH"
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-demo.XXXXXX")
trap 'rm -rf "$T"' EXIT
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }

t0=$(now)
"$ROOT/scripts/demo.sh" -o "$T/out" --keep-pcaps >"$T/demo.log" 2>&1 || { echo "demo failed"; tail "$T/demo.log"; exit 1; }
t1=$(now)
npc=$(ls "$T"/out/pcaps/*.pcap | wc -l)
npk=$(cat "$T"/out/pcaps/*.pcap | wc -c)
echo "toolkit: scripts/demo.sh, 3 iterations, $npc captures ($((npk / 1000000)) MB): $(secs "$t0" "$t1") s wall"

if [ ! -f "$M" ] || ! python3 -c 'import pandas, sklearn, yaml' 2>/dev/null; then
	echo "reference skipped: needs $M and python3 with pandas, sklearn, yaml"
	exit 0
fi
t2=$(now)
python3 - "$T/out" "$M" "$ROOT/datasets/recipes" <<'PY' || exit 1
import os, re, subprocess, sys, time
import numpy as np, pandas as pd, yaml
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import f1_score
out, model, recipes = sys.argv[1:4]
csvdir = os.path.join(out, 'ref'); os.makedirs(csvdir, exist_ok=True)
def col(m):
    return 'd[%r]' % m.group(1)
def ev(expr, d):
    e = re.sub(r'`([^`]*)`', col, expr)
    e = re.sub(r'\b(Protocol|Label)\b', lambda m: 'd[%r]' % m.group(1), e)
    e = re.sub(r"(d\[[^\]]*\] *[=<>!]+ *[^ )]+)", r"(\1)", e).replace(' and ', ' & ').replace(' or ', ' | ')
    return eval(e, {'d': d})
for i, name in enumerate(sorted(os.listdir(recipes)), 1):
    r = yaml.safe_load(open(os.path.join(recipes, name)))
    parts = []
    for s in r['sources']:
        csv = os.path.join(csvdir, s['path'])
        if not os.path.exists(csv):
            subprocess.run([sys.executable, model, os.path.join(out, 'pcaps', s['path'][:-len('_Flow.csv')]), csv],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        d = pd.read_csv(csv)
        d['Label'] = np.where(ev(r['match'], d), s['label'], r['default'])
        parts.append(d[~ev(r['drop'], d)])
    d = pd.concat(parts)[r['columns']].replace([np.inf, -np.inf], np.nan).dropna()
    k = d.groupby('Label').cumcount() + 1
    test = ((k * 7 + 1) % 10) < 3
    X, y = d.drop(columns='Label'), d['Label']
    rf = RandomForestClassifier(100, random_state=1).fit(X[~test], y[~test])
    acc = (rf.predict(X[test]) == y[test]).mean()
    exp = rf.predict(X[~test])
    dt = DecisionTreeClassifier(random_state=1).fit(X[~test], exp)
    print('reference iteration %d: %d rows, accuracy %.4f, root %s' %
          (i, len(d), acc, X.columns[dt.tree_.feature[0]]))
PY
t3=$(now)
echo "reference: cfm_model.py + pandas + scikit-learn, same captures: $(secs "$t2" "$t3") s wall"
awk -v a=$((t1 - t0)) -v b=$((t3 - t2)) 'BEGIN { printf "ratio: the toolkit demo is %.1fx faster than the Python chain (which skips synthesis and runs 1 student instead of Trustee'"'"'s 100)\n", b / a }'
