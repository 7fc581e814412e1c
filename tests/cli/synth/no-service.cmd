synth -o x.pcap
