synth -s vimeo -d 10x -o x.pcap
