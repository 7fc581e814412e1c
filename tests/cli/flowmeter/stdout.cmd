# needs: corpus
# "-" writes the CSV to standard output
cp "$CORPUS/pcaps/synthetic/tcp_teardown.pcap" t.pcap
flowmeter --profile fixed t.pcap - | cut -d, -f1-8
