#!/usr/bin/env bash
# demo.sh: the whole workflow in one command (run by `make demo`).
#
#   scripts/demo.sh [-o DIR] [--seed N] [--keep-pcaps]   the synthetic study, three iterations
#                                                        and iteration 3 labelled by server name
#   scripts/demo.sh --real DIR [-o OUT]                   the same workflow on your captures:
#                                                        DIR/<class>/*.pcap, one folder per class
#
# Each iteration: synth (captures) -> flowmeter (flow CSVs) -> labeler (recipe:
# datasets/recipes/iterN-*.yaml) -> a stratified 70/30 train/test split ->
# forest train -> forest eval (held-out rows) -> trustee explain (training
# rows); iterations 1 and 3 end with trustee check (remove the feature the
# tree rests on, retrain, explain again: the verdict table). Iteration 3's
# flows carry server names (flowmeter --names); iteration 3n labels them by
# name (iter3-by-name.yaml) and counts the flow rows the two labellings
# disagree on. The end prints a side-by-side table and writes OUT/summary.json.
# Needs only bash, awk, sed, grep and the toolkit's programs (no python).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/bin}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
export PATH="$BIN:$PATH"
export LC_ALL=C

usage() {
	cat <<'EOF'
Usage: scripts/demo.sh [-o DIR] [--seed N] [--keep-pcaps]
       scripts/demo.sh --real DIR [-o OUT] [--seed N]
run the whole study: captures -> flows -> labelled dataset -> forest -> trustee.

  -o, --out DIR    where everything goes (default: demo-out, or demo-real-out with --real)
      --seed N     seed of the captures, the split, the forest and trustee (default 1)
      --real DIR   use your captures: DIR/<class>/*.pcap (pcapng, .cap, .gz too), one folder per class
      --keep-pcaps keep the synthetic captures (OUT/pcaps/, 20-60 MB each, 420 MB in all)
  -h, --help       show this help and exit
EOF
}

die() { echo "demo: $*" >&2; exit 1; }

OUT= SEED=1 REAL= KEEP=0
while [ $# -gt 0 ]; do
	case $1 in
	-o|--out) [ $# -ge 2 ] || die "option '$1' needs an argument"; OUT=$2; shift 2 ;;
	--seed) [ $# -ge 2 ] || die "option '$1' needs an argument"; SEED=$2; shift 2 ;;
	--real) [ $# -ge 2 ] || die "option '$1' needs an argument"; REAL=$2; shift 2 ;;
	--keep-pcaps) KEEP=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "demo: unknown option '$1'" >&2; echo "Try 'scripts/demo.sh --help' for more information." >&2; exit 2 ;;
	esac
done
case $SEED in ''|*[!0-9]*) echo "demo: invalid seed '$SEED'" >&2; exit 2 ;; esac
[ -n "$OUT" ] || { if [ -n "$REAL" ]; then OUT=demo-real-out; else OUT=demo-out; fi; }

needed="flowmeter labeler forest trustee"
[ -n "$REAL" ] || needed="synth $needed"
for t in $needed; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found in $BIN (run make first)"
done

START=$(date +%s%N)
elapsed() { echo $(( ($(date +%s%N) - START) / 1000000 )) | awk '{ printf "%.1f", $1 / 1000 }'; }

# step TOOL WHAT -- CMD...: one line saying what the step does, then run it quietly.
LOG=
step() {
	local tool=$1 what=$2; shift 2
	[ "$1" = -- ] && shift
	printf '  %-10s %s\n' "$tool" "$what"
	if ! "$@" >>"$LOG" 2>&1; then
		echo "demo: step failed: $*" >&2
		tail -20 "$LOG" | sed 's/^/  | /' >&2
		exit 1
	fi
}

# split DATA TRAIN TEST: stratified, deterministic: 3 rows in 10 of every label go to TEST.
split() {
	awk -F, -v seed="$SEED" -v train="$2" -v test="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == "Label") li = i
			  if (!li) { print "no Label column" > "/dev/stderr"; exit 1 }
			  print > train; print > test; next }
		{ k = ++seen[$li]; if ((k * 7 + seed) % 10 < 3) print > test; else print > train }' "$1"
}

# JSON scraping of our own tools' outputs (one value per key).
json_num() { { tr '\n' ' ' <"$2" | grep -o "\"$1\": *[-0-9.eE+naul]*" || true; } | head -1 | sed 's/.*: *//'; }
json_str() { { tr '\n' ' ' <"$2" | grep -o "\"$1\": *\"[^\"]*\"" || true; } | head -1 | sed 's/.*: *"//; s/"$//'; }
num4() { case $1 in ''|null|nan|NaN) echo "${1:-?}" ;; *) printf '%.4f' "$1" ;; esac; }
jesc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
# hints of a trustee --json report, one "Feature (kind, where)" per line
hints_of() {
	tr '\n' ' ' <"$1" | sed 's/.*"hints": *\[//; s/\] *, *"settings".*//; s/\] *} *$//' |
		tr '}' '\n' | while IFS= read -r obj; do
			f=$(printf '%s' "$obj" | grep -o '"feature": *"[^"]*"' | sed 's/.*: *"//; s/"$//') || true
			[ -n "$f" ] || continue
			k=$(printf '%s' "$obj" | grep -o '"kind": *"[^"]*"' | sed 's/.*: *"//; s/"$//') || true
			w=$(printf '%s' "$obj" | grep -o '"where": *"[^"]*"' | sed 's/.*: *"//; s/"$//') || true
			printf '%s (%s%s%s)\n' "$f" "$k" "${k:+${w:+, }}" "$w"
		done
}

declare -a T_NAME T_CLASSES T_ROWS T_ACC T_FID T_ROOT T_HINTS JSON_ITEMS

# analyse NAME DIR: labelled DIR/dataset.csv -> split, forest, eval, trustee; record results.
analyse() {
	local name=$1 d=$2 check=${3:-} classes rows acc f1 fid root rule hints h hj cj=
	step split "split the labelled rows 70/30 per class (train.csv, test.csv)" -- split "$d/dataset.csv" "$d/train.csv" "$d/test.csv"
	step forest "train a random forest (100 trees, seed $SEED) on train.csv" -- \
		forest train "$d/train.csv" -o "$d/model.rf" --seed "$SEED"
	step forest "evaluate it on the held-out test.csv (eval.txt, eval.json)" -- \
		sh -c 'forest eval "$1" "$2" >"$3" && forest eval "$1" "$2" --json >"$4"' sh \
		"$d/model.rf" "$d/test.csv" "$d/eval.txt" "$d/eval.json"
	step trustee "explain it with trustee: the tree it behaves like (tree.svg, trustee.txt)" -- \
		sh -c 'trustee explain "$1" "$2" --samples-frac 0.5 --iter 20 --train-size 0.99 --seed "$3" \
			--svg "$4" --json "$5" >"$6"' sh "$d/model.rf" "$d/train.csv" "$SEED" \
		"$d/tree.svg" "$d/trustee.json" "$d/trustee.txt"

	rows=$(($(wc -l <"$d/dataset.csv") - 1))
	classes=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "Label") li = i; next }
		{ n[$li]++ } END { for (k in n) print k }' "$d/dataset.csv" | sort | paste -sd, -)
	acc=$(json_num accuracy "$d/eval.json")
	f1=$(json_num macro_f1 "$d/eval.json")
	fid=$(json_num fidelity "$d/trustee.json")
	root=$(json_str root_feature "$d/trustee.json")
	rule=$(awk '/^Rules/ { if ((getline l) > 0) { sub(/^ *if /, "", l); sub(/:$/, "", l); print l }; exit }' \
		"$d/trustee.txt")
	[ -n "$root" ] || { root=null; rule="(a single leaf)"; }
	hints=$(hints_of "$d/trustee.json")
	printf '  => forest accuracy %s on %s held-out rows; trustee fidelity %s; root rule: %s\n' \
		"$(num4 "$acc")" "$(($(wc -l <"$d/test.csv") - 1))" "$(num4 "$fid")" "${rule:-$root}"
	awk '/^Top [0-9]+ branch/ { f = 1; next } f && /^ *[0-9]+\./ { sub(/^ *[0-9]+\. */, ""); print; if (++n == 3) exit }' \
		"$d/trustee.txt" | sed 's/^/  => top branch: /'
	if [ -n "$hints" ]; then
		printf '%s\n' "$hints" | sed 's/^/  => hint: /'
		if printf '%s\n' "$hints" | grep -F "$root (" | grep -qE 'identifier|artefact|artifact'; then
			echo "  => the tree rests first on '$root', which trustee flags as an identifier or capture artefact: likely a shortcut (how the traffic was carried, not what it is)"
		else
			echo "  => the root rule tests '$root'; trustee's hints above are worth a look (hints, not verdicts)"
		fi
	else
		echo "  => no shortcut hints: the root rule tests traffic behaviour ('$root')"
	fi

	if [ -n "$check" ]; then
		step trustee "check: remove the feature the tree rests on, retrain, explain again, 3 times (check.txt, check.json)" -- \
			sh -c 'trustee check "$1" "$2" --test "$3" --steps 3 --samples-frac 0.5 --iter 20 --train-size 0.99 \
				--seed "$4" --json "$5" --svg "$6" >"$7"' sh "$d/model.rf" "$d/train.csv" "$d/test.csv" \
			"$SEED" "$d/check.json" "$d/check-trees" "$d/check.txt"
		sed -n '/^step /,/^$/p' "$d/check.txt" | sed '/^$/d; s/^/  | /'
		grep -E '^([0-9]+\. |stopped after)' "$d/check.txt" | sed 's/^/  => check: /'
		cj=$(tr '\n' ' ' <"$d/check.json" | sed 's/  */ /g; s/ *$//')
	fi
	T_NAME+=("$name"); T_CLASSES+=("$classes"); T_ROWS+=("$rows"); T_ACC+=("$acc")
	T_FID+=("$fid"); T_ROOT+=("${rule:-$root}"); T_HINTS+=("$(printf '%s' "$hints" | paste -sd';' -)")
	hj=
	while IFS= read -r h; do
		[ -n "$h" ] && hj="$hj${hj:+, }\"$(jesc "$h")\""
	done <<<"$hints"
	[ "$root" = null ] && root=null || root="\"$(jesc "$root")\""
	JSON_ITEMS+=("$(printf '{"name": "%s", "classes": ["%s"], "rows": %s, "accuracy": %s, "macro_f1": %s, "fidelity": %s, "root_feature": %s, "root_rule": "%s", "hints": [%s], "dir": "%s"%s}' \
		"$(jesc "$name")" "$(printf '%s' "$classes" | sed 's/,/", "/g')" "$rows" "${acc:-null}" \
		"${f1:-null}" "${fid:-null}" "$root" "$(jesc "$rule")" "$hj" "$(jesc "$d")" \
		"${cj:+, \"check\": $cj}")")
}

# flows PCAP CSV: one capture through flowmeter; with NAMES=1 also the server
# name of each flow (--names: two more columns, Server Name and Name Source).
NAMES=0
flows() {
	local opt=() what=flows
	[ "$NAMES" = 1 ] && opt=(--names) what="flows and server names"
	step flowmeter "extract CICFlowMeter $what -> $(basename "$2")" -- flowmeter "${opt[@]}" "$1" "$2"
}

# capture NAME WHAT SYNTH-ARGS...: synthesize OUT/pcaps/NAME.pcap and its flows into $DIR.
capture() {
	local name=$1 what=$2; shift 2
	step synth "$what -> $name.pcap" -- synth "$@" -o "$OUT/pcaps/$name.pcap"
	flows "$OUT/pcaps/$name.pcap" "$DIR/$name.pcap_Flow.csv"
	[ "$KEEP" = 1 ] || rm -f "$OUT/pcaps/$name.pcap"	# up to 60 MB each
}

label() {
	cp "$1" "$DIR/recipe.yaml"
	step labeler "label, filter and merge the flows ($(basename "$1")) -> dataset.csv" -- \
		labeler "$DIR/recipe.yaml" -o "$DIR/dataset.csv"
}

# disagree FILE-RECIPE NAME-RECIPE: label every flow row of the sources by
# both recipes (no drop, no column choice: one output row per flow row, same
# order) into $DIR/labels.csv (Flow ID, Timestamp, By capture, By name) and
# count the rows on which the two labels differ, per pair of labels.
DIS_ROWS= DIS_N= DIS_PAIRS= DIS_JSON= DIS_LINE=	# DIS_PAIRS: "COUNT<tab>A -> B" lines
disagree() {
	local f
	for f in by-capture:"$1" by-name:"$2"; do
		{ grep -vE '^(drop|columns|nonfinite|output):' "${f#*:}"
		  if [ "${f%%:*}" = by-capture ]; then echo 'columns: [Flow ID, Timestamp, Label]'
		  else echo 'columns: [Label]'; fi; } >"$DIR/compare-${f%%:*}.yaml"
	done
	step labeler "label every flow both ways, by capture and by name, row for row (labels.csv)" -- \
		sh -c 'labeler "$1/compare-by-capture.yaml" -o "$1/labels-by-capture.csv" &&
			labeler "$1/compare-by-name.yaml" -o "$1/labels-by-name.csv"' sh "$DIR"
	[ "$(wc -l <"$DIR/labels-by-capture.csv")" = "$(wc -l <"$DIR/labels-by-name.csv")" ] ||
		die "the two labellings of $DIR do not have the same rows"
	paste -d, "$DIR/labels-by-capture.csv" "$DIR/labels-by-name.csv" |
		sed '1s/,Label,Label$/,By capture,By name/' >"$DIR/labels.csv"
	rm -f "$DIR/labels-by-capture.csv" "$DIR/labels-by-name.csv"
	DIS_ROWS=$(($(wc -l <"$DIR/labels.csv") - 1))
	DIS_PAIRS=$(awk -F, 'NR > 1 && $(NF - 1) != $NF { n[$(NF - 1) " -> " $NF]++ }
		END { for (k in n) print n[k] "\t" k }' "$DIR/labels.csv" | sort -t"$(printf '\t')" -k1,1nr -k2,2)
	DIS_N=$(printf '%s\n' "$DIS_PAIRS" | awk -F'\t' 'NF == 2 { n += $1 } END { print n + 0 }')
	DIS_JSON=$(printf '{"flows": %s, "disagree": %s, "pairs": {%s}, "file": "%s"}' "$DIS_ROWS" "$DIS_N" \
		"$(printf '%s\n' "$DIS_PAIRS" | awk -F'\t' 'NF == 2 { printf "%s\"%s\": %s", (NR > 1 ? ", " : ""), $2, $1 }')" \
		"$(jesc "$DIR/labels.csv")")
	DIS_LINE=$(printf 'labelled by capture and packet count vs by server name: %s of %s flow rows differ%s' \
		"$DIS_N" "$DIS_ROWS" "$(printf '%s\n' "$DIS_PAIRS" |
			awk -F'\t' 'NF == 2 { printf "%s%s %s", (NR > 1 ? ", " : " ("), $1, $2 } END { if (NR && $0 != "") print ")" }')")
	echo "  => $DIS_LINE"
}

summary() {
	local i n=${#T_NAME[@]}
	echo
	echo "== Summary ($(elapsed) s)"
	printf '%-28s %-28s %6s %9s %9s  %-30s %s\n' iteration classes rows accuracy fidelity "root rule" hints
	for ((i = 0; i < n; i++)); do
		printf '%-28s %-28s %6s %9s %9s  %-30s %s\n' "${T_NAME[i]}" "${T_CLASSES[i]}" "${T_ROWS[i]}" \
			"$(num4 "${T_ACC[i]}")" "$(num4 "${T_FID[i]}")" \
			"${T_ROOT[i]}" "${T_HINTS[i]:-none}"
	done
	[ -z "$DIS_LINE" ] || echo "Iteration 3 $DIS_LINE"
	{
		printf '{"seed": %s, "seconds": %s, "iterations": [\n' "$SEED" "$(elapsed)"
		for ((i = 0; i < n; i++)); do
			printf '  %s%s\n' "${JSON_ITEMS[i]}" "$([ $i -lt $((n - 1)) ] && echo ,)"
		done
		printf ']%s}\n' "${DIS_JSON:+, \"label_disagreement\": $DIS_JSON}"
	} >"$OUT/summary.json.tmp"
	mv "$OUT/summary.json.tmp" "$OUT/summary.json"
	echo
	echo "Wrote $OUT/summary.json; per iteration: dataset.csv (labelled), tree.svg, trustee.txt, eval.txt."
}

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# ---- your own captures ------------------------------------------------------
if [ -n "$REAL" ]; then
	[ -d "$REAL" ] || die "cannot open '$REAL': not a directory"
	DIR=$OUT/real
	rm -rf "$DIR" && mkdir -p "$DIR/flows"
	LOG=$DIR/log.txt
	: >"$LOG"
	echo "== Your captures: $REAL (one class per folder)"
	{
		echo "# generated by scripts/demo.sh --real: one source per capture, label = its folder"
		echo "sources:"
	} >"$DIR/recipe.yaml"
	nclass=0
	for cdir in "$REAL"/*/; do
		[ -d "$cdir" ] || continue
		class=$(basename "$cdir")
		n=0
		mkdir -p "$DIR/flows/$class"
		while IFS= read -r f; do
			csv=flows/$class/$(basename "$f")_Flow.csv
			printf '  %-10s %s\n' flowmeter "extract CICFlowMeter flows -> $class/$(basename "$csv")"
			if ! flowmeter "$f" "$DIR/$csv" >>"$LOG" 2>&1; then
				echo "demo: warning: skipping '$f': $(tail -1 "$LOG")" >&2
				continue
			fi
			printf '  - path: "%s"\n    label: "%s"\n' "$(jesc "$csv")" "$(jesc "$class")" >>"$DIR/recipe.yaml"
			n=$((n + 1))
		done < <(find -L "$cdir" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \
			-o -name '*.pcap.gz' -o -name '*.pcapng.gz' \) | sort)
		[ $n -gt 0 ] && nclass=$((nclass + 1))
	done
	[ "$nclass" -ge 2 ] || die "'$REAL' needs at least two class folders holding captures (*.pcap, *.pcapng, *.cap)"
	sed -n '/^default:/,$p' "$ROOT/datasets/recipes/iter1-youtube-vimeo.yaml" >>"$DIR/recipe.yaml"
	step labeler "label, filter and merge the flows (recipe.yaml) -> dataset.csv" -- \
		labeler "$DIR/recipe.yaml" -o "$DIR/dataset.csv"
	analyse "your captures" "$DIR"
	summary
	exit 0
fi

# ---- the synthetic study ----------------------------------------------------
mkdir -p "$OUT/pcaps"
R=$ROOT/datasets/recipes

echo "== Iteration 1: YouTube (QUIC allowed) vs Vimeo"
DIR=$OUT/iter1
rm -rf "$DIR" && mkdir -p "$DIR"
LOG=$DIR/log.txt
: >"$LOG"
capture capture_youtube "synthesize 16 YouTube sessions (QUIC) + background traffic, 60 s" \
	-s youtube,noise -S $((SEED * 10 + 1)) -d 60 -n 16
capture capture_vimeo "synthesize 16 Vimeo sessions (TLS/TCP) + background traffic, 60 s" \
	-s vimeo,noise -S $((SEED * 10 + 2)) -d 60 -n 16
label "$R/iter1-youtube-vimeo.yaml"
analyse "1 YouTube(QUIC)+Vimeo" "$DIR" check

echo
echo "== Iteration 2: the same viewers with QUIC disabled in the browser (YouTube over TLS/TCP)"
DIR=$OUT/iter2
rm -rf "$DIR" && mkdir -p "$DIR"
LOG=$DIR/log.txt
: >"$LOG"
capture capture_youtube_noquic "synthesize the same 16 YouTube sessions with --no-quic, 60 s" \
	-s youtube,noise --no-quic -S $((SEED * 10 + 1)) -d 60 -n 16
capture capture_vimeo_noquic "synthesize the same 16 Vimeo sessions with --no-quic (background QUIC off), 60 s" \
	-s vimeo,noise --no-quic -S $((SEED * 10 + 2)) -d 60 -n 16
label "$R/iter2-youtube-noquic-vimeo.yaml"
analyse "2 YouTube(TCP)+Vimeo" "$DIR"

echo
echo "== Iteration 3: three services (Twitch added), two captures each, more viewers, QUIC still off"
DIR=$OUT/iter3
rm -rf "$DIR" && mkdir -p "$DIR"
LOG=$DIR/log.txt
: >"$LOG"
NAMES=1	# the flow CSVs carry the server names too (same dataset: recipe.yaml keeps its nine columns)
capture capture_youtube_noquic_a "synthesize 12 YouTube sessions (no QUIC), 60 s" \
	-s youtube,noise --no-quic -S $((SEED * 10 + 3)) -d 60 -n 12
capture capture_youtube_noquic_b "synthesize 10 other YouTube sessions (no QUIC), 90 s" \
	-s youtube,noise --no-quic -S $((SEED * 10 + 4)) -d 90 -n 10
capture capture_vimeo_a "synthesize 12 Vimeo sessions, 60 s" -s vimeo,noise --no-quic -S $((SEED * 10 + 5)) -d 60 -n 12
capture capture_vimeo_b "synthesize 10 other Vimeo sessions, 90 s" -s vimeo,noise --no-quic -S $((SEED * 10 + 6)) -d 90 -n 10
capture capture_twitch_a "synthesize 12 Twitch live sessions, 60 s" -s twitch,noise --no-quic -S $((SEED * 10 + 7)) -d 60 -n 12
capture capture_twitch_b "synthesize 10 other Twitch live sessions, 90 s" \
	-s twitch,noise --no-quic -S $((SEED * 10 + 8)) -d 90 -n 10
label "$R/iter3-youtube-vimeo-twitch.yaml"
analyse "3 YouTube+Vimeo+Twitch" "$DIR" check
NAMES=0

echo
echo "== Iteration 3 by name: the same flows labelled by server name (TLS SNI, HTTP Host, DNS), not by capture"
D3=$DIR
DIR=$OUT/iter3-names
rm -rf "$DIR" && mkdir -p "$DIR"
LOG=$DIR/log.txt
: >"$LOG"
for f in "$D3"/*.pcap_Flow.csv; do ln -s "../iter3/$(basename "$f")" "$DIR/"; done
label "$R/iter3-by-name.yaml"
disagree "$D3/recipe.yaml" "$DIR/recipe.yaml"
analyse "3n the same, by server name" "$DIR" check

[ "$KEEP" = 1 ] || rm -rf "$OUT/pcaps"
summary
