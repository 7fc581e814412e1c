#!/usr/bin/env bash
# Synthetic captures through flowmeter and through the executable CICFlowMeter
# model (../shared/spec/cfm_model.py) give byte-identical CSVs: the demo's
# captures exercise handshakes, teardowns (both sides first), QUIC, DNS, NTP
# and idle gaps around the 5 s activity timeout.
set -u
M=$SHARED/spec/cfm_model.py
[ -f "$M" ] || { echo "no $M"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
n=0 same=0 rows=0
for args in "-s youtube,noise -S 5" "-s youtube,noise -S 5 --no-quic" "-s vimeo,noise -S 6" \
	"-s twitch,noise -S 7" "-s youtube,vimeo,twitch,noise -S 8 -d 130"; do
	n=$((n + 1))
	synth -d 40 -n 3 $args -o c$n.pcap || { echo "FAIL: synth $args"; exit 1; }
	flowmeter c$n.pcap ours$n.csv >/dev/null 2>&1 || { echo "FAIL: flowmeter c$n.pcap"; exit 1; }
	python3 "$M" c$n.pcap ref$n.csv >/dev/null || { echo "FAIL: cfm_model.py c$n.pcap"; exit 1; }
	if cmp -s ours$n.csv ref$n.csv; then
		same=$((same + 1))
	else
		echo "differs: synth -d 40 -n 3 $args"
		diff ref$n.csv ours$n.csv | head -6
	fi
	rows=$((rows + $(wc -l <ref$n.csv) - 1))
done
echo "report: $same/$n synthetic captures byte-identical to the CICFlowMeter model ($rows flows)"
[ $same = $n ]
