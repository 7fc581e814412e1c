# output: in the recipe (relative to it), -o overrides it; a CSV from stdin; an
# expression that fits the first source but not the second names the source
mkdir -p sub && cp "$ROOT"/tests/cli/labeler/data/capture_* sub/
cat > sub/r.yaml <<'EOF'
sources:
  - {path: capture_youtube.pcap_Flow.csv, label: dns}
match: "port 53"
default: other
columns: [Label, Src Port, Dst Port]
output: labelled.csv
EOF
labeler sub/r.yaml && head -4 sub/labelled.csv
labeler sub/r.yaml -o - | tail -2
cut -d, -f1-5 sub/capture_vimeo.pcap_Flow.csv | head -4 | labeler - --file-label v --match 'host 10.0.0.0/8' --default w
cut -d, -f1-5,7- sub/capture_vimeo.pcap_Flow.csv > sub/noproto.csv
labeler sub/capture_youtube.pcap_Flow.csv sub/noproto.csv --columns Label --drop 'Protocol == 17' --file-label x
