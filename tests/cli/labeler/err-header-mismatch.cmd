# different headers: an error unless columns picks columns all sources have
cp "$ROOT"/tests/cli/labeler/data/capture_* .
cut -d, -f1-20,22- capture_vimeo.pcap_Flow.csv > vimeo_short.csv
labeler capture_youtube.pcap_Flow.csv vimeo_short.csv
echo "exit $?"
labeler capture_youtube.pcap_Flow.csv=youtube vimeo_short.csv=vimeo --columns "Flow ID,Label" | head -3
labeler capture_youtube.pcap_Flow.csv vimeo_short.csv --columns "Flow ID,Flow Bytes/s"
