#!/usr/bin/env bash
# model_load: a model file is judged by its header before anything else is
# read (issue 15, item 7). Sources that never end (/dev/zero, a valid model
# followed by endless bytes on a pipe), big files that are not models and
# headers announcing absurd lengths are refused quickly, with bounded memory
# and an error naming the file; a model read from a pipe loads like the file.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/bin}
F=$BIN/forest
[ -x /usr/bin/time ] || { echo "skip: /usr/bin/time is needed"; exit 77; }
command -v timeout >/dev/null || { echo "skip: timeout is needed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$F" train "$ROOT/tests/cli/forest/data/train.csv" -o "$tmp/m.bin" --trees 3 -q >/dev/null ||
	{ echo "FAIL: train"; exit 1; }
size=$(wc -c < "$tmp/m.bin")

# run CMD...: exit status in $rc, stderr in $err, peak RSS (KB) in $kb; 20 s at most
run() {
	rm -f "$tmp/err" "$tmp/time"
	timeout 20 /usr/bin/time -f '%M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
	kb=$(tail -n 1 "$tmp/time" 2>/dev/null || echo 0)
}
# expect WHAT RC STDERR-SUBSTRING MAX-KB
expect() {
	[ "$rc" = "$2" ] || bad "$1: exit $rc, want $2 ($err)"
	case $err in *"$3"*) ;; *) bad "$1: stderr '$err' lacks '$3'" ;; esac
	[ "${kb:-0}" -le "$4" ] 2>/dev/null || bad "$1: peak RSS ${kb} KB > $4 KB"
}

# /dev/zero: bad magic at once, not read until out of memory
run "$F" info /dev/zero
expect "info /dev/zero" 1 "forest: '/dev/zero': not a forest model file (bad magic)" 65536
run sh -c "'$F' predict /dev/zero '$ROOT/tests/cli/forest/data/test.csv'"
expect "predict /dev/zero" 1 "'/dev/zero': not a forest model file (bad magic)" 65536

# a 2 GB (sparse) file that is not a model: refused without reading it
truncate -s 2G "$tmp/big.bin"
run "$F" info "$tmp/big.bin"
expect "info 2 GB non-model" 1 "'$tmp/big.bin': not a forest model file (bad magic)" 65536

# a model followed by endless zeros on a pipe: read up to its announced end, then refused
run sh -c "cat '$tmp/m.bin' /dev/zero | '$F' info -"
expect "model + /dev/zero on a pipe" 1 "'-': corrupted model file (data after the announced $size bytes)" 65536

# the same model file followed by bytes: trailing bytes, named
cat "$tmp/m.bin" "$tmp/m.bin" > "$tmp/twice.bin"
run "$F" info "$tmp/twice.bin"
expect "model twice" 1 "'$tmp/twice.bin': corrupted model file ($size trailing bytes)" 65536

# a header announcing 2^50 bytes: refused from the header alone (file and pipe)
python3 - "$tmp/m.bin" "$tmp/huge.bin" <<'PY' || exit 1
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
b[16:24] = struct.pack("<Q", 1 << 50)
open(sys.argv[2], "wb").write(b)
PY
run "$F" info "$tmp/huge.bin"
expect "huge length (file)" 1 "'$tmp/huge.bin': corrupted model file (header announces 1125899906842624 bytes)" 65536
run sh -c "cat '$tmp/huge.bin' | '$F' info -"
expect "huge length (pipe)" 1 "'-': corrupted model file (header announces 1125899906842624 bytes)" 65536

# a short read on a pipe: truncated, with both lengths
run sh -c "head -c 1000 '$tmp/m.bin' | '$F' info -"
expect "truncated pipe" 1 "'-': truncated model file (1000 bytes, header announces $size)" 65536

# a directory
run "$F" info "$tmp"
expect "directory" 1 "'$tmp'" 65536

# a model from a pipe loads like the file (stream path), same predictions
"$F" info --dump "$tmp/m.bin" > "$tmp/a" || bad "info file"
"$F" info --dump - < "$tmp/m.bin" > "$tmp/b" || bad "info stdin (file)"
cat "$tmp/m.bin" | "$F" info --dump - > "$tmp/c" || bad "info stdin (pipe)"
cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/a" "$tmp/c" || bad "info from a pipe differs from the file"
[ -s "$tmp/a" ] || bad "info wrote nothing"
"$F" predict "$tmp/m.bin" "$ROOT/tests/cli/forest/data/test.csv" --proba > "$tmp/p1" || bad "predict file"
cat "$tmp/m.bin" | "$F" predict - "$ROOT/tests/cli/forest/data/test.csv" --proba > "$tmp/p2" ||
	bad "predict pipe"
cmp -s "$tmp/p1" "$tmp/p2" && [ -s "$tmp/p1" ] || bad "predictions from a piped model differ"

[ $fail = 0 ] && echo "    report: /dev/zero, 2 GB non-model, endless pipe, absurd length, truncated pipe refused; piped model = file"
exit $fail
