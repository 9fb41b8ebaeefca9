package io.bwdoctor.intel;

import io.bwdoctor.core.intel.GeoCsv;
import io.bwdoctor.core.intel.GeoKind;
import io.bwdoctor.core.intel.GeoTable;
import io.bwdoctor.core.intel.GeoTableBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * `bwdoctor intel update`: reads a newer country or ASN database (MaxMind DB file or ip-location-db CSV, possibly
 * gzip'd or in a tar.gz as MaxMind ships them, from a file or an http(s) URL the user names), converts it to the
 * bundled files' format, checks the result reads back, and moves it into the data directory atomically, with a
 * metadata file beside it. Nothing is fetched unless the user gives a URL.
 */
public final class GeoUpdate {
    /** Bounds on what a source may cost: download size, unpacked size, time for the whole download. */
    public record Limits(long maxDownload, long maxUnpacked, Duration timeout) {
        public static final Limits DEFAULT = new Limits(256L << 20, 1L << 30, Duration.ofMinutes(5));
    }

    /** What was installed. */
    public record Installed(GeoKind kind, Path file, GeoTable table, String format) {}

    private static final byte[] MMDB_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n',
            'd', '.', 'c', 'o', 'm'};
    private static final int MAX_CSV_LINE = 4096;

    private final Path dataDir;
    private final Limits limits;

    public GeoUpdate(Path dataDir, Limits limits) {
        this.dataDir = dataDir;
        this.limits = limits;
    }

    public static boolean isUrl(String from) {
        String f = from.toLowerCase(java.util.Locale.ROOT);
        return f.startsWith("http://") || f.startsWith("https://");
    }

    /** {@code kind} null means auto-detect. Throws IOException with a one-line reason for any unusable source. */
    public Installed install(String from, GeoKind kind) throws IOException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IOException("cannot create the data directory " + dataDir + ": " + reason(e)
                    + " (choose another with --data-dir, or run as root)", e);
        }
        if (!Files.isWritable(dataDir))
            throw new IOException("cannot write to " + dataDir + " (choose another with --data-dir, or run as root)");
        List<Path> temporary = new ArrayList<>();
        try {
            Path source;
            if (isUrl(from)) {
                source = temp(temporary, ".download");
                download(from, source);
            } else {
                source = Path.of(from);
                if (!Files.isRegularFile(source)) throw new IOException(from + ": no such file");
                if (!Files.isReadable(source)) throw new IOException(from + ": not readable");
            }
            Path plain = unwrap(source, temporary);
            GeoTable table;
            String format;
            Map<String, Object> meta = new LinkedHashMap<>();
            if (isMmdb(plain)) {
                MmdbImport.Result r = MmdbImport.read(plain, kind);
                table = r.table();
                format = "MaxMind DB" + (r.databaseType() == null ? "" : " (" + r.databaseType() + ")");
                meta.put("source_built", r.built());
            } else {
                table = readCsv(plain, kind);
                format = "ip-location-db CSV";
            }
            if (table.ipv4().size() + table.ipv6().size() == 0)
                throw new IOException("the source holds no usable " + table.kind().key() + " ranges");
            meta.put("kind", table.kind().key());
            meta.put("source", from);
            meta.put("format", format);
            meta.put("installed", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            meta.put("source_records", table.sourceRecords());
            meta.put("skipped_records", table.skipped());
            meta.put("labels", table.labelCount());
            meta.put("ipv4_ranges", table.ipv4().size());
            meta.put("ipv6_ranges", table.ipv6().size());
            Path target = dataDir.resolve(table.kind() == GeoKind.COUNTRY ? GeoData.COUNTRY_FILE : GeoData.ASN_FILE);
            Path staged = temp(temporary, ".bin.gz");
            try (OutputStream out = Files.newOutputStream(staged)) {
                GeoFileWriter.write(table, out);
            }
            verify(staged, table);
            Path stagedMeta = temp(temporary, ".json");
            Files.write(stagedMeta, GeoMetadata.encode(meta));
            sync(staged);
            sync(stagedMeta);
            move(staged, target);
            move(stagedMeta, dataDir.resolve(GeoMetadata.fileName(table.kind())));
            return new Installed(table.kind(), target, table, format);
        } finally {
            for (Path p : temporary) Files.deleteIfExists(p);
        }
    }

    private Path temp(List<Path> temporary, String suffix) throws IOException {
        Path p = Files.createTempFile(dataDir, ".update-", suffix);
        temporary.add(p);
        return p;
    }

    private static GeoTable readCsv(Path file, GeoKind kind) throws IOException {
        GeoKind chosen = kind;
        if (chosen == null) {
            List<String> head = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                TextLines.forEach(new BoundedStream(in, 64 * 1024), MAX_CSV_LINE, line -> {
                    if (head.size() < 2 && !line.isBlank()) head.add(line);
                });
            } catch (IOException e) {
                if (head.size() < 2) throw notGeoData(e.getMessage());
            }
            if (head.isEmpty()) throw notGeoData("the file is empty");
            try {
                chosen = GeoCsv.detect(head.get(0));
            } catch (IllegalArgumentException first) {
                if (head.size() < 2) throw notGeoData(first.getMessage());
                try {
                    chosen = GeoCsv.detect(head.get(1)); // the first line may be a header
                } catch (IllegalArgumentException e) {
                    throw notGeoData(first.getMessage());
                }
            }
        }
        GeoTableBuilder builder = new GeoTableBuilder(chosen);
        GeoCsv csv = new GeoCsv(builder);
        try (InputStream in = Files.newInputStream(file)) {
            TextLines.forEach(in, MAX_CSV_LINE, csv::accept);
        } catch (IllegalArgumentException e) {
            throw notGeoData(e.getMessage());
        } catch (IOException e) {
            throw notGeoData(e.getMessage());
        }
        return builder.build();
    }

    private static IOException notGeoData(String why) {
        return new IOException("neither a MaxMind DB nor an ip-location-db CSV file: " + why);
    }

    /** Reads the staged file back with the same code that will load it, and compares the counts. */
    private static void verify(Path staged, GeoTable table) throws IOException {
        try (InputStream in = Files.newInputStream(staged)) {
            int labels, v4, v6;
            if (table.kind() == GeoKind.COUNTRY) {
                GeoData.CountryPart p = GeoData.readCountry(in, staged.toString());
                labels = p.codes().length;
                v4 = p.ipv4().size();
                v6 = p.ipv6().size();
            } else {
                GeoData.AsnPart p = GeoData.readAsn(in, staged.toString());
                labels = p.asns().length;
                v4 = p.ipv4().size();
                v6 = p.ipv6().size();
            }
            if (labels != table.labelCount() || v4 != table.ipv4().size() || v6 != table.ipv6().size())
                throw new IOException("the converted file does not read back as written");
        }
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + to + " atomically: " + reason(e), e);
        }
    }

    /** Gunzips and untars (first *.mmdb or *.csv member) as needed; returns the plain file. */
    private Path unwrap(Path source, List<Path> temporary) throws IOException {
        byte[] head = head(source, 2);
        if (head.length < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) return source;
        Path unpacked = temp(temporary, ".unpacked");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(source), 1 << 16);
             OutputStream out = Files.newOutputStream(unpacked)) {
            copy(in, out, limits.maxUnpacked(), "unpacked source");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException("the gzip data is corrupt or truncated: " + reason(e), e);
        }
        byte[] tarHead = head(unpacked, 263);
        if (tarHead.length == 263 && new String(tarHead, 257, 5, StandardCharsets.US_ASCII).equals("ustar"))
            return untar(unpacked, temporary);
        return unpacked;
    }

    private Path untar(Path tar, List<Path> temporary) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) break; // end-of-archive block
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                if ((type == '0' || type == 0) && (name.endsWith(".mmdb") || name.endsWith(".csv"))) {
                    Path member = temp(temporary, name.endsWith(".mmdb") ? ".mmdb" : ".csv");
                    try (OutputStream out = Files.newOutputStream(member)) {
                        long copied = copy(new BoundedStream(in, size), out, limits.maxUnpacked(), "tar member");
                        if (copied != size) throw new IOException("the tar archive is truncated");
                    }
                    return member;
                }
                try {
                    in.skipNBytes(padded);
                } catch (java.io.EOFException e) {
                    throw new IOException("the tar archive is truncated", e);
                }
            }
        }
        throw new IOException("the tar archive holds no .mmdb or .csv file");
    }

    private static String field(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) end++;
        return new String(b, from, end - from, StandardCharsets.US_ASCII);
    }

    private static long octal(byte[] b, int from, int length) throws IOException {
        String s = field(b, from, length).strip();
        if (!s.matches("[0-7]{1,11}")) throw new IOException("the tar archive has a malformed header");
        return Long.parseLong(s, 8);
    }

    private static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }

    /** MaxMind DB files end with a metadata section that starts with a marker, within the last 128 KiB. */
    static boolean isMmdb(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            int n = (int) Math.min(size, 128 * 1024);
            ByteBuffer tail = ByteBuffer.allocate(n);
            ch.read(tail, size - n);
            byte[] b = tail.array();
            outer:
            for (int i = n - MMDB_MARKER.length; i >= 0; i--) {
                for (int k = 0; k < MMDB_MARKER.length; k++) if (b[i + k] != MMDB_MARKER[k]) continue outer;
                return true;
            }
            return false;
        }
    }

    private void download(String url, Path target) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("'" + url + "' is not a valid URL");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("User-Agent", "bwdoctor intel update").GET().build();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bwdoctor-download-timeout");
            t.setDaemon(true);
            return t;
        });
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200)
                    throw new IOException("download failed: HTTP " + response.statusCode() + " from " + uri.getHost());
                long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (length > limits.maxDownload())
                    throw new IOException("download refused: " + length + " bytes is more than the limit of "
                            + limits.maxDownload() + " bytes");
                java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
                var deadline = timer.schedule(() -> {
                    late.set(true);
                    try {
                        body.close(); // unblocks a stalled read
                    } catch (IOException ignored) {
                        // best effort; the check below reports the timeout either way
                    }
                }, limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
                String tooLong = "download took longer than " + limits.timeout().toMillis() + " ms";
                try (OutputStream out = Files.newOutputStream(target)) {
                    copy(body, out, limits.maxDownload(), "download");
                } catch (IOException e) {
                    if (late.get()) throw new IOException(tooLong, e);
                    throw e;
                }
                deadline.cancel(false);
                if (late.get()) throw new IOException(tooLong); // the close may have looked like the end of the body
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download interrupted", e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException("download timed out: " + reason(e), e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + uri.getHost() + ": " + reason(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("'" + url + "' is not a usable URL: " + reason(e), e);
        } finally {
            client.shutdownNow();
            timer.shutdownNow();
        }
    }

    private static long copy(InputStream in, OutputStream out, long limit, String what) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) throw new IOException(what + " exceeds the limit of " + limit + " bytes");
            out.write(buffer, 0, n);
        }
        return total;
    }

    static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) // its message is just the path
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Reads at most {@code remaining} bytes of the wrapped stream, without closing it. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = in.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) remaining -= n;
            return n;
        }
    }
}
