# needs: corpus
# IN a directory: every capture gets OUT/<name>_Flow.csv, identical to the goldens
mkdir in
cp "$CORPUS/pcaps/synthetic/tcp_teardown.pcap" "$CORPUS/pcaps/synthetic/udp_mix.pcap" in/
cp "$CORPUS/pcaps/linktypes/zeek__echo-connections.pcap.gz" in/
flowmeter in out
ls out
cmp out/tcp_teardown.pcap_Flow.csv "$CORPUS/golden/cic/synthetic/tcp_teardown.pcap_Flow.csv" && echo same
cmp out/udp_mix.pcap_Flow.csv "$CORPUS/golden/cic/synthetic/udp_mix.pcap_Flow.csv" && echo same
cmp out/zeek__echo-connections.pcap.gz_Flow.csv "$CORPUS/golden/cic/linktypes/zeek__echo-connections.pcap.gz_Flow.csv" && echo same
# an existing directory as OUT for one capture, several captures into it
mkdir out2
flowmeter in/udp_mix.pcap out2
flowmeter in/tcp_teardown.pcap in/udp_mix.pcap out2
ls out2
