# positions inside YAML scalars with escapes, and in literal blocks
cp "$ROOT"/tests/cli/labeler/data/capture_youtube.pcap_Flow.csv y.csv
cat > esc.yaml <<'EOF'
sources: [y.csv]
match: "Label == \"a\\tb\" or Protocl == 6"
EOF
labeler esc.yaml
cat > block.yaml <<'EOF'
sources: [y.csv]
drop: |
  Protocol == 17
    and Lable == 'x'
EOF
labeler block.yaml
cat > sq.yaml <<'EOF'
sources: [y.csv]
rules:
  - when: 'Label == ''it''''s'' and `Src  IP` == 1.2.3.4'
    label: x
EOF
labeler sq.yaml
