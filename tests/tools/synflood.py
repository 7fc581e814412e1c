#!/usr/bin/env python3
"""synflood.py N OUT.pcap [K]: N TCP SYNs, each its own 5-tuple (SYN-flood shape);
with K > 1, each 5-tuple gets K SYNs in a row (K-packet flows that stay open).

Source addresses 10.x.y.z (one per 256 packets), source ports cycle through
256 values, destination 192.168.0.1:80; 100,000 packets per second. Standard
library only.
"""
import struct
import sys

n = int(sys.argv[1])
out = sys.argv[2]
k = int(sys.argv[3]) if len(sys.argv) > 3 else 1
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    eth = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00"
    rec = struct.Struct("<IIII")
    for j in range(n * k):
        i = j // k
        ip = struct.pack("!BBHHHBBHII", 0x45, 0, 40, 0, 0, 64, 6, 0,
                         0x0A000000 | (i >> 8), 0xC0A80001)
        tcp = struct.pack("!HHIIBBHHH", 1024 + (i & 0xFF), 80, i, 0, 0x50, 0x02, 1024, 0, 0)
        pkt = eth + ip + tcp
        f.write(rec.pack(1600000000 + j // 100000, (j % 100000) * 10, len(pkt), len(pkt)))
        f.write(pkt)
