# needs: corpus
# reader on a malformed capture (text_named_pcap.pcap): what is readable is returned, then a
# warning (truncated last record, exit 0) or an error naming the file (damaged, exit 1).
cd "$CORPUS/pcaps" && "$BUILD/flowmeter-dump" -c malformed/made/text_named_pcap.pcap
