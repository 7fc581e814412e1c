# the command-line form of the issue recipe gives the same output
cp "$ROOT"/tests/cli/labeler/data/* .
labeler recipe.yaml -o recipe.csv
labeler capture_youtube.pcap_Flow.csv=youtube capture_vimeo.pcap_Flow.csv=vimeo --default other \
  --match '`Total Fwd Packet` > 30 or `Total Bwd packets` > 30' --drop "Protocol == 17 and Label == 'other'" \
  --columns "Label,Protocol,Flow Duration,Flow Bytes/s,Flow Packets/s,Flow IAT Mean,Bwd IAT Mean,Down/Up Ratio,Active Mean,Idle Mean" \
  --nonfinite drop -o cli.csv
cmp recipe.csv cli.csv && echo same
# --file-label applies to every file given without =LABEL
labeler capture_youtube.pcap_Flow.csv capture_vimeo.pcap_Flow.csv=vimeo --file-label web --columns Label | sort | uniq -c
