#!/usr/bin/env bash
# Outputs are atomic and write errors are reported, for every tool:
# a full disk (/dev/full) or a closed stdout exits non-zero with a message; a
# failed run leaves an existing output untouched and no temporary file behind;
# flowmeter interrupted by SIGINT writes the flows finished so far to
# OUT.partial.csv, says so, exits non-zero, and leaves a complete CSV (never a
# half-written one) and OUT untouched.
# Then, for every tool: a replaced output keeps its mode, a symbolic link is
# written through; a signal during the final write (every terminating signal,
# a real crash, two signals at once) removes the temporary file, keeps the old
# output and ends with that signal's status; a killed run in the middle of its
# output leaves nothing; a closed pipe ends quietly with SIGPIPE's status.
set -u
ulimit -c 0
status=0
fail() { echo "FAIL: $*"; status=1; }
is_old() { echo OLD | cmp -s - "$1"; }	# is_old FILE: still holds "OLD"
no_temp_left() {
	if ls -a "$1" | grep -q '\.tmp'; then fail "temporary file left in $1: $(ls -a "$1" | grep '\.tmp')"; fi
}

python3 "$SHARED/tools/mkpcap.py" --packets 3000 --flows 50 --seed 3 -o cap.pcap 2>/dev/null ||
	{ echo "cannot run mkpcap.py"; exit 77; }

# --- flowmeter
flowmeter cap.pcap /dev/full 2>err; code=$?
[ $code = 1 ] || fail "flowmeter to /dev/full: exit $code"
grep -q '/dev/full' err || fail "flowmeter to /dev/full: no message naming it: $(cat err)"
flowmeter cap.pcap - 2>err >&-; code=$?
[ $code = 1 ] || fail "flowmeter to closed stdout: exit $code"
[ -s err ] || fail "flowmeter to closed stdout: no message"
mkdir -p keep && echo OLD >keep/out.csv
head -c 100 /dev/urandom >garbage.pcap
flowmeter garbage.pcap keep/out.csv 2>err; code=$?
[ $code = 1 ] || fail "flowmeter on garbage: exit $code"
[ "$(cat keep/out.csv)" = OLD ] || fail "flowmeter replaced an existing output on failure"
no_temp_left keep
# SIGINT while reading a pipe that stays open: deterministic interruption
# (a background job of a script starts with SIGINT ignored and flowmeter
# keeps an ignored signal ignored, as nohup expects: env restores it)
mkdir -p sig
( cat cap.pcap; sleep 3 ) | env --default-signal=INT flowmeter - sig/out.csv 2>sig/err &
pid=$!
sleep 1
kill -INT $(pgrep -P $$ -x flowmeter) 2>/dev/null
wait $pid; code=$?
[ $code != 0 ] || fail "flowmeter interrupted: exit 0"
grep -qi 'interrupt' sig/err || fail "flowmeter interrupted: does not say so: $(cat sig/err)"
# the finished flows go under a name that says so; OUT itself is not written
[ ! -e sig/out.csv ] || fail "flowmeter interrupted: wrote the final name sig/out.csv"
if [ -f sig/out.partial.csv ]; then
	head -1 sig/out.partial.csv | grep -q '^Flow ID,' || fail "interrupted output has no header"
	[ -z "$(tail -c 1 sig/out.partial.csv)" ] || fail "interrupted output ends mid-line"
	grep -q "out.partial.csv" sig/err || fail "flowmeter interrupted: message does not name the partial file"
	echo "report: flowmeter SIGINT: $(($(wc -l <sig/out.partial.csv) - 1)) finished flows written, exit $code"
else
	fail "flowmeter interrupted after reading packets: no sig/out.partial.csv ($(cat sig/err))"
fi
no_temp_left sig

# --- labeler
flowmeter cap.pcap flows.csv 2>/dev/null
labeler flows.csv --file-label x -o /dev/full 2>err; code=$?
[ $code = 1 ] || fail "labeler to /dev/full: exit $code"
grep -q '/dev/full' err || fail "labeler to /dev/full: no message naming it: $(cat err)"
labeler flows.csv --file-label x 2>err >&-; code=$?
[ $code = 1 ] || fail "labeler to closed stdout: exit $code"
mkdir -p lab && echo OLD >lab/out.csv
labeler flows.csv --file-label x --match 'nosuchcolumn > 1' -o lab/out.csv 2>err; code=$?
[ $code != 0 ] || fail "labeler with unknown column: exit 0"
[ "$(cat lab/out.csv)" = OLD ] || fail "labeler replaced an existing output on failure"
no_temp_left lab

# --- forest
[ -f flows.csv ] || fail "no flows.csv for the forest checks"
awk -F, 'NR==1{print; next} {$NF=(NR%2?"a":"b"); print}' OFS=, flows.csv >lab.csv
forest train lab.csv -o /dev/full --trees 3 --seed 1 --nonfinite zero >/dev/null 2>err; code=$?
grep -q /dev/full err || fail "forest train to /dev/full: no message naming it: $(cat err)"
[ $code = 1 ] || fail "forest train to /dev/full: exit $code"
mkdir -p fo && echo OLD >fo/m.rf
forest train nosuch.csv -o fo/m.rf --trees 3 2>err; code=$?
[ $code != 0 ] || fail "forest train on a missing file: exit 0"
[ "$(cat fo/m.rf)" = OLD ] || fail "forest replaced an existing model on failure"
no_temp_left fo
# --- every tool: modes, links, signals, pipes
# A tiny LD_PRELOAD shim makes a signal arrive at a known moment: when the tool
# calls fsync() on its finished temporary file, right before the rename.
cat >shim.c <<'SHIM'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int fsync(int fd)
{
	static int (*real)(int);
	const char *s = getenv("SHIM_SIGNALS");	/* "15" or "15,2"; "fault" = a real SIGSEGV */
	if (s && *s) {
		if (!strcmp(s, "fault")) {
			volatile uintptr_t bad = 8;
			*(volatile int *)bad = 1;
		}
		sigset_t all, old;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, &old);	/* all at once: the first handler sees the rest pending */
		for (char *p = (char *)s; *p;) {
			long sig = strtol(p, &p, 10);
			kill(getpid(), (int)sig);
			if (*p == ',')
				p++;
		}
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}
SHIM
asan=0
ldd "$(command -v forest)" 2>/dev/null | grep -q libasan && asan=1
if cc -shared -fPIC -o shim.so shim.c -ldl 2>shim.err; then
	have_shim=1
else
	have_shim=0
	fail "cannot build the fsync shim: $(cat shim.err)"
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

big=$ROOT/tests/cli/forest/data/train.csv
forest train "$big" -o m.rf --trees 3 --seed 1 -q >/dev/null || fail "forest train for the checks"
flowmeter cap.pcap flows.csv 2>/dev/null || fail "flowmeter for the checks"
# command lines writing OUT (replaced by the output path); name | command
cmds=(
	"forest-train|forest train $big -o OUT --trees 3 --seed 1 -q"
	"forest-predict|forest predict m.rf $big -o OUT"
	"labeler|labeler flows.csv --file-label x -o OUT"
	"trustee|trustee explain m.rf $big --samples 100 --iter 2 --stability-iter 1 --threads 1 --svg OUT"
	"synth|synth -s youtube -n 1 -d 5 -o OUT"
	"flowmeter|flowmeter cap.pcap OUT"
)
run() {	# run NAME OUT: run the command of NAME writing OUT, stdout dropped
	local line
	for line in "${cmds[@]}"; do
		[ "${line%%|*}" = "$1" ] || continue
		line=${line#*|}
		bash -c "${line//OUT/$2}" >/dev/null
		return
	done
}
mkdir -p modes
for line in "${cmds[@]}"; do
	name=${line%%|*}
	d=modes/$name && mkdir -p $d
	# a replaced file keeps its mode
	echo OLD >$d/out && chmod 600 $d/out
	run $name $d/out 2>$d/err || fail "$name: exit $? writing an existing file: $(cat $d/err)"
	[ "$(stat -c %a $d/out)" = 600 ] || fail "$name: mode 600 became $(stat -c %a $d/out)"
	! is_old $d/out || fail "$name: output not replaced"
	# a new file gets 0666 & ~umask
	(umask 027 && run $name $d/new 2>/dev/null) || fail "$name: exit $? writing a new file"
	[ "$(stat -c %a $d/new)" = 640 ] || fail "$name: new file with umask 027 has mode $(stat -c %a $d/new)"
	# a symbolic link is written through: the link stays, its target is replaced
	mkdir -p $d/real && echo OLD >$d/real/target && chmod 640 $d/real/target
	ln -s real/target $d/link
	run $name $d/link 2>$d/err || fail "$name: exit $? writing through a link: $(cat $d/err)"
	[ -L $d/link ] || fail "$name: the symbolic link was replaced by a file"
	! is_old $d/real/target || fail "$name: the link's target was not written"
	cmp -s $d/out $d/real/target || [ "${name%%-*}" = trustee ] || [ "$name" = forest-train ] ||
		fail "$name: the output through the link differs from the direct one"
	[ "$(stat -c %a $d/real/target)" = 640 ] || fail "$name: the link's target lost its mode"
	no_temp_left $d
	no_temp_left $d/real
done

# a signal during the final write: no temporary file, the old output kept, the signal's status
sigs="INT TERM HUP QUIT PIPE ALRM USR1 SEGV BUS ABRT FPE XFSZ"
tested=0
for line in "${cmds[@]}"; do
	[ $have_shim = 1 ] || break
	name=${line%%|*}
	d=sig/$name && mkdir -p $d
	for sig in $sigs fault TERM,INT; do
		# flowmeter's SIGINT/SIGTERM/SIGHUP stop reading and commit a partial result (its own checks)
		[ $name = flowmeter ] && case $sig in INT|TERM|HUP|TERM,INT) continue ;; esac
		echo OLD >$d/out
		case $sig in
		fault) num=fault want=$((128 + $(kill -l SEGV))) ;;
		*,*) num=$(kill -l ${sig%,*}),$(kill -l ${sig#*,}) want="$((128 + $(kill -l ${sig%,*}))) $((128 + $(kill -l ${sig#*,})))" ;;
		*) num=$(kill -l $sig) want=$((128 + num)) ;;
		esac
		SHIM_SIGNALS=$num LD_PRELOAD=$PWD/shim.so run $name $d/out 2>$d/err
		code=$?
		tested=$((tested + 1))
		case " $want " in
		*" $code "*) ;;
		*) if [ $asan = 1 ] && [ $code = 1 ] && case $sig in SEGV|BUS|FPE|ABRT|fault) true ;; *) false ;; esac; then
			:	# the sanitizer reports the crash and exits 1
		   else
			fail "$name, SIG$sig during the final write: exit $code, want $want ($(head -c 300 $d/err))"
		   fi ;;
		esac
		is_old $d/out || fail "$name, SIG$sig: the old output was replaced"
		no_temp_left $d
	done
done
echo "report: $tested tool and signal pairs during the final write: no temporary file left"

# killed from outside in the middle of the output (a source that stays open / a long write)
mkdir -p mid && echo OLD >mid/l.csv
# (a background job of a script starts with SIGINT and SIGQUIT ignored, and they stay so)
for sig in TERM HUP USR1 ALRM; do
	rm -f mid/fifo && mkfifo mid/fifo
	labeler - --file-label x -o mid/l.csv <mid/fifo 2>mid/err &
	pid=$!
	exec 3>mid/fifo	# the source stays open: labeler waits for more rows
	cat flows.csv >&3
	for i in $(seq 100); do ls -a mid | grep -q 'l.csv.tmp' && break; sleep 0.05; done
	if ls -a mid | grep -q 'l.csv.tmp'; then
		kill -$sig $pid
		wait $pid; code=$?
		[ $code = $((128 + $(kill -l $sig))) ] || fail "labeler killed by SIG$sig: exit $code"
		is_old mid/l.csv || fail "labeler killed by SIG$sig: the old output was replaced"
		no_temp_left mid
	else
		fail "labeler reading a pipe has no temporary output after 5 s (SIG$sig not tested)"
	fi
	exec 3>&-
	wait $pid 2>/dev/null
done
rm -f mid/fifo
mkdir -p mid
synth -s youtube,vimeo -n 200 -d 30 -o mid/s.pcap 2>mid/err &
pid=$!
for i in $(seq 200); do ls -a mid | grep -q 's.pcap.tmp' && break; sleep 0.05; done
kill -TERM $pid; wait $pid; code=$?
[ $code = 143 ] || echo "note: synth ended with $code before SIGTERM"
[ ! -e mid/s.pcap ] || fail "synth killed while writing left mid/s.pcap"
no_temp_left mid

# a closed pipe ends quietly with SIGPIPE's status (141 in the shell), as cat and grep do
pipe_check() {	# pipe_check NAME COMMAND...: stdout of COMMAND read by head -1
	"${@:2}" 2>pipe.err | head -1 >/dev/null
	local code=${PIPESTATUS[0]}
	[ $code = 141 ] || fail "$1 into a closed pipe: exit $code, want 141 (SIGPIPE)"
	[ ! -s pipe.err ] || fail "$1 into a closed pipe: says $(head -c 200 pipe.err)"
	no_temp_left .
}
for i in 1 2 3 4 5 6 7 8; do tail -n +2 "$big"; done | cat "$big" - >big.csv
forest train big.csv -o big.rf --trees 20 --seed 1 -q >/dev/null
pipe_check "forest predict" forest predict m.rf big.csv
pipe_check "forest info --dump" forest info --dump big.rf
pipe_check labeler labeler big.csv --file-label x
pipe_check synth synth -s youtube -n 2 -d 10 -o -
exit $status
