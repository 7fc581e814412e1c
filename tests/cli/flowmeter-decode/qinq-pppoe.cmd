# needs: corpus
# flowmeter --decode full on zeek__pppoe-over-qinq.pcap: the first 8 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/general/zeek__pppoe-over-qinq.pcap" >dump 2>summary
sed -n '1,8p' dump
cat summary
