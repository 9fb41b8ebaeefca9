package io.bwdoctor.capture.live.bench;

import io.bwdoctor.capture.live.LiveCapture;
import io.bwdoctor.capture.live.NetnsHarness;
import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;
import io.bwdoctor.core.packet.LinkDecoder;
import io.bwdoctor.core.packet.LinkResult;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Throughput/CPU figure for live capture (not a test; needs root and iperf3): iperf3 UDP from inside a namespace to
 * the root-namespace end of a veth for N seconds while LiveCapture (then tcpdump, for reference) captures there.
 * Run: java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(deps) \
 *      io.bwdoctor.capture.live.bench.LiveCaptureBench [seconds] [udp payload bytes] [rate: 0 = unlimited, 200M]
 *      [rawView true|false]
 */
public final class LiveCaptureBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String length = args.length > 1 ? args[1] : "64";
        String rate = args.length > 2 ? args[2] : "0";
        boolean rawView = args.length > 3 && Boolean.parseBoolean(args[3]);
        try (NetnsHarness net = NetnsHarness.hostLinked()) {
            String host = net.host().ipv4().getHostAddress();
            for (int round = 0; round < 2; round++) {
                runBwdoctor(net, host, seconds, length, rate, rawView, round == 0 ? "warm-up" : "bwdoctor");
            }
            runTcpdump(net, host, seconds, length, rate);
        }
    }

    private static String[] client(NetnsHarness net, String host, int seconds, String length, String rate) {
        return new String[] {"ip", "netns", "exec", net.a().namespace(), "iperf3", "-c", host, "-u", "-b", rate,
                "-l", length, "-t", String.valueOf(seconds), "-p", "5201"};
    }

    private static void runBwdoctor(NetnsHarness net, String host, int seconds, String length, String rate,
                                    boolean rawView, String label) throws Exception {
        Process server = NetnsHarness.start(null, "iperf3", "-s", "-B", host, "-1");
        Thread.sleep(300);
        var options = LiveCapture.Options.DEFAULT.withFilter("udp").withRawView(rawView);
        LinkDecoder decoder = new LinkDecoder();
        LinkResult link = new LinkResult();
        long[] counts = new long[3];
        FrameSink sink = new FrameSink() {
            @Override
            public void onFrame(Frame f) {
                decoder.decode(f.linkType, f.data, f.offset, f.capturedLength, link);
                counts[0]++;
                counts[1] += f.wireLength;
                counts[2] += link.kind;
            }

            @Override
            public void onUnreadableRecord(String reason, int wireLength) {}
        };
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LiveCapture capture = LiveCapture.open(net.host().device(), 0, options);
        capture.start(sink);
        Thread.sleep(200);
        Thread captureThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("bwdoctor-capture-")).findFirst().orElseThrow();
        long alloc0 = threads.getThreadAllocatedBytes(captureThread.threadId());
        long thread0 = threads.getThreadCpuTime(captureThread.threadId());
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Process client = new ProcessBuilder(client(net, host, seconds, length, rate)).redirectErrorStream(true).start();
        String clientOut = new String(client.getInputStream().readAllBytes());
        client.waitFor(seconds + 10L, TimeUnit.SECONDS);
        Thread.sleep(500); // let the last buffer time out
        long wall = System.nanoTime() - t0;
        long thread = threads.getThreadCpuTime(captureThread.threadId()) - thread0;
        long alloc = threads.getThreadAllocatedBytes(captureThread.threadId()) - alloc0;
        long cpu = os.getProcessCpuTime() - cpu0;
        LiveCapture.Stats stats = capture.stop();
        server.waitFor(5, TimeUnit.SECONDS);
        server.destroy();
        String sent = clientOut.lines().filter(l -> l.contains("sender")).findFirst().orElse("?").strip();
        System.out.printf("%-8s frames=%d wireMB=%.1f  %.0f pkt/s  capture-thread CPU %.2f s (%.2f us/pkt)  process CPU %.2f s"
                        + "  alloc %.1f B/pkt  pcap_stats recv=%d drop=%d%n   iperf3: %s%n",
                label, counts[0], counts[1] / 1e6, counts[0] / (wall / 1e9), thread / 1e9,
                counts[0] == 0 ? 0 : thread / 1e3 / counts[0], cpu / 1e9, counts[0] == 0 ? 0.0 : (double) alloc / counts[0],
                stats.received(), stats.dropped(), sent);
    }

    private static void runTcpdump(NetnsHarness net, String host, int seconds, String length, String rate)
            throws Exception {
        Process server = NetnsHarness.start(null, "iperf3", "-s", "-B", host, "-1");
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", net.host().device(), "-s", "256", "-B", "32768", "-n",
                "-w", "/dev/null", "udp").redirectErrorStream(true).start();
        Thread.sleep(1000);
        long cpu0 = cpuTicks(tcpdump.pid());
        Process client = new ProcessBuilder(client(net, host, seconds, length, rate)).redirectErrorStream(true).start();
        client.getInputStream().readAllBytes();
        client.waitFor(seconds + 10L, TimeUnit.SECONDS);
        Thread.sleep(500);
        long ticks = cpuTicks(tcpdump.pid()) - cpu0;
        new ProcessBuilder("kill", "-INT", String.valueOf(tcpdump.pid())).start().waitFor();
        String out = new String(tcpdump.getInputStream().readAllBytes());
        server.waitFor(5, TimeUnit.SECONDS);
        server.destroy();
        System.out.printf("tcpdump  CPU %.2f s; %s%n", ticks / 100.0, out.replace('\n', ' ').strip());
    }

    /** utime + stime of a process, in clock ticks (USER_HZ 100). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
