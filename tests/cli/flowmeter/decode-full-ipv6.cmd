# needs: corpus
# --decode full: IPv6 flows, addresses as Java's Inet6Address.getHostAddress prints
# them (no "::"); ICMPv6 type/code in the fixed profile
cp "$CORPUS/pcaps/general/arkime__v6-http.pcap" v6.pcap
cp "$CORPUS/pcaps/tcpdump/icmpv6.pcap" icmp6.pcap
flowmeter --decode full v6.pcap - | cut -d, -f1-10
flowmeter --decode full --profile fixed icmp6.pcap - | cut -d, -f1-10,88,89
flowmeter v6.pcap - | wc -l
