# needs: corpus
# a full disk is an error naming the output
cp "$CORPUS/pcaps/synthetic/tcp_teardown.pcap" t.pcap
flowmeter t.pcap /dev/full
