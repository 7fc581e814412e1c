# needs: corpus
# ARP frames: the cic decode re-reads them as IPv4 from byte 0 (CICFlowMeter's
# 8.6.0.1 -> 8.0.6.4 garbage packets); the full decode counts them as non-IP.
f=$CORPUS/pcaps/general/pcpp__GrePackets.cap
"$BUILD/flowmeter-dump" -r "$f" 2>&1 | grep -c '^[0-9]* 8\.6\.0\.1 8\.0\.6\.4 0 0 0 '
"$BUILD/flowmeter-dump" -r "$f" 2>&1 >/dev/null
"$BUILD/flowmeter-dump" -r --decode full "$f" 2>&1 | grep -c '^[0-9]* 8\.6\.0\.1 '
"$BUILD/flowmeter-dump" -r --decode full "$f" 2>&1 >/dev/null
