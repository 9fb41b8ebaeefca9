package io.bwdoctor.engine;

import io.bwdoctor.core.diagnose.AddressInfo;
import io.bwdoctor.core.intel.AddressClass;
import io.bwdoctor.core.intel.ComposedIntel;
import io.bwdoctor.core.intel.GeoLookup;
import io.bwdoctor.core.intel.RemoteInfo;
import io.bwdoctor.core.intel.RemoteIntel;
import io.bwdoctor.core.intel.ThreatLists;
import io.bwdoctor.core.intel.UserNetworks;
import io.bwdoctor.core.attribution.IpWords;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What diagnose knows about a remote address: the intel sources' answer (class, country, ASN, the user's network
 * name, threat lists), with the user's extra provider-internal ranges counted as the metadata service.
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

    private final RemoteIntel intel;
    private final List<Range> providerInternal;
    private List<String> warnings = List.of();

    /** Geo data alone (no user networks, no threat lists). */
    public AddressIntel(GeoLookup geo, List<String> providerInternalCidrs) {
        this(new ComposedIntel(geo, UserNetworks.none(), ThreatLists.of(List.of(), List.of())),
                providerInternalCidrs);
    }

    /** Everything the intel sources know (geo data, the user's networks, threat lists). */
    public AddressIntel(RemoteIntel intel, List<String> providerInternalCidrs) {
        this.intel = intel;
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

    /** The same intel, with what its sources could not load. */
    public AddressIntel withWarnings(List<String> loadWarnings) {
        this.warnings = List.copyOf(loadWarnings);
        return this;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public AddressInfo lookup(int version, long hi, long lo) {
        RemoteInfo r = intel.lookup(version, hi, lo);
        AddressClass cls = r.addressClass();
        for (Range range : providerInternal) {
            if (range.contains(version, hi, lo)) {
                cls = AddressClass.METADATA;
            }
        }
        return new AddressInfo(cls, r.country(), r.asn(), r.organisation(), r.network(), r.threatLists());
    }
}
