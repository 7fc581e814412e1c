#!/usr/bin/env python3
"""synflood.py N OUT.pcap: N TCP SYNs, each its own 5-tuple (SYN-flood shape).

Source addresses 10.x.y.z (one per 256 packets), source ports cycle through
256 values, destination 192.168.0.1:80; 100,000 packets per second. Standard
library only.
"""
import struct
import sys

n = int(sys.argv[1])
out = sys.argv[2]
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    eth = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00"
    rec = struct.Struct("<IIII")
    for i in range(n):
        ip = struct.pack("!BBHHHBBHII", 0x45, 0, 40, 0, 0, 64, 6, 0,
                         0x0A000000 | (i >> 8), 0xC0A80001)
        tcp = struct.pack("!HHIIBBHHH", 1024 + (i & 0xFF), 80, i, 0, 0x50, 0x02, 1024, 0, 0)
        pkt = eth + ip + tcp
        f.write(rec.pack(1600000000 + i // 100000, (i % 100000) * 10, len(pkt), len(pkt)))
        f.write(pkt)
