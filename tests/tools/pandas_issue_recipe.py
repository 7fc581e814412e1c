#!/usr/bin/python3
"""The issue-5 recipe done with pandas: the reference for the labeler's
benchmark (scripts/bench/labeler.sh) and its pandas check
(tests/checks/labeler_pandas.sh).

usage: pandas_issue_recipe.py OUT.csv SOURCE.csv=LABEL...
Rows with more than 30 packets in either direction get the source's label,
the rest 'other'; UDP rows labelled 'other' are dropped; ten columns are kept
and rows with NaN or infinite cells dropped; the sources are concatenated."""
import sys
import numpy as np
import pandas as pd

COLS = ["Label", "Protocol", "Flow Duration", "Flow Bytes/s", "Flow Packets/s", "Flow IAT Mean",
        "Bwd IAT Mean", "Down/Up Ratio", "Active Mean", "Idle Mean"]

def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    parts = []
    for arg in sys.argv[2:]:
        path, label = arg.rsplit("=", 1)
        df = pd.read_csv(path)
        m = (df["Total Fwd Packet"] > 30) | (df["Total Bwd packets"] > 30)
        df["Label"] = np.where(m, label, "other")
        df = df[~((df["Protocol"] == 17) & (df["Label"] == "other"))]
        df = df[COLS].replace([np.inf, -np.inf], np.nan).dropna()
        parts.append(df)
    pd.concat(parts).to_csv(sys.argv[1], index=False)

main()
