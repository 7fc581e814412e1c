synth -s vimeo -d 5 -o nodir/x.pcap
