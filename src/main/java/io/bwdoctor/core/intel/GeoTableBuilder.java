package io.bwdoctor.core.intel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Accumulates ranges with a country code or an ASN + organisation, interning labels, then flattens them. */
public final class GeoTableBuilder {
    private static final int MAX_ORGANISATION = 256;
    private static final int MAX_LABELS = 10_000_000;

    private final GeoKind kind;
    private final Map<Object, Integer> labelIndex = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<Long> asns = new ArrayList<>();
    private final RangeBuilder ipv4 = new RangeBuilder();
    private final RangeBuilder ipv6 = new RangeBuilder();
    private long records;
    private long skipped;

    public GeoTableBuilder(GeoKind kind) {
        this.kind = kind;
    }

    public GeoKind kind() {
        return kind;
    }

    /** A two-letter country (or registry) code, upper-cased; anything else is counted as skipped. */
    public void addCountry(IpRange range, String code) {
        requireKind(GeoKind.COUNTRY);
        records++;
        String c = code == null ? "" : code.strip().toUpperCase(java.util.Locale.ROOT);
        if (c.length() != 2 || c.charAt(0) < 'A' || c.charAt(0) > 'Z' || c.charAt(1) < 'A' || c.charAt(1) > 'Z') {
            skipped++;
            return;
        }
        add(range, label(c, c, 0));
    }

    /** An AS number (0 to 2^32-1) and its organisation (may be empty). */
    public void addAsn(IpRange range, long asn, String organisation) {
        requireKind(GeoKind.ASN);
        records++;
        if (asn < 0 || asn > 0xffff_ffffL) {
            skipped++;
            return;
        }
        String org = organisation == null ? "" : organisation.strip();
        if (org.length() > MAX_ORGANISATION) org = org.substring(0, MAX_ORGANISATION);
        add(range, label(new AsnLabel(asn, org), org, asn));
    }

    public void skip() {
        records++;
        skipped++;
    }

    private record AsnLabel(long asn, String organisation) {}

    private int label(Object key, String name, long asn) {
        Integer existing = labelIndex.get(key);
        if (existing != null) return existing;
        if (names.size() >= MAX_LABELS) throw new IllegalArgumentException("more than " + MAX_LABELS + " labels");
        labelIndex.put(key, names.size());
        names.add(name);
        asns.add(asn);
        return names.size() - 1;
    }

    private void add(IpRange range, int label) {
        (range.version() == 4 ? ipv4 : ipv6).add(range, label);
    }

    private void requireKind(GeoKind wanted) {
        if (kind != wanted) throw new IllegalStateException("builder is for " + kind.key() + " data");
    }

    public long records() {
        return records;
    }

    public GeoTable build() {
        long[] a = kind == GeoKind.ASN ? asns.stream().mapToLong(Long::longValue).toArray() : null;
        return new GeoTable(kind, names.toArray(String[]::new), a, ipv4.build(), ipv6.build(), records, skipped);
    }
}
