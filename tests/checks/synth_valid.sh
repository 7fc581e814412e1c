#!/usr/bin/env bash
# synth writes well-formed captures: a classic pcap header, records whose
# lengths add up, Ethernet/IPv4 frames with correct IPv4, TCP and UDP
# checksums, TCP sequence numbers that continue without gaps in each
# direction and ACKs that never acknowledge data not yet seen, and the
# transports each service should use.
set -u
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
synth -s youtube,vimeo,twitch,noise -S 7 -d 20 -n 2 -o all.pcap || exit 1
synth -s youtube -S 7 -d 20 -n 2 --no-quic -o noquic.pcap || exit 1
python3 - all.pcap noquic.pcap <<'PY'
import struct, sys

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

def check(path):
    data = open(path, 'rb').read()
    magic, vmaj, vmin, _, _, snap, lt = struct.unpack('<IHHiIII', data[:24])
    assert (magic, vmaj, vmin, snap, lt) == (0xa1b2c3d4, 2, 4, 65535, 1), path
    off, n, last, protos, udp443 = 24, 0, 0, {}, 0
    nxt = {}
    while off < len(data):
        sec, usec, cap, ln = struct.unpack('<IIII', data[off:off + 16])
        off += 16
        f = data[off:off + cap]
        assert cap == ln == len(f) and usec < 1000000, (path, n)
        t = sec * 1000000 + usec
        assert t >= last, (path, n, 'time goes backwards')
        last = t
        off += cap
        assert f[12:14] == b'\x08\x00', (path, n)
        ip = f[14:]
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack('!H', ip[2:4])[0]
        assert ip[0] >> 4 == 4 and ihl == 20 and tot == len(ip), (path, n)
        assert csum(ip[:20]) == 0xffff, (path, n, 'ip checksum')
        proto = ip[9]
        protos[proto] = protos.get(proto, 0) + 1
        seg = ip[20:tot]
        pseudo = ip[12:20] + struct.pack('!BBH', 0, proto, len(seg))
        assert proto in (6, 17), (path, n)
        assert csum(pseudo + seg) == 0xffff, (path, n, 'l4 checksum')
        if proto == 17:
            assert struct.unpack('!H', seg[4:6])[0] == len(seg), (path, n)
            if 443 in struct.unpack('!HH', seg[:4]):
                udp443 += 1
        else:
            hl = (seg[12] >> 4) * 4
            assert hl >= 20, (path, n)
            sp, dp, seq, ack = struct.unpack('!HHII', seg[:12])
            fl = seg[13]
            k, rk = (ip[12:16], sp, ip[16:20], dp), (ip[16:20], dp, ip[12:16], sp)
            if fl & 2:
                nxt[k] = seq
            assert nxt.get(k, seq) == seq, (path, n, 'TCP sequence gap')
            nxt[k] = (seq + len(seg) - hl + (1 if fl & 3 else 0)) & 0xffffffff
            if fl & 16 and rk in nxt:
                assert not 0 < (ack - nxt[rk]) & 0xffffffff < 2**31, (path, n, 'ACK of unseen data')
        n += 1
    return n, protos, udp443

n1, p1, q1 = check(sys.argv[1])
n2, p2, q2 = check(sys.argv[2])
assert q1 > 1000, 'youtube should use QUIC'
assert q2 == 0 and p2.get(17, 0) < p2.get(6, 0) / 20, '--no-quic still sends QUIC'
print('report: %d + %d packets checked (all services: %d TCP, %d UDP of which %d QUIC; --no-quic: %d UDP)'
      % (n1, n2, p1.get(6, 0), p1.get(17, 0), q1, p2.get(17, 0)))
PY
