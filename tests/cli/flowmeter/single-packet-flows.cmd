# needs: corpus
# every flow has one packet: none written (as CICFlowMeter), and the summary says so
cp "$CORPUS/pcaps/tcpdump/icmpv6.pcap" x.pcap
flowmeter --decode full x.pcap out.csv
wc -l < out.csv
flowmeter --decode full --profile fixed x.pcap out.csv
wc -l < out.csv
