package io.bwdoctor.intel;

import io.bwdoctor.core.intel.GeoKind;
import io.bwdoctor.core.intel.GeoLookup;
import io.bwdoctor.core.intel.Ipv4Ranges;
import io.bwdoctor.core.intel.Ipv6Ranges;
import io.bwdoctor.core.intel.RangeGeoLookup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Loads the country and ASN range files written by scripts/build-geo-data.py (format described there). The bundled
 * files come from ip-location-db: country data CC0-1.0, ASN data CC-BY-4.0 (RouteViews, DB-IP, NRO); see NOTICE.txt
 * beside them. Data installed by `bwdoctor intel update` (same format) takes precedence, kind by kind.
 */
public final class GeoData {
    private static final int MAX_DECOMPRESSED = 128 << 20; // the bundled files unpack to ~25 MB
    private static final int MAX_ROWS = 10_000_000;
    private static final String RESOURCE_DIR = "/io/bwdoctor/intel/";

    private GeoData() {}

    static final String COUNTRY_FILE = "country.bin.gz";
    static final String ASN_FILE = "asn.bin.gz";

    /** Version of the bundled data as its NOTICE.txt states it ("ip-location-db 2.3.2026061719"), or "unknown". */
    public static String bundledVersion() {
        try (InputStream in = resource("NOTICE.txt")) {
            String notice = new String(in.readNBytes(16 * 1024), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(ip-location-db)\\S*,? version ([0-9.]+)")
                    .matcher(notice);
            return m.find() ? m.group(1) + " " + m.group(2) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Lazily loaded bundled data (0.5-1 s and 27 MiB of heap on first use, measured here). */
    public static GeoLookup bundled() {
        return Bundled.LOOKUP;
    }

    /** The bundled lookup and what it holds; the parts themselves are not kept (the lookup has its own tables). */
    private static final class Bundled {
        static final Part COUNTRY_PART;
        static final Part ASN_PART;
        static final GeoLookup LOOKUP;

        static {
            CountryPart country = bundledCountry();
            AsnPart asn = bundledAsn();
            COUNTRY_PART = new Part("bundled", country.codes().length, country.ipv4().size(), country.ipv6().size(),
                    Map.of());
            ASN_PART = new Part("bundled", asn.asns().length, asn.ipv4().size(), asn.ipv6().size(), Map.of());
            LOOKUP = combine(country, asn);
        }
    }

    private static CountryPart bundledCountry() {
        return loadBundled(COUNTRY_FILE, GeoData::readCountry);
    }

    private static AsnPart bundledAsn() {
        return loadBundled(ASN_FILE, GeoData::readAsn);
    }

    /** Country data: labels and ranges, with where they came from ("bundled" or the installed file). */
    record CountryPart(String origin, String[] codes, Ipv4Ranges ipv4, Ipv6Ranges ipv6) {}

    record AsnPart(String origin, long[] asns, String[] organisations, Ipv4Ranges ipv4, Ipv6Ranges ipv6) {}

    /** What one kind of data in use is: its origin, label and range counts, and the installed metadata if any. */
    public record Part(String origin, int labels, int ipv4Ranges, int ipv6Ranges, Map<String, Object> metadata) {}

    /** The data chosen by {@link #select}: the lookup, what each kind is, and why installed data was not used. */
    public record Selection(GeoLookup lookup, Part country, Part asn, List<String> warnings) {}

    /** Installed data from {@code dataDir} where present and valid, else the bundled data. */
    public static GeoLookup current(Path dataDir) {
        return select(dataDir).lookup();
    }

    /** Like {@link #current}, also saying which data is in use and why an installed file was passed over. */
    public static Selection select(Path dataDir) {
        List<String> warnings = new ArrayList<>();
        CountryPart country = installed(dataDir, COUNTRY_FILE, GeoData::readCountry, warnings);
        AsnPart asn = installed(dataDir, ASN_FILE, GeoData::readAsn, warnings);
        if (country == null && asn == null)
            return new Selection(Bundled.LOOKUP, Bundled.COUNTRY_PART, Bundled.ASN_PART, List.copyOf(warnings));
        // Installed data, maybe mixed with a bundled part read afresh (the bundled lookup does not keep its parts).
        CountryPart c = country != null ? country : bundledCountry();
        AsnPart a = asn != null ? asn : bundledAsn();
        return new Selection(combine(c, a), part(c, dataDir), part(a, dataDir), List.copyOf(warnings));
    }

    private static Part part(CountryPart c, Path dataDir) {
        return new Part(c.origin(), c.codes().length, c.ipv4().size(), c.ipv6().size(),
                GeoMetadata.read(dataDir, GeoKind.COUNTRY, c.origin()));
    }

    private static Part part(AsnPart a, Path dataDir) {
        return new Part(a.origin(), a.asns().length, a.ipv4().size(), a.ipv6().size(),
                GeoMetadata.read(dataDir, GeoKind.ASN, a.origin()));
    }

    private interface PartReader<T> {
        T read(InputStream gz, String origin) throws IOException;
    }

    private static <T> T installed(Path dataDir, String name, PartReader<T> reader, List<String> warnings) {
        if (dataDir == null) return null;
        Path file = dataDir.resolve(name);
        if (!Files.isRegularFile(file)) return null;
        try (InputStream in = Files.newInputStream(file)) {
            return reader.read(in, file.toString());
        } catch (IOException | RuntimeException e) {
            warnings.add(file + " is unusable, using the bundled data instead: " + e.getMessage());
            return null;
        }
    }

    private static <T> T loadBundled(String name, PartReader<T> reader) {
        try (InputStream in = resource(name)) {
            return reader.read(in, "bundled");
        } catch (IOException e) {
            throw new UncheckedIOException("bundled geo data unreadable: " + e.getMessage(), e);
        }
    }

    private static GeoLookup combine(CountryPart c, AsnPart a) {
        return new RangeGeoLookup(c.codes(), c.ipv4(), c.ipv6(), a.asns(), a.organisations(), a.ipv4(), a.ipv6());
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = GeoData.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) throw new IOException("resource " + RESOURCE_DIR + name + " missing from the class path");
        return in;
    }

    public static GeoLookup load(Path countryFile, Path asnFile) throws IOException {
        try (InputStream country = Files.newInputStream(countryFile); InputStream asn = Files.newInputStream(asnFile)) {
            return load(country, asn);
        }
    }

    /** Reads both gzip'd streams; a malformed file gives an IOException naming what is wrong. */
    public static GeoLookup load(InputStream countryGz, InputStream asnGz) throws IOException {
        return combine(readCountry(countryGz, "stream"), readAsn(asnGz, "stream"));
    }

    static CountryPart readCountry(InputStream gz, String origin) throws IOException {
        ByteBuffer c = unpack(gz, GeoKind.COUNTRY.code());
        try {
            int countryCount = count(c, "country labels");
            String[] countries = new String[countryCount];
            for (int i = 0; i < countryCount; i++) countries[i] = utf8(c);
            Ipv4Ranges country4 = ipv4(c, countryCount);
            Ipv6Ranges country6 = ipv6(c, countryCount);
            if (c.hasRemaining()) throw new IOException("geo data has trailing bytes");
            return new CountryPart(origin, countries, country4, country6);
        } catch (BufferUnderflowException e) {
            throw new IOException("geo data is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("geo data is malformed: " + e.getMessage(), e);
        }
    }

    static AsnPart readAsn(InputStream gz, String origin) throws IOException {
        ByteBuffer a = unpack(gz, GeoKind.ASN.code());
        try {
            int asnCount = count(a, "ASN labels");
            long[] asns = new long[asnCount];
            String[] organisations = new String[asnCount];
            for (int i = 0; i < asnCount; i++) {
                asns[i] = Integer.toUnsignedLong(a.getInt());
                organisations[i] = utf8(a);
            }
            Ipv4Ranges asn4 = ipv4(a, asnCount);
            Ipv6Ranges asn6 = ipv6(a, asnCount);
            if (a.hasRemaining()) throw new IOException("geo data has trailing bytes");
            return new AsnPart(origin, asns, organisations, asn4, asn6);
        } catch (BufferUnderflowException e) {
            throw new IOException("geo data is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("geo data is malformed: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer unpack(InputStream gz, char kind) throws IOException {
        byte[] bytes;
        try (InputStream in = new GZIPInputStream(gz, 1 << 16)) {
            bytes = in.readNBytes(MAX_DECOMPRESSED + 1);
        } catch (ZipException e) {
            throw new IOException("geo data is not gzip: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_DECOMPRESSED) throw new IOException("geo data unpacks to more than 128 MiB");
        if (bytes.length < 6 || bytes[0] != 'B' || bytes[1] != 'W' || bytes[2] != 'D' || bytes[3] != 'I')
            throw new IOException("geo data lacks the BWDI header");
        if (bytes[4] != 1) throw new IOException("geo data format version " + bytes[4] + " unsupported (want 1)");
        if (bytes[5] != kind) throw new IOException("geo data is of kind '" + (char) bytes[5] + "', want '" + kind + "'");
        return ByteBuffer.wrap(bytes, 6, bytes.length - 6).slice();
    }

    private static int count(ByteBuffer b, String what) throws IOException {
        int n = b.getInt();
        if (n < 0 || n > MAX_ROWS) throw new IOException("geo data has an implausible count of " + what + ": " + n);
        return n;
    }

    private static String utf8(ByteBuffer b) throws IOException {
        int length = Short.toUnsignedInt(b.getShort());
        if (length > b.remaining()) throw new BufferUnderflowException();
        ByteBuffer text = b.slice(b.position(), length);
        b.position(b.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(text).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("geo data has a label that is not UTF-8", e);
        }
    }

    private static Ipv4Ranges ipv4(ByteBuffer b, int labelCount) throws IOException {
        int n = count(b, "IPv4 ranges");
        return new Ipv4Ranges(ints(b, n), ints(b, n), ints(b, n), labelCount);
    }

    private static Ipv6Ranges ipv6(ByteBuffer b, int labelCount) throws IOException {
        int n = count(b, "IPv6 ranges");
        return new Ipv6Ranges(longs(b, n), longs(b, n), longs(b, n), longs(b, n), ints(b, n), labelCount);
    }

    private static int[] ints(ByteBuffer b, int n) {
        int[] out = new int[n];
        b.asIntBuffer().get(out);
        b.position(b.position() + 4 * n);
        return out;
    }

    private static long[] longs(ByteBuffer b, int n) {
        long[] out = new long[n];
        b.asLongBuffer().get(out);
        b.position(b.position() + 8 * n);
        return out;
    }
}
