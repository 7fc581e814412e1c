#!/usr/bin/env bash
# A FIFO as IN: the wait for a writer is announced on stderr (after a
# second), SIGTERM during the wait ends the run with exit 1 and writes
# nothing; a writer that comes gives the same CSV as the file, no note.
set -u
f="$CORPUS/pcaps/synthetic/tcp_teardown.pcap"
[ -f "$f" ] || { echo "no corpus at $CORPUS"; exit 77; }
cd "$T" || exit 1
mkfifo p || { echo "cannot make a FIFO"; exit 77; }
status=0
flowmeter p out.csv 2>err &
pid=$!
sleep 2
grep -qF "flowmeter: 'p': waiting for a writer (a FIFO)" err || { echo "FAIL: no note about the wait:"; cat err; status=1; }
kill -TERM $pid
wait $pid
code=$?
[ "$code" = 1 ] || { echo "FAIL: SIGTERM while waiting: exit $code, want 1"; status=1; }
grep -qF 'interrupted before any packet was read: nothing written' err ||
	{ echo "FAIL: no 'nothing written' message:"; cat err; status=1; }
ls -a | grep -E 'out|tmp' && { echo "FAIL: SIGTERM while waiting left files"; status=1; }
flowmeter p out.csv 2>err &
pid=$!
cat "$f" >p
wait $pid || { echo "FAIL: exit $? with a writer:"; cat err; status=1; }
flowmeter "$f" ref.csv 2>/dev/null || { echo "FAIL: the capture itself fails"; status=1; }
cmp -s out.csv ref.csv || { echo "FAIL: the CSV read through the FIFO differs"; status=1; }
grep -q 'waiting' err && { echo "FAIL: a note although the writer came at once"; status=1; }
echo "report: FIFO without writer: note after 1 s, SIGTERM -> exit $code, nothing written; with a writer: same CSV as the file"
exit $status
