#!/usr/bin/env python3
"""Writes a large, deterministic, realistic-looking pcap for benchmarking bwdoctor against C tools.

Python 3 standard library only. Same arguments (and seed) give a byte-identical file.

Traffic model
  * flows: TCP ~78 %, UDP ~20 %, ICMP echo ~2 %; IPv4 ~70 %, IPv6 ~30 %.
  * flow sizes (packets) follow a Pareto law (alpha 1.15): a few elephants carry most bytes.
  * TCP: SYN / SYN-ACK / ACK, a request, bulk data (1514-byte frames) one way with delayed ACKs
    (66-byte frames on IPv4, 86 on IPv6) back, FIN/ACK teardown; tiny flows are refused (SYN, RST)
    or reset. UDP: DNS/NTP query-response, QUIC/WireGuard/RTP-like bulk. ICMP: echo request/reply.
  * flows start at random times over --duration seconds and interleave; timestamps never go back.
  * addresses only from 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32.
  * Ethernet, captured length = min(frame, snaplen), wire length = full frame (like tcpdump -s 128).
    Payload bytes are zero; IPv4, TCP, UDP and ICMP checksums are correct for the full frame.

Beside the capture it writes <out>.truth.json: packets, wire bytes, flows (bidirectional 5-tuples) and more.
"""
import argparse
import hashlib
import bisect
import heapq
import json
import math
import os
import random
import struct
import sys
import time

MSS4, MSS6 = 1448, 1428             # with TCP timestamps: 14+20+32+1448 = 14+40+32+1428 = 1514
TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_FIN = 0x02, 0x04, 0x08, 0x10, 0x01
PROTO_TCP, PROTO_UDP, PROTO_ICMP4, PROTO_ICMP6 = 6, 17, 1, 58
# Ports that decoders treat as tunnels (Teredo, VXLAN, GTP, L2TP, IKE NAT-T, Geneve...): never used, so every
# tool sees exactly one conversation per flow.
TUNNEL_PORTS = {500, 1701, 2152, 3544, 4500, 4789, 6081, 8472, 1723, 1194, 5555, 4790}

TCP_SERVICES = [(443, 50), (80, 12), (22, 4), (8443, 3), (8080, 3), (25, 2), (587, 1), (993, 2), (3306, 3),
                (5432, 3), (6379, 3), (9092, 2), (27017, 1), (445, 1), (873, 1), (5201, 1), (0, 8)]  # 0: any port
TCP_PORTS, TCP_PORT_W = zip(*TCP_SERVICES)
TTLS = (64, 64, 64, 128, 255)
WIN_CLIENT = (502, 501, 64240, 65535, 1026, 2048)
WIN_SERVER = (509, 235, 65160, 28960, 1024)
LOG_RTT = math.log(20_000)          # median round-trip time 20 ms
# SYN options: MSS (a few tunnel-reduced values), SACK permitted, timestamps (filled per packet), NOP, window scale
SYN_OPTS = {v6: [struct.pack('!BBHBB', 2, 4, mss, 4, 2) + b'\x08\x0a' + bytes(8) + b'\x01\x03\x03\x07'
                 for mss in ((1440 if v6 else 1460) - k for k in (0, 0, 0, 40, 80))] for v6 in (False, True)}

S_REC = struct.Struct('<IIII')
S_TCP4 = struct.Struct('!16sHH4sH8sHHIIHHHHHHII')   # eth+ver/tos, len, id, flags/ttl/proto, csum, addrs, tcp+TS option
S_TCP6 = struct.Struct('!18sHH32sHHIIHHHHHHII')     # eth+ver/flow, plen, next/hop, addrs, tcp+TS option
S_TCP4_SYN = struct.Struct('!16sHH4sH8sHHIIHHHH20s')
S_TCP6_SYN = struct.Struct('!18sHH32sHHIIHHHH20s')
S_UDP4 = struct.Struct('!16sHH4sH8sHHHH')
S_UDP6 = struct.Struct('!18sHH32sHHHH')
S_ICMP4 = struct.Struct('!16sHH4sH8sBBHHH')
S_ICMP6 = struct.Struct('!18sHH32sBBHHH')


def words(b):
    """Sum of the big-endian 16-bit words of b (even length)."""
    return sum(struct.unpack('!%dH' % (len(b) // 2), b))


def fold(s):
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return s


class Flow:
    """One bidirectional conversation; step() emits its next packet. Direction 0 = client to server."""
    __slots__ = ('fid', 'proto', 'v6', 'npk', 'i', 'gap', 'rtt', 'rng', 'snap', 'zeros', 'pre', 'ipbase',
                 'l4base', 'ipid', 'seq', 'tsoff', 'win', 'bulk', 'req', 'last_data', 'last_len', 'svc',
                 'bytes', 'isn', 'icmp_id', 'syn_opts', 'mss', 'ends')

    def step(self, t):
        """Returns (captured frame bytes, wire length) of packet number self.i at time t (µs)."""
        if self.proto == PROTO_TCP:
            d, flags, plen = self.tcp_plan()
            return self.tcp(d, flags, plen, t)
        if self.proto == PROTO_UDP:
            d, plen = self.udp_plan()
            return self.udp(d, plen)
        return self.icmp()

    # ---- TCP -----------------------------------------------------------------------------------------------
    def tcp_plan(self):
        i, n, rng = self.i, self.npk, self.rng
        if i == 0:
            return 0, TCP_SYN, 0
        if n == 2:
            return 1, TCP_RST | TCP_ACK, 0                       # refused
        if i == 1:
            return 1, TCP_SYN | TCP_ACK, 0
        if i == 2:
            return 0, TCP_ACK, 0
        if n < 9:                                               # short exchange, then reset
            if i == n - 1:
                return 0, TCP_RST | TCP_ACK, 0
            return (i + 1) & 1, TCP_PSH | TCP_ACK, 40 + int(rng.random() * 560)
        if i == 3:
            return 0, TCP_PSH | TCP_ACK, self.req
        k = i - (n - 4)
        if k >= 0:                                              # FIN, ACK, FIN, ACK
            return (0, 1, 1, 0)[k], (TCP_FIN | TCP_ACK, TCP_ACK, TCP_FIN | TCP_ACK, TCP_ACK)[k], 0
        j = i - 4
        if j % 3 == 2:
            return 1 - self.bulk, TCP_ACK, 0
        if j == self.last_data:
            return self.bulk, TCP_PSH | TCP_ACK, self.last_len
        return self.bulk, TCP_ACK, self.mss

    def tcp(self, d, flags, plen, t):
        seq = self.seq
        s = seq[d]
        a = seq[1 - d] if flags & TCP_ACK else 0
        tsval = (t // 1000 + self.tsoff[d]) & 0xffffffff
        tsecr = ((t - self.rtt) // 1000 + self.tsoff[1 - d]) & 0xffffffff if flags & TCP_ACK else 0
        win = self.win[d]
        syn = flags & TCP_SYN
        if syn:
            s = self.isn[d]
            opts = self.syn_opts[d][:8] + struct.pack('!II', tsval, tsecr) + self.syn_opts[d][16:]
            hl = 40
            ocs = words(opts)
        else:
            hl = 32
            ocs = 0x0101 + 0x080a + (tsval >> 16) + (tsval & 0xffff) + (tsecr >> 16) + (tsecr & 0xffff)
        tl = hl + plen
        offflags = (hl // 4) << 12 | flags
        cs = self.l4base[d] + tl + (s >> 16) + (s & 0xffff) + (a >> 16) + (a & 0xffff) + offflags + win + ocs
        cs = ~fold(cs) & 0xffff
        sp, dp, addrs, ttlp = self.ends[d]
        if self.v6:
            wire = 54 + tl
            if syn:
                hdr = S_TCP6_SYN.pack(self.pre[d], tl, 0x0600 | self.ipbase[d], addrs,
                                      sp, dp, s, a, offflags, win, cs, 0, opts)
            else:
                hdr = S_TCP6.pack(self.pre[d], tl, 0x0600 | self.ipbase[d], addrs,
                                  sp, dp, s, a, offflags, win, cs, 0, 0x0101, 0x080a, tsval, tsecr)
        else:
            wire = 34 + tl
            ipid = self.ipid[d]
            self.ipid[d] = (ipid + 1) & 0xffff
            ics = ~fold(self.ipbase[d] + 20 + tl + ipid) & 0xffff
            if syn:
                hdr = S_TCP4_SYN.pack(self.pre[d], 20 + tl, ipid, ttlp, ics, addrs,
                                      sp, dp, s, a, offflags, win, cs, 0, opts)
            else:
                hdr = S_TCP4.pack(self.pre[d], 20 + tl, ipid, ttlp, ics, addrs,
                                  sp, dp, s, a, offflags, win, cs, 0, 0x0101, 0x080a, tsval, tsecr)
        seq[d] = (s + plen + (1 if flags & (TCP_SYN | TCP_FIN) else 0)) & 0xffffffff
        return self.finish(hdr, wire)

    # ---- UDP -----------------------------------------------------------------------------------------------
    def udp_plan(self):
        i, rng, svc = self.i, self.rng, self.svc
        if svc == 'dns':
            return (0, 28 + int(rng.random() * 36)) if i % 2 == 0 else (1, 44 + int(rng.random() * 436))
        if svc == 'ntp':
            return i & 1, 48
        if i == 0:
            return 0, 1200 + int(rng.random() * 150)                   # QUIC-like initial, padded
        if i % 4 == 3:
            return 1 - self.bulk, 24 + int(rng.random() * 40)
        return self.bulk, self.mss - int(rng.random() * 120)

    def udp(self, d, plen):
        ul = 8 + plen
        sport, dport, addrs, ttlp = self.ends[d]
        cs = ~fold(self.l4base[d] + ul + ul) & 0xffff or 0xffff    # length appears in pseudo header and header
        if self.v6:
            wire = 54 + ul
            hdr = S_UDP6.pack(self.pre[d], ul, 0x1100 | self.ipbase[d], addrs, sport, dport, ul, cs)
        else:
            wire = 34 + ul
            ipid = self.ipid[d]
            self.ipid[d] = (ipid + 1) & 0xffff
            ics = ~fold(self.ipbase[d] + 20 + ul + ipid) & 0xffff
            hdr = S_UDP4.pack(self.pre[d], 20 + ul, ipid, ttlp, ics, addrs, sport, dport, ul, cs)
        return self.finish(hdr, wire)

    # ---- ICMP echo -----------------------------------------------------------------------------------------
    def icmp(self):
        d = self.i & 1
        seqno = self.i // 2 + 1
        il = 8 + 56
        addrs, ttlp = self.ends[d][2:]
        if self.v6:
            typ = 128 if d == 0 else 129
            cs = ~fold(self.l4base[d] + il + (typ << 8) + self.icmp_id + seqno) & 0xffff
            hdr = S_ICMP6.pack(self.pre[d], il, 0x3a00 | self.ipbase[d], addrs, typ, 0, cs,
                               self.icmp_id, seqno)
            wire = 54 + il
        else:
            typ = 8 if d == 0 else 0
            cs = ~fold((typ << 8) + self.icmp_id + seqno) & 0xffff
            ipid = self.ipid[d]
            self.ipid[d] = (ipid + 1) & 0xffff
            ics = ~fold(self.ipbase[d] + 20 + il + ipid) & 0xffff
            hdr = S_ICMP4.pack(self.pre[d], 20 + il, ipid, ttlp, ics, addrs, typ, 0, cs,
                               self.icmp_id, seqno)
            wire = 34 + il
        return self.finish(hdr, wire)

    def finish(self, hdr, wire):
        self.i += 1
        self.bytes += wire
        cap = wire if wire < self.snap else self.snap
        if cap <= len(hdr):
            return hdr[:cap], wire
        return hdr + self.zeros[:cap - len(hdr)], wire


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--packets', type=int, default=3_000_000, help='exact number of packets (default 3000000)')
    p.add_argument('--flows', type=int, default=50_000, help='number of bidirectional flows (default 50000)')
    p.add_argument('--out', default='bench/out/capture.pcap', help='output pcap path')
    p.add_argument('--snaplen', type=int, default=128, help='captured bytes per frame (default 128)')
    p.add_argument('--duration', type=float, default=180.0, help='seconds spanned by the capture (default 180)')
    p.add_argument('--seed', type=int, default=1, help='random seed (default 1)')
    p.add_argument('--ipv6-share', type=float, default=0.30, help='share of IPv6 flows (default 0.30)')
    p.add_argument('--alpha', type=float, default=1.15, help='Pareto shape of flow sizes (default 1.15)')
    p.add_argument('--quiet', action='store_true')
    a = p.parse_args(argv)
    if a.flows < 1 or a.packets < 2 * a.flows:
        p.error('need at least 1 flow and 2 packets per flow (--packets >= 2 * --flows)')
    if not 14 <= a.snaplen <= 262144:
        p.error('--snaplen must be between 14 and 262144')
    if a.duration <= 0:
        p.error('--duration must be positive')
    return a


class Host:
    """An address of the pool with what every flow needs from it, computed once."""
    __slots__ = ('addr', 'mac', 'sum')

    def __init__(self, addr):
        self.addr = addr
        self.mac = b'\x02' + hashlib.blake2s(addr, digest_size=5).digest()   # locally administered, unicast
        self.sum = words(addr)


def host_pools(rng):
    v4 = [bytes((a, b, c, h)) for (a, b, c) in ((192, 0, 2), (198, 51, 100), (203, 0, 113)) for h in range(1, 255)]
    v6 = set()
    while len(v6) < 6000:
        if rng.random() < 0.4:      # server-like: short interface ids
            addr = b'\x20\x01\x0d\xb8' + rng.getrandbits(32).to_bytes(4, 'big') + bytes(6) + \
                (1 + rng.getrandbits(12)).to_bytes(2, 'big')
        else:                       # client-like: random interface ids
            addr = b'\x20\x01\x0d\xb8' + rng.getrandbits(96).to_bytes(12, 'big')
        v6.add(addr)
    v6 = sorted(v6)
    rng.shuffle(v6)
    return [Host(x) for x in v4], [Host(x) for x in v6]


def allocate_packets(rng, a):
    """Per flow: protocol, IPv6 flag and packet count (exactly a.packets in total, at least 2 each)."""
    n = a.flows
    rnd = rng.random
    protos, v6s, weights = [], [], []
    inv_alpha = -1.0 / a.alpha
    for _ in range(n):
        r = rnd()
        proto = PROTO_TCP if r < 0.78 else PROTO_UDP if r < 0.98 else PROTO_ICMP4
        protos.append(proto)
        v6s.append(rnd() < a.ipv6_share)
        w = (1.0 - rnd()) ** inv_alpha                              # Pareto(alpha), minimum 1
        weights.append(w * 0.02 if proto == PROTO_ICMP4 else w)     # pings stay small
    extra = a.packets - 2 * n
    total_w = math.fsum(weights)
    shares = [extra * w / total_w for w in weights]
    counts = [2 + int(s) for s in shares]
    left = a.packets - sum(counts)
    order = sorted(range(n), key=lambda k: (int(shares[k]) - shares[k], k))   # largest remainders first
    for k in order[:left]:
        counts[k] += 1
    return protos, v6s, counts


def cumulative(ws):
    out, s = [], 0.0
    for w in ws:
        s += w
        out.append(s)
    return out


def make_specs(rng, a, n4, n6):
    """Endpoints, ports, pacing and start time of every flow; 5-tuples are unique in both directions."""
    protos, v6s, counts = allocate_packets(rng, a)
    rnd = rng.random
    order4, order6 = list(range(n4)), list(range(n6))
    rng.shuffle(order4)
    rng.shuffle(order6)
    cum4 = cumulative(1.0 / (k + 1) ** 0.9 for k in range(n4))      # a few popular servers (Zipf)
    cum6 = cumulative(1.0 / (k + 1) ** 0.9 for k in range(n6))
    tcp_cum = cumulative(TCP_PORT_W)
    udp_bulk_ports = (443, 443, 443, 51820, 5004, 1935, 3478)
    log_rate = math.log(1500)
    seen = set()
    dur_us = int(a.duration * 1e6)
    specs = []
    for f in range(a.flows):
        proto, is6, npk = protos[f], v6s[f], counts[f]
        order, cum, nh = (order6, cum6, n6) if is6 else (order4, cum4, n4)
        svc = None
        while True:
            srv = order[bisect.bisect_left(cum, rnd() * cum[-1])]
            cli = int(rnd() * nh)
            if cli == srv:
                continue
            if proto == PROTO_TCP:
                sport = TCP_PORTS[bisect.bisect_left(tcp_cum, rnd() * tcp_cum[-1])] or 1 + int(rnd() * 65535)
            elif proto == PROTO_UDP:
                if npk <= 8:
                    svc = 'dns' if rnd() < 0.85 else 'ntp'
                    sport = 53 if svc == 'dns' else 123
                else:
                    svc = 'bulk'
                    sport = udp_bulk_ports[int(rnd() * len(udp_bulk_ports))]
                if rnd() < 0.05:
                    sport = 1 + int(rnd() * 65535)
            else:
                sport = 0
            if proto == PROTO_ICMP4:
                cport = 0
            elif rnd() < 0.85:
                cport = 32768 + int(rnd() * 28232)                   # Linux ephemeral range
            else:
                cport = 1024 + int(rnd() * 64512)
            if sport in TUNNEL_PORTS or cport in TUNNEL_PORTS:
                continue
            if (cli, cport) < (srv, sport):
                key = ((((proto * 2 + is6) * nh + cli) * nh + srv) << 16 | cport) << 16 | sport
            else:
                key = ((((proto * 2 + is6) * nh + srv) * nh + cli) << 16 | sport) << 16 | cport
            if key not in seen:
                seen.add(key)
                break
        # pacing: a per-flow packet rate (log-normal), stretched to fit in the capture
        if proto == PROTO_ICMP4:
            gap = 500_000.0
        else:
            rate = min(50_000.0, max(20.0, math.exp(log_rate + 1.2 * rng.gauss(0.0, 1.0))))
            gap = 1e6 / rate
        span = gap * npk
        if span > dur_us * 0.95:
            span = dur_us * 0.95
            gap = span / npk
        start = int(rnd() * (dur_us - span))
        specs.append((start, f, proto, is6, npk, cli, srv, cport, sport, gap, svc))
    specs.sort()
    return specs, len(seen)


def activate(spec, rng, a, v4, v6, zeros):
    start, fid, proto, is6, npk, cli, srv, cport, sport, gap, svc = spec
    rnd, bits = rng.random, rng.getrandbits
    fl = Flow()
    fl.fid, fl.proto, fl.v6, fl.npk, fl.i, fl.gap = fid, proto, is6, npk, 0, gap
    fl.rng, fl.snap, fl.zeros, fl.bytes, fl.svc = rng, a.snaplen, zeros, 0, svc
    fl.rtt = int(min(300_000.0, max(200.0, math.exp(LOG_RTT + 0.9 * rng.gauss(0.0, 1.0)))))
    ch, sh = (v6[cli], v6[srv]) if is6 else (v4[cli], v4[srv])
    l4proto = PROTO_ICMP6 if proto == PROTO_ICMP4 and is6 else proto
    pseudo = ch.sum + sh.sum + l4proto
    ethertype = b'\x86\xdd' if is6 else b'\x08\x00'
    ends = ((ch, cport), (sh, sport))
    pre, ipbase, l4base, ends_ = [], [], [], []
    for d in (0, 1):
        (src, sp), (dst, dp) = ends[d], ends[1 - d]
        ttl = TTLS[int(rnd() * len(TTLS))] - int(rnd() * 20)
        addrs = src.addr + dst.addr
        if is6:
            label = bits(20)
            # eth + first 4 IPv6 bytes (version, class 0, flow label); ipbase holds the hop limit
            pre.append(dst.mac + src.mac + ethertype + bytes((0x60, label >> 16, label >> 8 & 0xff, label & 0xff)))
            ipbase.append(ttl)
            ends_.append((sp, dp, addrs, None))
        else:
            pre.append(dst.mac + src.mac + ethertype + b'\x45\x00')
            ipbase.append(0x4500 + 0x4000 + (ttl << 8 | l4proto) + src.sum + dst.sum)
            ends_.append((sp, dp, addrs, b'\x40\x00' + bytes((ttl, l4proto))))
        l4base.append(pseudo + sp + dp if proto != PROTO_ICMP4 else (pseudo if is6 else 0))
    fl.pre, fl.ipbase, fl.l4base, fl.ends = pre, ipbase, l4base, tuple(ends_)
    fl.ipid = [bits(16), bits(16)]
    if proto == PROTO_TCP:
        fl.isn = [bits(32), bits(32)]
        fl.seq = list(fl.isn)
        fl.tsoff = [bits(32), bits(32)]
        fl.win = [WIN_CLIENT[int(rnd() * len(WIN_CLIENT))], WIN_SERVER[int(rnd() * len(WIN_SERVER))]]
        fl.mss = MSS6 if is6 else MSS4
        opts = SYN_OPTS[is6]
        fl.syn_opts = (opts[int(rnd() * len(opts))], opts[int(rnd() * len(opts))])
        fl.bulk = 1 if rnd() < 0.75 else 0
        fl.req = 80 + int(rnd() * 620)
        body = npk - 8
        if body > 0:
            last = body - 1
            if last % 3 == 2:
                last -= 1
            fl.last_data = last
            fl.last_len = 1 + int(rnd() * fl.mss)
        else:
            fl.last_data, fl.last_len = -1, 0
    elif proto == PROTO_UDP:
        fl.bulk = 1 if rnd() < 0.7 else 0
        fl.mss = 1350 if is6 else 1370
    else:
        fl.icmp_id = bits(16)
    return fl



def generate(a, log):
    t0 = time.monotonic()
    rng = random.Random(a.seed)
    v4, v6 = host_pools(rng)
    specs, nflows = make_specs(rng, a, len(v4), len(v6))
    log(f'flow table: {len(specs)} flows in {time.monotonic() - t0:.1f} s')
    zeros = bytes(max(a.snaplen, 64))
    epoch_us = 1_700_000_000 * 1_000_000           # 2023-11-14T22:13:20Z
    flow_bytes = []
    sha = hashlib.sha256()
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp = a.out + '.part'
    pack_rec = S_REC.pack
    first_ts = last_ts = None
    with open(tmp, 'wb') as out:
        ghdr = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, a.snaplen, 1)
        out.write(ghdr)
        sha.update(ghdr)
        buf = []
        heap = []
        nxt, nspecs = 0, len(specs)
        packets = wire_total = cap_total = truncated = 0
        per_proto = {PROTO_TCP: 0, PROTO_UDP: 0, PROTO_ICMP4: 0}
        v6_packets = 0
        last = 0
        while heap or nxt < nspecs:
            if nxt < nspecs and (not heap or specs[nxt][0] <= heap[0][0]):
                spec = specs[nxt]
                nxt += 1
                fl = activate(spec, rng, a, v4, v6, zeros)
                t = spec[0]
                heapq.heappush(heap, (t, fl.fid, fl))
            t, fid, fl = heap[0]
            frame, wire = fl.step(t)
            ts = epoch_us + t
            buf.append(pack_rec(ts // 1_000_000, ts % 1_000_000, len(frame), wire))
            buf.append(frame)
            packets += 1
            wire_total += wire
            cap_total += len(frame)
            if len(frame) < wire:
                truncated += 1
            per_proto[fl.proto] += 1
            if fl.v6:
                v6_packets += 1
            if t < last:
                raise AssertionError('time went backwards')
            last = t
            if fl.i < fl.npk:
                g = fl.gap
                if fl.proto == PROTO_TCP and fl.i <= 3:
                    g = fl.rtt / 2                     # handshake paced by round-trip time
                nt = t + 1 + int(g * (0.5 + rng.random()))
                heapq.heapreplace(heap, (nt, fid, fl))
            else:
                heapq.heappop(heap)
                flow_bytes.append(fl.bytes)
            if len(buf) >= 16384:
                chunk = b''.join(buf)
                out.write(chunk)
                sha.update(chunk)
                buf.clear()
                if not a.quiet and packets % 500_000 < 8192:
                    log(f'{packets} packets, {time.monotonic() - t0:.1f} s')
        chunk = b''.join(buf)
        out.write(chunk)
        sha.update(chunk)
    os.replace(tmp, a.out)
    flow_bytes.sort(reverse=True)
    top = max(1, len(flow_bytes) // 100)
    truth = {
        'file': os.path.basename(a.out),
        'generator': 'bench/gen-capture.py',
        'args': {'packets': a.packets, 'flows': a.flows, 'snaplen': a.snaplen, 'duration': a.duration,
                 'seed': a.seed, 'ipv6_share': a.ipv6_share, 'alpha': a.alpha},
        'packets': packets,
        'bytes': wire_total,
        'captured_bytes': cap_total,
        'truncated_packets': truncated,
        'flows': nflows,
        'flows_tcp': sum(1 for s in specs if s[2] == PROTO_TCP),
        'flows_udp': sum(1 for s in specs if s[2] == PROTO_UDP),
        'flows_icmp': sum(1 for s in specs if s[2] == PROTO_ICMP4),
        'flows_ipv6': sum(1 for s in specs if s[3]),
        'packets_tcp': per_proto[PROTO_TCP],
        'packets_udp': per_proto[PROTO_UDP],
        'packets_icmp': per_proto[PROTO_ICMP4],
        'packets_ipv6': v6_packets,
        'top_1pct_flows_byte_share': round(sum(flow_bytes[:top]) / wire_total, 4),
        'largest_flow_bytes': flow_bytes[0],
        'first_ts_us': epoch_us + specs[0][0],
        'last_ts_us': epoch_us + last,
        'pcap_sha256': sha.hexdigest(),
        'flow_definition': 'bidirectional 5-tuple (protocol, address and port of each end; ICMP: address pair)',
        'bytes_definition': 'sum of original (wire) frame lengths, Ethernet header included, no FCS',
    }
    with open(a.out + '.truth.json', 'w') as f:
        json.dump(truth, f, indent=2)
        f.write('\n')
    log(f'wrote {a.out}: {packets} packets, {wire_total} wire bytes, {nflows} flows '
        f'in {time.monotonic() - t0:.1f} s')
    return truth


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    log = (lambda m: None) if a.quiet else (lambda m: print('gen-capture: ' + m, file=sys.stderr, flush=True))
    generate(a, log)


if __name__ == '__main__':
    main()
