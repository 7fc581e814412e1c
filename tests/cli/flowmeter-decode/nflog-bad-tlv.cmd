# needs: corpus
# flowmeter --decode full on zeek__nflog-bad-tlv-len.pcap: the first 1 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/malformed/zeek__nflog-bad-tlv-len.pcap" >dump 2>summary
sed -n '1,1p' dump
cat summary
