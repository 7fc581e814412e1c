# needs: corpus
# QUIC v1 (Firefox; Chromium 115 with its ClientHello in CRYPTO frames out of
# order), draft-29 Initials and TLS in one capture, QUIC v2 (not read)
for f in general/zeek__quic_firefox-102.13.0esr-blog-cloudflare-com.pcap \
	general/zeek__quic_chromium-115.0.5790.110-google-de-fragmented.pcap \
	general/noiselab__dnshttps-pcap-20210604.pcap ndpi/quic-v2.pcapng; do
	flowmeter --names -d full "$CORPUS/pcaps/$f" out.csv 2>&1 | sed 's|.*/pcaps/||'
	awk -F, 'NR > 1 && $NF != "" {print $2, $3, $4, $5, $(NF-1), $NF}' out.csv | sort
done
