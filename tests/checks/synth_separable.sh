#!/usr/bin/env bash
# The synthesizer plants exactly one shortcut. On the video flows (more than
# 30 packets either way) of a YouTube and a Vimeo capture, with the demo's
# nine features: with QUIC, a one-split tree on Protocol is the best single
# split and tells the services apart (>= 0.85; background QUIC flows of the
# Vimeo capture that pass the 30-packet rule keep it below 1); with
# --no-quic (both captures), no one-split tree on any single feature does better than 0.8,
# while a random forest on all nine still learns something (cross-validated
# accuracy above the best single split).
set -u
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
python3 -c 'import pandas, sklearn' 2>/dev/null || { echo "no pandas/sklearn (python3-pandas, python3-sklearn)"; exit 77; }
synth -s youtube,noise -S 21 -d 60 -n 16 -o yq.pcap &&
	synth -s youtube,noise -S 21 -d 60 -n 16 --no-quic -o yt.pcap &&
	synth -s vimeo,noise -S 22 -d 60 -n 16 -o vq.pcap &&
	synth -s vimeo,noise -S 22 -d 60 -n 16 --no-quic -o vm.pcap || { echo "FAIL: synth"; exit 1; }
for f in yq yt vq vm; do flowmeter $f.pcap $f.csv >/dev/null 2>&1 || { echo "FAIL: flowmeter $f.pcap"; exit 1; }; done
python3 - <<'PY'
import sys
import numpy as np, pandas as pd
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score, StratifiedKFold
F = ['Protocol', 'Flow Duration', 'Flow Bytes/s', 'Flow Packets/s', 'Flow IAT Mean', 'Bwd IAT Mean',
     'Down/Up Ratio', 'Active Mean', 'Idle Mean']
def video(path, label):
    d = pd.read_csv(path)
    d = d[(d['Total Fwd Packet'] > 30) | (d['Total Bwd packets'] > 30)].copy()
    d['Label'] = label
    return d
def stumps(d):
    d = d[F + ['Label']].replace([np.inf, -np.inf], np.nan).dropna()
    return {f: DecisionTreeClassifier(max_depth=1).fit(d[[f]], d.Label).score(d[[f]], d.Label) for f in F}, d
sq, _ = stumps(pd.concat([video('yq.csv', 'youtube'), video('vq.csv', 'vimeo')]))
st, d = stumps(pd.concat([video('yt.csv', 'youtube'), video('vm.csv', 'vimeo')]))
cv = cross_val_score(RandomForestClassifier(100, random_state=0), d[F], d.Label,
                     cv=StratifiedKFold(5, shuffle=True, random_state=0)).mean()
best = max(st, key=st.get)
print('report: QUIC: Protocol split %.3f; no QUIC: best single split %s %.3f, Protocol %.3f, forest (5-fold) %.3f'
      % (sq['Protocol'], best, st[best], st['Protocol'], cv))
ok = sq['Protocol'] >= 0.85 and sq['Protocol'] == max(sq.values()) and st[best] <= 0.8 and cv > st[best]
if not ok:
    print('FAIL: QUIC stumps %s; no-QUIC stumps %s' % (sq, st))
sys.exit(0 if ok else 1)
PY
