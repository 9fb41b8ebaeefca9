package io.bwdoctor.core.intel;

/**
 * Converted geo data of one kind, ready to be written or searched: label columns (country codes, or ASN numbers with
 * organisations) and flattened IPv4/IPv6 ranges whose labels index them. {@code sourceRecords} counts the networks or
 * rows read, {@code skipped} those without usable data.
 */
public record GeoTable(GeoKind kind, String[] names, long[] asns, FlatRanges ipv4, FlatRanges ipv6,
                       long sourceRecords, long skipped) {
    public int labelCount() {
        return names.length;
    }
}
