#!/usr/bin/python3
"""A scikit-learn model as a trustee expert (see docs/trustee.md, "Any model").

  expert-sklearn.py train DATA.csv MODEL.pkl [--model mlp|hgb|forest] [--label Label] [--seed S]
      fit a classifier on the numeric columns of DATA.csv (without the label
      and the identifier columns; rows with NaN/Infinity are left out) and
      save it with pickle
  expert-sklearn.py predict MODEL.pkl [IN.csv]
      read a CSV (IN.csv or stdin) with the model's feature columns and write
      one predicted label per line on stdout: the protocol of
      `trustee explain DATA.csv --expert-cmd 'expert-sklearn.py predict MODEL.pkl'`

Rows with NaN/Infinity get an answer too (computed with those cells as 0):
trustee drops such rows itself with --nonfinite drop and ignores their answers.
Only for the example and the tests: trustee never runs Python itself.
"""
import argparse
import pickle
import sys

import numpy as np
import pandas as pd

IDENTIFIERS = {"Flow ID", "Src IP", "Dst IP", "Source IP", "Destination IP", "Timestamp"}


def make_model(kind, seed):
    if kind == "mlp":
        from sklearn.neural_network import MLPClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        return make_pipeline(StandardScaler(),
                             MLPClassifier(hidden_layer_sizes=(32, 16), max_iter=300,
                                           random_state=seed))
    if kind == "hgb":
        from sklearn.ensemble import HistGradientBoostingClassifier
        return HistGradientBoostingClassifier(max_iter=50, random_state=seed)
    from sklearn.ensemble import RandomForestClassifier
    return RandomForestClassifier(n_estimators=50, random_state=seed)


def train(args):
    d = pd.read_csv(args.data)
    feats = [c for c in d.columns if c != args.label and c not in IDENTIFIERS
             and pd.api.types.is_numeric_dtype(d[c])]
    X = d[feats].astype(np.float64)
    ok = np.isfinite(X.to_numpy()).all(axis=1)
    model = make_model(args.model, args.seed)
    model.fit(X[ok], d[args.label][ok].astype(str))
    with open(args.out, "wb") as f:
        pickle.dump({"model": model, "features": feats}, f)
    print("%s: %s on %d rows, %d features" % (args.out, args.model, int(ok.sum()), len(feats)),
          file=sys.stderr)


def predict(args):
    with open(args.model, "rb") as f:
        saved = pickle.load(f)
    d = pd.read_csv(args.input if args.input else sys.stdin)
    missing = [c for c in saved["features"] if c not in d.columns]
    if missing:
        sys.exit("expert-sklearn.py: no column %s in the input" % ", ".join(map(repr, missing)))
    X = d[saved["features"]].astype(np.float64)
    X = X.where(np.isfinite(X.to_numpy()), 0.0)
    out = sys.stdout
    for label in saved["model"].predict(X):
        out.write("%s\n" % label)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("data")
    t.add_argument("out")
    t.add_argument("--model", choices=("mlp", "hgb", "forest"), default="mlp")
    t.add_argument("--label", default="Label")
    t.add_argument("--seed", type=int, default=0)
    q = sub.add_parser("predict")
    q.add_argument("model")
    q.add_argument("input", nargs="?")
    args = p.parse_args()
    train(args) if args.cmd == "train" else predict(args)


if __name__ == "__main__":
    main()
