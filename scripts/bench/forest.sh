#!/usr/bin/env bash
# forest benchmark: `forest train` (defaults, --threads 2) against
# scikit-learn's RandomForestClassifier(n_jobs=2) measured in the same run,
# on ../shared/tools/mkflows.py data: 60k rows (48k train / 12k test) and
# 500k rows (400k / 100k), 78 features, 6 classes. Accuracy and macro-F1 are
# means of 3 seeds; time is the training process (CSV load + fit, + model
# save for forest) wall time, mean of the 3 seeds; peak RSS from
# /usr/bin/time. The `table:` row per size compares CPU time (user+sys):
# the whole `forest train` process against scikit-learn's CSV read + fit
# (time.process_time, both of its threads), means of the seeds.
# Targets (issue 14): accuracy within 0.5 points, training >= 10x faster.
# SIZES=60000 (env) limits the run to the small set.
set -u
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
THREADS=${THREADS:-2}
SIZES=${SIZES:-60000 500000}
SEEDS=${SEEDS:-1 2 3}
FOREST=${FOREST:-bin/forest}
if ! python3 -c 'import numpy, pandas, sklearn' 2>/dev/null; then
	echo "skip: python3 with numpy, pandas and sklearn is needed"
	exit 0
fi
[ -x /usr/bin/time ] || { echo "skip: /usr/bin/time is needed"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/forest-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
cat > "$T/sk.py" <<'PY'
import sys, time, numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
tr, te, seed, nj = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t0, c0 = time.time(), time.process_time()
a = pd.read_csv(tr)
X = a.drop(columns=["Label"]).values.astype(np.float32); y = a["Label"].values
m = RandomForestClassifier(n_jobs=nj, random_state=seed).fit(X, y)
t1, c1 = time.time(), time.process_time()
b = pd.read_csv(te)
Xt = b.drop(columns=["Label"]).values.astype(np.float32); yt = b["Label"].values
p = m.predict(Xt)
print("%.3f %.6f %.6f %.3f" % (t1 - t0, (p == yt).mean(), f1_score(yt, p, average="macro"), c1 - c0))
PY
mean() { python3 -c 'import sys; v=[float(x) for x in sys.argv[1:]]; print("%.6f" % (sum(v)/len(v)))' "$@"; }
max() { python3 -c 'import sys; print(max(int(x) for x in sys.argv[1:]))' "$@"; }

printf '%-8s %-8s %9s %9s %10s %9s %8s\n' train tool accuracy macro_f1 train_s peak_MB speedup
for n in $SIZES; do
	python3 "$SHARED/tools/mkflows.py" --sizes "$n" --seed 1 --out "$T" --no-svm >/dev/null 2>&1 || exit 1
	tr=$T/flows_${n}_train.csv te=$T/flows_${n}_test.csv
	rows=$(( $(wc -l < "$tr") - 1 ))
	sa=() sf=() st=() sm=() sc=() fa=() ff=() ft=() fm=() fc=()
	for s in $SEEDS; do
		/usr/bin/time -f '%M' -o "$T/mem" python3 "$T/sk.py" "$tr" "$te" "$s" "$THREADS" > "$T/out" || exit 1
		read -r t a f c < "$T/out"
		st+=("$t") sa+=("$a") sf+=("$f") sm+=("$(cat "$T/mem")") sc+=("$c")
		/usr/bin/time -f '%e %M %U %S' -o "$T/tm" "$FOREST" train "$tr" -o "$T/m.bin" --seed "$s" \
			--threads "$THREADS" -q >/dev/null || exit 1
		read -r t mem u sy < "$T/tm"
		fc+=("$(python3 -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' "$u" "$sy")")
		r=$("$FOREST" eval "$T/m.bin" "$te" --json --threads "$THREADS") || exit 1
		a=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["accuracy"])' "$r")
		f=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["macro_f1"])' "$r")
		ft+=("$t") fa+=("$a") ff+=("$f") fm+=("$mem")
	done
	skt=$(mean "${st[@]}") fot=$(mean "${ft[@]}")
	printf '%-8s %-8s %9.4f %9.4f %10.2f %9d %8s\n' "$rows" sklearn "$(mean "${sa[@]}")" \
		"$(mean "${sf[@]}")" "$skt" $(( $(max "${sm[@]}") / 1024 )) 1.00
	printf '%-8s %-8s %9.4f %9.4f %10.2f %9d %8.2f\n' "$rows" forest "$(mean "${fa[@]}")" \
		"$(mean "${ff[@]}")" "$fot" $(( $(max "${fm[@]}") / 1024 )) \
		"$(python3 -c 'import sys; print(float(sys.argv[1]) / max(float(sys.argv[2]), 1e-9))' "$skt" "$fot")"
	printf '%-8s %-8s %+9.2f %+9.2f   (points, forest - sklearn)\n' "$rows" diff \
		"$(python3 -c 'import sys; print(100*(float(sys.argv[1])-float(sys.argv[2])))' "$(mean "${fa[@]}")" "$(mean "${sa[@]}")")" \
		"$(python3 -c 'import sys; print(100*(float(sys.argv[1])-float(sys.argv[2])))' "$(mean "${ff[@]}")" "$(mean "${sf[@]}")")"
	skc=$(mean "${sc[@]}") foc=$(mean "${fc[@]}")
	printf 'table: forest train (--threads %s vs RandomForestClassifier n_jobs=%s) | %s | %.2f s | %.2f s | %.1fx | %d\n' \
		"$THREADS" "$THREADS" "$rows" "$foc" "$skc" \
		"$(python3 -c 'import sys; print(float(sys.argv[1]) / max(float(sys.argv[2]), 1e-9))' "$skc" "$foc")" \
		$(( $(max "${fm[@]}") / 1024 ))
done
