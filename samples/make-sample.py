#!/usr/bin/env python3
"""Writes samples/saturated-uplink.pcap.gz: 60 s on a server (198.51.100.10) with a 10 Mbit/s uplink.

From second 20 a UDP flood to 203.0.113.77:80 fills the uplink; around it, ordinary web traffic to clients,
an SSH session from the admin, and DNS. Documentation addresses only; deterministic (seeded), snaplen 128.
"""
import gzip, random, struct, sys

SERVER = "198.51.100.10"
rnd = random.Random(20261130)
packets = []  # (time, frame bytes, wire length)


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def frame(t, src, dst, proto, sport, dport, payload_len, flags=0x18):
    if proto == 6:
        l4 = struct.pack("!HHIIBBHHH", sport, dport, rnd.getrandbits(32), rnd.getrandbits(32), 0x50, flags, 502, 0, 0)
    else:
        l4 = struct.pack("!HHHH", sport, dport, 8 + payload_len, 0)
    total = 20 + len(l4) + payload_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, rnd.getrandbits(16), 0x4000, 64, proto, 0, ip4(src), ip4(dst))
    eth = bytes.fromhex("020000000001020000000002") + b"\x08\x00"
    data = eth + ip + l4 + bytes(payload_len)
    packets.append((t, data[:128], len(data)))


start = 1764460800.0
for s in range(60):
    base = start + s
    for i in range(40):  # web: 40 responses a second of ~15 KB to 30 clients
        client = "192.0.2.%d" % (1 + rnd.randrange(30))
        port = 40000 + rnd.randrange(2000)
        t = base + rnd.random()
        frame(t, client, SERVER, 6, port, 443, 400)
        for k in range(10):
            frame(t + 0.001 * k, SERVER, client, 6, 443, port, 1448)
        frame(t + 0.02, client, SERVER, 6, port, 443, 0, 0x10)
    for i in range(4):  # admin SSH session
        t = base + rnd.random()
        frame(t, "203.0.113.5", SERVER, 6, 51022, 22, 36)
        frame(t + 0.03, SERVER, "203.0.113.5", 6, 22, 51022, 120)
    if s % 5 == 0:  # DNS
        t = base + rnd.random()
        frame(t, SERVER, "192.0.2.53", 17, 53000 + s, 53, 40)
        frame(t + 0.01, "192.0.2.53", SERVER, 17, 53, 53000 + s, 120)
    if s >= 20:  # the flood: ~9 Mbit/s of 1,200-byte UDP datagrams to one target
        for i in range(900):
            frame(base + i / 900.0, SERVER, "203.0.113.77", 17, 33000 + i % 16, 80, 1200)

packets.sort(key=lambda p: p[0])
out = sys.argv[1] if len(sys.argv) > 1 else "samples/saturated-uplink.pcap.gz"
with gzip.GzipFile(out, "wb", mtime=0) as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 128, 1))
    for t, data, wire in packets:
        sec = int(t)
        usec = int(round((t - sec) * 1e6))
        if usec >= 1000000:
            sec, usec = sec + 1, usec - 1000000
        f.write(struct.pack("<IIII", sec, usec, len(data), wire))
        f.write(data)
print("%s: %d packets, %d wire bytes" % (out, len(packets), sum(p[2] for p in packets)))
