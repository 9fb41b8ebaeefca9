package io.bwdoctor.core.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every frame of every classic pcap in shared/pcaps: the decoder never throws, and finds IP in exactly as many frames
 * as tshark does (ip-frame-counts.tsv), except where we knowingly differ.
 */
class LinkDecoderCaptureFilesTest {
    /** Files where our count of IP frames knowingly differs from tshark's, with ours. */
    private static final Map<String, Integer> KNOWN_DIFFERENCES = Map.of(
            // tshark does not look past the HDLC flag in the protocol field; tcpdump (and we) find IPv4 behind it.
            "linktypes/ppp_ip_udp_dns.pcap", 1);

    static Stream<Arguments> files() throws IOException {
        var in = Objects.requireNonNull(LinkDecoderCaptureFilesTest.class.getResourceAsStream("ip-frame-counts.tsv"));
        String text;
        try (in) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t"))
                .map(f -> Arguments.of(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void countsIpFramesAsTsharkDoes(String file, int frames, int tsharkIpFrames) throws IOException {
        Path pcaps = sharedPcaps();
        assumeTrue(pcaps != null, "shared/pcaps not found above the working directory");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcaps.resolve(file)));
        int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        b.order(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int linkType = b.remaining() >= 24 ? LinkType.fromHeaderField(Integer.toUnsignedLong(b.getInt(20))) : 0;
        MemorySegment s = MemorySegment.ofArray(b.array());
        LinkDecoder decoder = new LinkDecoder();
        LinkResult r = new LinkResult();
        int seen = 0;
        int ip = 0;
        for (int p = 24; p + 16 <= b.limit(); seen++) {
            int captured = b.getInt(p + 8);
            if (captured < 0 || p + 16L + captured > b.limit()) {
                break;  // a record cut by the end of the file
            }
            decoder.decode(linkType, s, p + 16, captured, r);
            if (r.kind == LinkResult.IPV4 || r.kind == LinkResult.IPV6) {
                ip++;
                assertThat(r.networkOffset).isBetween(p + 16L, p + 16L + captured);
            }
            p += 16 + captured;
        }
        assertThat(seen).as("frames read").isEqualTo(frames);
        assertThat(ip).as("frames with IP").isEqualTo(KNOWN_DIFFERENCES.getOrDefault(file, tsharkIpFrames));
    }

    /** shared/pcaps beside or above the working directory (the repo sits next to shared/ in CI and here). */
    static Path sharedPcaps() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared/pcaps"), dir.resolve("../shared/pcaps")}) {
                if (Files.isRegularFile(candidate.resolve("MANIFEST.tsv"))) {
                    return candidate.normalize();
                }
            }
        }
        return null;
    }
}
