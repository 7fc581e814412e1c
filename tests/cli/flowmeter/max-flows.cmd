# needs: corpus
# --max-flows N: a new flow beyond N open ones ends the least recently active
# one early (End Reason max-flows), counted in the summary line
cp "$CORPUS/pcaps/synthetic/udp_mix.pcap" u.pcap
flowmeter --end-reason u.pcap all.csv
flowmeter --end-reason --max-flows 2 u.pcap two.csv
awk -F, 'NR > 1 { print $NF }' two.csv | sort | uniq -c
flowmeter --max-flows 0 u.pcap x.csv; echo "exit $?"
flowmeter --max-flows 2x u.pcap x.csv; echo "exit $?"
ls
