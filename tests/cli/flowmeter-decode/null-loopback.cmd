# needs: corpus
# flowmeter --decode full on zeek__irc-5k-line_null.pcap: the first 6 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/linktypes/zeek__irc-5k-line_null.pcap" >dump 2>summary
sed -n '1,6p' dump
cat summary
