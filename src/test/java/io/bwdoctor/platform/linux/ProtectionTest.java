package io.bwdoctor.platform.linux;

import static io.bwdoctor.capture.live.NetnsHarness.runOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bwdoctor.capture.live.NetnsHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing and removing the egress scheme never loses the configuration that was there before. */
class ProtectionTest {
    @TempDir
    Path stateDir;

    @BeforeAll
    static void needsNamespaces() {
        NetnsHarness.assumeUsable();
    }

    @Test
    void refusesAForeignQdiscUnlessForcedAndPutsItBack() throws Exception {
        try (NetnsHarness net = NetnsHarness.twoNamespaces()) {
            String ns = net.a().namespace();
            String dev = net.a().device();
            runOk(ns, "tc", "qdisc", "add", "dev", dev, "root", "handle", "7:", "tbf", "rate", "1mbit", "burst", "4kb",
                    "latency", "50ms");
            String before = qdiscs(ns, dev);
            assertThat(before).contains("qdisc tbf 7: root");
            Path state = Protection.stateFile(stateDir, ns, dev);

            assertThatThrownBy(() -> Protection.apply(request(dev, ns, false)))
                    .isInstanceOf(ProtectionException.class).hasMessageContaining("tbf 7:")
                    .hasMessageContaining("--force");
            assertThat(qdiscs(ns, dev)).isEqualTo(before);
            assertThat(state).doesNotExist();

            Protection p = Protection.apply(request(dev, ns, true));
            assertThat(qdiscs(ns, dev)).contains("qdisc htb bd01: root").doesNotContain("tbf 7:");
            assertThat(Files.readString(state)).contains("tbf 7: root");
            assertThatThrownBy(() -> Protection.apply(request(dev, ns, true)))
                    .hasMessageContaining("already protected");
            assertThat(p.remove()).anyMatch(l -> l.contains("restored tbf 7:"));
            assertThat(qdiscs(ns, dev)).isEqualTo(before);
            assertThat(state).doesNotExist();
            assertThat(p.remove()).isEmpty();

            Protection.apply(request(dev, ns, true)); // then "crash": nothing removes it but the leftover clean-up
            assertThat(Protection.removeLeftover(dev, stateDir, ns)).anyMatch(l -> l.contains("restored tbf 7:"));
            assertThat(qdiscs(ns, dev)).isEqualTo(before);
            assertThat(state).doesNotExist();
            assertThat(Protection.removeLeftover(dev, stateDir, ns)).isEmpty();
        }
    }

    @Test
    void aKernelDefaultIsReplacedAndComesBack() throws Exception {
        try (NetnsHarness net = NetnsHarness.twoNamespaces()) {
            String ns = net.b().namespace();
            String dev = net.b().device();
            String before = qdiscs(ns, dev);
            assertThat(before).contains("noqueue 0: root");
            Protection p = Protection.apply(new Protection.Request(dev, List.of(22, 3389), null, false, stateDir, ns));
            assertThat(p.installed()).first().asString().contains("ports 22,3389");
            String filters = runOk(null, "tc", "-n", ns, "filter", "show", "dev", dev);
            assertThat(filters).contains("match 00160000/ffff0000 at 20", "match 00000016/0000ffff at 20",
                    "match 0d3d0000/ffff0000 at 40", "match 00000d3d/0000ffff at 40");
            for (InetAddress peer : List.of(net.a().ipv4(), net.a().ipv6())) {
                long high = packets(ns, dev, "bd01:10");
                long bulk = packets(ns, dev, "bd01:20");
                connectAttempts(ns, peer, 80);
                assertThat(packets(ns, dev, "bd01:10")).as("port 80 to %s", peer).isEqualTo(high);
                assertThat(packets(ns, dev, "bd01:20")).as("port 80 to %s", peer).isGreaterThanOrEqualTo(bulk + 3);
                connectAttempts(ns, peer, 3389);
                assertThat(packets(ns, dev, "bd01:10")).as("port 3389 to %s", peer).isGreaterThanOrEqualTo(high + 3);
            }
            assertThat(Protection.removeAllLeftovers(stateDir)).anyMatch(l -> l.contains("kernel's default"));
            assertThat(qdiscs(ns, dev)).isEqualTo(before);
            assertThat(p.remove()).as("the state file is gone, so nothing is done twice").isEmpty();
            assertThat(qdiscs(ns, dev)).isEqualTo(before);

            Protection again = Protection.apply(new Protection.Request(dev, List.of(22), null, false, stateDir, ns));
            runOk(ns, "tc", "qdisc", "replace", "dev", dev, "root", "handle", "9:", "tbf", "rate", "2mbit", "burst",
                    "8kb", "latency", "20ms"); // someone else's configuration since
            assertThat(again.remove()).anyMatch(l -> l.contains("gone already") && l.contains("tbf 9:"));
            assertThat(qdiscs(ns, dev)).contains("tbf 9: root");
        }
    }

    private Protection.Request request(String dev, String ns, boolean force) {
        return new Protection.Request(dev, List.of(22), 10_000_000L, force, stateDir, ns);
    }

    /** Three TCP connection attempts from namespace NS to PEER:PORT (refused: nothing listens; the SYNs count). */
    private static void connectAttempts(String ns, InetAddress peer, int port) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                NetworkNamespace.enter(ns);
                for (int i = 0; i < 3; i++) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(peer, port), 1000);
                    } catch (IOException expected) {
                        // connection refused
                    }
                }
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private static long packets(String ns, String dev, String classId) {
        String stats = runOk(null, "tc", "-n", ns, "-s", "class", "show", "dev", dev);
        Matcher m = Pattern.compile("class htb " + classId + " .*\\n Sent \\d+ bytes (\\d+) pkt").matcher(stats);
        assertThat(m.find()).as(stats).isTrue();
        return Long.parseLong(m.group(1));
    }

    static String qdiscs(String ns, String dev) {
        return runOk(null, "tc", "-n", ns, "qdisc", "show", "dev", dev);
    }
}
