# an output that is one of the run's inputs is refused before anything is read
# (same file by device and inode, not by name): exit 2, the input unchanged
cp "$ROOT"/tests/cli/labeler/data/capture_* .
sum() { cksum < "$1"; }
before=$(sum capture_youtube.pcap_Flow.csv)
labeler capture_youtube.pcap_Flow.csv=a capture_vimeo.pcap_Flow.csv=b -o capture_vimeo.pcap_Flow.csv
echo "exit $?"
labeler capture_youtube.pcap_Flow.csv -o ./../$(basename "$PWD")/capture_youtube.pcap_Flow.csv
echo "exit $?"
ln capture_youtube.pcap_Flow.csv hardlink.csv
labeler capture_youtube.pcap_Flow.csv -o hardlink.csv
echo "exit $?"
mkdir sub && cp capture_youtube.pcap_Flow.csv sub/
printf 'sources: [capture_youtube.pcap_Flow.csv]\noutput: capture_youtube.pcap_Flow.csv\n' > sub/r.yaml
labeler sub/r.yaml
echo "exit $?"
printf 'sources: [capture_youtube.pcap_Flow.csv]\noutput: r2.yaml\n' > sub/r2.yaml
labeler sub/r2.yaml
echo "exit $?"
labeler sub/r2.yaml -o sub/r2.yaml
echo "exit $?"
[ "$(sum capture_youtube.pcap_Flow.csv)" = "$before" ] && [ "$(sum sub/capture_youtube.pcap_Flow.csv)" = "$before" ] && echo "inputs unchanged"
ls sub
