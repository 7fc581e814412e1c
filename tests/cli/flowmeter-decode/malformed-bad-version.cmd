# needs: corpus
# reader on a malformed capture (bad_version.pcap): what is readable is returned, then a
# warning (truncated last record, exit 0) or an error naming the file (damaged, exit 1).
cd "$CORPUS/pcaps" && "$BUILD/flowmeter-dump" -c malformed/made/bad_version.pcap
