package io.bwdoctor.core.intel;

import java.util.List;

/**
 * Address class, then the user's networks (which override country, ASN and class where they say so), then geo data,
 * then threat lists. IPv4-mapped IPv6 addresses are treated as the IPv4 address they carry.
 */
public final class ComposedIntel implements RemoteIntel {
    private final GeoLookup geo;
    private final UserNetworks networks;
    private final ThreatLists threats;

    public ComposedIntel(GeoLookup geo, UserNetworks networks, ThreatLists threats) {
        this.geo = geo;
        this.networks = networks;
        this.threats = threats;
    }

    @Override
    public RemoteInfo lookup(int version, long hi, long lo) {
        if (version == 6 && hi == 0 && (lo >>> 32) == 0xffffL) {
            version = 4;
            lo &= 0xffff_ffffL;
        } else if (version != 4 && version != 6) {
            throw new IllegalArgumentException("IP version must be 4 or 6, not " + version);
        }
        AddressClass addressClass = AddressClass.of(version, hi, lo);
        UserNetworks.Network net = networks.find(version, hi, lo);
        Geo found = geo.lookup(version, hi, lo).orElse(null);
        String country = found == null ? null : found.country();
        Long asn = found == null ? null : found.asn();
        String organisation = found == null ? null : found.organisation();
        String name = null;
        if (net != null) {
            name = net.name();
            if (net.scope() != null) addressClass = net.scope();
            if (net.country() != null) country = net.country();
            if (net.asn() != null && !net.asn().equals(asn)) {
                asn = net.asn();
                organisation = null; // the geo data's organisation belongs to a different AS
            }
        }
        List<String> lists = threats.find(version, hi, lo);
        return new RemoteInfo(addressClass, country, asn, organisation, name, lists);
    }
}
