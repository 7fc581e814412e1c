# needs: corpus
# flowmeter --decode full on arkime__80211http_radiotap.pcap: the first 4 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/linktypes/arkime__80211http_radiotap.pcap" >dump 2>summary
sed -n '1,4p' dump
cat summary
