# needs: corpus
# flowmeter --decode full on arkime__icmp-frame-relay.pcap: the first 2 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r --profile fixed -x "$CORPUS/pcaps/linktypes/arkime__icmp-frame-relay.pcap" >dump 2>summary
sed -n '1,2p' dump
cat summary
