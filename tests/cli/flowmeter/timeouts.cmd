# needs: corpus
# --flow-timeout, --idle-timeout (seconds)
cp "$CORPUS/pcaps/synthetic/udp_timeout.pcap" u.pcap
flowmeter --end-reason u.pcap - 2>/dev/null | cut -d, -f1,7-10,85
flowmeter --end-reason --flow-timeout 30 u.pcap - 2>/dev/null | cut -d, -f1,7-10,85
flowmeter --end-reason --idle-timeout 10 --profile fixed u.pcap - 2>/dev/null | cut -d, -f1,7-10,95
