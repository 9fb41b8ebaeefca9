#!/usr/bin/env python3
"""Converts ip-location-db CSVs (npm packages, unpacked) into bwdoctor's compact range files.

Usage: scripts/build-geo-data.py COUNTRY_DIR ASN_DIR OUT_DIR
  COUNTRY_DIR: unpacked `npm pack @ip-location-db/geo-whois-asn-country` (CC0-1.0)
  ASN_DIR:     unpacked `npm pack @ip-location-db/asn` (CC-BY-4.0: RouteViews, DB-IP, NRO)
Writes country.bin.gz and asn.bin.gz. Format (big-endian, gzip'd), read by io.bwdoctor.intel.GeoData:
  "BWDI" u8 formatVersion=1 u8 kind ('C' country | 'A' asn)
  labels: i32 n, then n x (C: u16 len + UTF-8 code | A: i32 asn (unsigned), u16 len + UTF-8 organisation)
  IPv4:   i32 n, i32 start[n], i32 end[n], i32 label[n]          (sorted, disjoint, inclusive ends)
  IPv6:   i32 n, i64 startHi[n], i64 startLo[n], i64 endHi[n], i64 endLo[n], i32 label[n]
Adjacent ranges with the same label are merged. No code from the packages runs; only their CSV rows are read.
"""
import csv, gzip, ipaddress, os, struct, sys

def read_rows(path, width):
    with open(path, newline='', encoding='utf-8') as f:
        for row in csv.reader(f):
            if len(row) != width:
                raise SystemExit(f"{path}: bad row {row!r}")
            yield row

def ranges(rows, label_of):
    """Flattens (possibly nested) ranges into disjoint ones; where ranges overlap, the one starting later
    (the more specific one) wins, as in an mmdb."""
    raw = []
    for row in rows:
        start, end = int(ipaddress.ip_address(row[0])), int(ipaddress.ip_address(row[1]))
        if end < start:
            raise SystemExit(f"inverted range {row!r}")
        raw.append((start, -end, label_of(row)))
    raw.sort()
    out, stack, cursor = [], [], 0

    def emit(start, end, label):
        if start > end:
            return
        if out and out[-1][1] + 1 == start and out[-1][2] == label:
            out[-1][1] = end
        else:
            out.append([start, end, label])

    def close_until(limit):
        nonlocal cursor
        while stack and stack[-1][0] < limit:
            end, label = stack.pop()
            emit(cursor, end, label)
            cursor = max(cursor, end + 1)

    for start, neg_end, label in raw:
        end = -neg_end
        close_until(start)
        if stack:
            emit(cursor, start - 1, stack[-1][1])
        cursor = max(cursor, start)
        while stack and stack[-1][0] <= end:  # shadowed from here on by the later-starting range
            stack.pop()
        stack.append((end, label))
    close_until(1 << 129)
    return out

def utf(s):
    b = s.encode('utf-8')
    if len(b) > 0xffff:
        raise SystemExit("label too long")
    return struct.pack('>H', len(b)) + b

def write(path, kind, labels_blob, n_labels, v4, v6):
    M64 = (1 << 64) - 1
    with open(path, 'wb') as raw, gzip.GzipFile(filename='', mode='wb', fileobj=raw, compresslevel=9, mtime=0) as f:
        f.write(b'BWDI' + bytes([1, ord(kind)]))
        f.write(struct.pack('>i', n_labels) + labels_blob)
        f.write(struct.pack('>i', len(v4)))
        for col in (0, 1):
            f.write(b''.join(struct.pack('>I', r[col]) for r in v4))
        f.write(b''.join(struct.pack('>i', r[2]) for r in v4))
        f.write(struct.pack('>i', len(v6)))
        for col in (0, 1):
            f.write(b''.join(struct.pack('>Q', r[col] >> 64) for r in v6))
            f.write(b''.join(struct.pack('>Q', r[col] & M64) for r in v6))
        f.write(b''.join(struct.pack('>i', r[2]) for r in v6))

def main(country_dir, asn_dir, out_dir):
    codes = {}
    def code_label(row):
        return codes.setdefault(row[2], len(codes))
    c4 = ranges(read_rows(os.path.join(country_dir, 'geo-whois-asn-country-ipv4.csv'), 3), code_label)
    c6 = ranges(read_rows(os.path.join(country_dir, 'geo-whois-asn-country-ipv6.csv'), 3), code_label)
    write(os.path.join(out_dir, 'country.bin.gz'), 'C', b''.join(utf(c) for c in codes), len(codes), c4, c6)

    orgs = {}
    def asn_label(row):
        return orgs.setdefault((int(row[2]), row[3]), len(orgs))
    a4 = ranges(read_rows(os.path.join(asn_dir, 'asn-ipv4.csv'), 4), asn_label)
    a6 = ranges(read_rows(os.path.join(asn_dir, 'asn-ipv6.csv'), 4), asn_label)
    blob = b''.join(struct.pack('>I', asn) + utf(org) for asn, org in orgs)
    write(os.path.join(out_dir, 'asn.bin.gz'), 'A', blob, len(orgs), a4, a6)
    print(f"country: {len(codes)} codes, {len(c4)} IPv4 + {len(c6)} IPv6 ranges; "
          f"asn: {len(orgs)} labels, {len(a4)} IPv4 + {len(a6)} IPv6 ranges")

if __name__ == '__main__':
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
