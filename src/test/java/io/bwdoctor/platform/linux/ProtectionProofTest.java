package io.bwdoctor.platform.linux;

import static io.bwdoctor.capture.live.NetnsHarness.run;
import static io.bwdoctor.capture.live.NetnsHarness.runOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.capture.live.NetnsHarness;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof that the protection keeps SSH responsive on a saturated uplink with a downstream cap, the cloud case.
 *
 * <pre>
 *   server (S) ── veth ── provider (R): tbf 10 Mbit, 100 ms queue ── veth ── admin (C)
 *   198.51.100.1          198.51.100.2 | 198.51.100.5                        198.51.100.6
 * </pre>
 *
 * The cap sits in its own namespace R, downstream of the server, as a provider's shaper does: the server's own
 * interface never pushes back, so without protection the queue forms in R, where nothing knows about SSH. The SSH
 * "server" (an echo service on port 22) runs on S, the admin's client on C: each exchange's response leaves S on
 * the saturated egress, like an SSH session's screen updates, while S uploads in bulk to C. The protection is
 * installed on S's interface with the cap's rate, so that S shapes to 95 % of it and the queue moves to S.
 * All traffic runs in this JVM, on threads that entered the namespaces (setns is per thread).
 */
class ProtectionProofTest {
    private static final long CAP_BPS = 10_000_000;
    private static final int SSH = 22;
    private static final int BULK_PORT = 5001;
    private static final int EXCHANGES = 250;
    /**
     * Slack for the protected p99 on top of 3 x the unloaded p99, against sub-millisecond noise. Before the probe and
     * the echo server ran in SCHED_FIFO, a 2-core VM shared with other builds (load average 9-12) made a few of 250
     * exchanges wait for a CPU: protected p99 5.4, 5.9 and 9.1 ms in 3 of 9 runs (p50 0.1-0.2 ms). In SCHED_FIFO,
     * same load: protected p99 0.4-1.1 ms. Far larger is what the test tells apart: 22-111 ms unprotected, and 33 ms
     * with htb alone (before bulk bursts were split).
     */
    private static final double TAIL_FLOOR_MS = 2;
    private static final String S_ADDR = "198.51.100.1";
    private static final String C_ADDR = "198.51.100.6";
    private static final List<String> namespaces = new ArrayList<>();
    private static volatile boolean probeRealtime;
    private static String id;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void network() {
        NetnsHarness.assumeUsable();
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        id = HexFormat.of().formatHex(random);
        String s = ns("s");
        String r = ns("r");
        String c = ns("c");
        link(s, dev("s"), S_ADDR, r, dev("rs"), "198.51.100.2");
        link(r, dev("rc"), "198.51.100.5", c, dev("c"), C_ADDR);
        runOk(s, "ip", "route", "add", "198.51.100.4/30", "via", "198.51.100.2");
        runOk(c, "ip", "route", "add", "198.51.100.0/30", "via", "198.51.100.5");
        runOk(r, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
        runOk(r, "tc", "qdisc", "add", "dev", dev("rc"), "root", "tbf", "rate", CAP_BPS + "bit", "burst", "15k",
                "latency", "100ms");
    }

    @AfterAll
    static void deleteNetwork() {
        for (String ns : namespaces) {
            run(null, "ip", "netns", "del", ns);
        }
    }

    private static String ns(String role) {
        String name = "bwp-" + id + "-" + role;
        namespaces.add(name);
        runOk(null, "ip", "netns", "add", name);
        runOk(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    private static String dev(String role) {
        return "bwp" + id + role;
    }

    private static void link(String ns1, String dev1, String addr1, String ns2, String dev2, String addr2) {
        runOk(null, "ip", "link", "add", dev1, "netns", ns1, "type", "veth", "peer", "name", dev2, "netns", ns2);
        runOk(ns1, "ip", "addr", "add", addr1 + "/30", "dev", dev1);
        runOk(ns2, "ip", "addr", "add", addr2 + "/30", "dev", dev2);
        runOk(ns1, "ip", "link", "set", "dev", dev1, "up");
        runOk(ns2, "ip", "link", "set", "dev", dev2, "up");
    }

    /** p50 and p99 of round-trip times, in milliseconds. */
    record Rtt(double p50, double p99) {
        static Rtt of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Rtt(sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6);
        }

        @Override
        public String toString() {
            return String.format("p50 %.2f ms, p99 %.2f ms", p50, p99);
        }
    }

    @Test
    void sshStaysResponsiveWhileTheUplinkIsSaturated() throws Exception {
        String s = namespaces.get(0);
        String c = namespaces.get(2);
        AtomicLong received = new AtomicLong();
        CountDownLatch listening = new CountDownLatch(2);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> echo = inNamespace(s, () -> echoServer(listening, stop, 60_000));
        CompletableFuture<Void> sink = inNamespace(c, () -> sink(listening, stop, received, 60_000));
        Rtt unloaded;
        Rtt loaded;
        Rtt protectedRtt;
        double[] bulkMbps = new double[1];
        String classes;
        try {
            if (!listening.await(10, TimeUnit.SECONDS)) {
                echo.getNow(null);
                sink.getNow(null);
                throw new AssertionError("the servers did not start listening");
            }
            probe(c, 100); // warm-up: JIT, first connection
            unloaded = Rtt.of(probe(c, EXCHANGES));
            loaded = underLoad(s, c, received, null);
            Thread.sleep(500); // let the provider's queue drain
            Protection protection = Protection.apply(new Protection.Request(dev("s"), List.of(SSH), CAP_BPS, false,
                    stateDir, s));
            try {
                protectedRtt = underLoad(s, c, received, bulkMbps);
                classes = runOk(null, "tc", "-n", s, "-s", "class", "show", "dev", dev("s"));
            } finally {
                protection.remove();
            }
        } finally {
            stop.set(true);
        }
        echo.get(10, TimeUnit.SECONDS);
        sink.get(10, TimeUnit.SECONDS);
        System.out.printf("protect proof (10 Mbit downstream cap, %d exchanges each): unloaded %s | loaded, "
                + "unprotected %s | loaded, protected %s | bulk while protected %.2f Mbit/s | probe in SCHED_FIFO: %s%n",
                EXCHANGES, unloaded, loaded, protectedRtt, bulkMbps[0], probeRealtime);

        assertThat(loaded.p99()).as("without protection SSH waits behind the upload").isGreaterThan(
                5 * unloaded.p99());
        assertThat(protectedRtt.p50()).as("with protection SSH leaves first").isLessThanOrEqualTo(
                2 * unloaded.p50() + 0.5);
        assertThat(protectedRtt.p99()).as("with protection SSH leaves first, also in the tail").isLessThanOrEqualTo(
                3 * unloaded.p99() + TAIL_FLOOR_MS);
        assertThat(bulkMbps[0]).as("the upload itself goes on near the cap").isGreaterThan(0.6 * CAP_BPS / 1e6);
        Matcher high = Pattern.compile("class htb bd01:10 .*\\n Sent \\d+ bytes (\\d+) pkt").matcher(classes);
        assertThat(high.find() && Long.parseLong(high.group(1)) >= EXCHANGES).as(classes).isTrue();
    }

    /** Runs EXCHANGES exchanges while S uploads to C; BULK_MBPS (if given) gets the upload's rate meanwhile. */
    private Rtt underLoad(String s, String c, AtomicLong received, double[] bulkMbps) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> bulk = inNamespace(s, () -> bulk(stop, 30_000));
        try {
            Thread.sleep(1500); // TCP reaches the cap and the queue builds
            long bytes0 = received.get();
            long t0 = System.nanoTime();
            Rtt rtt = Rtt.of(probe(c, EXCHANGES));
            if (bulkMbps != null) {
                bulkMbps[0] = (received.get() - bytes0) * 8 / ((System.nanoTime() - t0) / 1e9) / 1e6;
            }
            assertThat(bulk).as("the upload lasted the whole measurement").isNotDone();
            return rtt;
        } finally {
            stop.set(true);
            bulk.get(10, TimeUnit.SECONDS);
        }
    }

    /** COUNT request/response exchanges of 64 bytes from C to S:22, 5 ms apart; their round-trip times. */
    private static long[] probe(String c, int count) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                NetworkNamespace.enter(c);
                probeRealtime = realtime();
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(3000);
                    socket.connect(new InetSocketAddress(InetAddress.getByName(S_ADDR), SSH), 3000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    byte[] request = new byte[64];
                    long[] rtts = new long[count];
                    for (int i = 0; i < count; i++) {
                        long t0 = System.nanoTime();
                        out.write(request);
                        if (in.readNBytes(64).length != 64) {
                            throw new IOException("the echo server closed the connection");
                        }
                        rtts[i] = System.nanoTime() - t0;
                        Thread.sleep(5);
                    }
                    return rtts;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task)).get(count * 3L / 100 + 60, TimeUnit.SECONDS);
    }

    private static void echoServer(CountDownLatch listening, AtomicBoolean stop, long lifetimeMs) throws Exception {
        realtime();
        long end = System.currentTimeMillis() + lifetimeMs;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(S_ADDR), SSH));
            listening.countDown();
            server.setSoTimeout(1000);
            while (System.currentTimeMillis() < end && !stop.get()) {
                try (Socket peer = accept(server)) {
                    if (peer == null) {
                        continue;
                    }
                    peer.setTcpNoDelay(true);
                    peer.setSoTimeout(5000);
                    InputStream in = peer.getInputStream();
                    OutputStream out = peer.getOutputStream();
                    byte[] buf = new byte[64];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // the client went away; wait for the next one
                }
            }
        }
    }

    private static void sink(CountDownLatch listening, AtomicBoolean stop, AtomicLong received, long lifetimeMs)
            throws Exception {
        long end = System.currentTimeMillis() + lifetimeMs;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(C_ADDR), BULK_PORT));
            listening.countDown();
            server.setSoTimeout(1000);
            byte[] buf = new byte[1 << 16];
            while (System.currentTimeMillis() < end && !stop.get()) {
                try (Socket peer = accept(server)) {
                    if (peer == null) {
                        continue;
                    }
                    peer.setSoTimeout(5000);
                    InputStream in = peer.getInputStream();
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        received.addAndGet(n);
                    }
                } catch (IOException e) {
                    // sender gone
                }
            }
        }
    }

    /** Uploads to C until STOP (or MAX_MS, a bound for a test that went wrong). */
    private static void bulk(AtomicBoolean stop, long maxMs) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(C_ADDR), BULK_PORT), 3000);
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[16 * 1024];
            long end = System.currentTimeMillis() + maxMs;
            while (!stop.get() && System.currentTimeMillis() < end) {
                out.write(chunk); // blocks while the socket buffer is full: at most ~cap rate
            }
        }
    }

    private static Socket accept(ServerSocket server) throws IOException {
        try {
            return server.accept();
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    /**
     * Puts the calling thread in SCHED_FIFO (root may), so that the echo server and the probe measure the network's
     * queueing and not the wait for a CPU on a busy machine: all three phases get the same treatment, and the upload
     * stays an ordinary thread. Both threads sleep or block almost all the time. Best effort: false if refused.
     */
    static boolean realtime() {
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle setScheduler = linker.downcallHandle(linker.defaultLookup().findOrThrow("sched_setscheduler"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS));
            MemorySegment param = arena.allocateFrom(ValueLayout.JAVA_INT, 10); // struct sched_param
            return (int) setScheduler.invokeExact(0, 1 /* SCHED_FIFO */, param) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    interface Task {
        void run() throws Exception;
    }

    /** Runs TASK on a new platform thread that first enters network namespace NS. */
    private static CompletableFuture<Void> inNamespace(String ns, Task task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("netns-" + ns).start(() -> {
            try {
                NetworkNamespace.enter(ns);
                task.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
