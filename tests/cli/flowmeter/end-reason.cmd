# needs: corpus
# --end-reason adds a last column saying why each flow ended
cp "$CORPUS/pcaps/synthetic/tcp_teardown.pcap" t.pcap
flowmeter --end-reason t.pcap - 2>/dev/null | cut -d, -f1,8-10,85
flowmeter --end-reason --profile fixed t.pcap - 2>/dev/null | cut -d, -f1,8-10,95
