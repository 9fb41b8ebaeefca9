package io.bwdoctor.core.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserNetworksTest {
    private static UserNetworks.Network find(UserNetworks n, String address) {
        IpRange a = IpRange.address(address);
        return n.find(a.version(), a.startHi(), a.startLo());
    }

    @Test
    void longestPrefixWinsForIpv4AndIpv6() {
        UserNetworks n = UserNetworks.parse(List.of(
                "# our networks",
                "10.0.0.0/8        corp",
                "10.20.0.0/16      office   scope=private   # Berlin office",
                "10.20.30.0/24     lab",
                "198.51.100.0/24   partner  country=de asn=AS64500 scope=public",
                "2001:db8::/32     v6-corp",
                "2001:db8:1::/48   v6-office country=FR",
                ""));
        assertThat(n.size()).isEqualTo(6);
        assertThat(find(n, "10.1.1.1").name()).isEqualTo("corp");
        assertThat(find(n, "10.20.1.1").name()).isEqualTo("office");
        assertThat(find(n, "10.20.30.40").name()).isEqualTo("lab");
        assertThat(find(n, "10.20.31.0").name()).isEqualTo("office");
        assertThat(find(n, "10.21.0.0").name()).isEqualTo("corp");
        assertThat(find(n, "11.0.0.0")).isNull();
        UserNetworks.Network partner = find(n, "198.51.100.9");
        assertThat(partner).isEqualTo(new UserNetworks.Network(IpRange.parse("198.51.100.0/24"), "partner", "DE",
                64500L, AddressClass.PUBLIC));
        assertThat(find(n, "2001:db8:1::5").country()).isEqualTo("FR");
        assertThat(find(n, "2001:db8:2::5").name()).isEqualTo("v6-corp");
        assertThat(n.find(6, 0, 0x0000_ffff_0a14_1e01L).name()).isEqualTo("lab"); // ::ffff:10.20.30.1
        assertThat(n.publicRanges()).containsExactly(IpRange.parse("198.51.100.0/24"));
    }

    @Test
    void malformedLinesNameTheLine() {
        assertThatThrownBy(() -> UserNetworks.parse(List.of("10.0.0.0/8 a", "10.0.0.0/33 b")))
                .hasMessageStartingWith("line 2:");
        assertThatThrownBy(() -> UserNetworks.parse(List.of("10.0.0.0/8"))).hasMessageContaining("CIDR name");
        assertThatThrownBy(() -> UserNetworks.parse(List.of("10.0.0.0/8 a country=DEU"))).hasMessageContaining("two letters");
        assertThatThrownBy(() -> UserNetworks.parse(List.of("10.0.0.0/8 a asn=4294967296"))).hasMessageContaining("asn");
        assertThatThrownBy(() -> UserNetworks.parse(List.of("10.0.0.0/8 a scope=dmz"))).hasMessageContaining("scope");
        assertThatThrownBy(() -> UserNetworks.parse(List.of("10.0.0.0/8 a colour=red"))).hasMessageContaining("unknown field");
        assertThatThrownBy(() -> UserNetworks.parse(List.of("10.0.0.0/8 a", "10.1.0.0/8 b"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> UserNetworks.parse(List.of("10.0.0.0/8 country=DE"))).hasMessageContaining("name");
    }
}
