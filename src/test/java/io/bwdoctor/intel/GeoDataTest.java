package io.bwdoctor.intel;

import io.bwdoctor.core.attribution.IpWords;
import io.bwdoctor.core.intel.Geo;
import io.bwdoctor.core.intel.GeoLookup;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expected values are the rows of the ip-location-db 2.3.2026061719 CSVs the bundled files were converted from
 * (quoted per case), so a wrong conversion or a wrong search fails here.
 */
class GeoDataTest {
    private static final GeoLookup GEO = GeoData.bundled();

    private static Optional<Geo> lookup(String literal) {
        InetAddress a = InetAddress.ofLiteral(literal);
        return GEO.lookup(IpWords.version(a), IpWords.hi(a), IpWords.lo(a));
    }

    @Test
    void wellKnownIpv4() {
        // country 6.0.0.0-8.10.5.255 US; asn 8.8.8.0-8.8.8.255 15169 Google LLC
        assertThat(lookup("8.8.8.8")).contains(new Geo("US", 15169L, "Google LLC"));
        // country 1.1.1.0-1.1.1.255 AU; asn 1.1.1.0-1.1.1.255 13335 "Cloudflare, Inc."
        assertThat(lookup("1.1.1.1")).contains(new Geo("AU", 13335L, "Cloudflare, Inc."));
        assertThat(lookup("1.1.1.0")).contains(new Geo("AU", 13335L, "Cloudflare, Inc.")); // range start
        assertThat(lookup("1.1.1.255")).contains(new Geo("AU", 13335L, "Cloudflare, Inc.")); // range end
        // country 193.0.0.0-193.0.23.255 NL; asn 193.0.14.0-193.0.17.255 25152 RIPE NCC (k.root-servers.net)
        assertThat(lookup("193.0.14.129")).contains(new Geo("NL", 25152L,
                "Reseaux IP Europeens Network Coordination Centre (RIPE NCC)"));
        // country 8.236.0.0-9.128.255.255 US; asn 9.9.9.0-9.9.9.255 19281 Quad9
        assertThat(lookup("9.9.9.9")).contains(new Geo("US", 19281L, "Quad9"));
    }

    @Test
    void wellKnownIpv6() {
        // country 2001:4860::/32 US; asn 2001:4860:480d::-2001:4860:ffff:... 15169 Google LLC
        assertThat(lookup("2001:4860:4860::8888")).contains(new Geo("US", 15169L, "Google LLC"));
        // country 2606:4700::/32 US; asn 2606:4700:4700::/48 13335
        assertThat(lookup("2606:4700:4700::1111")).contains(new Geo("US", 13335L, "Cloudflare, Inc."));
        // country 2001:67c:2e8::/48 NL; asn same range 3333 RIPE NCC
        assertThat(lookup("2001:67c:2e8::1")).contains(new Geo("NL", 3333L,
                "Reseaux IP Europeens Network Coordination Centre (RIPE NCC)"));
    }

    @Test
    void ipv4MappedIpv6IsLookedUpAsIpv4() {
        long lo = 0x0000_ffff_0000_0000L | 0x08080808L; // ::ffff:8.8.8.8
        assertThat(GEO.lookup(6, 0, lo)).contains(new Geo("US", 15169L, "Google LLC"));
    }

    @Test
    void nestedRangesLetTheMoreSpecificWin() {
        // country 2.58.196.0-2.58.197.255 DE contains 2.58.197.15-2.58.197.15 BE
        assertThat(lookup("2.58.197.14")).map(Geo::country).contains("DE");
        assertThat(lookup("2.58.197.15")).map(Geo::country).contains("BE");
        assertThat(lookup("2.58.197.16")).map(Geo::country).contains("DE");
        // partial overlap: 5.182.128.0-5.182.130.255 DK, then 5.182.130.116-119 TR, 5.182.130.120-5.182.131.255 DK
        assertThat(lookup("5.182.130.117")).map(Geo::country).contains("TR");
        assertThat(lookup("5.182.130.121")).map(Geo::country).contains("DK");
        assertThat(lookup("5.182.131.200")).contains(new Geo("DK", 57087L, "JYSK A/S"));
    }

    @Test
    void unlistedPublicAddressesMiss() {
        assertThat(lookup("14.102.240.1")).isEmpty(); // gap in both CSVs: 14.102.240.0-14.102.255.255
        assertThat(lookup("4000::1")).isEmpty(); // outside 2000::/3
        assertThat(lookup("2c0f:ffff::1")).isEmpty();
    }

    @Test
    void privateAndDocumentationAddressesMiss() {
        for (String a : new String[] {"10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "100.64.0.1",
                "169.254.1.1", "192.0.2.1", "198.51.100.7", "203.0.113.9", "224.0.0.251", "255.255.255.255",
                "0.0.0.0", "::", "::1", "fd00::1", "fe80::1", "ff02::1", "2001:db8::1", "3fff::1"})
            assertThat(lookup(a)).as(a).isEmpty();
        // The registry data itself lists 2001:db8::/32 as JP; the lookup must still miss it.
        assertThat(GEO.lookup(6, 0x20010db800000000L, 1)).isEmpty();
    }

    @Test
    void rejectsAnUnknownIpVersion() {
        assertThatThrownBy(() -> GEO.lookup(5, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 or 6");
    }

    @Test
    void malformedFilesGiveClearErrors() throws IOException {
        byte[] country = unzip("country.bin.gz");
        byte[] asn = gzip(unzip("asn.bin.gz"));
        assertThatThrownBy(() -> GeoData.load(new ByteArrayInputStream(gzip(Arrays.copyOf(country, 1000))),
                new ByteArrayInputStream(asn))).isInstanceOf(IOException.class).hasMessageContaining("truncated");
        byte[] badMagic = country.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> GeoData.load(new ByteArrayInputStream(gzip(badMagic)), new ByteArrayInputStream(asn)))
                .isInstanceOf(IOException.class).hasMessageContaining("BWDI");
        assertThatThrownBy(() -> GeoData.load(new ByteArrayInputStream(asn), new ByteArrayInputStream(asn)))
                .isInstanceOf(IOException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> GeoData.load(new ByteArrayInputStream(new byte[] {1, 2, 3}),
                new ByteArrayInputStream(asn))).isInstanceOf(IOException.class).hasMessageContaining("gzip");
        byte[] hugeCount = country.clone();
        hugeCount[6] = 0x7f; // label count
        assertThatThrownBy(() -> GeoData.load(new ByteArrayInputStream(gzip(hugeCount)), new ByteArrayInputStream(asn)))
                .isInstanceOf(IOException.class).hasMessageContaining("implausible");
    }

    private static byte[] unzip(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(GeoData.class.getResourceAsStream("/io/bwdoctor/intel/" + name))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
