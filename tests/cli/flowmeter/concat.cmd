# needs: corpus
# --concat: several files as one capture, in order (the same capture twice:
# the second copy continues the flows of the first, and time goes backwards)
cp "$CORPUS/pcaps/synthetic/udp_timeout.pcap" a.pcap
flowmeter --concat a.pcap a.pcap out.csv
cut -d, -f1,7-10 out.csv
mkdir o
flowmeter --concat a.pcap a.pcap o
ls o
