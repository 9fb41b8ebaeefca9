package io.bwdoctor.intel;

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
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Loads the country and ASN range files written by scripts/build-geo-data.py (format described there). The bundled
 * files come from ip-location-db: country data CC0-1.0, ASN data CC-BY-4.0 (RouteViews, DB-IP, NRO); see NOTICE.txt
 * beside them.
 */
public final class GeoData {
    private static final int MAX_DECOMPRESSED = 128 << 20; // the bundled files unpack to ~25 MB
    private static final int MAX_ROWS = 10_000_000;
    private static final String RESOURCE_DIR = "/io/bwdoctor/intel/";

    private GeoData() {}

    /** Lazily loaded bundled data (0.4-0.5 s and 27 MiB of heap on first use, measured here). */
    public static GeoLookup bundled() {
        return Bundled.LOOKUP;
    }

    private static final class Bundled {
        static final GeoLookup LOOKUP = loadBundled();
    }

    private static GeoLookup loadBundled() {
        try (InputStream country = resource("country.bin.gz"); InputStream asn = resource("asn.bin.gz")) {
            return load(country, asn);
        } catch (IOException e) {
            throw new UncheckedIOException("bundled geo data unreadable: " + e.getMessage(), e);
        }
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
        ByteBuffer c = unpack(countryGz, 'C');
        ByteBuffer a = unpack(asnGz, 'A');
        try {
            int countryCount = count(c, "country labels");
            String[] countries = new String[countryCount];
            for (int i = 0; i < countryCount; i++) countries[i] = utf8(c);
            Ipv4Ranges country4 = ipv4(c, countryCount);
            Ipv6Ranges country6 = ipv6(c, countryCount);
            int asnCount = count(a, "ASN labels");
            long[] asns = new long[asnCount];
            String[] organisations = new String[asnCount];
            for (int i = 0; i < asnCount; i++) {
                asns[i] = Integer.toUnsignedLong(a.getInt());
                organisations[i] = utf8(a);
            }
            Ipv4Ranges asn4 = ipv4(a, asnCount);
            Ipv6Ranges asn6 = ipv6(a, asnCount);
            if (c.hasRemaining() || a.hasRemaining()) throw new IOException("geo data has trailing bytes");
            return new RangeGeoLookup(countries, country4, country6, asns, organisations, asn4, asn6);
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
