#!/bin/bash
# Time windows on real flowmeter output in both Timestamp layouts (the corpus
# golden CSVs of the video captures, cic and fixed profiles): every row's label
# from `time in [a, b)` agrees with Python's datetime reading of the same
# cells (cic: 12-hour local text read in the --tz zone; fixed: ISO text, UTC),
# for a window in the middle of each capture, with --tz UTC and +05:30.
set -u
G=${CORPUS:-}/golden
[ -d "$G/cic/video" ] && [ -d "$G/fixed/video" ] || { echo "skip: corpus golden CSVs not found ($G)"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 not found"; exit 77; }
BIN=${BIN:-bin}
L=$(cd "$(dirname "$BIN/labeler")" && pwd)/labeler
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 - "$L" "$G" "$T" <<'PYEOF'
import csv, glob, os, subprocess, sys
from datetime import datetime, timedelta, timezone
L, G, T = sys.argv[1:]
def parse(text, layout, tz):
    try:
        if layout == "cic":
            d = datetime.strptime(text, "%d/%m/%Y %I:%M:%S %p").replace(tzinfo=tz)
        else:
            d = datetime.strptime(text + ("" if "." in text else ".0"), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
        return d.timestamp()
    except ValueError:
        return None
files = rows = inside = fails = 0
for layout in ("cic", "fixed"):
    for path in sorted(glob.glob(os.path.join(G, layout, "video", "*_Flow.csv")))[:40]:
        with open(path, newline="") as f:
            data = list(csv.DictReader(f))
        for tzname, tz in (("UTC", timezone.utc), ("+05:30", timezone(timedelta(hours=5, minutes=30)))):
            ts = [parse(r["Timestamp"], layout, tz) for r in data]
            ok = [t for t in ts if t is not None]
            if len(ok) < 2:
                continue
            lo = min(ok) + (max(ok) - min(ok)) / 3
            hi = min(ok) + 2 * (max(ok) - min(ok)) / 3
            # window ends at whole seconds, as literals in the zone
            fmt = lambda t: datetime.fromtimestamp(int(t), tz).strftime("%Y-%m-%d %H:%M:%S")
            a, b = fmt(lo), fmt(hi + 1)
            ea = datetime.strptime(a, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz).timestamp()
            eb = datetime.strptime(b, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz).timestamp()
            out = os.path.join(T, "out.csv")
            if os.path.exists(out):
                os.remove(out)
            r = subprocess.run([L, path, "--tz", tzname, "--match", "time in ['%s', '%s')" % (a, b),
                                "--file-label", "in", "--default", "out", "--columns", "Label", "-o", out])
            if r.returncode != 0:
                print("FAIL %s: labeler exit %d" % (path, r.returncode)); fails += 1; continue
            with open(out) as f:
                got = [l.strip() for l in f][1:]
            want = ["in" if t is not None and ea <= t < eb else "out" for t in ts]
            files += 1; rows += len(want); inside += want.count("in")
            if got != want:
                print("FAIL %s %s [%s, %s): %d of %d rows differ" % (path, tzname, a, b,
                      sum(x != y for x, y in zip(got, want)) + abs(len(got) - len(want)), len(want)))
                fails += 1
print("report: time windows: %d runs over both layouts, %d rows (%d inside), same as Python's datetime" % (files, rows, inside))
sys.exit(1 if fails or files < 4 else 0)
PYEOF
