#!/usr/bin/env bash
# Replay every fuzz target's checked-in seeds and crashers (tests/fuzz/<target>/)
# through its plain replay build: nothing may crash (ASan/UBSan abort under
# make sanitize) or hang.
set -u
status=0 n=0
for t in "$BUILD"/fuzz/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	dir=$ROOT/tests/fuzz/$name
	if [ ! -d "$dir" ]; then
		echo "$name: no seed folder tests/fuzz/$name"
		status=1
		continue
	fi
	if ! timeout 300 "$t" "$dir" >/dev/null 2>"$T/$name.err"; then
		echo "$name: replay failed"
		tail -20 "$T/$name.err"
		status=1
	fi
	n=$((n + 1))
	echo "report: $name $(tail -1 "$T/$name.err")"
done
[ $n -gt 0 ] || { echo "no fuzz targets built"; exit 1; }
exit $status
