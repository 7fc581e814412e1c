# rules: first match wins, $label; per-source match/drop override the globals
cp "$ROOT"/tests/cli/labeler/data/capture_* .
cat > r.yaml <<'EOF'
sources:
  - path: capture_youtube.pcap_Flow.csv
    label: youtube
  - path: capture_vimeo.pcap_Flow.csv
    label: vimeo
    match: "`Total Bwd packets` >= 44"
    drop: "Label == 'other'"
    rules: []
rules:
  - when: "port 53"
    label: dns
  - when: "`Total Fwd Packet` > 30 and $label == 'youtube'"
    label: $label
  - when: "Protocol == 17"
    label: udp
default: other
match: "Protocol == 6 and `Flow Duration` > 1E6"
columns: [Flow ID, Label]
EOF
labeler r.yaml --stats
