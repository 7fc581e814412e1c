cp "$ROOT"/tests/cli/labeler/data/capture_* .
labeler capture_youtube.pcap_Flow.csv --match "Protocol >" --label x
labeler capture_youtube.pcap_Flow.csv --match "Protocol > 6 Label" --label x
labeler capture_youtube.pcap_Flow.csv --match "Label + 1" --label x
labeler capture_youtube.pcap_Flow.csv --match "Label == 'x" --label x
labeler capture_youtube.pcap_Flow.csv --match '`Src IP` in 10.0.0.0/33' --label x
labeler capture_youtube.pcap_Flow.csv --match 'Protocol == 6 < 7' --label x
labeler capture_youtube.pcap_Flow.csv --match 'Protocol == "6"' --label x
labeler capture_youtube.pcap_Flow.csv --match 'host 10.0.0.1 and port x' --label x
labeler capture_youtube.pcap_Flow.csv --match 'Label in []' --label x
echo "exit $?"
