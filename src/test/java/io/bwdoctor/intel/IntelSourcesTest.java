package io.bwdoctor.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bwdoctor.core.attribution.IpWords;
import io.bwdoctor.core.intel.AddressClass;
import io.bwdoctor.core.intel.RemoteInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files on disk -> one composed lookup: bundled geo data, a networks file, lists given and dropped in threat/. */
class IntelSourcesTest {
    @TempDir
    Path dir;

    private static RemoteInfo lookup(IntelSources s, String literal) {
        InetAddress a = InetAddress.ofLiteral(literal);
        return s.lookup(IpWords.version(a), IpWords.hi(a), IpWords.lo(a));
    }

    @Test
    void composesEverySource() throws IOException {
        Path networks = Files.writeString(dir.resolve("networks.txt"), """
                # test networks
                192.0.2.0/24     doc-cn   country=CN
                198.51.100.0/24  doc-ru   country=RU asn=64500 scope=public
                203.0.113.0/24   doc-br   country=BR
                10.0.0.0/8       office
                """);
        Path feodo = Files.writeString(dir.resolve("feodo.txt"), """
                # Feodo Tracker Botnet C2 IP Blocklist (recommended)
                # Last updated: 2026-11-30 10:00:00 UTC
                8.8.4.4
                198.51.100.7
                """);
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("threat"));
        Files.writeString(data.resolve("threat/firehol_level1.netset"), """
                # This File Date  : Mon Jun 17 10:26:51 UTC 2024
                10.0.0.0/8
                8.8.4.0/24
                """);
        Files.writeString(data.resolve("threat/broken.netset"), "not an address\n");
        Files.writeString(data.resolve("threat/ignored.txt"), "1.1.1.1\n");
        IntelSources s = IntelSources.load(new IntelConfig(data, networks, List.of(feodo)));

        assertThat(lookup(s, "8.8.4.4")).isEqualTo(new RemoteInfo(AddressClass.PUBLIC, "US", 15169L, "Google LLC",
                null, List.of("feodo", "firehol_level1")));
        assertThat(lookup(s, "192.0.2.1")).isEqualTo(new RemoteInfo(AddressClass.DOCUMENTATION, "CN", null, null,
                "doc-cn", List.of()));
        assertThat(lookup(s, "198.51.100.7")).isEqualTo(new RemoteInfo(AddressClass.PUBLIC, "RU", 64500L, null,
                "doc-ru", List.of("feodo")));
        assertThat(lookup(s, "203.0.113.50").country()).isEqualTo("BR");
        assertThat(lookup(s, "10.2.3.4")).isEqualTo(new RemoteInfo(AddressClass.PRIVATE, null, null, null, "office",
                List.of())); // firehol's 10/8 is cut out
        assertThat(lookup(s, "1.1.1.1").threatLists()).isEmpty();
        assertThat(s.threatLists()).extracting(l -> l.list().name()).containsExactly("feodo", "firehol_level1");
        assertThat(s.threatLists().get(0).list().date()).isEqualTo("2026-11-30 10:00:00 UTC");
        assertThat(s.warnings()).singleElement().asString().contains("broken.netset", "line 1");
        assertThat(s.geo().country().origin()).isEqualTo("bundled");
        assertThat(s.networks().size()).isEqualTo(4);
    }

    @Test
    void aBadNetworksFileFailsTheLoad() throws IOException {
        Path networks = Files.writeString(dir.resolve("networks.txt"), "10.0.0.0/8 office\n10.0.0.0/40 bad\n");
        assertThatThrownBy(() -> IntelSources.load(new IntelConfig(dir, networks, List.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("networks.txt").hasMessageContaining("line 2");
        assertThatThrownBy(() -> IntelSources.load(new IntelConfig(dir, dir.resolve("absent.txt"), List.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("does not exist");
    }
}
