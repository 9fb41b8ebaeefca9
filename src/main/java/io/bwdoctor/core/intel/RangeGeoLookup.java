package io.bwdoctor.core.intel;

import java.util.Optional;

/**
 * Country and ASN lookup over two independent range sets. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are looked up
 * as IPv4, since dual-stack sockets report IPv4 peers that way. Special-purpose ranges are never looked up.
 */
public final class RangeGeoLookup implements GeoLookup {
    private static final long MAPPED_V4_PREFIX = 0xffffL;

    private final String[] countries;
    // IPv4 country and ASN ranges overlaid into one table (one search, half the cache misses); its labels index
    // (country label, ASN label) pairs.
    private final Ipv4Ranges both4;
    private final int[] pairCountry;
    private final int[] pairAsn;
    // The answer for each pair, built on first use (a benign race: any thread builds an equal value), so that IPv4
    // lookups allocate nothing once warm.
    private final Optional<Geo>[] pairGeo;
    private final Ipv6Ranges country6;
    private final long[] asns;
    private final String[] organisations;
    private final Ipv6Ranges asn6;

    /** {@code asns[i]} and {@code organisations[i]} are ASN label i; the range sets' labels index these arrays. */
    public RangeGeoLookup(String[] countries, Ipv4Ranges country4, Ipv6Ranges country6,
                          long[] asns, String[] organisations, Ipv4Ranges asn4, Ipv6Ranges asn6) {
        if (asns.length != organisations.length)
            throw new IllegalArgumentException("ASN and organisation label counts differ");
        this.countries = countries;
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        this.both4 = Ipv4Ranges.overlay(country4, asn4, pairs);
        this.pairCountry = pairs.stream().mapToInt(p -> p[0]).toArray();
        this.pairAsn = pairs.stream().mapToInt(p -> p[1]).toArray();
        @SuppressWarnings("unchecked")
        Optional<Geo>[] cache = new Optional[pairs.size()];
        this.pairGeo = cache;
        this.country6 = country6;
        this.asns = asns;
        this.organisations = organisations;
        this.asn6 = asn6;
    }

    @Override
    public Optional<Geo> lookup(int version, long hi, long lo) {
        int country, asn;
        if (version == 4 || (version == 6 && hi == 0 && lo >>> 32 == MAPPED_V4_PREFIX)) {
            long v4 = lo & 0xffff_ffffL;
            if (SpecialPurpose.ipv4(v4)) return Optional.empty();
            int pair = both4.find(v4);
            if (pair < 0) return Optional.empty();
            Optional<Geo> known = pairGeo[pair];
            if (known == null) pairGeo[pair] = known = geo(pairCountry[pair], pairAsn[pair]);
            return known;
        } else if (version == 6) {
            if (SpecialPurpose.ipv6(hi, lo)) return Optional.empty();
            country = country6.find(hi, lo);
            asn = asn6.find(hi, lo);
        } else {
            throw new IllegalArgumentException("IP version must be 4 or 6, not " + version);
        }
        return geo(country, asn);
    }

    private Optional<Geo> geo(int country, int asn) {
        if (country < 0 && asn < 0) return Optional.empty();
        return Optional.of(new Geo(country < 0 ? null : countries[country],
                asn < 0 ? null : asns[asn], asn < 0 ? null : organisations[asn]));
    }
}
