#!/usr/bin/env bash
# flowmeter's reader + decoder against the executable specification:
# 1. `flowmeter-dump` (what our reader/decoder extract per packet) equals
#    `cfm_model.py --dump` on a sample of diverse corpus captures, for both
#    profiles (files where the model's own reader is known to differ from
#    libpcap, cicflowmeter.md §10, are not sampled);
# 2. the model's flow generator fed with OUR packets reproduces the real
#    tool's golden CSV byte for byte (decoder checked end to end, apart from
#    the flow code), on the same sample plus the model-gap captures.
set -u
[ -d "$CORPUS/pcaps" ] || { echo "no corpus at $CORPUS"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
python3 -c 'import zoneinfo' 2>/dev/null || { echo "python3 too old for the model"; exit 77; }
DUMP=$BUILD/flowmeter-dump
MODEL=$SHARED/spec/cfm_model.py
[ -x "$DUMP" ] || { echo "missing $DUMP"; exit 1; }
# a private copy: a concurrent make in a shared tree may relink the original
cp "$DUMP" "$T/flowmeter-dump" && DUMP=$T/flowmeter-dump
cd "$CORPUS/pcaps" || exit 1

# model reader gaps: libpcap (ours, and the real tool's) reads these differently
gaps='pcpp__WireGuard|y2038|test010-le|test016-|kuznetzov|many_interfaces|pcapng-example|126idb|bad_version|ng_block_len_huge|ng_epb_caplen_huge|ng_trailing_len_mismatch|ng_trunc_last_block|pcpp__ipv4-malformed|too_many_interfaces|fuzz-2021-10-13|time_2038|time_2039|time_2106|tcp_dataoff_too_small|\.gz$'
# every 40th capture of the sorted corpus, plus hand-picked decoder cases
{
	find . -type f | sed 's|^\./||' | sort | grep -Ev "$gaps" | awk 'NR % 25 == 1'
	printf '%s\n' general/arkime__dot1ad.pcap \
		general/arkime__6-4-gre-ppp-udp-4-dns.pcap linktypes/pcpp__raw_ip.pcap \
		linktypes/pcpp__sll.pcap linktypes/zeek__irc-5k-line_null.pcap
} | sort -u > "$T/sample"

status=0 n=0 same=0
for prof in upstream fixed; do
	while IFS= read -r f; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		python3 "$MODEL" --profile "$prof" --dump "$f" >"$T/m" 2>/dev/null
		"$DUMP" --profile "$prof" "$f" >"$T/c" 2>/dev/null
		# once more on a difference: in a shared tree the binary may be relinked under us
		cmp -s "$T/m" "$T/c" || { sleep 1; "$DUMP" --profile "$prof" "$f" >"$T/c" 2>/dev/null; }
		if cmp -s "$T/m" "$T/c"; then
			same=$((same + 1))
		else
			echo "FAIL dump differs ($prof): $f"; diff "$T/m" "$T/c" | head -5; status=1
		fi
	done < "$T/sample"
done
echo "report: decoder dump = model dump on $same/$n (capture, profile) pairs"

# end to end through the model's flow generator
{ cat "$T/sample"; find . -type f | sed 's|^\./||' | grep -E "$gaps"; } | sort -u > "$T/sample2"
cat > "$T/e2e.py" <<'PY'
import datetime, os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["SHARED"], "spec"))
import cfm_model as M
prof, dump, listfile = sys.argv[1:4]
M.PROFILE = "fixed" if prof == "fixed" else "upstream"
gold_dir = os.path.join(os.environ["CORPUS"], "golden", "fixed" if prof == "fixed" else "cic")
n = same = 0
for rel in open(listfile).read().split():
    gold = os.path.join(gold_dir, rel + "_Flow.csv")
    if not os.path.exists(gold):
        continue
    out = subprocess.run([dump, "-x", "--profile", prof, rel], capture_output=True, text=True).stdout
    rows = []
    tz = datetime.timezone.utc
    fixed = M.PROFILE == "fixed"
    gen = M.GeneratorFixed(lambda fl: rows.append(fl.row())) if fixed else \
        M.Generator(lambda fl: rows.append(fl.row(tz)))
    for line in out.splitlines():
        t = line.split()
        if t[1] == "null":
            continue
        p = M.Pkt()
        p.src = bytes(int(x) for x in t[1].split("."))
        p.dst = bytes(int(x) for x in t[2].split("."))
        p.sport, p.dport, p.proto = int(t[3]), int(t[4]), int(t[5])
        p.ts, p.payload, p.hdr, p.win = int(t[6][3:]), int(t[7][4:]), int(t[8][4:]), int(t[9][4:])
        p.fin, p.syn, p.rst, p.psh, p.ack, p.urg, p.ece, p.cwr = [t[10][i] == "1" for i in range(1, 16, 2)]
        it, ic = t[11][5:].split("/")
        p.itype, p.icode = int(it), int(ic)
        p.seq, p.ackno = int(t[12][4:]), int(t[13][4:])
        p.fwd_id = "%s-%s-%d-%d-%d" % (t[1], t[2], p.sport, p.dport, p.proto)
        p.bwd_id = "%s-%s-%d-%d-%d" % (t[2], t[1], p.dport, p.sport, p.proto)
        gen.add(p)
    if fixed:
        gen.finish(rows)
    else:
        rows += [fl.row(tz) for fl in gen.flows.values() if fl.count() > 1]
    text = (M.HEADER_FIXED if fixed else M.HEADER) + "\n" + "".join(r + "\n" for r in rows)
    n += 1
    if open(gold).read() == text:
        same += 1
    else:
        print("FAIL golden differs (%s): %s" % (prof, rel))
print("report: %s: model flows on our packets = golden on %d/%d captures" % (prof, same, n))
sys.exit(0 if same == n else 1)
PY
for prof in upstream fixed; do
	python3 "$T/e2e.py" "$prof" "$DUMP" "$T/sample2" || status=1
done
exit $status
