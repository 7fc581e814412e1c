cp "$ROOT"/tests/cli/labeler/data/capture_* .
cat > r.yaml <<'EOF'
sources:
  - path: capture_youtube.pcap_Flow.csv
    label: youtube
match: "`Total Fwd Packets` > 30 or `Total Bwd packets` > 30"
EOF
labeler r.yaml
echo "exit $?"
cat > r2.yaml <<'EOF'
sources:
  - path: capture_youtube.pcap_Flow.csv
    label: youtube
match: >-
  `Total Fwd Packet` > 30 or
  Protocl == 6
EOF
labeler r2.yaml
labeler capture_youtube.pcap_Flow.csv --file-label x --drop "Dst Port == 53"
