package io.bwdoctor.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.bwdoctor.core.attribution.IpWords;
import io.bwdoctor.core.intel.Geo;
import io.bwdoctor.core.intel.GeoKind;
import io.bwdoctor.core.intel.GeoLookup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs tiny MaxMind DB and CSV databases, then checks lookups through GeoData.current on the result. */
class GeoUpdateTest {
    @TempDir
    Path dir;

    private static Map<String, Object> geoLite2Country(String code) {
        return Map.of("continent", Map.of("code", "EU", "geoname_id", 6255148L),
                "country", Map.of("iso_code", code, "geoname_id", 2921044L, "names", Map.of("en", "Somewhere")),
                "registered_country", Map.of("iso_code", code));
    }

    private static Optional<Geo> lookup(GeoLookup geo, String literal) {
        InetAddress a = InetAddress.ofLiteral(literal);
        return geo.lookup(IpWords.version(a), IpWords.hi(a), IpWords.lo(a));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private GeoUpdate.Installed install(Path source, GeoKind kind) throws IOException {
        return new GeoUpdate(dataDir(), GeoUpdate.Limits.DEFAULT).install(source.toString(), kind);
    }

    private static byte[] countryMmdb() {
        return new MmdbWriter(6, "GeoLite2-Country").aliasIpv4()
                .insert("8.8.8.0/24", geoLite2Country("DE"))
                .insert("8.8.8.128/25", geoLite2Country("FR")) // more specific, later: wins
                .insert("203.0.113.0/24", geoLite2Country("NL"))
                .insert("2001:4860::/32", geoLite2Country("CH"))
                .insert("9.9.9.0/24", Map.of("continent", Map.of("code", "EU"))) // no country: skipped
                .build();
    }

    @Test
    void installsAMaxMindCountryDatabaseAndKeepsTheBundledAsnData() throws IOException {
        GeoUpdate.Installed done = install(write("GeoLite2-Country.mmdb", countryMmdb()), null);
        assertThat(done.kind()).isEqualTo(GeoKind.COUNTRY);
        assertThat(done.table().skipped()).isEqualTo(1);
        assertThat(done.format()).contains("GeoLite2-Country");
        GeoData.Selection s = GeoData.select(dataDir());
        assertThat(s.warnings()).isEmpty();
        assertThat(s.country().origin()).isEqualTo(dataDir().resolve("country.bin.gz").toString());
        assertThat(s.country().metadata()).containsEntry("kind", "country").containsEntry("ipv4_ranges", 3)
                .containsKey("source_built");
        assertThat(s.asn().origin()).isEqualTo("bundled");
        GeoLookup geo = s.lookup();
        assertThat(lookup(geo, "8.8.8.8")).contains(new Geo("DE", 15169L, "Google LLC")); // ASN from the bundle
        assertThat(lookup(geo, "8.8.8.200")).map(Geo::country).contains("FR");
        assertThat(lookup(geo, "2001:4860::8888")).map(Geo::country).contains("CH");
        assertThat(lookup(geo, "::ffff:8.8.8.8")).map(Geo::country).contains("DE");
        assertThat(lookup(geo, "1.1.1.1")).map(Geo::country).isEmpty(); // installed data replaces the bundled countries
        assertThat(lookup(geo, "9.9.9.9")).map(Geo::country).isEmpty();
        assertThat(lookup(geo, "203.0.113.1")).isEmpty(); // documentation space is never looked up
        assertThat(GeoData.current(dataDir())).isNotSameAs(GeoData.bundled());
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void installsAsnDataFromAnIpv4OnlyDatabaseInIpLocationDbShape() throws IOException {
        byte[] mmdb = new MmdbWriter(4, "ip-location-db")
                .insert("8.8.8.0/24", Map.of("autonomous_system_number", 64500L,
                        "autonomous_system_organization", "Example Org"))
                .insert("8.8.4.0/24", Map.of("autonomous_system_number", 4_200_000_000L,
                        "autonomous_system_organization", "Big ASN"))
                .build();
        GeoUpdate.Installed done = install(write("asn.mmdb", mmdb), null); // detected from the records
        assertThat(done.kind()).isEqualTo(GeoKind.ASN);
        GeoLookup geo = GeoData.current(dataDir());
        assertThat(lookup(geo, "8.8.8.8")).contains(new Geo("US", 64500L, "Example Org")); // country from the bundle
        assertThat(lookup(geo, "8.8.4.4")).map(Geo::asn).contains(4_200_000_000L);
        assertThat(lookup(geo, "1.1.1.1")).map(Geo::asn).isEmpty();
    }

    @Test
    void ipinfoStyleCombinedDataNeedsAKind() throws IOException {
        Path file = write("country_asn.mmdb", new MmdbWriter(6, "ipinfo country_asn.mmdb")
                .insert("8.8.8.0/24", Map.of("country", "SE", "asn", "AS64510", "as_name", "Example AB")).build());
        assertThatThrownBy(() -> install(file, null)).hasMessageContaining("--kind");
        install(file, GeoKind.ASN);
        install(file, GeoKind.COUNTRY);
        assertThat(lookup(GeoData.current(dataDir()), "8.8.8.8")).contains(new Geo("SE", 64510L, "Example AB"));
    }

    @Test
    void installsIpLocationDbCsvPlainGzippedAndFromATarGz() throws IOException {
        String country = "8.8.8.0,8.8.8.255,SE\n2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,NO\n";
        String asn = "8.8.8.0,8.8.8.255,64500,\"Example, Inc.\"\r\n";
        install(write("country.csv", country.getBytes(StandardCharsets.UTF_8)), null);
        install(write("asn.csv.gz", gzip(asn.getBytes(StandardCharsets.UTF_8))), null);
        GeoLookup geo = GeoData.current(dataDir());
        assertThat(lookup(geo, "8.8.8.8")).contains(new Geo("SE", 64500L, "Example, Inc."));
        assertThat(lookup(geo, "2001:4860::1")).map(Geo::country).contains("NO");
        // MaxMind ships GeoLite2 as tar.gz with a directory, a licence file and the .mmdb
        byte[] tar = tar(Map.of("GeoLite2-Country_20260101/LICENSE.txt", "licence text".getBytes(StandardCharsets.UTF_8),
                "GeoLite2-Country_20260101/GeoLite2-Country.mmdb", countryMmdb()));
        install(write("GeoLite2-Country.tar.gz", gzip(tar)), GeoKind.COUNTRY);
        assertThat(lookup(GeoData.current(dataDir()), "8.8.8.8")).map(Geo::country).contains("DE");
    }

    @Test
    void corruptOrTruncatedSourcesAreRejectedAndLeaveTheInstalledDataAlone() throws IOException {
        install(write("good.csv", "8.8.8.0,8.8.8.255,SE\n".getBytes(StandardCharsets.UTF_8)), null);
        byte[] installed = Files.readAllBytes(dataDir().resolve("country.bin.gz"));
        byte[] mmdb = countryMmdb();
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("truncated.mmdb", Arrays.copyOf(mmdb, mmdb.length / 2));
        byte[] badTree = mmdb.clone();
        badTree[0] = (byte) 0xff; // first record points far past the tree and the data
        badTree[1] = (byte) 0xff;
        bad.put("bad-tree.mmdb", badTree);
        byte[] badMeta = mmdb.clone();
        int marker = indexOf(badMeta, "MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        badMeta[marker + 11] = (byte) 0xff; // metadata map's control byte
        bad.put("bad-meta.mmdb", badMeta);
        bad.put("empty.mmdb", new byte[0]);
        bad.put("random.bin", new java.util.Random(3).ints(5000, 0, 256).collect(ByteArrayOutputStream::new,
                ByteArrayOutputStream::write, (x, y) -> {}).toByteArray());
        bad.put("truncated.csv.gz", Arrays.copyOf(gzip("8.8.8.0,8.8.8.255,SE\n".repeat(100).getBytes()), 40));
        bad.put("bad-row.csv", "8.8.8.0,8.8.8.255,SE\n8.8.9.0,8.8.9.x,SE\n".getBytes(StandardCharsets.UTF_8));
        bad.put("page.html", "<html><body>Not found</body></html>\n".getBytes(StandardCharsets.UTF_8));
        bad.put("no-usable-rows.csv", "8.8.8.0,8.8.8.255,??\n".getBytes(StandardCharsets.UTF_8));
        bad.put("not.tar.gz", gzip(tar(Map.of("README", "x".getBytes()))));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Path file = write(e.getKey(), e.getValue());
            assertThatThrownBy(() -> install(file, null)).as(e.getKey()).isInstanceOf(IOException.class)
                    .satisfies(t -> assertThat(t.getMessage()).as(e.getKey()).isNotBlank().doesNotContain("\n"));
        }
        assertThatThrownBy(() -> install(dir.resolve("missing.mmdb"), null)).hasMessageContaining("no such file");
        assertThatThrownBy(() -> install(write("bad-row2.csv", "8.8.8.0,8.8.8.255,SE\n8.8.9.0,8.8.9.x,SE\n"
                .getBytes()), null)).hasMessageContaining("line 2");
        assertThatThrownBy(() -> install(write("t.mmdb", Arrays.copyOf(mmdb, mmdb.length / 2)), null))
                .hasMessageContaining("neither a MaxMind DB nor");
        assertThat(Files.readAllBytes(dataDir().resolve("country.bin.gz"))).isEqualTo(installed);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anUnusableInstalledFileFallsBackToTheBundledDataWithAWarning() throws IOException {
        Files.createDirectories(dataDir());
        Files.write(dataDir().resolve("country.bin.gz"), gzip("BWDI\u0001Cgarbage".getBytes(StandardCharsets.ISO_8859_1)));
        GeoData.Selection s = GeoData.select(dataDir());
        assertThat(s.country().origin()).isEqualTo("bundled");
        assertThat(s.warnings()).singleElement().asString().contains("country.bin.gz", "implausible");
        assertThat(lookup(s.lookup(), "1.1.1.1")).map(Geo::country).contains("AU");
        assertThat(GeoData.select(dir.resolve("absent")).lookup()).isSameAs(GeoData.bundled());
    }

    @Test
    void downloadsFromAUrlWithinLimits() throws IOException {
        byte[] csv = "8.8.8.0,8.8.8.255,IS\n".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/country.csv", x -> {
            x.sendResponseHeaders(200, csv.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(csv);
            }
        });
        server.createContext("/big.csv", x -> {
            x.sendResponseHeaders(200, 0); // chunked, no length: the limit must stop the copy
            try (OutputStream o = x.getResponseBody()) {
                for (int i = 0; i < 2000; i++) o.write(csv);
            } catch (IOException ignored) {
                // the client hangs up
            }
        });
        server.createContext("/slow.csv", x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream o = x.getResponseBody()) {
                o.write(csv);
                o.flush();
                Thread.sleep(3000);
            } catch (IOException | InterruptedException ignored) {
                // the client gives up first
            }
        });
        java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            GeoUpdate update = new GeoUpdate(dataDir(), new GeoUpdate.Limits(10_000, 1 << 20, Duration.ofMillis(500)));
            update.install(base + "/country.csv", null);
            assertThat(lookup(GeoData.current(dataDir()), "8.8.8.8")).map(Geo::country).contains("IS");
            assertThatThrownBy(() -> update.install(base + "/missing.csv", null)).hasMessageContaining("HTTP 404");
            assertThatThrownBy(() -> update.install(base + "/big.csv", null)).hasMessageContaining("limit");
            long start = System.nanoTime();
            assertThatThrownBy(() -> update.install(base + "/slow.csv", null)).hasMessageContaining("longer than");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
            assertThatThrownBy(() -> update.install("http://127.0.0.1:1/x.csv", null)).isInstanceOf(IOException.class);
            assertThat(leftovers()).isEmpty();
        } finally {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dataDir())) {
            return s.filter(p -> p.getFileName().toString().startsWith(".update-")).toList();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = hay.length - needle.length; i >= 0; i--) {
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return i;
        }
        return -1;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** A ustar archive of regular files, members in the map's iteration order (sorted for determinism). */
    private static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : new java.util.TreeMap<>(files).descendingKeySet()) { // LICENSE.txt first: skipped
            byte[] body = files.get(name);
            byte[] h = new byte[512];
            put(h, 0, name);
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", body.length));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) sum += b & 0xff;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(body);
            out.writeBytes(new byte[(512 - body.length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
