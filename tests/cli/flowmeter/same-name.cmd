# needs: corpus
# two INs that would write the same OUT/<name>_Flow.csv: refused up front
# (exit 2, nothing written), naming both; --concat or separate folders work
mkdir d1 d2 out
cp "$CORPUS/pcaps/synthetic/tcp_teardown.pcap" d1/x.pcap
cp "$CORPUS/pcaps/synthetic/udp_mix.pcap" d2/x.pcap
flowmeter d1/x.pcap d2/x.pcap out; echo "exit $?"
flowmeter d1 d2 out; echo "exit $?"
flowmeter d1/x.pcap d1/x.pcap out; echo "exit $?"
ls out
flowmeter --concat d1/x.pcap d2/x.pcap out; echo "exit $?"
ls out
