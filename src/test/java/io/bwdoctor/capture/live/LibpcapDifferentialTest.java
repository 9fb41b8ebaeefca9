package io.bwdoctor.capture.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery path of {@link LiveCapture} against tshark's ground truth in /work/shared/pcaps: once reading the file
 * through pcap_open_offline, once capturing it live while a child JVM in a namespace replays it onto a veth.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LibpcapDifferentialTest {
    /** Ground truth from {@code <file>.totals.txt}. */
    record Totals(long packets, long wireBytes, long capturedBytes, long truncated) {
        static Totals of(Path pcap) throws IOException {
            Map<String, Long> v = new HashMap<>();
            for (String line : Files.readAllLines(Path.of(pcap + ".totals.txt"))) {
                String value = line.substring(line.lastIndexOf(':') + 1).strip();
                if (!line.startsWith("#") && line.contains(":") && value.matches("\\d+")) {
                    v.put(line.split("[ :]", 2)[0], Long.parseLong(value));
                }
            }
            return new Totals(v.get("packets"), v.get("frame_bytes_total"), v.get("captured_bytes_total"),
                    v.get("frames_truncated_by_snaplen"));
        }
    }

    static Path sharedPcaps() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("pcaps");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("shared/pcaps not found above " + Path.of("").toAbsolutePath()
                + " (CI checks it out beside the repository)");
    }

    static FrameCollector readOffline(Path file) throws Exception {
        FrameCollector sink = new FrameCollector(0);
        try (LiveCapture capture = LiveCapture.openOffline(file, 0, null)) {
            capture.start(sink);
            assertThat(capture.awaitEnd(Duration.ofSeconds(30))).as("end of file reached").isTrue();
            assertThat(capture.failure()).isNull();
            assertThat(capture.framesDelivered()).isEqualTo(sink.frames());
        }
        return sink;
    }

    @ParameterizedTest
    @ValueSource(strings = {"large/example.pcap", "large/irc-dcc-send.pcapng", "protocols/DnsPackets.pcap",
            "truncated/esp_truncated.pcap", "linktypes/linux_dlt_sll2.pcap", "linktypes/raw_ip.pcap", "formats/empty.pcap"})
    void readingAFileThroughLibpcapMatchesTshark(String name) throws Exception {
        Path file = sharedPcaps().resolve(name);
        if (!Files.exists(file)) {
            throw new AssertionError("fixture missing: " + file);
        }
        Totals expected = Totals.of(file);
        FrameCollector sink = readOffline(file);
        assertThat(sink.problems()).isEmpty();
        assertThat(sink.unreadable).isZero();
        assertThat(new Totals(sink.frames(), sink.wireBytes(), sink.capturedBytes(), sink.truncated()))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"large/example.pcap", "protocols/DnsPackets.pcap"})
    void aCaptureReplayedOntoAVethIsCapturedFrameForFrame(String name) throws Exception {
        NetnsHarness.assumeUsable();
        Path file = sharedPcaps().resolve(name);
        Totals expected = Totals.of(file);
        FrameCollector offline = readOffline(file);
        assertThat(offline.frames()).isEqualTo(expected.packets());
        String docMac = "00:00:5e:00:53:01"; // RFC 7042 documentation MAC: the root namespace drops these frames
        try (NetnsHarness net = NetnsHarness.hostLinked()) {
            // leave out what the two kernels themselves might send on the link
            String filter = "not ether src " + net.host().mac() + " and not ether src " + net.a().mac();
            var options = LiveCapture.Options.DEFAULT.withSnapLength(65_535).withFilter(filter);
            FrameCollector live = new FrameCollector(options.snapLength());
            LiveCapture capture = LiveCapture.open(net.host().device(), 0, options);
            LiveCapture.Stats stats;
            try {
                capture.start(live);
                String out = NetnsHarness.runOk(net.a().namespace(), NetnsHarness.java(NsTraffic.class, "inject",
                        net.a().device(), file.toString(), docMac));
                assertThat(out).contains("injected " + expected.packets() + " " + expected.wireBytes());
                assertThat(live.awaitFrames(expected.packets(), Duration.ofSeconds(20))).isTrue();
                Thread.sleep(300);
            } finally {
                stats = capture.stop();
            }
            assertThat(live.problems()).isEmpty();
            assertThat(live.frames()).isEqualTo(expected.packets());
            assertThat(live.wireBytes()).isEqualTo(expected.wireBytes());
            assertThat(live.sortedHashes()).as("frame contents").isEqualTo(offline.sortedHashes());
            assertThat(stats.received()).isEqualTo(expected.packets());
            assertThat(stats.dropped()).isZero();
        }
    }

    @Test
    void aSinkThatThrowsEndsTheCaptureAndIsReported() throws Exception {
        Path file = sharedPcaps().resolve("protocols/DnsPackets.pcap");
        RuntimeException boom = new IllegalStateException("consumer failed");
        int[] seen = {0};
        FrameCollector sink = new FrameCollector(0) {
            @Override
            void check(io.bwdoctor.core.packet.Frame f) {
                if (++seen[0] == 3) {
                    throw boom;
                }
            }
        };
        try (LiveCapture capture = LiveCapture.openOffline(file, 0, null)) {
            capture.start(sink);
            assertThat(capture.awaitEnd(Duration.ofSeconds(10))).isTrue();
            assertThat(capture.failure()).isSameAs(boom);
            assertThat(capture.framesDelivered()).isEqualTo(2);
        }
    }

    @Test
    void aFilterAppliesToFilesToo() throws Exception {
        Path file = sharedPcaps().resolve("protocols/DnsPackets.pcap");
        // tshark's host table (conv_exact.tsv): 10.0.0.138 sent 212 frames / 34077 bytes, 428 / 51391 in all
        String row = Files.readAllLines(Path.of(file + ".conv_exact.tsv")).stream()
                .filter(l -> l.startsWith("host_ipv4\t10.0.0.138\t")).findFirst().orElseThrow();
        String[] f = row.split("\t");
        long[] sent = {Long.parseLong(f[5]), Long.parseLong(f[6])};
        long[] all = {Long.parseLong(f[9]), Long.parseLong(f[10])};
        for (var c : Map.of("src host 10.0.0.138", sent, "host 10.0.0.138", all).entrySet()) {
            FrameCollector sink = new FrameCollector(0);
            try (LiveCapture capture = LiveCapture.openOffline(file, 0, c.getKey())) {
                capture.start(sink);
                assertThat(capture.awaitEnd(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(new long[] {sink.frames(), sink.wireBytes()}).as(c.getKey()).containsExactly(c.getValue());
        }
    }
}
