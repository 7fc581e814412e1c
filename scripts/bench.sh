#!/usr/bin/env bash
# make bench: run every scripts/bench/*.sh (one per tool). Each prints its
# figures as ratios against a reference measured in the same run.
set -u
cd "$(dirname "$0")/.."
# Debian's python3 (with python3-sklearn/pandas) before any pyenv/virtualenv one
export PATH="$PWD/bin:/usr/bin:$PATH"
status=0
for b in scripts/bench/*.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	bash "$b" || { echo "bench $(basename "$b") failed"; status=1; }
done
exit $status
