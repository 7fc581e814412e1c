#!/bin/bash
# Property check: labeler and pandas (Debian's python3-pandas) give the same
# rows on generated CICFlowMeter-like CSVs, for the issue-5 recipe and for a
# recipe with rules, host/port and CIDR matching.
set -e
command -v python3 >/dev/null && python3 -c 'import pandas' 2>/dev/null || { echo "skip: python3 with pandas not found"; exit 77; }
BIN=${BIN:-bin}
LABELER=$(cd "$(dirname "$BIN/labeler")" && pwd)/labeler
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
python3 - <<'PYEOF'
import random
hdr = ["Flow ID", "Src IP", "Src Port", "Dst IP", "Dst Port", "Protocol", "Flow Duration",
       "Total Fwd Packet", "Total Bwd packets", "Flow Bytes/s", "Flow Packets/s", "Flow IAT Mean",
       "Bwd IAT Mean", "Down/Up Ratio", "Active Mean", "Idle Mean", "Label"]
def num(rnd):
    r = rnd.random()
    if r < 0.3: return str(rnd.randint(0, 3000))
    if r < 0.4: return "0.0"
    if r < 0.85: return repr(rnd.random() * 10 ** rnd.randint(0, 8))
    if r < 0.95: return "%.1fE%d" % (rnd.uniform(1, 9.9), rnd.randint(7, 11))
    return rnd.choice(["NaN", "Infinity", "-Infinity", ""])
for name, seed in (("a.csv", 1), ("b.csv", 2)):
    rnd = random.Random(seed)
    with open(name, "w") as f:
        f.write(",".join(hdr) + "\n")
        for i in range(3000):
            if rnd.random() < 0.15:
                sip, dip = "2001:db8::%x" % rnd.randint(1, 999), "fd00::%x" % rnd.randint(1, 99)
            else:
                sip = rnd.choice(["10.%d.0.%d" % (rnd.randint(0, 3), rnd.randint(1, 9)), "192.168.1.%d" % rnd.randint(1, 9)])
                dip = rnd.choice(["10.0.0.1", "8.8.8.8", "172.16.%d.1" % rnd.randint(0, 40)])
            sp, dp = rnd.choice([53, 443, rnd.randint(1024, 65535)]), rnd.choice([53, 80, 443, rnd.randint(1024, 65535)])
            row = ["f%d" % i, sip, str(sp), dip, str(dp), rnd.choice(["6", "17", "17", "1"]),
                   str(rnd.randint(0, 10 ** 8)), str(rnd.randint(0, 60)), str(rnd.randint(0, 60))]
            row += [num(rnd) for _ in range(7)]
            row.append("NeedManualLabel")
            f.write(",".join(row) + "\n")
PYEOF
cat > issue.yaml <<'EOF'
sources:
  - path: a.csv
    label: youtube
  - path: b.csv
    label: vimeo
default: other
match: "`Total Fwd Packet` > 30 or `Total Bwd packets` > 30"
drop: "Protocol == 17 and Label == 'other'"
columns: [Label, Protocol, Flow Duration, Flow Bytes/s, Flow Packets/s, Flow IAT Mean, Bwd IAT Mean, Down/Up Ratio, Active Mean, Idle Mean]
nonfinite: drop
EOF
cat > rules.yaml <<'EOF'
sources:
  - path: a.csv
    label: youtube
  - path: b.csv
    label: vimeo
    drop: "Label == 'dns' or `Flow Duration` / 1000 < 50"
rules:
  - when: "host 10.0.0.0/8 and not port 53"
    label: internal
  - when: "port 53"
    label: dns
  - when: "`Dst IP` in fd00::/8 or `Src IP` in [2001:db8::/120]"
    label: v6
default: other
match: "Protocol in [6, 17] and `Total Fwd Packet` + `Total Bwd packets` >= 40"
drop: "Protocol == 1"
columns: [Flow ID, Label, Src IP, Dst Port, Flow Bytes/s]
EOF
"$LABELER" issue.yaml -o issue.csv || exit 1
"$LABELER" rules.yaml -o rules.csv || exit 1
python3 "$ROOT/tests/tools/pandas_issue_recipe.py" pandas_issue.csv a.csv=youtube b.csv=vimeo || exit 1
python3 - <<'PYEOF'
import ipaddress, sys
import numpy as np, pandas as pd
def inet(s, net):
    try:
        return ipaddress.ip_address(s) in ipaddress.ip_network(net)
    except ValueError:
        return False
fails = 0
def same(name, got, want):
    global fails
    got = got.reset_index(drop=True)
    want = want.reset_index(drop=True)
    try:
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        print("report: %s: %d rows identical to pandas" % (name, len(got)))
    except AssertionError as e:
        print("FAIL %s: %s" % (name, e))
        fails += 1

# the issue recipe (the reference script shared with the benchmark)
same("issue recipe", pd.read_csv("issue.csv"), pd.read_csv("pandas_issue.csv"))

# rules, host/port/CIDR, per-source drop
parts = []
for path, label in (("a.csv", "youtube"), ("b.csv", "vimeo")):
    df = pd.read_csv(path)
    def lab(r):
        host10 = inet(r["Src IP"], "10.0.0.0/8") or inet(r["Dst IP"], "10.0.0.0/8")
        port53 = r["Src Port"] == 53 or r["Dst Port"] == 53
        if host10 and not port53: return "internal"
        if port53: return "dns"
        if inet(r["Dst IP"], "fd00::/8") or inet(r["Src IP"], "2001:db8::/120"): return "v6"
        if r["Protocol"] in (6, 17) and r["Total Fwd Packet"] + r["Total Bwd packets"] >= 40: return label
        return "other"
    df["Label"] = df.apply(lab, axis=1)
    if path == "a.csv":
        df = df[~(df["Protocol"] == 1)]
    else:
        df = df[~((df["Label"] == "dns") | (df["Flow Duration"] / 1000 < 50))]
    parts.append(df[["Flow ID", "Label", "Src IP", "Dst Port", "Flow Bytes/s"]])
same("rules recipe", pd.read_csv("rules.csv"), pd.concat(parts))
sys.exit(1 if fails else 0)
PYEOF
