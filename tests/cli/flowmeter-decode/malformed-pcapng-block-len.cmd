# needs: corpus
# reader on a malformed capture (ng_block_len_huge.pcapng): what is readable is returned, then a
# warning (truncated last record, exit 0) or an error naming the file (damaged, exit 1).
cd "$CORPUS/pcaps" && "$BUILD/flowmeter-dump" -c malformed/made/ng_block_len_huge.pcapng
