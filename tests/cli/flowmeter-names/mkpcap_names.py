#!/usr/bin/env python3
"""Write a small Ethernet/IPv4 pcap of handshakes for the --names CLI cases.

  mkpcap_names.py KIND OUT.pcap
KIND: escape (a ClientHello whose server name has a comma, a quote, a control
byte and invalid UTF-8, split over two TCP segments), badtls (oversized and
zero-length server_name extensions), dnsloop (a CNAME cycle answer, then a
connection to the address), quicbad (a QUIC v1 Initial that does not
decrypt), http (an HTTP/1.1 request with Host), dnsfirst (a connection, then
the answer for its address, then a second connection), many N (N DNS
answers of 4 addresses each on one DNS flow, each followed by a TLS
connection with a server name to one of them: 4N answers, N named
connections, for the --names-max memory bound)."""
import struct, sys

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

def ip4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return b'\x00\x01\x02\x03\x04\x05\x00\x11\x22\x33\x44\x55\x08\x00' + h + payload

def tcp(src, dst, sp, dp, seq, flags, data=b''):
    return ip4(src, dst, 6, struct.pack('!HHIIBBHHH', sp, dp, seq, 1, 5 << 4, flags, 65535, 0, 0) + data)

def udp(src, dst, sp, dp, data):
    return ip4(src, dst, 17, struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data)

def client_hello(sni_ext):
    body = b'\x03\x03' + b'\xab' * 32 + b'\x00' + b'\x00\x02\x13\x01' + b'\x01\x00'
    body += struct.pack('!H', len(sni_ext)) + sni_ext
    hs = b'\x01' + struct.pack('!I', len(body))[1:] + body
    return b'\x16\x03\x01' + struct.pack('!H', len(hs)) + hs

def sni_ext(name, delta=0):
    lst = b'\x00' + struct.pack('!H', len(name)) + name
    data = struct.pack('!H', len(lst)) + lst
    return b'\x00\x00' + struct.pack('!H', len(data) + delta) + data

def dname(s):
    return b''.join(bytes([len(l)]) + l.encode() for l in s.split('.')) + b'\0'

def rr(owner, t, rd):
    return dname(owner) + struct.pack('!HHIH', t, 1, 60, len(rd)) + rd

def dns(q, answers):
    return struct.pack('!HHHHHH', 7, 0x8180, 1, len(answers), 0, 0) + dname(q) + b'\0\1\0\1' + b''.join(answers)

C, S, R = [10, 0, 0, 1], [93, 184, 216, 34], [10, 0, 0, 53]
SYN, ACK, PSHACK, FINACK = 0x02, 0x10, 0x18, 0x11

def conn(sp, dp, t, payloads, server_reply=b'ok'):
    """A TCP connection: handshake, client payload segments, a reply, FINs."""
    out = [(t, tcp(C, S, sp, dp, 100, SYN)), (t + 0.01, tcp(S, C, dp, sp, 500, SYN | ACK)),
           (t + 0.02, tcp(C, S, sp, dp, 101, ACK))]
    seq = 101
    for i, p in enumerate(payloads):
        out.append((t + 0.03 + i * 0.001, tcp(C, S, sp, dp, seq, PSHACK, p)))
        seq += len(p)
    out += [(t + 0.05, tcp(S, C, dp, sp, 501, PSHACK, server_reply)),
            (t + 0.06, tcp(C, S, sp, dp, seq, FINACK)), (t + 0.07, tcp(S, C, dp, sp, 503, FINACK))]
    return out

kind, path = sys.argv[1], sys.argv[2]
pk = []
if kind == 'escape':
    ch = client_hello(sni_ext(b'a,b"c\x01\xffd.example'))
    pk += conn(40000, 443, 1.0, [ch[:30], ch[30:]])
elif kind == 'badtls':
    pk += conn(40001, 443, 1.0, [client_hello(sni_ext(b'big.example', 4000))])
    pk += conn(40002, 443, 2.0, [client_hello(b'\x00\x00\x00\x00')])
    pk += conn(40003, 443, 3.0, [client_hello(sni_ext(b''))])
elif kind == 'dnsloop':
    m = dns('a.example', [rr('a.example', 5, dname('b.example')), rr('b.example', 5, dname('a.example')),
                          rr('a.example', 1, bytes(S))])
    pk += [(0.5, udp(C, R, 5000, 53, m[:12] + m[12:29])), (0.6, udp(R, C, 53, 5000, m))]
    pk += conn(40004, 443, 1.0, [b'\x17\x03\x03\x00\x02hi'])
elif kind == 'quicbad':
    ini = bytearray(b'\xc3\x00\x00\x00\x01\x08\x83\x94\xc8\xf0\x3e\x51\x57\x08\x00\x00\x44\x9e' + b'\x00' * 1182)
    for i in range(18, len(ini)):
        ini[i] = (i * 7) & 0xFF
    pk += [(1.0, udp(C, S, 50000, 443, bytes(ini))), (1.1, udp(S, C, 443, 50000, b'\x40' + b'x' * 40))]
elif kind == 'http':
    pk += conn(40005, 80, 1.0, [b'GET / HTTP/1.1\r\nHost: www.example.org\r\n', b'Accept: */*\r\n\r\n'])
elif kind == 'dnsfirst':
    pk += conn(40006, 443, 1.0, [b'\x17\x03\x03\x00\x02hi'])
    m = dns('cdn.example.net', [rr('cdn.example.net', 1, bytes(S))])
    pk += [(2.0, udp(C, R, 5001, 53, m[:33])), (2.1, udp(R, C, 53, 5001, m))]
    pk += conn(40007, 443, 3.0, [b'\x17\x03\x03\x00\x02hi'])
elif kind != 'many':
    sys.exit('unknown kind ' + kind)

def write(f, t, b):
    f.write(struct.pack('<IIII', int(t), int(round((t % 1) * 1e6)), len(b), len(b)) + b)

with open(path, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for t, b in pk:
        write(f, t, b)
    if kind == 'many':
        # written as it goes: a million packets do not stay in memory
        for i in range(int(sys.argv[3])):
            t = 1.0 + i * 0.001
            addrs = [bytes([100 + (i >> 22), (i >> 14) & 0xFF, (i >> 6) & 0xFF, (i & 63) * 4 + j]) for j in range(4)]
            m = dns('h%d.example.com' % i, [rr('h%d.example.com' % i, 1, a) for a in addrs])
            write(f, t, udp(R, C, 53, 5353, m))
            a = list(addrs[i % 4])
            sp = 1024 + i % 60000
            ch = client_hello(sni_ext(b's%d.example.net' % i))
            for dt, b in ((0.0001, tcp(C, a, sp, 443, 100, SYN)), (0.0002, tcp(a, C, 443, sp, 500, SYN | ACK)),
                          (0.0003, tcp(C, a, sp, 443, 101, ACK)), (0.0004, tcp(C, a, sp, 443, 101, PSHACK, ch)),
                          (0.0005, tcp(C, a, sp, 443, 101 + len(ch), FINACK)),
                          (0.0006, tcp(a, C, 443, sp, 501, FINACK))):
                write(f, t + dt, b)
