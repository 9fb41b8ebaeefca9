package io.bwdoctor.engine;

import io.bwdoctor.core.diagnose.AddressInfo;
import io.bwdoctor.core.intel.AddressClass;
import io.bwdoctor.core.intel.Geo;
import io.bwdoctor.core.intel.GeoLookup;
import io.bwdoctor.core.attribution.IpWords;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What diagnose knows about a remote address: its class (with the user's extra provider-internal ranges counted as
 * metadata service), then country and ASN from the geo data for public addresses.
 */
public final class AddressIntel implements AddressInfo.Source {
    private record Range(int version, long hi, long lo, int prefix) {
        boolean contains(int v, long h, long l) {
            if (v != version) {
                return false;
            }
            if (v == 4) {
                long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
                return (l & mask) == (lo & mask);
            }
            long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
            long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
            return (h & hiMask) == (hi & hiMask) && (l & loMask) == (lo & loMask);
        }
    }

    private final GeoLookup geo;
    private final List<Range> providerInternal;

    public AddressIntel(GeoLookup geo, List<String> providerInternalCidrs) {
        this.geo = geo;
        this.providerInternal = new ArrayList<>();
        for (String cidr : providerInternalCidrs) {
            providerInternal.add(parse(cidr));
        }
    }

    /** Checks a list of ranges (IllegalArgumentException names the first bad one). */
    public static void parseAll(List<String> cidrs) {
        cidrs.forEach(AddressIntel::parse);
    }

    /** Parses "198.51.100.254/32" or "fd00:ec2::254"; IllegalArgumentException names the bad value. */
    static Range parse(String cidr) {
        String[] parts = cidr.strip().split("/", 2);
        try {
            if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                throw new UnknownHostException();
            }
            InetAddress a = InetAddress.getByName(parts[0]);
            int version = IpWords.version(a);
            int max = version == 4 ? 32 : 128;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
            if (prefix < 0 || prefix > max) {
                throw new NumberFormatException();
            }
            return new Range(version, IpWords.hi(a), IpWords.lo(a), prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not an address or CIDR range");
        }
    }

    @Override
    public AddressInfo lookup(int version, long hi, long lo) {
        AddressClass cls = AddressClass.of(version, hi, lo);
        for (Range r : providerInternal) {
            if (r.contains(version, hi, lo)) {
                cls = AddressClass.METADATA;
            }
        }
        Optional<Geo> g = cls.reachesInternet() ? geo.lookup(version, hi, lo) : Optional.empty();
        return new AddressInfo(cls, g.map(Geo::country).orElse(null), g.map(Geo::asn).orElse(null),
                g.map(Geo::organisation).orElse(null), null, List.of());
    }
}
