# needs: corpus
# a Linux cooked capture: CICFlowMeter reads nothing from it; the CSV has the
# header only and the summary says why and names --decode full
cp "$CORPUS/pcaps/synthetic/linux_sll.pcap" sll.pcap
flowmeter sll.pcap out.csv
cat out.csv
flowmeter --decode full sll.pcap out2.csv
tail -n +2 out2.csv | cut -d, -f1-10
