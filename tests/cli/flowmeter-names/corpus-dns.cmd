# needs: corpus
# TLS, HTTP and DNS-learned names of a browsing capture: counts by source,
# a sample of each, and the same counts with a DNS table of 10 answers
f=$CORPUS/pcaps/general/pcpp__example.pcap
flowmeter --names -p fixed "$f" out.csv 2>&1 | sed 's|.*/pcaps/||'
awk -F, 'NR > 1 {print $NF}' out.csv | sort | uniq -c
for s in sni http dns; do
	awk -F, -v s=$s 'NR > 1 && $NF == s {print $2, $4, $5, $(NF-1), $NF}' out.csv | sort | head -3
done
flowmeter --names --names-max 10 -p fixed "$f" out.csv 2>&1 | tail -1
awk -F, 'NR > 1 {print $NF}' out.csv | sort | uniq -c
