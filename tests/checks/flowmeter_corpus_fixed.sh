#!/usr/bin/env bash
# flowmeter --profile fixed against the corrected fork's golden files (see
# flowmeter_corpus_cic.sh; list: tests/flowmeter-known-diffs-fixed.txt).
PROFILE=fixed exec bash "$(dirname "$0")/flowmeter_corpus_cic.sh"
