package io.bwdoctor.core.intel;

/**
 * What kind of address a remote is, before any geo lookup: traffic to a cloud's metadata or internal service
 * addresses is the provider's own, traffic to private or CGNAT space stays inside, and only {@link #PUBLIC}
 * addresses can be "foreign". Classified from the address alone (pure, no I/O).
 */
public enum AddressClass {
    LOOPBACK, UNSPECIFIED, BROADCAST, MULTICAST, LINK_LOCAL,
    /** A cloud provider's metadata or platform service endpoint (169.254.169.254, 100.100.100.200, ...). */
    METADATA,
    /** RFC 1918 / unique local IPv6. */
    PRIVATE,
    /** Carrier-grade NAT space 100.64.0.0/10 (also used for cloud platform services). */
    CGNAT,
    /** RFC 5737 / RFC 3849 documentation ranges. */
    DOCUMENTATION,
    /** Other special-purpose space that is not routed on the Internet (benchmarking, reserved, 6to4 relay...). */
    RESERVED,
    PUBLIC;

    /** Classifies an address in the project's word form: IPv4 in the low 32 bits of {@code lo}, IPv6 as two words. */
    public static AddressClass of(int version, long hi, long lo) {
        return version == 4 ? ipv4(lo & 0xffffffffL) : ipv6(hi, lo);
    }

    static AddressClass ipv4(long a) {
        if (isMetadata4(a)) {
            return METADATA;
        }
        int first = (int) (a >>> 24);
        if (a == 0) {
            return UNSPECIFIED;
        }
        if (a == 0xffffffffL) {
            return BROADCAST;
        }
        if (first == 127) {
            return LOOPBACK;
        }
        if (first >= 224 && first <= 239) {
            return MULTICAST;
        }
        if (in(a, 0xA9FE0000L, 16)) {
            return LINK_LOCAL;
        }
        if (first == 10 || in(a, 0xAC100000L, 12) || in(a, 0xC0A80000L, 16)) {
            return PRIVATE;
        }
        if (in(a, 0x64400000L, 10)) {
            return CGNAT;
        }
        if (in(a, 0xC0000200L, 24) || in(a, 0xC6336400L, 24) || in(a, 0xCB007100L, 24)) {
            return DOCUMENTATION;
        }
        return SpecialPurpose.ipv4(a) ? RESERVED : PUBLIC;
    }

    /** Metadata and platform endpoints of the major clouds (see shared intel A.0): AWS, Azure, GCP, OCI... */
    private static boolean isMetadata4(long a) {
        return a == 0xA9FEA9FEL    // 169.254.169.254: AWS, Azure, GCP, OCI, Huawei, DigitalOcean, Hetzner...
                || a == 0xA9FEA97BL // 169.254.169.123: AWS time sync
                || a == 0xA9FEA9FDL // 169.254.169.253: AWS VPC DNS
                || a == 0xA9FE2A2AL // 169.254.42.42: Scaleway
                || a == 0xA9FE0017L // 169.254.0.23: Tencent Cloud metadata
                || a == 0x646464C8L // 100.100.100.200: Alibaba Cloud metadata
                || in(a, 0x64640288L, 30) && (a & 3) <= 2; // 100.100.2.136-138: Alibaba VPC DNS
    }

    private static boolean in(long a, long network, int prefix) {
        return (a >>> (32 - prefix)) == (network >>> (32 - prefix));
    }

    static AddressClass ipv6(long hi, long lo) {
        if (hi == 0 && lo == 1) {
            return LOOPBACK;
        }
        if (hi == 0 && lo == 0) {
            return UNSPECIFIED;
        }
        if (hi == 0 && (lo >>> 32) == 0xffffL) { // IPv4-mapped
            return ipv4(lo & 0xffffffffL);
        }
        if ((hi == 0xfd00_0ec2_0000_0000L && lo == 0x254) || (hi == 0xfd00_0042_0000_0000L && lo == 0x42)) {
            return METADATA; // fd00:ec2::254 (AWS), fd00:42::42 (Scaleway)
        }
        int top16 = (int) (hi >>> 48);
        if ((top16 & 0xff00) == 0xff00) {
            return MULTICAST;
        }
        if ((top16 & 0xffc0) == 0xfe80) {
            return LINK_LOCAL;
        }
        if ((top16 & 0xfe00) == 0xfc00) {
            return PRIVATE;
        }
        if ((hi >>> 32) == 0x20010db8L) {
            return DOCUMENTATION;
        }
        return SpecialPurpose.ipv6(hi, lo) ? RESERVED : PUBLIC;
    }

    /** Whether traffic to this class leaves the host's own networks and can be in another country. */
    public boolean reachesInternet() {
        return this == PUBLIC;
    }

    public String key() {
        return name().toLowerCase();
    }
}
