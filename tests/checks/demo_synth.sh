#!/usr/bin/env bash
# The synthetic demo end to end (scripts/demo.sh into a temporary folder):
# it completes, writes a well-formed summary.json with three iterations,
# iteration 1's tree splits first on Protocol (the planted QUIC shortcut)
# and trustee's hints name it, iterations 2 and 3 (no QUIC) neither split
# on it first nor get a hint about it,
# and the SVG trees and labelled datasets are there; iterations 1 and 3 end
# with trustee check (printed as a table, carried by summary.json): in
# iteration 1 it removes Protocol first.
set -u
command -v python3 >/dev/null || { echo "no python3 to read summary.json"; exit 77; }
"$ROOT/scripts/demo.sh" -o "$T/out" >"$T/demo.log" 2>&1 || { echo "FAIL: demo.sh exited $?"; tail -30 "$T/demo.log"; exit 1; }
sed -n '/^== Summary/,/^$/p' "$T/demo.log" | grep -v '^$' | sed 's/^/report: /'
python3 - "$T/out" <<'PY'
import json, os, sys
out = sys.argv[1]
s = json.load(open(os.path.join(out, 'summary.json')))
its = s['iterations']
assert len(its) == 3, 'expected 3 iterations, got %d' % len(its)
for i, it in enumerate(its, 1):
    for k in ('root_feature', 'fidelity', 'accuracy', 'hints', 'classes', 'rows'):
        assert k in it, 'iteration %d lacks %s' % (i, k)
    assert isinstance(it['hints'], list)
    assert 0 <= it['accuracy'] <= 1 and 0 <= it['fidelity'] <= 1, it
    d = os.path.join(out, 'iter%d' % i)
    for f in ('dataset.csv', 'tree.svg', 'trustee.json', 'eval.json', 'model.rf'):
        assert os.path.getsize(os.path.join(d, f)) > 0, 'missing %s/%s' % (d, f)
    assert open(os.path.join(d, 'tree.svg')).read().lstrip().startswith('<'), 'tree.svg is not SVG'
    head = open(os.path.join(d, 'dataset.csv')).readline().strip()
    assert head == ('Label,Protocol,Flow Duration,Flow Bytes/s,Flow Packets/s,Flow IAT Mean,'
                    'Bwd IAT Mean,Down/Up Ratio,Active Mean,Idle Mean'), head
one, two, three = its
assert one['root_feature'] == 'Protocol', 'iteration 1 root: %r' % one['root_feature']
assert any('Protocol' in h for h in one['hints']), 'iteration 1 hints: %r' % one['hints']
assert sorted(one['classes']) == ['other', 'vimeo', 'youtube'], one['classes']
assert two['root_feature'] != 'Protocol', 'iteration 2 still splits on Protocol'
assert not any('Protocol' in h for h in two['hints'] + three['hints']), 'Protocol hint without QUIC'
assert sorted(three['classes']) == ['other', 'twitch', 'vimeo', 'youtube'], three['classes']
assert not os.path.exists(os.path.join(out, 'pcaps')), 'captures left behind'
assert 'check' not in two, 'iteration 2 has no check'
for i, it in ((1, one), (3, three)):
    c = it.get('check')
    assert c and c['steps'], 'iteration %d: no check in summary.json' % i
    assert abs(c['baseline']['accuracy'] - it['accuracy']) < 1e-9, (c['baseline'], it['accuracy'])
    for k, st in enumerate(c['steps'], 1):
        assert len(st['removed']) == k and st['kind'] in ('identifier', 'artefact', 'behaviour'), st
        assert 0 <= st['accuracy'] <= 1 and st['verdict'], st
    txt = open(os.path.join(out, 'iter%d' % i, 'check.txt')).read()
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
