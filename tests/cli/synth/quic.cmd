# needs: python3
# YouTube sends QUIC (UDP/443) unless --no-quic; Vimeo never does
synth -s youtube -S 3 -d 20 -n 2 -o yt.pcap
synth -s youtube -S 3 -d 20 -n 2 --no-quic -o ytt.pcap
synth -s vimeo -S 3 -d 20 -n 2 -o vm.pcap
for f in yt ytt vm; do
python3 - $f.pcap <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read(); off = 24; tcp = quic = 0
while off < len(d):
    cap = struct.unpack('<I', d[off + 8:off + 12])[0]; f = d[off + 16:off + 16 + cap]; off += 16 + cap
    if f[23] == 6: tcp += 1
    elif f[23] == 17 and 443 in struct.unpack('!HH', f[34:38]): quic += 1
print(sys.argv[1], 'tcp' if tcp else 'no-tcp', 'quic' if quic else 'no-quic', 'quic-majority' if quic > tcp else 'tcp-majority')
PY
done
