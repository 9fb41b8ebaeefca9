package io.bwdoctor.core.intel;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.attribution.IpWords;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassTest {
    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, LOOPBACK", "::1, LOOPBACK", "0.0.0.0, UNSPECIFIED", "::, UNSPECIFIED",
            "255.255.255.255, BROADCAST", "224.0.0.251, MULTICAST", "ff02::fb, MULTICAST",
            "169.254.169.254, METADATA", "100.100.100.200, METADATA", "169.254.0.23, METADATA",
            "100.100.2.137, METADATA", "fd00:ec2::254, METADATA", "169.254.10.1, LINK_LOCAL", "fe80::1, LINK_LOCAL",
            "10.1.2.3, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "172.32.0.1, PUBLIC",
            "192.168.1.1, PRIVATE", "fd12:3456::1, PRIVATE", "100.64.0.1, CGNAT", "100.127.255.255, CGNAT",
            "100.128.0.1, PUBLIC", "192.0.2.7, DOCUMENTATION", "198.51.100.7, DOCUMENTATION",
            "203.0.113.7, DOCUMENTATION", "2001:db8::7, DOCUMENTATION", "8.8.8.8, PUBLIC", "2620:fe::9, PUBLIC",
            "::ffff:10.0.0.1, PRIVATE", "198.18.0.1, RESERVED", "240.0.0.1, RESERVED", "3fff::1, RESERVED"})
    void classifies(String text, AddressClass expected) throws Exception {
        InetAddress a = InetAddress.getByName(text);
        int version = text.startsWith("::ffff:") ? 6 : IpWords.version(a);
        long hi = version == 6 && a.getAddress().length == 4 ? 0 : IpWords.hi(a);
        long lo = version == 6 && a.getAddress().length == 4 ? 0xffff_0000_0000L | IpWords.lo(a) : IpWords.lo(a);
        assertThat(AddressClass.of(version, hi, lo)).isEqualTo(expected);
    }
}
