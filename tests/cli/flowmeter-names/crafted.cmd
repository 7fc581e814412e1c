# --names on hand-made handshakes (mkpcap_names.py): a server name with a
# comma, a quote, a control byte and invalid UTF-8 (escaped, CSV-quoted),
# damaged ClientHellos (no name), a CNAME cycle (no hang), a QUIC Initial
# that does not decrypt, an HTTP Host, and a DNS answer that names only the
# connections after it
for k in escape badtls dnsloop quicbad http dnsfirst; do
	python3 "$ROOT/tests/cli/flowmeter-names/mkpcap_names.py" $k $k.pcap
	flowmeter --names $k.pcap $k.csv; echo "exit $?"
	cut -d, -f1,85- $k.csv
done
