package io.bwdoctor.core.intel;

import java.util.Optional;

/**
 * Country and ASN lookup over two independent range sets. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are looked up
 * as IPv4, since dual-stack sockets report IPv4 peers that way. Special-purpose ranges are never looked up.
 */
public final class RangeGeoLookup implements GeoLookup {
    private static final long MAPPED_V4_PREFIX = 0xffffL;

    private final String[] countries;
    private final Ipv4Ranges country4;
    private final Ipv6Ranges country6;
    private final long[] asns;
    private final String[] organisations;
    private final Ipv4Ranges asn4;
    private final Ipv6Ranges asn6;

    /** {@code asns[i]} and {@code organisations[i]} are ASN label i; the range sets' labels index these arrays. */
    public RangeGeoLookup(String[] countries, Ipv4Ranges country4, Ipv6Ranges country6,
                          long[] asns, String[] organisations, Ipv4Ranges asn4, Ipv6Ranges asn6) {
        if (asns.length != organisations.length)
            throw new IllegalArgumentException("ASN and organisation label counts differ");
        this.countries = countries;
        this.country4 = country4;
        this.country6 = country6;
        this.asns = asns;
        this.organisations = organisations;
        this.asn4 = asn4;
        this.asn6 = asn6;
    }

    @Override
    public Optional<Geo> lookup(int version, long hi, long lo) {
        int country, asn;
        if (version == 4 || (version == 6 && hi == 0 && lo >>> 32 == MAPPED_V4_PREFIX)) {
            long v4 = lo & 0xffff_ffffL;
            if (SpecialPurpose.ipv4(v4)) return Optional.empty();
            country = country4.find(v4);
            asn = asn4.find(v4);
        } else if (version == 6) {
            if (SpecialPurpose.ipv6(hi, lo)) return Optional.empty();
            country = country6.find(hi, lo);
            asn = asn6.find(hi, lo);
        } else {
            throw new IllegalArgumentException("IP version must be 4 or 6, not " + version);
        }
        if (country < 0 && asn < 0) return Optional.empty();
        return Optional.of(new Geo(country < 0 ? null : countries[country],
                asn < 0 ? null : asns[asn], asn < 0 ? null : organisations[asn]));
    }
}
