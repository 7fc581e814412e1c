cp "$ROOT"/tests/cli/labeler/data/capture_* .
cat > r.yaml <<'EOF'
sources: [capture_youtube.pcap_Flow.csv]
columns: [Label, Protocol, Flow Bytes, Idle Mean]
EOF
labeler r.yaml -o out.csv
echo "exit $?"; ls
labeler capture_youtube.pcap_Flow.csv --columns Label,protocol
