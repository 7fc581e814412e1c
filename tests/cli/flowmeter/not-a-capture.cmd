# a file that is no capture: exit 1, no output file
printf "hello, this is not a capture\n" > notes.pcap
flowmeter notes.pcap out.csv
status=$?
ls
exit $status
