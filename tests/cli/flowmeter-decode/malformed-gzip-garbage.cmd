# needs: corpus
# reader on a malformed capture (gz_garbage.pcap.gz): what is readable is returned, then a
# warning (truncated last record, exit 0) or an error naming the file (damaged, exit 1).
cd "$CORPUS/pcaps" && "$BUILD/flowmeter-dump" -c malformed/made/gz_garbage.pcap.gz
