#!/usr/bin/env bash
# flowmeter --names against tshark (an independent dissector that reassembles
# TLS over TCP and decrypts QUIC Initials) on the corpus's captures with TLS
# or QUIC server names (MANIFEST.tsv contents "quic" up to 1 MB, "SNI" up to
# 100 kB: about 20; plus pcpp__example.pcap for DNS and HTTP):
#  - every ClientHello tshark shows with a server name (TLS or QUIC) is on a
#    flow with the same endpoints whose Server Name is that name (source sni
#    or quic);
#  - no flow with port 443 (where tshark dissects TLS and QUIC by default)
#    has an sni/quic name tshark did not see for its endpoints;
#  - every dns-sourced name is a name tshark saw resolve one of the flow's
#    addresses (question name of an A/AAAA answer, CNAMEs followed) at or
#    before the flow's first packet.
# The same on a capture of the demo's synthesizer (bin/synth), where in
# addition every DNS answer for a server address must carry the server name
# of the connections to it (the synthesizer's lookups come before them).
# Counted apart, not failures: ClientHellos of QUIC versions --names does not
# read (v2, RFC 9369; drafts before 23), ClientHellos on endpoints of no flow
# at all (inside tunnels flowmeter does not open: GTP-U, CAPWAP), TLS
# ClientHellos over UDP that are not QUIC (RDP-UDP, DTLS: not read), and
# names tshark cannot confirm because it reports it could not decrypt the
# connection's Initial (after a version negotiation; ours passed the AES-GCM
# tag) or saw conflicting overlapping TCP data on it (it keeps the first
# bytes, the server answered the ClientHello that overlapped them). A capture flowmeter
# refuses must give exit 1 and a message, not a crash. Runs --profile fixed --decode full (single-packet flows are
# written, inner addresses of tunnels). One tshark pass per capture. Prints
# how many captures, ClientHellos and flows it compared.
# NAMES_CAPTURES=FILE compares the captures FILE lists instead (paths under
# $CORPUS/pcaps, one a line), e.g. every capture with a ClientHello or a QUIC
# long header in its bytes; TSHARK_TIMEOUT (default 60 s) per capture.
set -u
[ -d "$CORPUS/pcaps" ] || { echo "no corpus at $CORPUS"; exit 77; }
command -v tshark >/dev/null || { echo "no tshark"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
T=${T:-$(mktemp -d)}
cp "$BIN/flowmeter" "$T/fm" || exit 1
cd "$CORPUS" || exit 1
status=0
if [ -n "${NAMES_CAPTURES:-}" ]; then
	list=$(grep -v '^$' "$NAMES_CAPTURES" | sed "s|^|$CORPUS/pcaps/|") || exit 1
else
list=$( (awk -F'\t' 'NR > 1 && ($8 ~ /SNI|quic/) {print $1, ($8 ~ /quic/) ? 1000000 : 100000}' MANIFEST.tsv |
	while read -r f lim; do
		s=$(stat -c %s "pcaps/$f" 2>/dev/null) || continue
		[ "$s" -le "$lim" ] && echo "$f"
	done; [ -f pcaps/general/pcpp__example.pcap ] && echo general/pcpp__example.pcap) | sort -u |
	sed "s|^|$CORPUS/pcaps/|")
fi
if [ -x "$BIN/synth" ]; then
	"$BIN/synth" -s youtube,vimeo,twitch,noise -S 3 -d 30 -n 2 -o "$T/synth.pcap" || exit 1
	list="$list $T/synth.pcap"
fi
[ -n "$list" ] || { echo "no capture with server names in the manifest"; exit 1; }
: >"$T/summary"
for f in $list; do
	rm -f "$T/out.csv" "$T/ts.tsv"
	timeout 60 "$T/fm" --names --profile fixed --decode full "$f" "$T/out.csv" 2>"$T/err" >/dev/null
	rc=$?
	if [ $rc -ne 0 ] || [ ! -s "$T/out.csv" ]; then
		# a capture flowmeter refuses (damaged) must still not crash
		if [ $rc -eq 1 ] && grep -q "^flowmeter: " "$T/err"; then
			echo "refused" >>"$T/summary"
		else
			echo "FAIL $f: flowmeter exit $rc"; cat "$T/err"; status=1
		fi
		continue
	fi
	timeout "${TSHARK_TIMEOUT:-60}" tshark -n -r "$f" -Y '(tls.handshake.type == 1 && tls.handshake.extensions_server_name) || (dns.flags.response == 1 && (dns.a || dns.aaaa))' \
		-T fields -E occurrence=a -E aggregator='|' -e frame.time_epoch -e ip.src -e ipv6.src \
		-e tcp.srcport -e udp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport -e udp.dstport \
		-e quic.version -e dns.qry.name -e tls.handshake.extensions_server_name \
		-e dns.a -e dns.aaaa -e frame.protocols >"$T/ts.tsv" 2>/dev/null
	[ $? -eq 124 ] && { echo "FAIL $f: tshark timed out"; status=1; continue; }
	python3 - "$f" "$T/out.csv" "$T/ts.tsv" >>"$T/summary" <<'EOF' || status=1
import csv, sys, ipaddress, subprocess
from datetime import datetime, timezone
cap, out, tsv = sys.argv[1:]
lines = [l.rstrip('\n').split('\t') for l in open(tsv)]
last = lambda x: x.split('|')[-1]      # tunnels: the inner header's field
def addr(a):
    try:
        return str(ipaddress.ip_address(a))
    except ValueError:
        return None
rows = list(csv.DictReader(open(out, newline='', encoding='utf-8', errors='surrogateescape')))
def ts(r):
    t = datetime.strptime(r['Timestamp'], '%Y-%m-%d %H:%M:%S.%f')
    return t.replace(tzinfo=timezone.utc).timestamp()
flows = {}
for r in rows:
    k = frozenset([(addr(r['Src IP']), r['Src Port']), (addr(r['Dst IP']), r['Dst Port'])]), r['Protocol']
    flows.setdefault(k, []).append(r)
ends = set(k[0] for k in flows)
read = lambda v: v == 1 or 0xff000017 <= v <= 0xff000020
bad = 0
hellos = 0
seen = {}
v2 = untunneled = undecrypted = udptls = 0
for v in lines:
    if len(v) < 15 or not v[11]:
        continue
    if v[9] and not read(int(v[9].split('|')[0], 16)):
        v2 += 1
        continue
    # 6in4 and 4in6: the inner header is the later of ip and ipv6
    layers = v[14].split(':')
    inner6 = 'ipv6' in layers and ('ip' not in layers or
                                   len(layers) - layers[::-1].index('ipv6') > len(layers) - layers[::-1].index('ip'))
    v = [last(x) for x in v[:11]] + [v[11].split('|')[0]] + v[12:]
    src = addr(v[2] if inner6 else v[1] or v[2]); dst = addr(v[6] if inner6 else v[5] or v[6])
    sp = v[3] or v[4]; dp = v[7] or v[8]
    proto = '6' if v[3] else '17'
    if not src or not dst or not sp:
        continue
    if proto == '17' and not v[9]:
        udptls += 1
        continue
    name = v[11]
    hellos += 1
    k = frozenset([(src, sp), (dst, dp)]), proto
    seen.setdefault(k, set()).add(name)
    if k[0] not in ends:
        untunneled += 1
        print(f'tunnel {cap}: ClientHello {src}:{sp} -> {dst}:{dp} {name!r} is on no flow')
        continue
    got = [r['Server Name'] for r in flows.get(k, []) if r['Name Source'] in ('sni', 'quic')]
    if name not in got:
        bad += 1
        print(f'FAIL {cap}: ClientHello {src}:{sp} -> {dst}:{dp} ({proto}) name {name!r}: '
              f'flows have {sorted(set(r["Server Name"] + "/" + r["Name Source"] for r in flows.get(k, [])))}')
failed = None
def tshark_failed(k):
    """k's connection: tshark could not decrypt its Initial, or one side sent
    different bytes at the same TCP sequence numbers (tshark keeps the
    first, the ClientHello is in the second)"""
    global failed
    if failed is None:
        out = subprocess.run(['tshark', '-n', '-r', cap, '-Y',
                              '(quic && _ws.expert.message contains "Decryption failed") || tcp.len > 0',
                              '-T', 'fields', '-E', 'occurrence=l', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'tcp.srcport',
                              '-e', 'udp.srcport', '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'tcp.dstport', '-e', 'udp.dstport',
                              '-e', 'tcp.seq_raw', '-e', 'tcp.payload'], capture_output=True, text=True).stdout
        failed = set()
        segs = {}
        for l in out.splitlines():
            f = l.split('\t')
            if len(f) != 10:
                continue
            a, b = (addr(f[1] or f[0]), f[2] or f[3]), (addr(f[5] or f[4]), f[6] or f[7])
            if not f[8]:
                failed.add(frozenset([a, b]))
                continue
            seq, data = int(f[8]), bytes.fromhex(f[9].replace(':', ''))
            for s0, d0 in segs.get((a, b), []):
                lo, hi = max(seq, s0), min(seq + len(data), s0 + len(d0))
                if lo < hi and data[lo - seq:hi - seq] != d0[lo - s0:hi - s0]:
                    failed.add(frozenset([a, b]))
            segs.setdefault((a, b), []).append((seq, data))
    return k[0] in failed
for k, rs in flows.items():
    for r in rs:
        if r['Name Source'] in ('sni', 'quic') and '443' in (r['Src Port'], r['Dst Port']) \
                and r['Server Name'] not in seen.get(k, ()):
            if tshark_failed(k):
                undecrypted += 1
                print(f'unconfirmed {cap}: flow {r["Flow ID"]} {r["Server Name"]!r}: tshark could not decrypt or saw conflicting overlaps')
                continue
            bad += 1
            print(f'FAIL {cap}: flow {r["Flow ID"]} has {r["Server Name"]!r} ({r["Name Source"]}), '
                  f'tshark saw {sorted(seen.get(k, ()))}')
answers = {}
for v in lines:
    if len(v) < 14 or v[11]:
        continue
    v = [v[0], v[10], v[12], v[13]]
    t = float(v[0]); q = v[1].split('|')[0]
    for a in (v[2].split('|') if v[2] else []) + (v[3].split('|') if v[3] else []):
        answers.setdefault(addr(a), []).append((t, q.lower()))
ndns = 0
for r in rows:
    if r['Name Source'] != 'dns':
        continue
    ndns += 1
    start = ts(r) + 1e-6
    ok = any(t <= start and q == r['Server Name'].lower()
             for a in (addr(r['Dst IP']), addr(r['Src IP'])) for t, q in answers.get(a, []))
    if not ok:
        bad += 1
        print(f'FAIL {cap}: flow {r["Flow ID"]} dns name {r["Server Name"]!r} not an earlier answer for its addresses')
if cap.endswith('/synth.pcap'):
    named = {}
    for r in rows:
        if r['Name Source'] in ('sni', 'quic'):
            for a in (addr(r['Dst IP']), addr(r['Src IP'])):
                named.setdefault(a, set()).add(r['Server Name'].lower())
    checked = 0
    for a, lst in answers.items():
        for t, q in lst:
            if a in named:
                checked += 1
                if q not in named[a]:
                    bad += 1
                    print(f'FAIL {cap}: DNS answer {q} -> {a}, connections to it are named {sorted(named[a])}')
    if not checked:
        bad += 1
        print(f'FAIL {cap}: no DNS answer gives the address of a named connection')
    print(f'synth {checked}')
print(f'counts {hellos} {ndns} {len(rows)} {v2} {untunneled} {undecrypted} {udptls}')
sys.exit(1 if bad else 0)
EOF
done
grep '^FAIL' "$T/summary" | head -30
grep -E '^(tunnel|unconfirmed) ' "$T/summary" | head -10
awk -v n="$(echo $list | wc -w)" '/^counts/ {h += $2; d += $3; f += $4; v += $5; u += $6; x += $7; t += $8}
	/^refused/ {r++}
	/^synth/ {sy = $2}
	END {printf "report: %d captures (%d refused with a message), %d flows: %d ClientHellos with a server name (TLS, QUIC v1/drafts) all on their flows; apart: %d of other QUIC versions, %d TLS over UDP, %d in tunnels flowmeter does not open, %d flow names tshark could not confirm (undecrypted Initial, conflicting TCP overlap); %d dns-named flows all backed by an earlier answer; synthesizer: %d DNS answers name their servers\n", n, r, f, h - u, v, t, u, x, d, sy}' "$T/summary"
grep -q '^FAIL' "$T/summary" && status=1
exit $status
