# same seed and options: same bytes; another seed, another capture
synth -s youtube,vimeo,twitch,noise -S 42 -d 15 -n 2 -o a.pcap
synth --service youtube --service vimeo,twitch --service noise --seed 42 --duration 15 --sessions 2 -o b.pcap
synth -s youtube,vimeo,twitch,noise -S 43 -d 15 -n 2 -o c.pcap
synth -s youtube,vimeo,twitch,noise -S 42 -d 15 -n 2 -o - > d.pcap
cmp a.pcap b.pcap && echo same-seed-same-bytes
cmp a.pcap d.pcap && echo stdout-same-bytes
cmp -s a.pcap c.pcap || echo other-seed-differs
