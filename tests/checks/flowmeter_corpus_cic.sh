#!/usr/bin/env bash
# flowmeter --profile cic against the real CICFlowMeter's output for every
# development capture of the corpus that has a golden file: byte for byte.
# A capture that differs must be listed, with the reason, in
# tests/flowmeter-known-diffs-cic.txt ("path<TAB>reason"); an unlisted
# difference fails, and so does a listed capture that now matches (remove it
# from the list: the list can only shrink). Each capture gets a fresh output
# and must exit 0 (or 1 with a "damaged capture" message); at least one
# capture must run.
# flowmeter_corpus_fixed.sh runs this script with PROFILE=fixed.
set -u
PROFILE=${PROFILE:-cic}
[ -d "$CORPUS/pcaps" ] && [ -d "$CORPUS/golden/$PROFILE" ] ||
	{ echo "no corpus with golden/$PROFILE at $CORPUS"; exit 77; }
known="$ROOT/tests/flowmeter-known-diffs-$PROFILE.txt"
T=${T:-$(mktemp -d)}
declare -A listed=()
nlisted=0
if [ -f "$known" ]; then
	while IFS=$'\t' read -r path reason; do
		case $path in ''|'#'*) continue ;; esac
		listed[$path]=$reason
		nlisted=$((nlisted + 1))
	done < "$known"
fi
status=0 n=0 same=0 flowsame=0 damaged=0
flowdiff="$SHARED/tools/flowdiff.py"
cd "$CORPUS" || exit 1
while IFS= read -r g; do
	rel=${g#golden/$PROFILE/}
	cap=${rel%_Flow.csv}
	[ -f "pcaps/$cap" ] || continue
	n=$((n + 1))
	rm -f "$T/out.csv"
	timeout 60 flowmeter --profile "$PROFILE" "pcaps/$cap" "$T/out.csv" 2>"$T/err" >/dev/null
	code=$?
	# exit 0, or 1 for a damaged capture (its flows before the damage are written)
	if [ $code = 1 ] && grep -q "'pcaps/$cap': damaged" "$T/err"; then
		damaged=$((damaged + 1))
	elif [ $code != 0 ]; then
		echo "FAIL $cap: flowmeter exit $code:"
		head -3 "$T/err"
		status=1
		continue
	fi
	if [ ! -f "$T/out.csv" ]; then
		echo "FAIL $cap: no output"
		status=1
		continue
	fi
	if cmp -s "$T/out.csv" "$g"; then
		same=$((same + 1))
		flowsame=$((flowsame + 1))
		if [ -n "${listed[$cap]+x}" ]; then
			echo "FAIL $cap now matches: remove it from $(basename "$known")"
			status=1
		fi
		continue
	fi
	if command -v python3 >/dev/null && [ -f "$flowdiff" ] &&
		python3 "$flowdiff" "$g" "$T/out.csv" >"$T/fd" 2>&1; then
		flowsame=$((flowsame + 1))
	fi
	if [ -z "${listed[$cap]+x}" ]; then
		echo "FAIL $cap differs from the golden file (not in $(basename "$known")):"
		tail -1 "$T/fd" 2>/dev/null
		diff "$g" "$T/out.csv" | head -6
		status=1
	fi
done < <(find "golden/$PROFILE" -name '*_Flow.csv' | sort)
echo "report: $PROFILE profile: $same/$n byte-identical, $flowsame flow-identical," \
	"$nlisted listed in $(basename "$known"); $damaged damaged captures (exit 1)"
[ "$n" -gt 0 ] || { echo "FAIL: no capture with a golden file ran"; exit 1; }
exit $status
