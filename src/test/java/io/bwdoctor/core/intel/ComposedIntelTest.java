package io.bwdoctor.core.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComposedIntelTest {
    /** Geo data as a tiny table: 8.8.8.0/24 US AS15169, 2001:4860::/32 US AS15169. */
    private static final GeoLookup GEO;

    static {
        GeoTableBuilder c = new GeoTableBuilder(GeoKind.COUNTRY);
        c.addCountry(IpRange.parse("8.8.8.0/24"), "US");
        c.addCountry(IpRange.parse("2001:4860::/32"), "US");
        c.addCountry(IpRange.parse("192.0.2.0/24"), "JP"); // registry data lists documentation space too
        GeoTable ct = c.build();
        GeoTableBuilder a = new GeoTableBuilder(GeoKind.ASN);
        a.addAsn(IpRange.parse("8.8.8.0/24"), 15169, "Google LLC");
        GeoTable at = a.build();
        GEO = new RangeGeoLookup(ct.names(), ct.ipv4().toIpv4(ct.labelCount()), ct.ipv6().toIpv6(ct.labelCount()),
                at.asns(), at.names(), at.ipv4().toIpv4(at.labelCount()), at.ipv6().toIpv6(at.labelCount()));
    }

    private static RemoteInfo lookup(RemoteIntel intel, String address) {
        IpRange a = IpRange.address(address);
        return intel.lookup(a.version(), a.startHi(), a.startLo());
    }

    @Test
    void composesClassGeoNetworksAndThreatLists() {
        UserNetworks networks = UserNetworks.parse(List.of(
                "192.0.2.0/24     test-cn country=CN",
                "198.51.100.0/24  test-ru country=RU asn=64500 scope=public",
                "8.8.8.0/28       google-edge asn=64501",
                "10.0.0.0/8       office"));
        ThreatLists threats = ThreatLists.of(List.of(ThreatList.parse("c2", List.of("8.8.8.8", "198.51.100.7"))),
                networks.publicRanges());
        RemoteIntel intel = new ComposedIntel(GEO, networks, threats);

        assertThat(lookup(intel, "8.8.8.200")).isEqualTo(new RemoteInfo(AddressClass.PUBLIC, "US", 15169L,
                "Google LLC", null, List.of()));
        assertThat(lookup(intel, "8.8.8.8")).isEqualTo(new RemoteInfo(AddressClass.PUBLIC, "US", 64501L, null,
                "google-edge", List.of("c2")));
        // documentation ranges get the file's country although they are special-purpose (and not the JP row)
        assertThat(lookup(intel, "192.0.2.10")).isEqualTo(new RemoteInfo(AddressClass.DOCUMENTATION, "CN", null, null,
                "test-cn", List.of()));
        assertThat(lookup(intel, "198.51.100.7")).isEqualTo(new RemoteInfo(AddressClass.PUBLIC, "RU", 64500L, null,
                "test-ru", List.of("c2")));
        assertThat(lookup(intel, "203.0.113.1")).isEqualTo(new RemoteInfo(AddressClass.DOCUMENTATION, null, null, null,
                null, List.of()));
        assertThat(lookup(intel, "10.9.9.9")).isEqualTo(new RemoteInfo(AddressClass.PRIVATE, null, null, null,
                "office", List.of()));
        assertThat(lookup(intel, "::ffff:8.8.8.8")).isEqualTo(lookup(intel, "8.8.8.8"));
        assertThat(intel.lookup(6, 0, 0x0000_ffff_0808_0808L)).isEqualTo(lookup(intel, "8.8.8.8"));
        assertThat(lookup(intel, "2001:4860::1").country()).isEqualTo("US");
        assertThat(lookup(intel, "169.254.169.254").addressClass()).isEqualTo(AddressClass.METADATA);
    }

    @Test
    void worksWithNoNetworksAndNoLists() {
        RemoteIntel intel = new ComposedIntel((v, h, l) -> Optional.empty(), UserNetworks.none(), ThreatLists.none());
        assertThat(lookup(intel, "8.8.8.8")).isEqualTo(new RemoteInfo(AddressClass.PUBLIC, null, null, null, null,
                List.of()));
    }
}
