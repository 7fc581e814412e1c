#!/usr/bin/env bash
# Test runner: unit tests, golden CLI cases and check scripts.
#
#   tests/unit/*.c          built by make into $BUILD/tests/unit/NAME; one test each,
#                           passes when it exits 0 (it prints its own CHECK failures)
#   tests/cli/<tool>/C.cmd  a shell snippet run in a fresh temporary directory with
#                           PATH=$BIN:$PATH and $ROOT, $CORPUS, $SHARED set; stdout is
#                           compared with C.out (required), stderr with C.err (absent:
#                           must be empty), exit status with C.exit (absent: 0).
#                           A line "# needs: corpus" skips the case when $CORPUS is absent;
#                           "# needs: CMD" skips it when CMD is not installed.
#   tests/checks/*.sh       scripts: exit 0 = pass, 77 = skip, anything else = fail.
#
# UPDATE=1 rewrites the goldens of every selected CLI case (passing ones too,
# so narrow it with FILTER); review the diff with git before committing.
# FILTER=REGEX runs only the tests whose name matches.
# The last line is exactly "N passed, N failed, N skipped".
set -u
# The signal checks need default dispositions: a runner started in the
# background of a script or under nohup inherits SIGINT/SIGHUP ignored, and
# the tools keep ignored signals ignored.
if [ -z "${TESTS_SIGNALS_RESET:-}" ]; then
	TESTS_SIGNALS_RESET=1 exec env --default-signal=INT,QUIT,HUP,TERM bash "$0" "$@"
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-bin}
BUILD=${BUILD:-build}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
SHARED=${SHARED:-$ROOT/../shared}
CORPUS=${CORPUS:-$SHARED/corpus}
FILTER=${FILTER:-}
UPDATE=${UPDATE:-0}
export ROOT BIN BUILD SHARED CORPUS
# Debian's python3 first: numpy, pandas and sklearn come from Debian packages
# (a pyenv or virtualenv python3 earlier on PATH would not see them).
export PATH="$BIN:/usr/bin:$PATH"
export TZ=UTC LC_ALL=C

pass=0 fail=0 skip=0
failed_names=()
TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/toolkit-tests.XXXXXX")
trap 'rm -rf "$TMPROOT"' EXIT

if [ ! -d "$CORPUS/pcaps" ]; then
	echo "note: $CORPUS not found: corpus tests are skipped"
fi

selected() { [ -z "$FILTER" ] || [[ $1 =~ $FILTER ]]; }
ok() { pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
bad() { fail=$((fail + 1)); failed_names+=("$1"); echo "FAIL $1"; }
skipped() { skip=$((skip + 1)); echo "skip $1 ($2)"; return 0; }

# needs LINE...: returns 0 when every requirement is met, else prints the reason
unmet() {
	local f=$1 req
	while read -r req; do
		case $req in
		corpus) [ -d "$CORPUS/pcaps" ] || { echo "no corpus"; return 0; } ;;
		'') ;;
		*) command -v "$req" >/dev/null 2>&1 || { echo "no $req"; return 0; } ;;
		esac
	done < <(sed -n 's/^# needs: *//p' "$f" | tr ' ,' '\n\n')
	return 1
}

# 1. unit tests: one per tests/unit/*.c (a binary left in $BUILD by a source
# since removed is not run; a source whose binary is missing fails)
for src in "$ROOT"/tests/unit/*.c; do
	[ -f "$src" ] || continue
	t=$BUILD/tests/unit/$(basename "$src" .c)
	name=unit/$(basename "$src" .c)
	selected "$name" || continue
	if [ ! -x "$t" ]; then
		bad "$name"
		echo "    not built: $t (run make unit)"
		continue
	fi
	if out=$(cd "$TMPROOT" && "$t" 2>&1); then
		ok "$name"
	else
		bad "$name"
		printf '%s\n' "$out" | tail -20 | sed 's/^/    /'
	fi
done

# 2. golden CLI cases
for cmd in "$ROOT"/tests/cli/*/*.cmd; do
	[ -f "$cmd" ] || continue
	base=${cmd%.cmd}
	name=cli/${base#"$ROOT"/tests/cli/}
	selected "$name" || continue
	if why=$(unmet "$cmd"); then
		skipped "$name" "$why"
		continue
	fi
	work=$TMPROOT/case
	rm -rf "$work" && mkdir -p "$work"
	(cd "$work" && bash "$cmd" >"$TMPROOT/out" 2>"$TMPROOT/err" </dev/null)
	code=$?
	want_exit=0
	[ -f "$base.exit" ] && want_exit=$(cat "$base.exit")
	good=1
	if [ "$UPDATE" = 1 ]; then
		cp "$TMPROOT/out" "$base.out"
		if [ -s "$TMPROOT/err" ]; then cp "$TMPROOT/err" "$base.err"; else rm -f "$base.err"; fi
		if [ "$code" != 0 ]; then echo "$code" >"$base.exit"; else rm -f "$base.exit"; fi
		ok "$name"
		continue
	fi
	if [ ! -f "$base.out" ]; then
		echo "    missing golden $base.out"
		good=0
	elif ! cmp -s "$base.out" "$TMPROOT/out"; then
		echo "    stdout differs:"; diff "$base.out" "$TMPROOT/out" | head -20 | sed 's/^/    /'
		good=0
	fi
	if [ -f "$base.err" ]; then
		if ! cmp -s "$base.err" "$TMPROOT/err"; then
			echo "    stderr differs:"; diff "$base.err" "$TMPROOT/err" | head -20 | sed 's/^/    /'
			good=0
		fi
	elif [ -s "$TMPROOT/err" ]; then
		echo "    unexpected stderr:"; head -20 "$TMPROOT/err" | sed 's/^/    /'
		good=0
	fi
	if [ "$code" != "$want_exit" ]; then
		echo "    exit status $code, expected $want_exit"
		good=0
	fi
	if [ $good = 1 ]; then ok "$name"; else bad "$name"; fi
done

# 3. check scripts
for s in "$ROOT"/tests/checks/*.sh; do
	[ -f "$s" ] || continue
	name=check/$(basename "$s" .sh)
	selected "$name" || continue
	work=$TMPROOT/check
	rm -rf "$work" && mkdir -p "$work"
	(cd "$work" && T=$work bash "$s" </dev/null) >"$TMPROOT/out" 2>&1
	code=$?
	if [ $code = 0 ]; then
		ok "$name"
		grep '^report:' "$TMPROOT/out" | sed 's/^/    /'
	elif [ $code = 77 ]; then
		skipped "$name" "$(tail -1 "$TMPROOT/out")"
	else
		bad "$name"
		tail -30 "$TMPROOT/out" | sed 's/^/    /'
	fi
done

if [ $fail -gt 0 ]; then
	echo "failed: ${failed_names[*]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
