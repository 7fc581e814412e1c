#!/usr/bin/env bash
# The synthetic demo end to end (scripts/demo.sh into a temporary folder):
# it completes, writes a well-formed summary.json with three iterations,
# iteration 1's tree splits first on Protocol (the planted QUIC shortcut)
# and trustee's hints name it, iterations 2 and 3 (no QUIC) neither split
# on it first nor get a hint about it,
# and the SVG trees and labelled datasets are there; iterations 1 and 3 end
# with trustee check (printed as a table, carried by summary.json): in
# iteration 1 it removes Protocol first. The label-by-name path (issue 17):
# iteration 3's flows carry server names (flowmeter --names), "3n" labels
# them by name (datasets/recipes/iter3-by-name.yaml), and the count of rows
# the two labellings disagree on (summary.json's label_disagreement, the
# printed summary line, labels.csv) equals what Python computes from the
# flow CSVs itself (30-packet rule per capture vs fnmatch on Server Name).
set -u
command -v python3 >/dev/null || { echo "no python3 to read summary.json"; exit 77; }
"$ROOT/scripts/demo.sh" -o "$T/out" >"$T/demo.log" 2>&1 || { echo "FAIL: demo.sh exited $?"; tail -30 "$T/demo.log"; exit 1; }
sed -n '/^== Summary/,/^$/p' "$T/demo.log" | grep -v '^$' | sed 's/^/report: /'
python3 - "$T/out" <<'PY'
import json, os, sys
out = sys.argv[1]
s = json.load(open(os.path.join(out, 'summary.json')))
its = s['iterations']
assert len(its) == 4, 'expected 4 iterations, got %d' % len(its)
for i, it in zip((1, 2, 3, '3-names'), its):
    for k in ('root_feature', 'fidelity', 'accuracy', 'hints', 'classes', 'rows'):
        assert k in it, 'iteration %d lacks %s' % (i, k)
    assert isinstance(it['hints'], list)
    assert 0 <= it['accuracy'] <= 1 and 0 <= it['fidelity'] <= 1, it
    d = os.path.join(out, 'iter%s' % i)
    for f in ('dataset.csv', 'tree.svg', 'trustee.json', 'eval.json', 'model.rf'):
        assert os.path.getsize(os.path.join(d, f)) > 0, 'missing %s/%s' % (d, f)
    assert open(os.path.join(d, 'tree.svg')).read().lstrip().startswith('<'), 'tree.svg is not SVG'
    head = open(os.path.join(d, 'dataset.csv')).readline().strip()
    assert head == ('Label,Protocol,Flow Duration,Flow Bytes/s,Flow Packets/s,Flow IAT Mean,'
                    'Bwd IAT Mean,Down/Up Ratio,Active Mean,Idle Mean'), head
one, two, three, byname = its
assert one['root_feature'] == 'Protocol', 'iteration 1 root: %r' % one['root_feature']
assert any('Protocol' in h for h in one['hints']), 'iteration 1 hints: %r' % one['hints']
assert sorted(one['classes']) == ['other', 'vimeo', 'youtube'], one['classes']
assert two['root_feature'] != 'Protocol', 'iteration 2 still splits on Protocol'
assert not any('Protocol' in h for h in two['hints'] + three['hints']), 'Protocol hint without QUIC'
assert sorted(three['classes']) == ['other', 'twitch', 'vimeo', 'youtube'], three['classes']
assert not os.path.exists(os.path.join(out, 'pcaps')), 'captures left behind'
assert 'check' not in two, 'iteration 2 has no check'
assert sorted(byname['classes']) == ['other', 'twitch', 'vimeo', 'youtube'], byname['classes']
for i, it in ((1, one), (3, three), ('3-names', byname)):
    c = it.get('check')
    assert c and c['steps'], 'iteration %d: no check in summary.json' % i
    assert abs(c['baseline']['accuracy'] - it['accuracy']) < 1e-9, (c['baseline'], it['accuracy'])
    for k, st in enumerate(c['steps'], 1):
        assert len(st['removed']) == k and st['kind'] in ('identifier', 'artefact', 'behaviour'), st
        assert 0 <= st['accuracy'] <= 1 and st['verdict'], st
    txt = open(os.path.join(out, 'iter%s' % i, 'check.txt')).read()
    assert '\n1. %s: ' % c['steps'][0]['feature'] in txt, 'iteration %d: no verdict line' % i
first = one['check']['steps'][0]
assert first['feature'] == 'Protocol' and first['kind'] == 'artefact', first
assert first['accuracy_drop'] > first['noise'], first
print('report: iteration 1 root %s (hints: %s), iteration 2 root %s, iteration 3 root %s, %s s'
      % (one['root_feature'], '; '.join(one['hints']), two['root_feature'], three['root_feature'],
         s.get('seconds')))
print('report: check, iteration 1: without Protocol accuracy %.4f -> %.4f (%s); iteration 3 removes %s'
      % (one['check']['baseline']['accuracy'], first['accuracy'], first['outcome'],
         ', '.join(three['check']['steps'][-1]['removed'])))
PY
[ $? = 0 ] || exit 1
# the label-by-name path, recomputed from the flow CSVs
python3 - "$T/out" "$ROOT/datasets/recipes" "$T/demo.log" <<'PY'
import csv, fnmatch, json, os, sys
out, recipes, log = sys.argv[1:4]
s = json.load(open(os.path.join(out, 'summary.json')))
d3 = os.path.join(out, 'iter3')
files = [('capture_youtube_noquic_a', 'youtube'), ('capture_youtube_noquic_b', 'youtube'),
         ('capture_vimeo_a', 'vimeo'), ('capture_vimeo_b', 'vimeo'),
         ('capture_twitch_a', 'twitch'), ('capture_twitch_b', 'twitch')]
pats = {'youtube': ['*.googlevideo.com', 'youtube.com', '*.youtube.com', '*.ytimg.com'],
        'vimeo': ['*.vimeocdn.com', 'vimeo.com', '*.vimeo.com'],
        'twitch': ['*.ttvnw.net', '*.jtvnw.net', 'twitch.tv', '*.twitch.tv']}
rec = open(os.path.join(recipes, 'iter3-by-name.yaml')).read()
for p in sum(pats.values(), []):
    assert "'%s'" % p in rec, 'recipe lost pattern %s' % p
expect, pairs, sources, named = [], {}, {}, 0
for f, svc in files:
    rows = list(csv.reader(open(os.path.join(d3, f + '.pcap_Flow.csv'), newline='')))
    h = rows[0]
    assert h[-2:] == ['Server Name', 'Name Source'], '%s: no --names columns: %r' % (f, h[-2:])
    fw, bw, fid = h.index('Total Fwd Packet'), h.index('Total Bwd packets'), h.index('Flow ID')
    for r in rows[1:]:
        a = svc if int(r[fw]) > 30 or int(r[bw]) > 30 else 'other'
        n = r[-2].lower()
        named += n != ''
        sources[r[-1]] = sources.get(r[-1], 0) + 1
        b = next((k for k in ('youtube', 'vimeo', 'twitch')
                  if any(fnmatch.fnmatchcase(n, p) for p in pats[k])), 'other')
        expect.append((r[fid], a, b))
        if a != b:
            pairs['%s -> %s' % (a, b)] = pairs.get('%s -> %s' % (a, b), 0) + 1
dis = sum(pairs.values())
got = list(csv.reader(open(os.path.join(out, 'iter3-names', 'labels.csv'), newline='')))
assert got[0] == ['Flow ID', 'Timestamp', 'By capture', 'By name'], got[0]
assert [(r[0], r[2], r[3]) for r in got[1:]] == expect, 'labels.csv differs from the recomputed labels'
ld = s.get('label_disagreement')
assert ld, 'summary.json has no label_disagreement'
assert ld['flows'] == len(expect) and ld['disagree'] == dis and ld['pairs'] == pairs, (ld, len(expect), dis, pairs)
assert 0 < dis < len(expect), 'disagreement %d of %d: the by-name path labels nothing differently' % (dis, len(expect))
assert named > len(expect) // 2 and sources.get('sni', 0) > 0, ('names', named, sources)
line = [l for l in open(log) if l.startswith('Iteration 3 labelled by capture')]
assert len(line) == 1 and (' %d of %d flow rows differ' % (dis, len(expect))) in line[0], line
by = s['iterations'][3]
print('report: by name: %d of %d flows named (%s); labellings disagree on %d rows (%s); by-name accuracy %.4f'
      % (named, len(expect), ', '.join('%s %d' % kv for kv in sorted(sources.items()) if kv[0]),
         dis, ', '.join('%s %d' % kv for kv in sorted(pairs.items(), key=lambda kv: -kv[1])), by['accuracy']))
PY
