# a fixed small capture: its digest pins the generator (update deliberately)
synth -s youtube,vimeo,twitch,noise -S 1 -d 8 -n 1 -v -o g.pcap 2>&1
sha256sum < g.pcap | cut -c1-16
head -c 24 g.pcap | od -An -tx1
