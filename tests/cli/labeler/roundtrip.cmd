# a keep-everything run writes its input byte for byte
cp "$ROOT"/tests/cli/labeler/data/capture_* .
printf "sources:\n  - capture_youtube.pcap_Flow.csv\n" > all.yaml
labeler all.yaml -o out.csv && cmp out.csv capture_youtube.pcap_Flow.csv && echo recipe identical
labeler capture_youtube.pcap_Flow.csv | cmp - capture_youtube.pcap_Flow.csv && echo cli identical
{ cat capture_youtube.pcap_Flow.csv; tail -n +2 capture_vimeo.pcap_Flow.csv; } > both.csv
labeler capture_youtube.pcap_Flow.csv capture_vimeo.pcap_Flow.csv | cmp - both.csv && echo concatenation identical
labeler capture_youtube.pcap_Flow.csv --nonfinite keep --drop "Protocol == 99" -o - | cmp - capture_youtube.pcap_Flow.csv && echo no-op drop identical
