synth -s youtube,hulu -o x.pcap
