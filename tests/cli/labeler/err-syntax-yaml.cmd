# the position is that of the offending token in the recipe file
cp "$ROOT"/tests/cli/labeler/data/capture_* .
cat > r.yaml <<'EOF'
sources:
  - path: capture_youtube.pcap_Flow.csv
    label: youtube
    drop: Protocol == 17 and and Label == "x"
EOF
labeler r.yaml
cat > r2.yaml <<'EOF'
sources:
  - path: capture_youtube.pcap_Flow.csv
    label: youtube
match: "`Total Fwd Packet` > 30 or (`Total Bwd packets` > 30"
EOF
labeler r2.yaml
cat > r3.yaml <<'EOF'
sources:
  - path: capture_youtube.pcap_Flow.csv
rules:
  - {when: "Protocol = 17", label: udp}
  - {when: 'Label == ''it''''s'' or Label == ~', label: x}
EOF
labeler r3.yaml
sed -i 's/= 17/== 17/' r3.yaml
labeler r3.yaml
