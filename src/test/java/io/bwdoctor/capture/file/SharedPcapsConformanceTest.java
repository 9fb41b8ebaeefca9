package io.bwdoctor.capture.file;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every capture in shared/pcaps against tshark's totals: packet count, sum of wire and captured lengths, the link
 * types of the manifest; read memory-mapped, as a stream in small chunks and gzip-compressed, all alike.
 */
class SharedPcapsConformanceTest {
    /** What the message must say for the files tshark cannot read. */
    private static final Map<String, String> EXPECTED_ERRORS = Map.of(
            "malformed/pcap-invalid-version-1.pcap", "pcap major version 1 is not supported",
            "malformed/pcapng-invalid-vers-1.pcapng", "pcapng version 0.1",
            "malformed/linktype-reserved-field-not-zero.pcap", "reserved bits set (0x00300000)",
            "malformed/test901.pcapng", "pcapng version 2.0 (section 2");

    /**
     * tshark also lists pcapng Custom Blocks (types 0x00000BAD, 0x40000BAD) as frames, with their data length as
     * frame.len; they carry no packet, so the reader skips them. Checked with
     * {@code tshark -r test102.pcapng -T fields -e frame.len -e frame.interface_id}: the frames of 24, 60 and 32 bytes
     * have no interface and are the three custom blocks. Values: frames, bytes (wire and captured alike).
     */
    private static final Map<String, long[]> CUSTOM_BLOCKS_COUNTED_BY_TSHARK = Map.of(
            "formats/test102.pcapng", new long[] {3, 24 + 60 + 32});

    static List<String> files() {
        return new ArrayList<>(SharedPcaps.manifest().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void matchesTsharkTotals(String file) throws IOException {
        Path path = SharedPcaps.root().resolve(file);
        Map<String, String> totals = SharedPcaps.totals(file);
        long packets = Long.parseLong(totals.get("packets"));
        long wireBytes = Long.parseLong(totals.get("frame_bytes_total"));
        long capturedBytes = Long.parseLong(totals.get("captured_bytes_total"));
        boolean readable = "ok".equals(totals.get("tshark_read_status"));
        long[] custom = CUSTOM_BLOCKS_COUNTED_BY_TSHARK.getOrDefault(file, new long[] {0, 0});
        packets -= custom[0];
        wireBytes -= custom[1];
        capturedBytes -= custom[1];
        byte[] bytes = Files.readAllBytes(path);

        RecordingSink mapped = new RecordingSink();
        RecordingSink streamed = new RecordingSink();
        RecordingSink gzipped = new RecordingSink();
        if (readable) {
            CaptureInfo info = CaptureFiles.read(path.toString(), mapped);
            assertThat(info.memoryMapped()).isTrue();
            assertThat(info.packets()).isEqualTo(packets);
            assertThat(mapped.frames).hasSize((int) packets);
            assertThat(mapped.wireBytes).isEqualTo(wireBytes);
            assertThat(mapped.capturedBytes).isEqualTo(capturedBytes);
            assertThat(info.wireBytes()).isEqualTo(wireBytes);
            assertThat(info.capturedBytes()).isEqualTo(capturedBytes);
            assertThat(mapped.unreadable).isEmpty();
            assertThat(info.truncated()).isFalse();
            assertThat(linkTypes(info)).isEqualTo(manifestLinkTypes(SharedPcaps.manifest().get(file).get("link_type")));
            assertThat(info.format().displayName()).startsWith(
                    SharedPcaps.manifest().get(file).get("format").startsWith("pcapng") ? "pcapng" : "pcap");

            CaptureFiles.read(file, new ChunkedStream(bytes, 7 + file.length()), streamed);
            CaptureInfo gz = CaptureFiles.read(file + ".gz", gzip(bytes), gzipped);
            assertThat(gz.gzipped()).isTrue();
            assertThat(streamed.frames).isEqualTo(mapped.frames);
            assertThat(gzipped.frames).isEqualTo(mapped.frames);
        } else {
            String expected = EXPECTED_ERRORS.get(file);
            assertThat(expected).as("known unreadable file").isNotNull();
            for (RecordingSink sink : List.of(mapped, streamed, gzipped)) {
                CaptureFileException e = catchThrowableOfType(CaptureFileException.class, () -> {
                    if (sink == mapped) {
                        CaptureFiles.read(path.toString(), sink);
                    } else if (sink == streamed) {
                        CaptureFiles.read(path.toString(), new ChunkedStream(bytes, 5), sink);
                    } else {
                        CaptureFiles.read(path.toString(), gzip(bytes), sink);
                    }
                });
                assertThat(e).as("reading %s must fail", file).isNotNull();
                assertThat(e.getMessage()).startsWith(path + ": ").contains(expected).doesNotContain("\n");
                assertThat(sink.frames).hasSize((int) packets);  // test901: the good first section's packet
                assertThat(sink.wireBytes).isEqualTo(wireBytes);
            }
        }
    }

    private static List<Integer> linkTypes(CaptureInfo info) {
        return info.interfaces().stream().map(CaptureInfo.Interface::linkType).toList();
    }

    /** "ether (LINKTYPE 1 (upper bits 0x4000))", "per-packet (LINKTYPE 1,1,0)", "ether (LINKTYPE 1x95 (95 IDBs))". */
    static List<Integer> manifestLinkTypes(String column) {
        Matcher m = Pattern.compile("LINKTYPE ([0-9x,]+)").matcher(column);
        assertThat(m.find()).as(column).isTrue();
        List<Integer> types = new ArrayList<>();
        for (String item : m.group(1).split(",")) {
            String[] repeat = item.split("x");
            int count = repeat.length > 1 ? Integer.parseInt(repeat[1]) : 1;
            for (int i = 0; i < count; i++) {
                types.add(Integer.parseInt(repeat[0]));
            }
        }
        return types;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** A stream that hands out at most chunk bytes per read, like a pipe. */
    static final class ChunkedStream extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        ChunkedStream(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
