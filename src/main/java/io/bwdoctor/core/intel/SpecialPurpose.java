package io.bwdoctor.core.intel;

/**
 * Private, loopback, link-local, multicast, documentation and other special-purpose ranges (RFC 6890 registries).
 * Registry data sometimes lists them (2001:db8::/32 appears under JP in delegation files), so lookups skip them.
 */
public final class SpecialPurpose {
    private SpecialPurpose() {}

    // {prefix, length} pairs, IPv4 prefixes in the low 32 bits.
    private static final long[][] V4 = {
            {0x00000000L, 8}, {0x0a000000L, 8}, {0x64400000L, 10}, {0x7f000000L, 8}, {0xa9fe0000L, 16},
            {0xac100000L, 12}, {0xc0000000L, 24}, {0xc0000200L, 24}, {0xc0586300L, 24}, {0xc0a80000L, 16},
            {0xc6120000L, 15}, {0xc6336400L, 24}, {0xcb007100L, 24}, {0xe0000000L, 3}};
    // {hi-word prefix, length <= 64}; ::/64 (unspecified, loopback, IPv4-compatible) handled by hi == 0 below.
    private static final long[][] V6 = {
            {0x0100000000000000L, 64}, {0x20010db800000000L, 32}, {0x3fff000000000000L, 20},
            {0xfc00000000000000L, 7}, {0xfe80000000000000L, 10}, {0xff00000000000000L, 8}};

    public static boolean ipv4(long address) {
        for (long[] p : V4) if ((address & 0xffff_ffffL) >>> (32 - p[1]) == p[0] >>> (32 - p[1])) return true;
        return false;
    }

    /** For IPv6 words other than IPv4-mapped ones (those go through {@link #ipv4}). */
    public static boolean ipv6(long hi, long lo) {
        if (hi == 0) return true;
        for (long[] p : V6) if (hi >>> (64 - p[1]) == p[0] >>> (64 - p[1])) return true;
        return false;
    }
}
