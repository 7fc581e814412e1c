cp "$ROOT"/tests/cli/labeler/data/capture_* .
labeler capture_youtube.pcap_Flow.csv --match "Protocol >" --file-label x
labeler capture_youtube.pcap_Flow.csv --match "Protocol > 6 Label" --file-label x
labeler capture_youtube.pcap_Flow.csv --match "Label + 1" --file-label x
labeler capture_youtube.pcap_Flow.csv --match "Label == 'x" --file-label x
labeler capture_youtube.pcap_Flow.csv --match '`Src IP` in 10.0.0.0/33' --file-label x
labeler capture_youtube.pcap_Flow.csv --match 'Protocol == 6 < 7' --file-label x
labeler capture_youtube.pcap_Flow.csv --match 'Protocol == "6"' --file-label x
labeler capture_youtube.pcap_Flow.csv --match 'host 10.0.0.1 and port x' --file-label x
labeler capture_youtube.pcap_Flow.csv --match 'Label in []' --file-label x
echo "exit $?"
