cp "$ROOT"/tests/cli/labeler/data/capture_* .
printf "sources:\n  - path: [unclosed\n" > bad.yaml
labeler bad.yaml
printf "sources:\n  - path: capture_youtube.pcap_Flow.csv\n    lable: youtube\n" > key.yaml
labeler key.yaml
printf "sources:\n  - path: capture_youtube.pcap_Flow.csv\nnonfinite: yes\n" > nf.yaml
labeler nf.yaml
printf "default: other\n" > nosrc.yaml
labeler nosrc.yaml
labeler missing.yaml
