# needs: corpus
# -o OUT: every argument is an IN; the same bytes as the positional OUT (CICFlowMeter's form)
cp "$CORPUS/pcaps/synthetic/tcp_teardown.pcap" "$CORPUS/pcaps/synthetic/udp_mix.pcap" .
flowmeter -o a.csv tcp_teardown.pcap 2>/dev/null
cmp a.csv "$CORPUS/golden/cic/synthetic/tcp_teardown.pcap_Flow.csv" && echo "-o FILE: same as the golden"
flowmeter --output - udp_mix.pcap 2>/dev/null | cmp - "$CORPUS/golden/cic/synthetic/udp_mix.pcap_Flow.csv" && echo "-o -: same on stdout"
mkdir out
flowmeter -o out tcp_teardown.pcap udp_mix.pcap 2>/dev/null
ls out
cmp out/udp_mix.pcap_Flow.csv "$CORPUS/golden/cic/synthetic/udp_mix.pcap_Flow.csv" && echo "-o DIR: same"
flowmeter --concat -o both.csv tcp_teardown.pcap udp_mix.pcap 2>/dev/null
flowmeter --concat tcp_teardown.pcap udp_mix.pcap both2.csv 2>/dev/null
cmp both.csv both2.csv && echo "--concat -o: same as positional"
# usage errors
flowmeter -o x.csv; echo "exit $?"
flowmeter tcp_teardown.pcap -o x.csv; echo "exit $?"
flowmeter -o tcp_teardown.pcap udp_mix.pcap; echo "exit $?"
flowmeter -o nodir tcp_teardown.pcap udp_mix.pcap; echo "exit $?"
flowmeter -o; echo "exit $?"
flowmeter --outptu x.csv tcp_teardown.pcap; echo "exit $?"
ls x.csv 2>/dev/null; ls -a | grep -c tmp
