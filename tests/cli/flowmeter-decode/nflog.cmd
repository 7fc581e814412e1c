# needs: corpus
# flowmeter --decode full on zeek__nflog-http.pcap: the first 4 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/linktypes/zeek__nflog-http.pcap" >dump 2>summary
sed -n '1,4p' dump
cat summary
