#!/bin/bash
# Deep and long expressions: nesting beyond the bound is a clear error naming
# its position (never a stack overflow); long flat chains (100,000-term and/or,
# 60,000 'not', 300,001 unary minus, a 1,000,000-term sum) compile and give
# the right rows. Error positions in a long recipe line cost linear time: a
# 300,001-name columns list (quadratic before: over 20 s, now a fraction of a
# second) is run under a CPU limit of 20 s as a hang guard. Block-style YAML
# nesting ('- - - ...', '? ? ...', indentation) deeper than 64 levels is
# refused before libyaml, under the same CPU limit.
set -u
BIN=${BIN:-bin}
L=$(cd "$(dirname "$BIN/labeler")" && pwd)/labeler
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
printf 'Protocol,Port,Label\n6,443,a\n17,53,b\n6,80,c\n' > in.csv
fail=0
# expect NAME WANT_EXIT WANT_STDOUT WANT_STDERR_SUBSTRING CMD...
expect() {
	local name=$1 want=$2 out=$3 err=$4 got
	shift 4
	"$@" > out.txt 2> err.txt
	got=$?
	if [ "$got" != "$want" ] || [ "$(cat out.txt)" != "$out" ] ||
		{ [ -n "$err" ] && ! grep -qF -- "$err" err.txt; } || { [ -z "$err" ] && [ -s err.txt ]; }; then
		echo "FAIL $name: exit $got (want $want)"; head -c 300 out.txt; head -c 300 err.txt; echo
		fail=$((fail + 1))
	else
		echo "report: $name: ok"
	fi
}
recipe() {	# recipe FILE EXPR: a recipe whose match is EXPR (in a literal block)
	{ printf 'sources: [in.csv]\ncolumns: [Label]\nlabel_column: Label\ndrop: |-\n  not ('; cat "$2"; printf ')\n'; } > "$1"
}
python3 - <<'PYEOF'
n = 20000
open("parens.txt", "w").write("(" * n + "Protocol == 6" + ")" * n)
open("parens_ok.txt", "w").write("(" * 200 + "Protocol == 6" + ")" * 200)
open("nots.txt", "w").write("not " * 60000 + "Protocol == 6")
open("ands.txt", "w").write(" and ".join(["Protocol == 6"] * 100000))
open("ors.txt", "w").write(" or ".join(["Port == 53"] * 100000))
open("neg.txt", "w").write("-" * 300001 + "Port == -53")
open("sum.txt", "w").write("+".join(["Protocol"] * 1000000) + " == 6000000")
open("sumc.txt", "w").write("+".join(["1"] * 1000000) + " + Port == 1000080")
PYEOF
expect "20,000 parentheses in --match" 1 "" "--match:1:257: expression nested too deeply (more than 256 parentheses)" \
	"$L" in.csv --match "$(cat parens.txt)" --file-label x
recipe parens.yaml parens.txt
expect "20,000 parentheses in a recipe" 1 "" "parens.yaml:5:263: expression nested too deeply" "$L" parens.yaml
recipe ok.yaml parens_ok.txt
expect "200 parentheses" 0 "$(printf 'Label\na\nc')" "" "$L" ok.yaml
recipe nots.yaml nots.txt
expect "60,000 not" 0 "$(printf 'Label\na\nc')" "" "$L" nots.yaml
recipe ands.yaml ands.txt
expect "100,000-term and" 0 "$(printf 'Label\na\nc')" "" "$L" ands.yaml
recipe ors.yaml ors.txt
expect "100,000-term or" 0 "$(printf 'Label\nb')" "" "$L" ors.yaml
recipe neg.yaml neg.txt
expect "300,001 unary minus" 0 "$(printf 'Label\nb')" "" "$L" neg.yaml
recipe sum.yaml sum.txt
expect "1,000,000-term sum" 0 "$(printf 'Label\na\nc')" "" "$L" sum.yaml
recipe sumc.yaml sumc.txt
expect "1,000,000-term constant sum" 0 "$(printf 'Label\nc')" "" "$L" sumc.yaml
python3 -c 'open("wide.yaml", "w").write("sources: [in.csv]\ncolumns: [" + ",".join(["Label"] * 300000) + ",Nope]\n")'
expect "300,001 column names on one line" 1 "" \
	"wide.yaml:2:1800011: unknown column 'Nope' in 'in.csv' (did you mean 'Port'?)" \
	bash -c 'ulimit -t 20; exec "$0" "$@"' "$L" wide.yaml
# Block-style YAML nesting is refused by the scan before libyaml, like flow
# nesting: 100,000 levels of '- ' or '? ' on one line (10,000,000 took 3 GB of
# memory in libyaml before) and 5,000 lines each more indented; the text of a
# block scalar ('|') is not structure, so '- - - ...' inside it is an expression.
python3 - <<'PYEOF'
open("dashes.yaml", "w").write("sources:\n  " + "- " * 100000 + "in.csv\n")
open("keys.yaml", "w").write("sources: [in.csv]\n" + "? " * 100000 + "x\n")
open("mixed.yaml", "w").write("sources:\n  " + "- ? : " * 33334 + "in.csv\n")
open("indent.yaml", "w").write("sources:\n" + "".join(" " * (k + 1) + "-\n" for k in range(5000)))
open("scalar.yaml", "w").write("sources: [in.csv]\ncolumns: [Label]\ndrop: |-\n  not (Port ==\n  " +
                               "- " * 100 + "53)\n")
PYEOF
limited() { bash -c 'ulimit -t 20; exec "$0" "$@"' "$@"; }
expect "100,000 levels of '- '" 1 "" "dashes.yaml:2:127: lists and mappings nested deeper than 64 levels" \
	limited "$L" dashes.yaml
expect "100,000 levels of '? '" 1 "" "keys.yaml:2:127: lists and mappings nested deeper than 64 levels" \
	limited "$L" keys.yaml
expect "100,000 levels of '- ? : '" 1 "" "mixed.yaml:2:127: lists and mappings nested deeper than 64 levels" \
	limited "$L" mixed.yaml
expect "5,000 indentation levels" 1 "" "indent.yaml:65:65: lists and mappings nested deeper than 64 levels" \
	limited "$L" indent.yaml
expect "'- ' x 100 inside a block scalar" 0 "$(printf 'Label\nb')" "" limited "$L" scalar.yaml
[ $fail -eq 0 ]
