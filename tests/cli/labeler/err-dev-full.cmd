cp "$ROOT"/tests/cli/labeler/data/capture_* .
labeler capture_youtube.pcap_Flow.csv > /dev/full
