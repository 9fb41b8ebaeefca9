package io.bwdoctor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.capture.live.NatContainer;
import io.bwdoctor.capture.live.NetnsHarness;
import io.bwdoctor.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end, as root: `bwdoctor top --raw --netns A` watches namespace A while processes in A exchange known traffic
 * with namespace B (documentation addresses only, every loop bounded). The bytes of every process that lives longer
 * than its first packet's trip to the resolver must be attributed to it (at least 99 %). Processes that live only a
 * few milliseconds (forked children that connect, send and exit) are gone before /proc can be read: the eBPF socket
 * tracer names them, so at least 99 of 100 and 99 % of their bytes must be attributed where eBPF is available; without
 * it their bytes must still all be accounted for (their pid, or unattributed with a reason).
 */
class LiveAttributionTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Short-lived processes (forked children that connect, send 20 kB and exit). */
    private static final int SHORT = 500;

    @TempDir
    Path dir;

    @Test
    void everyScenarioIsAttributedToItsProcess() throws Exception {
        NetnsHarness.assumeUsable();
        Path script = dir.resolve("traffic.py");
        try (InputStream in = getClass().getResourceAsStream("traffic.py")) {
            Files.copy(in, script);
        }
        try (NetnsHarness h = NetnsHarness.twoNamespaces()) {
            String nsA = h.a().namespace();
            String nsB = h.b().namespace();
            String b4 = h.b().ipv4().getHostAddress();
            String b6 = h.b().ipv6().getHostAddress();
            String a4 = h.a().ipv4().getHostAddress();
            List<Process> servers = new ArrayList<>();
            servers.add(py(nsB, script, "udp-sink", "9001", "40"));
            servers.add(py(nsB, script, "tcp-sink", "9002", "40"));
            servers.add(py(nsB, script, "tcp-source", "9003", "40", "1500000"));
            servers.add(py(nsB, script, "udp-sinks", "20000", "1000", "40"));
            Process inboundServer = py(nsA, script, "tcp-sink", "9005", "40");
            servers.add(inboundServer);

            LiveRun bwdoctor = LiveRun.start(bwdoctor("top", "--raw", "--seconds", "300", "--netns", nsA, "-i",
                    h.a().device())); // stopped by SIGINT once the scenarios are done

            Map<String, Long> pids = new HashMap<>();
            pids.put("udp", runPy(nsA, script, "udp-send", b4, "9001", "2000", "1000").get("pid").asLong());
            pids.put("udp6", runPy(nsA, script, "udp-send", b6, "9001", "1000", "1200").get("pid").asLong());
            pids.put("upload", runPy(nsA, script, "tcp-send", b4, "9002", "2000000").get("pid").asLong());
            pids.put("download", runPy(nsA, script, "tcp-recv", b4, "9003").get("pid").asLong());
            pids.put("upload6", runPy(nsA, script, "tcp-send", b6, "9002", "1000000").get("pid").asLong());
            JsonNode shortLived = runPy(nsA, script, "tcp-short", b4, "9002", Integer.toString(SHORT), "20000");
            pids.put("fanout", runPy(nsA, script, "udp-fanout", b4, "20000", "1000", "500").get("pid").asLong());
            pids.put("flood", runPy(nsA, script, "udp-send", b4, "9001", "20000", "22").get("pid").asLong());
            pids.put("ping", runPy(nsA, script, "icmp-echo", b4, "100", "1000").get("pid").asLong());
            Process bothUp = py(nsA, script, "tcp-send", b4, "9002", "2000000");
            Process bothDown = py(nsA, script, "tcp-recv", b4, "9003");
            assertThat(bothUp.waitFor(30, TimeUnit.SECONDS) && bothDown.waitFor(30, TimeUnit.SECONDS)).isTrue();
            runPy(nsB, script, "tcp-send", a4, "9005", "1000000");
            pids.put("inbound", inboundServer.pid());

            List<String> lines = bwdoctor.stop();
            Files.writeString(Path.of("target/live-attribution-last.json"), lines.getLast()); // for a failure's reader
            JsonNode last = JSON.readTree(lines.getLast());
            Map<Long, JsonNode> byPid = new HashMap<>();
            for (JsonNode p : last.get("processes")) {
                byPid.put(p.get("pid").asLong(), p);
            }
            assertThat(tx(byPid, pids.get("udp"))).as("UDP sender").isGreaterThanOrEqualTo(2000L * (1000 + 42) * 99 / 100);
            assertThat(tx(byPid, pids.get("udp6"))).as("UDP/IPv6 sender").isGreaterThanOrEqualTo(1000L * (1200 + 62) * 99 / 100);
            assertThat(tx(byPid, pids.get("upload"))).as("TCP upload").isGreaterThanOrEqualTo(2_000_000L);
            assertThat(rx(byPid, pids.get("download"))).as("TCP download").isGreaterThanOrEqualTo(1_500_000L);
            assertThat(tx(byPid, pids.get("upload6"))).as("TCP/IPv6 upload").isGreaterThanOrEqualTo(1_000_000L);
            assertThat(tx(byPid, pids.get("fanout"))).as("UDP to 1,000 destinations")
                    .isGreaterThanOrEqualTo(1000L * (500 + 42) * 99 / 100);
            assertThat(tx(byPid, pids.get("flood"))).as("small-packet flood (64-byte frames)")
                    .isGreaterThanOrEqualTo(20000L * 64 * 99 / 100);
            assertThat(tx(byPid, bothUp.pid())).as("upload while downloading").isGreaterThanOrEqualTo(2_000_000L);
            long echo = 100L * (1000 + 8 + 20 + 14); // request and reply frames of 100 echoes
            assertThat(tx(byPid, pids.get("ping")) + rx(byPid, pids.get("ping"))).as("ICMP echo with payload")
                    .isGreaterThanOrEqualTo(2 * echo * 99 / 100);
            assertThat(rx(byPid, bothDown.pid())).as("download while uploading").isGreaterThanOrEqualTo(1_500_000L);
            assertThat(rx(byPid, pids.get("inbound"))).as("inbound to a server").isGreaterThanOrEqualTo(1_000_000L);
            long shortTx = 0;
            int named = 0;
            for (JsonNode child : shortLived.get("children")) {
                JsonNode p = byPid.get(child.asLong());
                if (p != null) {
                    shortTx += p.get("tx_bytes").asLong();
                    named++;
                }
            }
            System.out.printf("short-lived processes: %d of %d named, %d of %d payload bytes attributed%n", named,
                    SHORT, shortTx, SHORT * 20000L);
            String gaps = last.get("coverage").get("gaps").toString();
            if (Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) { // eBPF with kernel types: the tracer must run
                assertThat(gaps).as("coverage gaps").doesNotContain("no eBPF socket tracing");
                assertThat(named).as("short-lived processes named (eBPF socket tracing)")
                        .isGreaterThanOrEqualTo(SHORT * 99 / 100);
                assertThat(shortTx).as("short-lived processes' bytes").isGreaterThanOrEqualTo(SHORT * 20000L * 99 / 100);
            }

            JsonNode iface = last.get("interfaces").get(0);
            long total = iface.get("tx_bytes").asLong() + iface.get("rx_bytes").asLong();
            JsonNode un = last.get("unattributed");
            long unattributed = un.get("tx_bytes").asLong() + un.get("rx_bytes").asLong();
            long shortWire = 0; // the short-lived connections' wire bytes (port 9002 rows of unnamed children)
            for (JsonNode c : last.get("connections")) {
                if (c.get("remote_port").asInt() == 9002 && c.get("pid").isNull()) {
                    shortWire += c.get("tx_bytes").asLong() + c.get("rx_bytes").asLong();
                }
            }
            assertThat(unattributed - shortWire).as("unattributed beyond the short-lived processes, of %d bytes: %s",
                    total, un.get("reasons")).isLessThanOrEqualTo(total / 100);
            long attributed = 0;
            for (JsonNode p : last.get("processes")) {
                attributed += p.get("tx_bytes").asLong() + p.get("rx_bytes").asLong();
            }
            assertThat(attributed + unattributed).as("interface total = processes + unattributed").isEqualTo(total);
        }
    }

    /**
     * Without packet capture, TCP bytes still reach their process through the kernel's socket counters (sampled once
     * a second, final counts from the socket-destroy notification).
     */
    @Test
    void withoutCaptureTcpIsAttributedFromKernelCounters() throws Exception {
        NetnsHarness.assumeUsable();
        Path script = dir.resolve("traffic.py");
        try (InputStream in = getClass().getResourceAsStream("traffic.py")) {
            Files.copy(in, script);
        }
        try (NetnsHarness h = NetnsHarness.twoNamespaces()) {
            Process sink = py(h.b().namespace(), script, "tcp-sink", "9002", "15");
            LiveRun bwdoctor = LiveRun.start(bwdoctor("top", "--raw", "--no-capture", "--seconds", "300", "--netns",
                    h.a().namespace(), "-i", h.a().device()));
            long pid = runPy(h.a().namespace(), script, "tcp-send", h.b().ipv4().getHostAddress(), "9002", "3000000",
                    "1.5")
                    .get("pid").asLong();
            Thread.sleep(1500); // one more sample after the sender's socket closed
            String lastLine = bwdoctor.stop().getLast();
            Files.writeString(Path.of("target/live-counters-last.json"), lastLine); // for a failure's reader
            JsonNode last = JSON.readTree(lastLine);
            assertThat(last.get("coverage").get("packet_capture").asBoolean()).isFalse();
            long tx = 0;
            for (JsonNode p : last.get("processes")) {
                if (p.get("pid").asLong() == pid) {
                    tx = p.get("tx_bytes").asLong();
                }
            }
            assertThat(tx).as("TCP payload counted by the kernel for the sender").isEqualTo(3_000_000L);
            JsonNode iface = last.get("interfaces").get(0);
            assertThat(iface.get("tx_bytes").asLong()).as("interface total from /proc/net/dev").isGreaterThan(3_000_000L);
            sink.destroy();
        }
    }

    /**
     * A "container": a process in namespace C behind host H's NAT (masquerade) sends TCP and UDP to R; bwdoctor
     * watches H's R-facing link, where the packets carry H's address. Connection tracking undoes the translation and
     * C's socket table names the process (pids and socket inodes are global); its row says which namespace it is in.
     * The same for R's upload to a server in C published on H's port 8080 (destination NAT).
     */
    @Test
    void containerBehindNatIsAttributedToItsProcess() throws Exception {
        NetnsHarness.assumeUsable();
        NatContainer.assumeNft();
        Path script = dir.resolve("traffic.py");
        try (InputStream in = getClass().getResourceAsStream("traffic.py")) {
            Files.copy(in, script);
        }
        try (NetnsHarness h = NetnsHarness.twoNamespaces(); NatContainer container = NatContainer.behind(h)) {
            String nsH = h.a().namespace();
            String nsR = h.b().namespace();
            String nsC = container.namespace();
            String r4 = h.b().ipv4().getHostAddress();
            Process udpSink = py(nsR, script, "udp-sink", "9001", "25");
            Process tcpSink = py(nsR, script, "tcp-sink", "9002", "25");
            container.publish(h, "tcp", 8080, 9005); // a server in the container, reachable on H's port 8080
            Process published = py(nsC, script, "tcp-sink", "9005", "25");

            Process bwdoctor = new ProcessBuilder(bwdoctor("top", "--raw", "--seconds", "12", "--netns", nsH,
                    "-i", h.a().device())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            CompletableFuture<String> output = NetnsHarness.readAllAsync(bwdoctor);
            Thread.sleep(3000);
            long tcpPid = runPy(nsC, script, "tcp-send", r4, "9002", "2000000").get("pid").asLong();
            // the sender keeps its socket 2 s: UDP senders that live only milliseconds are a known limit (no eBPF
            // for UDP yet), and reaching into the container's namespace takes a few tens of ms under load
            long udpPid = runPy(nsC, script, "udp-send", r4, "9001", "1000", "1000", "2").get("pid").asLong();
            runPy(nsR, script, "tcp-send", h.a().ipv4().getHostAddress(), "8080", "1000000");

            assertThat(bwdoctor.waitFor(40, TimeUnit.SECONDS)).as("bwdoctor stops after --seconds").isTrue();
            assertThat(bwdoctor.exitValue()).isZero();
            String lastLine = output.get().lines().toList().getLast();
            Files.writeString(Path.of("target/live-container-last.json"), lastLine); // for a failure's reader
            JsonNode last = JSON.readTree(lastLine);
            Map<Long, JsonNode> byPid = new HashMap<>();
            for (JsonNode p : last.get("processes")) {
                byPid.put(p.get("pid").asLong(), p);
            }
            long tcpWire = 0, udpWire = 0;
            for (JsonNode c : last.get("connections")) {
                long bytes = c.get("tx_bytes").asLong() + c.get("rx_bytes").asLong();
                if (c.get("remote_port").asInt() == 9002) tcpWire += bytes;
                if (c.get("remote_port").asInt() == 9001) udpWire += bytes;
            }
            long tcpOwned = tx(byPid, tcpPid) + rx(byPid, tcpPid);
            long udpOwned = tx(byPid, udpPid) + rx(byPid, udpPid);
            System.out.printf("container behind NAT: TCP %d of %d wire bytes, UDP %d of %d attributed; published "
                    + "server received %d%n", tcpOwned, tcpWire, udpOwned, udpWire, rx(byPid, published.pid()));
            assertThat(tx(byPid, tcpPid)).as("TCP upload from the container").isGreaterThanOrEqualTo(2_000_000L);
            assertThat(tcpOwned).as("TCP wire bytes").isGreaterThanOrEqualTo(tcpWire * 99 / 100);
            assertThat(tx(byPid, udpPid)).as("UDP from the container")
                    .isGreaterThanOrEqualTo(1000L * (1000 + 42) * 99 / 100);
            assertThat(udpOwned).as("UDP wire bytes").isGreaterThanOrEqualTo(udpWire * 99 / 100);
            assertThat(rx(byPid, published.pid())).as("inbound to the container's published port")
                    .isGreaterThanOrEqualTo(1_000_000L);
            assertThat(byPid.get(tcpPid).get("container").asString()).as("the container's namespace")
                    .isEqualTo("netns:" + nsC);
            udpSink.destroy();
            tcpSink.destroy();
            published.destroy();
        }
    }

    /** The CLI in a child JVM with the test's class path (as root, like a user running sudo bwdoctor). */
    static List<String> bwdoctor(String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static long tx(Map<Long, JsonNode> byPid, long pid) {
        JsonNode p = byPid.get(pid);
        return p == null ? 0 : p.get("tx_bytes").asLong();
    }

    private static long rx(Map<Long, JsonNode> byPid, long pid) {
        JsonNode p = byPid.get(pid);
        return p == null ? 0 : p.get("rx_bytes").asLong();
    }

    private static Process py(String ns, Path script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        return NetnsHarness.start(ns, cmd.toArray(String[]::new));
    }

    private static JsonNode runPy(String ns, Path script, String... args) throws Exception {
        Process p = py(ns, script, args);
        CompletableFuture<String> out = NetnsHarness.readAllAsync(p);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("generator %s finishes", args[0]).isTrue();
        String text = out.get();
        assertThat(p.exitValue()).as("generator %s: %s", args[0], text).isZero();
        return JSON.readTree(text.lines().filter(l -> l.startsWith("{")).reduce((x, y) -> y).orElseThrow());
    }
}
