#!/usr/bin/env bash
# forest_predict_stream: `forest predict` reads, predicts and writes in
# batches (8192 records with 1 thread, 32768 x N with N threads, the next
# batch parsed while the last is predicted). On 80k rows (several batches
# either way) with quoted fields, a CRLF row, blank lines and a NaN row:
# the same bytes with --threads 1, 2 and 3 and from stdin, with and without
# --proba; each input record comes back as it was (re-quoted only where it
# must be) with its prediction; a slice of rows deep in the file predicts
# as in the whole file; the dropped row has an empty prediction; a bad cell
# in a late batch is an error naming line and column, and no output is left.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/bin}
F=$BIN/forest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

awk 'BEGIN {
	srand(11);
	print "Flow ID,A,B,C,Label";
	for (i = 1; i <= 80000; i++) {
		a = int(rand() * 1000); b = rand() * 50; c = (rand() < 0.5 ? -1 : 1) * rand() * 1e4;
		lab = (a > 500) ? (b > 25 ? "hi" : "mid") : (c > 0 ? "lo" : "neg");
		if (rand() < 0.05) lab = "mid";
		id = (i % 997 == 0) ? "\"f," i "\"" : "f" i;
		line = id "," a "," sprintf("%.6g", b) "," sprintf("%.4e", c) "," lab;
		if (i == 30001) line = line "\r";
		print line;
		if (i == 20000) print "";
	}
}' > "$tmp/all.csv"
sed -n '2,3001p' "$tmp/all.csv" > "$tmp/body"
{ head -1 "$tmp/all.csv"; cat "$tmp/body"; } > "$tmp/train.csv"
"$F" train "$tmp/train.csv" -o "$tmp/m.rf" --trees 20 --seed 1 -q >/dev/null 2>&1 || fail "train"
# the prediction input: no Label, a NaN row
sed 's/,[^,]*$//' "$tmp/all.csv" | awk 'NR == 50002 { sub(/,[^,]*$/, ",NaN") } { print }' > "$tmp/in.csv"
grep -q ',NaN$' "$tmp/in.csv" || fail "no NaN row made"

for th in 1 2 3; do
	rm -f "$tmp/p$th.csv" "$tmp/q$th.csv"
	"$F" predict "$tmp/m.rf" "$tmp/in.csv" -o "$tmp/p$th.csv" --nonfinite drop --threads "$th" 2>"$tmp/err" ||
		fail "predict --threads $th: $(cat "$tmp/err")"
	grep -q 'dropped 1 rows' "$tmp/err" || fail "no dropped-row warning: $(cat "$tmp/err")"
	"$F" predict "$tmp/m.rf" "$tmp/in.csv" -o "$tmp/q$th.csv" --nonfinite drop --threads "$th" --proba 2>/dev/null ||
		fail "predict --proba --threads $th"
done
[ "$(wc -l < "$tmp/p1.csv")" -eq 80001 ] || fail "expected 80001 lines, got $(wc -l < "$tmp/p1.csv")"
for th in 2 3; do
	cmp -s "$tmp/p1.csv" "$tmp/p$th.csv" || fail "--threads $th differs from --threads 1"
	cmp -s "$tmp/q1.csv" "$tmp/q$th.csv" || fail "--proba --threads $th differs from --threads 1"
done
rm -f "$tmp/p0.csv"
"$F" predict "$tmp/m.rf" - --nonfinite drop < "$tmp/in.csv" > "$tmp/p0.csv" 2>/dev/null || fail "predict from stdin"
cmp -s "$tmp/p1.csv" "$tmp/p0.csv" || fail "stdin differs from the file"
# records come back as read (CR dropped, blank line skipped), each with a prediction
sed 's/,[^,]*$//' "$tmp/p1.csv" | tail -n +2 > "$tmp/back"
tr -d '\r' < "$tmp/in.csv" | grep -v '^$' | tail -n +2 > "$tmp/want"
cmp -s "$tmp/back" "$tmp/want" || fail "records not written back as read"
[ "$(head -1 "$tmp/p1.csv")" = "Flow ID,A,B,C,Predicted" ] || fail "header: $(head -1 "$tmp/p1.csv")"
[ "$(grep -c ',NaN,$' "$tmp/p1.csv")" -eq 1 ] || fail "the dropped row has a prediction"
[ "$(grep -v ',NaN,$' "$tmp/p1.csv" | tail -n +2 | grep -Evc ',(hi|mid|lo|neg)$')" -eq 0 ] ||
	fail "rows without a prediction"
# a slice deep in the file (one batch of its own) predicts as in the whole file
# (input line L past the blank line is output line L - 1)
{ head -1 "$tmp/in.csv"; sed -n '70001,70100p' "$tmp/in.csv"; } > "$tmp/slice.csv"
"$F" predict "$tmp/m.rf" "$tmp/slice.csv" --threads 2 > "$tmp/ps.csv" || fail "slice"
diff <(tail -n +2 "$tmp/ps.csv") <(sed -n '70000,70099p' "$tmp/p1.csv") >/dev/null ||
	fail "a slice predicts otherwise than in the whole file"
# a bad cell in a late batch: error naming the line and column, no output left
awk 'NR == 75001 { sub(/^[^,]*,[^,]*,/, "x,1x,") } { print }' "$tmp/in.csv" > "$tmp/bad.csv"
bad_line=$(grep -n '^x,1x,' "$tmp/bad.csv" | cut -d: -f1)
for th in 1 2; do
	rm -f "$tmp/pb.csv"
	"$F" predict "$tmp/m.rf" "$tmp/bad.csv" -o "$tmp/pb.csv" --nonfinite drop --threads "$th" \
		2>"$tmp/err" >/dev/null
	rc=$?
	[ "$rc" -eq 1 ] || fail "bad cell, --threads $th: exit $rc"
	grep -q "bad.csv:$bad_line: column 'A': '1x' is not a number" "$tmp/err" ||
		fail "bad cell message: $(cat "$tmp/err")"
	[ ! -e "$tmp/pb.csv" ] || fail "output left after an error (--threads $th)"
done
echo "report: 80k rows: --threads 1/2/3, stdin and --proba the same bytes; records back as read; bad cell at line $bad_line named"
