#!/usr/bin/env bash
# Every malformed capture of the corpus ends in under 10 s with exit 0 or 1,
# no crash, and a failure message that names the file.
set -u
[ -d "$CORPUS/pcaps/malformed" ] || { echo "no corpus at $CORPUS"; exit 77; }
status=0 n=0 ok0=0 ok1=0
while IFS= read -r f; do
	n=$((n + 1))
	timeout 10 flowmeter "$f" "$T/out.csv" >/dev/null 2>"$T/err"
	code=$?
	case $code in
	0) ok0=$((ok0 + 1)) ;;
	1)
		ok1=$((ok1 + 1))
		if ! grep -qF "$(basename "$f")" "$T/err"; then
			echo "FAIL $f: exit 1 without naming the file:"; head -3 "$T/err"; status=1
		fi ;;
	124) echo "FAIL $f: still running after 10 s"; status=1 ;;
	*) echo "FAIL $f: exit $code"; head -5 "$T/err"; status=1 ;;
	esac
	rm -f "$T/out.csv"
done < <(find "$CORPUS/pcaps/malformed" -type f | sort)
echo "report: $n malformed captures: $ok0 exit 0, $ok1 exit 1 with a message naming the file"
exit $status
