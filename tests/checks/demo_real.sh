#!/usr/bin/env bash
# scripts/demo.sh --real on real captures of the corpus: the Requet YouTube
# captures (Chrome, mostly QUIC) against the real TCP video captures
# (Netflix, Instagram, 1kxun, PlayStation Vue), one folder per class. Checks
# that the workflow completes and reports; the figures go to the log.
set -u
V=$CORPUS/pcaps/video
[ -d "$V" ] || { echo "no corpus at $CORPUS"; exit 77; }
command -v python3 >/dev/null || { echo "no python3 to read summary.json"; exit 77; }
mkdir -p "$T/real/youtube" "$T/real/tcpvideo"
n=0
for f in "$V"/requet_*.pcap; do
	[ -f "$f" ] && ln -s "$f" "$T/real/youtube/" && n=$((n + 1))
done
m=0
for f in "$CORPUS"/pcaps/ndpi/netflix.pcap "$CORPUS"/pcaps/ndpi/instagram.pcap \
	"$CORPUS"/pcaps/ndpi/1kxun.pcap "$V"/nfstream__ps_vue.pcap; do
	[ -f "$f" ] && ln -s "$f" "$T/real/tcpvideo/" && m=$((m + 1))
done
[ $n -gt 0 ] && [ $m -gt 0 ] || { echo "corpus lacks the video captures ($n YouTube, $m TCP video)"; exit 77; }
"$ROOT/scripts/demo.sh" --real "$T/real" -o "$T/out" >"$T/demo.log" 2>&1 ||
	{ echo "FAIL: demo.sh --real exited $?"; tail -30 "$T/demo.log"; exit 1; }
grep -q '^== Summary' "$T/demo.log" || { echo "FAIL: no summary printed"; tail -30 "$T/demo.log"; exit 1; }
grep -c '^  flowmeter ' "$T/demo.log" | grep -qx $((n + m)) || { echo "FAIL: not every capture went through flowmeter"; exit 1; }
python3 - "$T/out" $n $m <<'PY'
import json, os, sys
out, n, m = sys.argv[1], sys.argv[2], sys.argv[3]
s = json.load(open(os.path.join(out, 'summary.json')))
assert len(s['iterations']) == 1, s
it = s['iterations'][0]
assert set(it['classes']) >= {'youtube', 'tcpvideo'}, it['classes']
assert it['rows'] > 0 and 0 <= it['accuracy'] <= 1 and 0 <= it['fidelity'] <= 1, it
for f in ('dataset.csv', 'tree.svg', 'trustee.txt', 'recipe.yaml'):
    assert os.path.getsize(os.path.join(out, 'real', f)) > 0, f
print('report: %s YouTube + %s TCP video captures: %d rows (%s), accuracy %.4f, fidelity %.4f, '
      'root %s, hints: %s' % (n, m, it['rows'], ','.join(it['classes']), it['accuracy'],
                              it['fidelity'], it['root_rule'], '; '.join(it['hints']) or 'none'))
PY
