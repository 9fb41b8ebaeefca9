package io.bwdoctor.core.packet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** Test frames from link-frames.tsv (see make-link-frames.py beside it) and helpers to place bytes in segments. */
final class LinkFrames {
    /** Bytes placed before a frame, so that offsets are absolute and not accidentally zero-based. */
    static final int LEAD = 5;

    record Row(String source, int frame, int linkType, int kind, int ipOffset, int ipLength, String origin,
               String note, byte[] bytes) {
        @Override
        public String toString() {
            return source + "#" + frame + " (linktype " + linkType + ")";
        }
    }

    private LinkFrames() {}

    static List<Row> load() {
        var in = Objects.requireNonNull(LinkFrames.class.getResourceAsStream("link-frames.tsv"), "link-frames.tsv");
        List<Row> rows = new ArrayList<>();
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                rows.add(new Row(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), kind(f[3]),
                        Integer.parseInt(f[4]), Integer.parseInt(f[5]), f[6], f[7], HexFormat.of().parseHex(f[8])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static int kind(String name) {
        return switch (name) {
            case "IPV4" -> LinkResult.IPV4;
            case "IPV6" -> LinkResult.IPV6;
            case "NON_IP" -> LinkResult.NON_IP;
            case "TRUNCATED" -> LinkResult.TRUNCATED;
            case "MALFORMED" -> LinkResult.MALFORMED;
            case "UNSUPPORTED" -> LinkResult.UNSUPPORTED;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * A segment holding {@code LEAD} filler bytes, then the first {@code length} bytes of the frame, and nothing after:
     * a read past the captured end throws instead of passing unnoticed.
     */
    static MemorySegment placed(byte[] frame, int length) {
        byte[] b = new byte[LEAD + length];
        java.util.Arrays.fill(b, 0, LEAD, (byte) 0x7e);
        System.arraycopy(frame, 0, b, LEAD, length);
        return MemorySegment.ofArray(b);
    }

    static byte[] hex(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts).replace(" ", ""));
    }
}
