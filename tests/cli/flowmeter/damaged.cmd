# needs: corpus
# a damaged capture: exit 1 naming the file, the flows read so far are written
cp "$CORPUS/pcaps/malformed/made/caplen_huge.pcap" d.pcap
flowmeter d.pcap out.csv
status=$?
wc -l < out.csv
exit $status
