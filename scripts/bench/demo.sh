#!/usr/bin/env bash
# Bench of the whole demo: scripts/demo.sh (synth, flowmeter, labeler, forest,
# trustee; 3 iterations, iteration 3 also labelled by server name) against
# the Python chain it replaces, on the same captures in the same run: the
# executable CICFlowMeter model (../shared/spec/cfm_model.py, which
# reproduces CICFlowMeter's CSVs), pandas for each recipe, scikit-learn's
# RandomForestClassifier(100) and the real Python Trustee
# (../shared/ref/trustee-1.1.6, the demo's settings: num_samples=len//2,
# num_iter=20, train_size=0.99; a scikit-learn tree distilled from the forest
# stands in when it is not importable). The reference does less than the
# demo: no synthesis, no by-name iteration (CICFlowMeter has no server
# names), no trustee check, so the ratio is, if anything, too low.
# Both are timed as CPU seconds (user+sys of the process and every child it
# waited for, /usr/bin/time).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
M=$ROOT/../shared/spec/cfm_model.py
export PATH="$ROOT/bin:/usr/bin:$PATH"
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-demo.XXXXXX")
trap 'rm -rf "$T"' EXIT
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }

t0=$(now)
/usr/bin/time -f '%U %S %M' -o "$T/demo.time" "$ROOT/scripts/demo.sh" -o "$T/out" --keep-pcaps \
	>"$T/demo.log" 2>&1 || { echo "demo failed"; tail "$T/demo.log"; exit 1; }
t1=$(now)
[ -s "$T/out/summary.json" ] || { echo "demo wrote no summary.json"; exit 1; }
npc=$(ls "$T"/out/pcaps/*.pcap | wc -l)
npk=$(cat "$T"/out/pcaps/*.pcap | wc -c)
read -r du ds dk <"$T/demo.time"
ours=$(awk -v u="$du" -v s="$ds" 'BEGIN { printf "%.2f", u + s }')
echo "toolkit: scripts/demo.sh, $npc captures ($((npk / 1000000)) MB): $ours s CPU, $(secs "$t0" "$t1") s wall, peak $((dk / 1024)) MB"
sed -n '/^== Summary/,/^$/p' "$T/demo.log" | sed '/^$/d'

if [ ! -f "$M" ] || ! python3 -c 'import pandas, sklearn, yaml' 2>/dev/null; then
	echo "reference skipped: needs $M and python3 with pandas, sklearn, yaml"
	echo "table: demo, whole study (reference skipped) | $npc pcaps | $ours s | - | - | $((dk / 1024))"
	exit 0
fi
REF=$ROOT/../shared/ref/trustee-1.1.6
t2=$(now)
PYTHONPATH=$REF /usr/bin/time -f '%U %S %M' -o "$T/ref.time" \
python3 - "$T/out" "$M" "$ROOT/datasets/recipes" <<'PY' || exit 1
import os, re, subprocess, sys, warnings
import numpy as np, pandas as pd, yaml
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import f1_score
warnings.filterwarnings("ignore")
try:
    from trustee import ClassificationTrustee
except ImportError:
    ClassificationTrustee = None
    print('note: Python Trustee not importable: one scikit-learn tree distilled from the forest instead')
out, model, recipes = sys.argv[1:4]
csvdir = os.path.join(out, 'ref'); os.makedirs(csvdir, exist_ok=True)
def col(m):
    return 'd[%r]' % m.group(1)
def ev(expr, d):
    e = re.sub(r'`([^`]*)`', col, expr)
    e = re.sub(r'\b(Protocol|Label)\b', lambda m: 'd[%r]' % m.group(1), e)
    e = re.sub(r"(d\[[^\]]*\] *[=<>!]+ *[^ )]+)", r"(\1)", e).replace(' and ', ' & ').replace(' or ', ' | ')
    return eval(e, {'d': d})
i = 0
for name in sorted(os.listdir(recipes)):
    r = yaml.safe_load(open(os.path.join(recipes, name)))
    if 'match' not in r:                # labelled by server name: no CICFlowMeter counterpart
        print('reference %s: skipped (labels by server name, which CICFlowMeter does not write)' % name)
        continue
    i += 1
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
    Xtr = X[~test].reset_index(drop=True)
    exp = rf.predict(Xtr)
    if ClassificationTrustee:
        np.random.seed(1)
        tr = ClassificationTrustee(expert=rf)
        tr.fit(Xtr, y[~test].to_numpy(), num_samples=len(Xtr) // 2, num_iter=20, train_size=0.99)
        _, dt, _, _ = tr.explain()
    else:
        dt = DecisionTreeClassifier(random_state=1).fit(Xtr, exp)
    fid = f1_score(exp, dt.predict(Xtr.values), average='macro')
    root = X.columns[dt.tree_.feature[0]] if dt.tree_.node_count > 1 else '-'
    print('reference iteration %d (%s): %d rows, accuracy %.4f, fidelity %.4f, root %s' %
          (i, name, len(d), acc, fid, root))
PY
t3=$(now)
read -r ru rs rk <"$T/ref.time"
ref=$(awk -v u="$ru" -v s="$rs" 'BEGIN { printf "%.2f", u + s }')
echo "reference: cfm_model.py + pandas + scikit-learn + Python Trustee, same captures: $ref s CPU, $(secs "$t2" "$t3") s wall, peak $((rk / 1024)) MB"
awk -v a="$ours" -v b="$ref" 'BEGIN { printf "ratio: the toolkit demo needs %.1fx less CPU than the Python chain (which skips synthesis, the by-name iteration and trustee check)\n", b / a }'
awk -v n="$npc" -v a="$ours" -v b="$ref" -v k="$dk" 'BEGIN {
	printf "table: demo, whole study (vs cfm_model.py + pandas + sklearn + Python Trustee) | %d pcaps | %.2f s | %.2f s | %.1fx | %.0f\n",
		n, a, b, b / a, k / 1024 }'
