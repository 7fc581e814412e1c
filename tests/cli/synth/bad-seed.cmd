synth -s vimeo --seed -1 -o x.pcap
