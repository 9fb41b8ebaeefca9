#!/usr/bin/env python3
"""Cross-checks the country ranges build-geo-data.py derives from the CSV package against the same release's mmdb
package (@ip-location-db/geo-whois-asn-country-mmdb), with a minimal independent mmdb reader, on random addresses.

Usage: scripts/check-geo-data.py COUNTRY_CSV_DIR COUNTRY_MMDB_DIR [SAMPLES]
"""
import bisect, importlib.util, ipaddress, os, random, struct, sys

def load_builder():
    spec = importlib.util.spec_from_file_location('b', os.path.join(os.path.dirname(__file__), 'build-geo-data.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

class Mmdb:
    def __init__(self, path):
        self.buf = open(path, 'rb').read()
        meta_at = self.buf.rindex(b'\xab\xcd\xefMaxMind.com') + 14
        meta, _ = self.decode(meta_at, meta_at)
        self.nodes, self.size, self.version = meta['node_count'], meta['record_size'], meta['ip_version']
        self.tree_bytes = self.nodes * self.size * 2 // 8
        self.data = self.tree_bytes + 16

    def record(self, node, bit):
        b, s = self.buf, self.size
        base = node * s * 2 // 8
        if s == 24:
            o = base + 3 * bit
            return int.from_bytes(b[o:o + 3], 'big')
        if s == 28:
            mid = b[base + 3]
            if bit == 0:
                return ((mid & 0xf0) << 20) | int.from_bytes(b[base:base + 3], 'big')
            return ((mid & 0x0f) << 24) | int.from_bytes(b[base + 4:base + 7], 'big')
        o = base + 4 * bit
        return int.from_bytes(b[o:o + 4], 'big')

    def lookup(self, address):
        a = ipaddress.ip_address(address)
        bits, width = int(a), a.max_prefixlen
        if self.version == 6 and width == 32:
            width, node = 128, 0
            for _ in range(96):  # IPv4 lives under ::/96 in an IPv6 tree
                node = self.record(node, 0)
                if node >= self.nodes:
                    break
        else:
            node = 0
        for i in range(a.max_prefixlen):
            if node >= self.nodes:
                break
            node = self.record(node, (bits >> (a.max_prefixlen - 1 - i)) & 1)
        if node <= self.nodes:
            return None
        return self.decode(self.data + node - self.nodes - 16, self.data)[0]

    def decode(self, at, base):
        b = self.buf
        ctrl = b[at]; at += 1
        kind = ctrl >> 5
        if kind == 1:  # pointer
            ss = (ctrl >> 3) & 3
            v = ctrl & 7
            n = ss + 1
            p = (v << (8 * n)) | int.from_bytes(b[at:at + n], 'big')
            p += (0, 2048, 526336, 0)[ss] if ss < 3 else 0
            if ss == 3:
                p = int.from_bytes(b[at:at + 4], 'big')
            return self.decode(base + p, base)[0], at + n
        if kind == 0:
            kind = 7 + b[at]; at += 1
        size = ctrl & 0x1f
        if size >= 29:
            n = size - 28
            size = (29, 285, 65821)[n - 1] + int.from_bytes(b[at:at + n], 'big'); at += n
        if kind == 2:
            return b[at:at + size].decode(), at + size
        if kind == 7:
            out = {}
            for _ in range(size):
                k, at = self.decode(at, base)
                out[k], at = self.decode(at, base)
            return out, at
        if kind == 11:
            out = []
            for _ in range(size):
                v, at = self.decode(at, base)
                out.append(v)
            return out, at
        if kind in (5, 6, 9, 10):
            return int.from_bytes(b[at:at + size], 'big'), at + size
        if kind == 14:
            return size != 0, at
        if kind == 3:
            return struct.unpack('>d', b[at:at + 8])[0], at + 8
        if kind == 4:
            return b[at:at + size], at + size
        raise SystemExit(f"mmdb type {kind} unsupported")

def main(csv_dir, mmdb_dir, samples=20000):
    builder = load_builder()
    rnd = random.Random(1)
    bad = 0
    for family, bits in (('ipv4', 32), ('ipv6', 128)):
        rows = builder.read_rows(os.path.join(csv_dir, f'geo-whois-asn-country-{family}.csv'), 3)
        table = builder.ranges(rows, lambda row: row[2])
        starts = [r[0] for r in table]
        db = Mmdb(os.path.join(mmdb_dir, f'geo-whois-asn-country-{family}.mmdb'))
        for k in range(int(samples)):
            if k % 2 == 0:  # range boundaries, where flattening mistakes would show
                r = table[rnd.randrange(len(table))]
                a = r[0] if k % 4 == 0 else r[1]
            else:
                a = rnd.getrandbits(bits) if bits == 32 else (0x2 << 124) | rnd.getrandbits(124)
            i = bisect.bisect_right(starts, a) - 1
            ours = table[i][2] if i >= 0 and a <= table[i][1] else None
            record = db.lookup(str(ipaddress.ip_address(a)))
            theirs = record.get('country_code') if record else None
            if ours != theirs:
                bad += 1
                if bad <= 10:
                    print(f"{ipaddress.ip_address(a)}: ours {ours}, mmdb {theirs} {record}")
        print(f"{family}: {samples} addresses checked")
    print(f"{bad} mismatches")
    sys.exit(1 if bad else 0)

if __name__ == '__main__':
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
