# needs: corpus
# a truncated last record is a warning: exit 0, flows written
cp "$CORPUS/pcaps/malformed/made/trunc_last_record_1byte_short.pcap" t.pcap
flowmeter t.pcap out.csv
wc -l < out.csv
