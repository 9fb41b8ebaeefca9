package io.bwdoctor.capture.live;

import io.bwdoctor.core.packet.Bytes;
import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.LinkType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Live capture on the root-namespace end of a veth whose other end is in a test namespace (needs root). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveCaptureTest {
    private static final int PORT = 9999;

    @BeforeAll
    static void requireRootOnLinux() {
        NetnsHarness.assumeUsable();
    }

    private static String trafficFilter(NetnsHarness net) {
        var h = net.host();
        var a = net.a();
        return "udp and ((host " + h.ipv4().getHostAddress() + " and host " + a.ipv4().getHostAddress() + ")"
                + " or (host " + h.ipv6().getHostAddress() + " and host " + a.ipv6().getHostAddress() + "))";
    }

    /** Checks the captured part of each UDP payload against {@link NsTraffic#payload}'s rising byte pattern. */
    private static final class PayloadChecker extends FrameCollector {
        PayloadChecker(int snap) {
            super(snap);
        }

        @Override
        void check(Frame f) {
            int type = Bytes.u16(f.data, f.offset + 12);
            int payloadStart = type == 0x0800 ? 14 + 20 + 8 : type == 0x86dd ? 14 + 40 + 8 : -1;
            if (payloadStart < 0) {
                problem("not IP: ethertype " + Integer.toHexString(type));
                return;
            }
            for (int k = payloadStart + 1; k < f.capturedLength; k++) {
                if (Bytes.u8(f.data, f.offset + k) != ((Bytes.u8(f.data, f.offset + k - 1) + 1) & 0xff)) {
                    problem("payload byte " + (k - payloadStart) + " differs from what was sent");
                    return;
                }
            }
        }
    }

    @ParameterizedTest(name = "rawView={0}")
    @ValueSource(booleans = {false, true})
    void capturesExactlyTheDatagramsSentEachWayOverIpv4AndIpv6(boolean rawView) throws Exception {
        try (NetnsHarness net = NetnsHarness.hostLinked()) {
            var host = net.host();
            var a = net.a();
            var options = LiveCapture.Options.DEFAULT.withFilter(trafficFilter(net)).withRawView(rawView);
            PayloadChecker sink = new PayloadChecker(options.snapLength());
            long startNanos = System.currentTimeMillis() * 1_000_000L;
            LiveCapture capture = LiveCapture.open(host.device(), 7, options);
            try {
                assertThat(capture.linkType()).isEqualTo(LinkType.ETHERNET);
                capture.start(sink);
                // sent: from the root namespace to the address inside A
                NsTraffic.udp(a.ipv4(), PORT, 100, 1000);
                NsTraffic.udp(a.ipv6(), PORT, 100, 100);
                // received: from inside A to the root-namespace end
                NetnsHarness.runOk(a.namespace(), NetnsHarness.java(NsTraffic.class, "udp",
                        host.ipv4().getHostAddress(), String.valueOf(PORT), "50", "300"));
                NetnsHarness.runOk(a.namespace(), NetnsHarness.java(NsTraffic.class, "udp",
                        host.ipv6().getHostAddress(), String.valueOf(PORT), "50", "1200"));
                assertThat(sink.awaitFrames(300, Duration.ofSeconds(10))).as("all 300 frames delivered").isTrue();
                Thread.sleep(300); // would let stray extra frames arrive
            } finally {
                capture.stop();
            }
            long endNanos = System.currentTimeMillis() * 1_000_000L;
            LiveCapture.Stats stats = capture.stats();

            assertThat(sink.problems()).isEmpty();
            assertThat(sink.unreadable).isZero();
            // Ethernet 14 + IPv4 20 / IPv6 40 + UDP 8 + payload
            long sentBytes = 100 * (14 + 20 + 8 + 1000) + 100 * (14 + 40 + 8 + 100);
            long receivedBytes = 50 * (14 + 20 + 8 + 300) + 50 * (14 + 40 + 8 + 1200);
            assertThat(sink.fromMac(host.mac())).containsExactly(200, sentBytes);
            assertThat(sink.fromMac(a.mac())).containsExactly(100, receivedBytes);
            assertThat(sink.frames()).isEqualTo(300);
            assertThat(sink.wireBytes()).isEqualTo(sentBytes + receivedBytes);
            assertThat(sink.truncated()).as("frames longer than the 256-byte snap length").isEqualTo(200);
            assertThat(sink.minTimestamp()).isBetween(startNanos - 1_000_000_000L, endNanos);
            assertThat(sink.maxTimestamp()).isBetween(startNanos, endNanos + 1_000_000_000L);
            assertThat(capture.framesDelivered()).isEqualTo(300);
            assertThat(capture.failure()).isNull();
            assertThat(stats.received()).isEqualTo(300);
            assertThat(stats.dropped()).isZero();
        }
    }

    @Test
    void aFilterThatExcludesTheTrafficDeliversNothing() throws Exception {
        try (NetnsHarness net = NetnsHarness.hostLinked()) {
            String dev = net.host().device();
            FrameCollector matching = new FrameCollector(256);
            FrameCollector excluded = new FrameCollector(256);
            LiveCapture all = LiveCapture.open(dev, 0, LiveCapture.Options.DEFAULT.withFilter(trafficFilter(net)));
            LiveCapture none = LiveCapture.open(dev, 0, LiveCapture.Options.DEFAULT.withFilter("udp port 1"));
            try {
                all.start(matching);
                none.start(excluded);
                NsTraffic.udp(net.a().ipv4(), PORT, 100, 100);
                assertThat(matching.awaitFrames(100, Duration.ofSeconds(10))).as("the traffic passed").isTrue();
                Thread.sleep(300);
            } finally {
                none.stop();
                all.stop();
            }
            assertThat(matching.frames()).isEqualTo(100);
            assertThat(excluded.frames()).isZero();
            assertThat(none.stats().received()).isZero();
        }
    }

    @Test
    void stopReturnsPromptlyWhenNoPacketArrives() throws Exception {
        try (NetnsHarness net = NetnsHarness.hostLinked()) {
            // a 10 s buffer timeout: only pcap_breakloop can end the wait quickly
            var options = LiveCapture.Options.DEFAULT.withTimeoutMillis(10_000).withBufferBytes(1 << 20)
                    .withFilter("udp port 1");
            LiveCapture capture = LiveCapture.open(net.host().device(), 0, options);
            FrameCollector sink = new FrameCollector(256);
            capture.start(sink);
            Thread.sleep(500); // the capture thread is now blocked in poll()
            long t0 = System.nanoTime();
            LiveCapture.Stats stats = capture.stop();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(millis).as("stop() duration in ms").isLessThan(1000);
            assertThat(stats.received()).isZero();
            assertThat(capture.failure()).isNull();
            assertThat(capture.stop()).as("stop() is idempotent").isEqualTo(stats);
            assertThatThrownBy(() -> capture.start(sink)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closeWithoutStartReleasesTheHandle() throws Exception {
        try (NetnsHarness net = NetnsHarness.hostLinked()) {
            LiveCapture capture = LiveCapture.open(net.host().device(), 0, LiveCapture.Options.DEFAULT);
            capture.close();
            assertThat(capture.stats().dropped()).isZero();
        }
    }

    @Test
    void anInvalidFilterIsAOneLineError() {
        assertThatThrownBy(() -> LiveCapture.open("lo", 0, LiveCapture.Options.DEFAULT.withFilter("udp prot 80")))
                .isInstanceOf(CaptureException.class)
                .isNotInstanceOf(CaptureUnavailableException.class)
                .hasMessageStartingWith("invalid capture filter \"udp prot 80\": ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> LiveCapture.open("lo", 0, LiveCapture.Options.DEFAULT.withFilter("udp\0port 1")))
                .isInstanceOf(CaptureException.class).hasMessageContaining("NUL");
    }

    @Test
    void anUnknownInterfaceIsAOneLineError() {
        assertThatThrownBy(() -> LiveCapture.open("bwdnosuchdev0", 0, LiveCapture.Options.DEFAULT))
                .isInstanceOf(CaptureException.class)
                .isNotInstanceOf(CaptureUnavailableException.class)
                .hasMessageStartingWith("no such network interface: \"bwdnosuchdev0\"");
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> LiveCapture.Options.DEFAULT.withSnapLength(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snap length");
        assertThatThrownBy(() -> LiveCapture.Options.DEFAULT.withBufferBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffer");
    }
}
