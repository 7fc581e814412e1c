# needs: corpus
# flowmeter --decode full on pcpp__sll.pcap: the first 12 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/linktypes/pcpp__sll.pcap" >dump 2>summary
sed -n '1,12p' dump
cat summary
