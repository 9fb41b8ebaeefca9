package io.bwdoctor.core.intel;

import java.util.Optional;

/** Country and ASN of a public address, in the flow keys' word form (see core.attribution.IpWords). */
public interface GeoLookup {
    /** Empty when neither country nor ASN is known (private, documentation, unallocated addresses). */
    Optional<Geo> lookup(int version, long hi, long lo);
}
