cp "$ROOT"/tests/cli/labeler/data/capture_youtube.pcap_Flow.csv .
{ head -3 capture_youtube.pcap_Flow.csv; sed -n 4p capture_youtube.pcap_Flow.csv | cut -d, -f1-83; tail -n +5 capture_youtube.pcap_Flow.csv; } > ragged.csv
labeler ragged.csv --file-label x -o out.csv
echo "exit $?"; ls
