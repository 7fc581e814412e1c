# the two columns come last, after End Reason too, in both profiles and
# decode modes; without --names the header is the profile's own
python3 "$ROOT/tests/cli/flowmeter-names/mkpcap_names.py" escape a.pcap
flowmeter --names --end-reason a.pcap - 2>/dev/null | head -1 | tr ',' '\n' | tail -4
flowmeter --names -p fixed -d full a.pcap - 2>/dev/null | head -1 | tr ',' '\n' | tail -3
flowmeter --names -p fixed -d full a.pcap - 2>/dev/null | tail -1 | awk -F, '{print NF}'
flowmeter a.pcap - 2>/dev/null | head -1 | tr ',' '\n' | tail -1
flowmeter --names-max 1 --names a.pcap - 2>&1 >/dev/null | tail -1
