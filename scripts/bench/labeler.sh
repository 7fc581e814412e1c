#!/bin/bash
# Benchmark: labeler on the issue-5 recipe (two sources, 1M rows x 84
# CICFlowMeter columns in all) against pandas doing the same in the same run.
# Data is generated once and cached under build/bench/. The two must keep
# the same rows with the same labels, and labeler's keep-all recipe must
# copy its input byte for byte, or the script exits 1.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$ROOT/bin}
DIR=$ROOT/build/bench/labeler
ROWS=${LABELER_BENCH_ROWS:-1000000}
mkdir -p "$DIR"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

gen() {	# gen OUT NROWS SEED
	"$PY" - "$1" "$2" "$3" <<'PYEOF'
import random, sys
out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
hdr = ("Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Total Fwd Packet,"
"Total Bwd packets,Total Length of Fwd Packet,Total Length of Bwd Packet,Fwd Packet Length Max,"
"Fwd Packet Length Min,Fwd Packet Length Mean,Fwd Packet Length Std,Bwd Packet Length Max,"
"Bwd Packet Length Min,Bwd Packet Length Mean,Bwd Packet Length Std,Flow Bytes/s,Flow Packets/s,"
"Flow IAT Mean,Flow IAT Std,Flow IAT Max,Flow IAT Min,Fwd IAT Total,Fwd IAT Mean,Fwd IAT Std,"
"Fwd IAT Max,Fwd IAT Min,Bwd IAT Total,Bwd IAT Mean,Bwd IAT Std,Bwd IAT Max,Bwd IAT Min,"
"Fwd PSH Flags,Bwd PSH Flags,Fwd URG Flags,Bwd URG Flags,Fwd Header Length,Bwd Header Length,"
"Fwd Packets/s,Bwd Packets/s,Packet Length Min,Packet Length Max,Packet Length Mean,"
"Packet Length Std,Packet Length Variance,FIN Flag Count,SYN Flag Count,RST Flag Count,"
"PSH Flag Count,ACK Flag Count,URG Flag Count,CWR Flag Count,ECE Flag Count,Down/Up Ratio,"
"Average Packet Size,Fwd Segment Size Avg,Bwd Segment Size Avg,Fwd Bytes/Bulk Avg,"
"Fwd Packet/Bulk Avg,Fwd Bulk Rate Avg,Bwd Bytes/Bulk Avg,Bwd Packet/Bulk Avg,Bwd Bulk Rate Avg,"
"Subflow Fwd Packets,Subflow Fwd Bytes,Subflow Bwd Packets,Subflow Bwd Bytes,FWD Init Win Bytes,"
"Bwd Init Win Bytes,Fwd Act Data Pkts,Fwd Seg Size Min,Active Mean,Active Std,Active Max,"
"Active Min,Idle Mean,Idle Std,Idle Max,Idle Min,Label").split(",")
assert len(hdr) == 84
def num():
    r = rnd.random()
    if r < 0.3: return str(rnd.randint(0, 2000))
    if r < 0.5: return "0.0"
    if r < 0.9: return repr(rnd.random() * 10 ** rnd.randint(0, 9))
    if r < 0.97: return "%.1fE%d" % (rnd.uniform(1, 9.9), rnd.randint(7, 12))
    return rnd.choice(["NaN", "Infinity", "-Infinity"])
uniq = []
for i in range(min(n, 20000)):
    sip = "192.168.%d.%d" % (rnd.randint(0, 3), rnd.randint(1, 254))
    dip = "%d.%d.%d.%d" % (rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(1, 254))
    sp, dp = rnd.randint(1024, 65535), rnd.choice([443, 443, 80, 53, 8080])
    proto = rnd.choice([6, 6, 6, 17])
    row = ["%s-%s-%d-%d-%d" % (sip, dip, sp, dp, proto), sip, str(sp), dip, str(dp), str(proto),
           "18/09/2019 06:%02d:%02d PM" % (rnd.randint(0, 59), rnd.randint(0, 59)),
           str(rnd.randint(1, 120000000)), str(rnd.choice([1, 2, 5, 20, 31, 40, 500])),
           str(rnd.choice([0, 1, 3, 25, 31, 45, 900]))]
    row += [num() for _ in range(84 - len(row) - 1)]
    row.append("NeedManualLabel")
    uniq.append(",".join(row) + "\n")
with open(out, "w") as f:
    f.write(",".join(hdr) + "\n")
    for i in range(n):
        f.write(uniq[i % len(uniq)])
PYEOF
}

HALF=$((ROWS / 2))
A=$DIR/youtube_$HALF.csv B=$DIR/vimeo_$HALF.csv
[ -s "$A" ] || gen "$A" "$HALF" 1
[ -s "$B" ] || gen "$B" "$HALF" 2

cat > "$DIR/recipe.yaml" <<YEOF
# the issue-5 recipe on the generated sources
sources:
  - path: $(basename "$A")
    label: youtube
  - path: $(basename "$B")
    label: vimeo
default: other
match: "\`Total Fwd Packet\` > 30 or \`Total Bwd packets\` > 30"
drop: "Protocol == 17 and Label == 'other'"
columns: [Label, Protocol, Flow Duration, Flow Bytes/s, Flow Packets/s, Flow IAT Mean, Bwd IAT Mean, Down/Up Ratio, Active Mean, Idle Mean]
nonfinite: drop
YEOF
cat > "$DIR/all.yaml" <<YEOF
# keep everything: a pass-through of both sources
sources: [$(basename "$A"), $(basename "$B")]
YEOF

# wall and CPU (user+sys) seconds of a command, into a file
timed() { local f=$1; shift; /usr/bin/time -f "%e %U %S %M" -o "$f" "$@"; }
# warm the page cache so both tools read from memory
cat "$A" "$B" > /dev/null

timed "$DIR/t_l" "$BIN/labeler" "$DIR/recipe.yaml" -o "$DIR/out_labeler.csv"
timed "$DIR/t_a" "$BIN/labeler" "$DIR/all.yaml" -o "$DIR/out_all.csv"
timed "$DIR/t_p" "$PY" "$ROOT/tests/tools/pandas_issue_recipe.py" "$DIR/out_pandas.csv" "$A=youtube" "$B=vimeo"

rows_l=$(($(wc -l < "$DIR/out_labeler.csv") - 1))
rows_p=$(($(wc -l < "$DIR/out_pandas.csv") - 1))
[ "$rows_l" -gt 0 ] && [ "$rows_l" = "$rows_p" ] || { echo "labeler kept $rows_l rows, pandas $rows_p"; exit 1; }
# the same label on every row, in the same order (Label is the first column)
cmp -s <(cut -d, -f1 "$DIR/out_labeler.csv") <(cut -d, -f1 "$DIR/out_pandas.csv") ||
	{ echo "labeler and pandas give different labels"; exit 1; }
cmp -s "$DIR/out_all.csv" <({ cat "$A"; tail -n +2 "$B"; }) || { echo "pass-through differs from the input"; exit 1; }
read -r lw lu ls lk < "$DIR/t_l"; read -r aw au as ak < "$DIR/t_a"; read -r pw pu ps pk < "$DIR/t_p"
awk -v rows="$ROWS" -v kept="$rows_l" -v mb="$(cat "$A" "$B" | wc -c)" \
    -v lw="$lw" -v lc="$(echo "$lu + $ls" | bc)" -v aw="$aw" -v ac="$(echo "$au + $as" | bc)" \
    -v pw="$pw" -v pc="$(echo "$pu + $ps" | bc)" -v lk="$lk" -v ak="$ak" -v pk="$pk" 'BEGIN {
	printf "input: %d rows x 84 columns, %.0f MB; the issue recipe keeps %d rows\n", rows, mb / 1e6, kept
	printf "                            wall s     rows/s    cpu s  rows/cpu-s  peak MB\n"
	printf "labeler issue recipe      %8.2f %10.0f %8.2f %10.0f %8.0f\n", lw, rows / lw, lc, rows / lc, lk / 1024
	printf "labeler keep-all copy     %8.2f %10.0f %8.2f %10.0f %8.0f  (%.0f MB written)\n", aw, rows / aw, ac, rows / ac, ak / 1024, mb / 1e6
	printf "pandas  issue recipe      %8.2f %10.0f %8.2f %10.0f %8.0f\n", pw, rows / pw, pc, rows / pc, pk / 1024
	printf "ratio labeler/pandas: %.1fx wall, %.1fx cpu\n", pw / lw, pc / lc
	printf "table: labeler (issue recipe, vs pandas) | %d | %.2f s | %.2f s | %.1fx | %.0f\n", rows, lc, pc, pc / lc, lk / 1024
}'
rm -f "$DIR"/out_*.csv "$DIR"/t_?
