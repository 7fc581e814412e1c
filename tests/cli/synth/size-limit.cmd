# the capture's size is bounded before anything is written (default 2 GB); the message
# gives the expected size; --max-bytes moves the bound (exact at the boundary), --force lifts it
synth -s youtube,vimeo,twitch,noise -n 1000 -d 5 -o big.pcap; echo "exit $?"
synth -s youtube -n 1000 -d 3600 -o big.pcap; echo "exit $?"
ls -a | grep -c pcap
synth -s youtube -S 4 -n 2 -d 10 -o ok.pcap; echo "exit $?"
size=$(wc -c <ok.pcap)
synth -s youtube -S 4 -n 2 -d 10 --max-bytes $size -o same.pcap; echo "exit $?"
cmp ok.pcap same.pcap && echo "same bytes at the limit"
synth -s youtube -S 4 -n 2 -d 10 --max-bytes $((size - 1)) -o - 2>&1 | sed "s/$size/SIZE/"
echo OLD >keep.pcap
synth -s youtube -S 4 -n 2 -d 10 --max-bytes 1k -o keep.pcap 2>/dev/null; echo "exit $?"
cat keep.pcap
synth -s youtube -S 4 -n 2 -d 10 --max-bytes 1k --force -o forced.pcap; echo "exit $?"
cmp ok.pcap forced.pcap && echo "same bytes with --force"
for bad in 0 -1 1.5G 10X k 99999999999999999999 20000000T; do synth -s youtube --max-bytes $bad -o x.pcap 2>&1; done
