# needs: corpus
# reader on a malformed capture (trunc_last_record_1byte_short.pcap): what is readable is returned, then a
# warning (truncated last record, exit 0) or an error naming the file (damaged, exit 1).
cd "$CORPUS/pcaps" && "$BUILD/flowmeter-dump" -c malformed/made/trunc_last_record_1byte_short.pcap
