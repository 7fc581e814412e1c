#!/bin/bash
# Real CICFlowMeter output (the corpus golden CSVs, both layouts): a
# keep-everything run of the labeler writes each file byte for byte, and the
# issue-5 recipe runs on every pair of video captures' flows without error.
set -u
G=${CORPUS:-}/golden
[ -d "$G/cic" ] || { echo "skip: corpus golden CSVs not found ($G)"; exit 77; }
BIN=${BIN:-bin}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# a private copy: other builds in the same tree may relink bin/labeler meanwhile
cp "$BIN/labeler" "$T/labeler" || exit 1
L=$T/labeler
n=0 same=0 fail=0
while IFS= read -r -d '' f; do
	n=$((n + 1))
	if "$L" "$f" -o "$T/out.csv" 2>"$T/err" && cmp -s "$f" "$T/out.csv"; then
		same=$((same + 1))
	else
		[ $fail -lt 5 ] && { echo "not identical: $f"; head -3 "$T/err"; }
		fail=$((fail + 1))
	fi
done < <(find "$G" -name '*_Flow.csv' -size +0 -print0 | sort -z)
echo "report: keep-everything run byte-identical on $same/$n corpus CSVs"
# the issue recipe on real video flows (upstream layout), sources next to the recipe
vids=("$G"/cic/video/*_Flow.csv)
if [ ${#vids[@]} -ge 2 ]; then
	cp "${vids[0]}" "$T/capture_youtube.pcap_Flow.csv"
	cp "${vids[1]}" "$T/capture_vimeo.pcap_Flow.csv"
	cp "$ROOT/tests/cli/labeler/data/recipe.yaml" "$T/"
	if "$L" "$T/recipe.yaml" -o "$T/dataset.csv" --stats 2>"$T/stats"; then
		echo "report: issue recipe on real video flows: $(($(wc -l < "$T/dataset.csv") - 1)) rows kept of $(($(wc -l < "$T/capture_youtube.pcap_Flow.csv") + $(wc -l < "$T/capture_vimeo.pcap_Flow.csv") - 2))"
	else
		cat "$T/stats"
		fail=$((fail + 1))
	fi
fi
[ $fail -eq 0 ]
