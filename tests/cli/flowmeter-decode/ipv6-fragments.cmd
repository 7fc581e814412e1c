# needs: corpus
# flowmeter --decode full on pcpp__ipv6-frag.pcap: the first 6 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/general/pcpp__ipv6-frag.pcap" >dump 2>summary
sed -n '1,6p' dump
cat summary
