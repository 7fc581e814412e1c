# needs: corpus
# flowmeter --decode full on pcpp__four_ipv6_http_streams.pcap: the first 8 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/general/pcpp__four_ipv6_http_streams.pcap" >dump 2>summary
sed -n '1,8p' dump
cat summary
