# host/port match either direction; CIDR membership for IPv4 and IPv6
cp "$ROOT"/tests/cli/labeler/data/capture_youtube.pcap_Flow.csv y.csv
for e in "host 2001:db8::/32" "host 10.0.0.5" "host [8.8.8.8, 172.217.0.0/16]" "port 53" "port [80, 53]" \
	"\`Src IP\` in 192.168.1.0/24" "\`Dst IP\` in [2a00:1450::/32, 10.0.0.0/8]" "\`Src IP\` == 10.0.0.5" \
	"not host 192.168.0.0/16" "\`Src IP\` not in [192.168.0.0/16]"; do
	printf "%-45s " "$e"; labeler y.csv --match "$e" --file-label hit --default - --columns "Label" | tail -n +2 | tr -d "\n"; echo
done
