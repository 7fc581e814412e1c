# needs: corpus
# flowmeter --decode full on zeek__wlanmon_80211.pcap: the first 3 packets as the decoder sees them
# (flowmeter-dump: addresses, ports, protocol, ts, payload/header bytes, window, flags), then the
# per-reason summary.
"$BUILD/flowmeter-dump" --decode full -r  "$CORPUS/pcaps/linktypes/zeek__wlanmon_80211.pcap" >dump 2>summary
sed -n '1,3p' dump
cat summary
