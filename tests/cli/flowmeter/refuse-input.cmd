# needs: corpus
# OUT is never an input nor an existing capture: a forgotten OUT, a shell glob,
# the same file twice; exit 2 and the captures are untouched
C="$CORPUS/pcaps/synthetic"
cp "$C/tcp_teardown.pcap" a.pcap
cp "$C/udp_mix.pcap" b.pcap
gzip -c b.pcap >b.pcap.gz
cp "$C/format.pcapng" c.pcapng
sum() { md5sum a.pcap b.pcap b.pcap.gz c.pcapng | md5sum; }
before=$(sum)
flowmeter a.pcap b.pcap; echo "exit $?"
flowmeter a.pcap a.pcap; echo "exit $?"
flowmeter --concat a.pcap b.pcap a.pcap; echo "exit $?"
flowmeter a.pcap b.pcap.gz; echo "exit $?"
flowmeter a.pcap c.pcapng; echo "exit $?"
flowmeter - a.pcap <a.pcap; echo "exit $?"
flowmeter a.pcap b.pcap c.pcapng; echo "exit $?"
# an input that merely looks like a CSV
cp a.pcap x.csv
flowmeter x.csv x.csv; echo "exit $?"
# a capture in every byte order and timestamp resolution is recognised
for m in a1b2c3d4 d4c3b2a1 a1b23c4d 4d3cb2a1 0a0d0d0a 1f8b0800; do
	printf "$(echo $m | sed 's/../\\x&/g')rest" >old.bin
	flowmeter a.pcap old.bin 2>/dev/null; echo "$m: exit $?, $(head -c 4 old.bin | od -An -tx1 | tr -d ' ')"
done
[ "$(sum)" = "$before" ] && echo "captures untouched"
# a CSV from an earlier run is replaced as before
echo old >out.csv
flowmeter a.pcap out.csv; echo "exit $?"; head -c 8 out.csv; echo
ls
