# duplicate keys and a second YAML document are errors naming line and column;
# deep flow nesting is refused at once (libyaml is quadratic in the depth)
cp "$ROOT"/tests/cli/labeler/data/capture_youtube.pcap_Flow.csv .
printf 'sources: [capture_youtube.pcap_Flow.csv]\ndefault: a\ncolumns: [Label]\ndefault: b\n' > dup.yaml
labeler dup.yaml; echo "exit $?"
printf 'sources:\n  - path: capture_youtube.pcap_Flow.csv\n    label: x\n    label: y\n' > dup2.yaml
labeler dup2.yaml; echo "exit $?"
printf 'sources: [capture_youtube.pcap_Flow.csv]\nrules:\n  - {when: "port 53", label: dns, when: "port 80"}\n' > dup3.yaml
labeler dup3.yaml; echo "exit $?"
printf 'sources: [capture_youtube.pcap_Flow.csv]\ncolumns: [Label]\n---\nsources: [other.csv]\n' > two.yaml
labeler two.yaml; echo "exit $?"
printf 'sources: [capture_youtube.pcap_Flow.csv]\ncolumns: [Label]\n---\n[\n' > two2.yaml
labeler two2.yaml; echo "exit $?"
printf 'sources: [capture_youtube.pcap_Flow.csv]\ncolumns: [Label]\n...\n' > one.yaml
labeler one.yaml | head -2
python3 -c "print('sources: ' + '[' * 100000)" > deep.yaml
labeler deep.yaml; echo "exit $?"
# brackets in quoted scalars and comments do not count
python3 -c "print('sources: [capture_youtube.pcap_Flow.csv] # ' + '[' * 100 + '\ncolumns: [Label]\nmatch: \"' + '[' * 100 + '\"')" > quoted.yaml
labeler quoted.yaml; echo "exit $?"
