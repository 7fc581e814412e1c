# a capture that does not exist: exit 1, the file named, no output written
flowmeter nosuch.pcap out.csv
status=$?
ls
exit $status
