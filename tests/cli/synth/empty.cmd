# nothing to write is an error, not an empty capture: no session (-n 0 is out of range),
# or a duration in which no packet falls; no file is left behind
synth -s youtube -n 0 -d 10 -o zero.pcap; echo "exit $?"
synth -s vimeo -d 0.000001 -o tiny.pcap; echo "exit $?"
synth -s vimeo -d 0.000001 -o - | wc -c
ls -a | grep -c pcap
