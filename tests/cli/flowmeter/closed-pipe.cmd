# needs: corpus
# a closed pipe on standard output ends flowmeter quietly with the
# conventional SIGPIPE status (141 in the shell), as cat or grep
f="$CORPUS/pcaps/general/pcpp__tls2.pcap"
flowmeter --concat $(for i in $(seq 200); do echo "$f"; done) - | head -2 | cut -d, -f1
echo "flowmeter: ${PIPESTATUS[0]}"
ls -a
