# needs: corpus
# flowmeter --decode full on zeek__icmp6-mldv2_ipv6lt.pcap: the first 5 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r --profile fixed -x "$CORPUS/pcaps/linktypes/zeek__icmp6-mldv2_ipv6lt.pcap" >dump 2>summary
sed -n '1,5p' dump
cat summary
