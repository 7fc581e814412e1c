#!/usr/bin/env bash
# trustee benchmark: the Trustee tutorial's settings
#   fit(num_samples=len//2, num_iter=20, train_size=0.99), S = 5
#   = trustee explain --samples-frac 0.5 --iter 20 --train-size 0.99
# on 20k and 200k rows of ../shared/tools/mkshortcut.py data, the model a
# forest from `forest train` (100 trees). Prints wall time, peak memory and
# fidelity, for the default students (histogram split search on big nodes)
# and, on 20k rows, for --exact (scikit-learn's exact search everywhere).
# base_s is a run with one student (--iter 1 --stability-iter 1): loading
# the model and CSV and the model's predictions on every row, which the
# Trustee loop cannot avoid; students_s = time_s - base_s.
# Python Trustee is not installed here; the reference measured in the same
# run is what its students alone cost in scikit-learn: 100
# DecisionTreeClassifier fits at the same student size (0.99 * 0.5 * 0.99 of
# the rows, labels = the forest's predictions), timed on 3 fits, scaled to 100.
set -u
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
THREADS=${THREADS:-2}
if ! python3 -c 'import numpy, pandas, sklearn' 2>/dev/null; then
	echo "skip: python3 with numpy, pandas and sklearn is needed"
	exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/trustee-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

printf '%-7s %-8s %8s %8s %10s %8s %9s %9s %7s %12s %8s\n' rows students time_s base_s students_s peak_MB \
	fidelity unpruned leaves sklearn_100 ratio
for n in 20000 200000; do
	python3 "$SHARED/tools/mkshortcut.py" "$n" "$T/d.csv" --seed 5 >/dev/null || exit 1
	forest train "$T/d.csv" -o "$T/m.rf" --seed 1 --threads "$THREADS" --nonfinite drop \
		>/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
	forest predict "$T/m.rf" "$T/d.csv" -o "$T/p.csv" --nonfinite drop >/dev/null 2>&1 ||
		forest predict "$T/m.rf" "$T/d.csv" -o "$T/p.csv" >/dev/null 2>&1 || rm -f "$T/p.csv"
	ref=$(python3 - "$T" <<'PY'
import os, sys, time, numpy as np, pandas as pd
from sklearn.tree import DecisionTreeClassifier
t = sys.argv[1]
d = pd.read_csv(t + "/p.csv") if os.path.exists(t + "/p.csv") else pd.read_csv(t + "/d.csv")
ycol = "Predicted" if "Predicted" in d.columns else "Label"
y = d[ycol]
X = d.drop(columns=[c for c in ("Label", "Predicted") if c in d.columns])
X = X.select_dtypes("number").replace([np.inf, -np.inf], np.nan)
keep = X.notna().all(axis=1)
X, y = X[keep].astype(np.float32).to_numpy(), y[keep].to_numpy()
m = int(len(X) * 0.99 * 0.5 * 0.99)
rng = np.random.default_rng(0)
t0 = time.perf_counter()
for i in range(3):
    idx = rng.choice(len(X), m, replace=False)
    DecisionTreeClassifier(random_state=0).fit(X[idx], y[idx])
print("%.2f" % ((time.perf_counter() - t0) / 3 * 100))
PY
)
	/usr/bin/time -f '%e' -o "$T/time" trustee explain "$T/m.rf" "$T/d.csv" --nonfinite drop \
		--samples-frac 0.5 --iter 1 --stability-iter 1 --train-size 0.99 --seed 1 \
		--threads "$THREADS" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
	base=$(cat "$T/time")
	modes=default
	[ "$n" -le 20000 ] && modes="default exact"
	for mode in $modes; do
		extra=
		[ $mode = exact ] && extra=--exact
		/usr/bin/time -f '%e %M %U %S' -o "$T/time" trustee explain "$T/m.rf" "$T/d.csv" --nonfinite drop \
			--samples-frac 0.5 --iter 20 --train-size 0.99 --seed 1 --threads "$THREADS" $extra \
			--json "$T/e.json" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
		read -r secs kb cu cs <"$T/time"
		[ $mode = default ] && awk -v n="$n" -v u="$cu" -v s="$cs" -v r="$ref" -v k="$kb" 'BEGIN {
			printf "table: trustee explain (vs 100 sklearn student fits) | %d | %.2f s | %.2f s | %.1fx | %.0f\n", n, u + s, r, r / (u + s), k / 1024 }' >"$T/table"
		python3 - "$T/e.json" "$n" "$mode" "$secs" "$kb" "$ref" "$base" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
n, mode, secs, kb, ref, base = (sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]),
                                float(sys.argv[6]), float(sys.argv[7]))
stud = max(secs - base, 0.01)
print("%-7s %-8s %8.2f %8.2f %10.2f %8.0f %9.4f %9.4f %7d %12.2f %7.1fx" % (n, mode, secs, base, stud,
      kb / 1024, e["fidelity"], e["fidelity_unpruned"], e["leaves"], ref, ref / stud))
PY
		[ $mode = default ] && cat "$T/table"
	done
done
echo "time_s: whole trustee run ($THREADS threads: load, model predictions, 100 students, pruning, agreement)"
echo "sklearn_100: scikit-learn's 100 student fits alone (1 thread), without Trustee's own overhead"
echo "ratio: sklearn_100 / students_s"
