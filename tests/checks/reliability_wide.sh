#!/usr/bin/env bash
# A 100,000-column header (the header lookup was quadratic: 23 s before an
# error) costs linear time in every tool: labeler and forest find a column by
# name or say which is missing with a suggestion, forest trains on all of them,
# forest predict and trustee explain match the model's 100,000 features to the
# CSV by name. Each run has a CPU limit of 20 s as a hang guard and its
# output is checked.
set -u
status=0
fail() { echo "FAIL: $*"; status=1; }
limited() { bash -c 'ulimit -t 20; exec "$0" "$@"' "$@"; }
cd "$T" || exit 1
python3 - <<'PYEOF'
n = 100000
with open("wide.csv", "w") as f:
    f.write(",".join("c%d" % i for i in range(n)) + ",Label\n")
    for r in range(10):
        f.write(",".join(str((i * 7 + r) % 5) for i in range(n)) + ",%s\n" % "xy"[r % 2])
PYEOF
[ -s wide.csv ] || { echo "cannot write wide.csv"; exit 1; }
limited labeler wide.csv --columns nope >out 2>err; rc=$?
[ $rc = 1 ] && grep -qF "labeler: --columns: unknown column 'nope' in 'wide.csv' (did you mean" err ||
	fail "labeler, unknown column: exit $rc: $(head -c 300 err)"
limited labeler wide.csv --columns c99999,Label >out 2>err; rc=$?
[ $rc = 0 ] && [ "$(head -2 out)" = "$(printf 'c99999,Label\n3,x')" ] && [ "$(wc -l <out)" = 11 ] ||
	fail "labeler, last column: exit $rc: $(head -c 300 err) $(head -c 100 out)"
limited forest train wide.csv -o w.rf --features nope -q >out 2>err; rc=$?
[ $rc = 1 ] && grep -qF "forest: wide.csv: no column 'nope' (from --features)" err ||
	fail "forest, unknown feature: exit $rc: $(head -c 300 err)"
rm -f w.rf
limited forest train wide.csv -o w.rf --trees 2 --seed 1 -q >out 2>err; rc=$?
[ $rc = 0 ] && grep -q "100000 features" out ||
	fail "forest train on 100,000 features: exit $rc: $(head -c 300 err) $(head -c 200 out)"
rm -f pred.csv
limited forest predict w.rf wide.csv -o pred.csv 2>err; rc=$?
[ $rc = 0 ] && [ "$(wc -l <pred.csv)" = 11 ] || fail "forest predict: exit $rc: $(head -c 300 err)"
limited trustee explain w.rf wide.csv --samples 3 --iter 1 --stability-iter 1 -j 1 >out 2>err; rc=$?
[ $rc = 0 ] && [ -s out ] || fail "trustee explain: exit $rc: $(head -c 300 err)"
echo "report: 100,000-column header: labeler, forest train/predict, trustee explain each under 20 s of CPU"
exit $status
