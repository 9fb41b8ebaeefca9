package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.bwdoctor.platform.linux.SockDiagTest.V4_LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

class ProcScannerTest {
    static final int OWN_PID = (int) ProcessHandle.current().pid();
    static ProcScanner procs;

    @BeforeAll
    static void open() {
        procs = new ProcScanner();
    }

    @AfterAll
    static void close() {
        procs.close();
    }

    @Test
    void describesOwnProcess() throws Exception {
        ProcessInfo self = procs.describe(OWN_PID).orElseThrow();
        ProcessHandle.Info jvm = ProcessHandle.current().info();
        assertThat(self.pid()).isEqualTo(OWN_PID);
        assertThat(self.ppid()).isEqualTo((int) ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(self.exe()).endsWith("/java").isEqualTo(jvm.command().orElseThrow());
        assertThat(self.exeDeleted()).isFalse();
        assertThat(self.exeIsMemfd()).isFalse();
        assertThat(self.cmdline()).isNotEmpty();
        assertThat(self.cmdline().getFirst()).endsWith("java");
        assertThat(self.name()).isEqualTo("java");
        assertThat(self.uid()).isZero();
        assertThat(self.user()).isEqualTo("root");
        Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        assertThat(Duration.between(self.startTime(), jvmStart).abs()).isLessThan(Duration.ofSeconds(2));
        assertThat(self.startTime()).isEqualTo(jvm.startInstant().orElseThrow());
        assertThat(self.netnsInode()).isEqualTo(Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino"));
        assertThat(self.cgroup()).startsWith("/");
    }

    @Test
    void kernelThreadsHaveNoExecutableOrArguments() {
        Optional<ProcessInfo> kthreadd = procs.describe(2);
        Assumptions.assumeTrue(kthreadd.map(p -> p.name().equals("kthreadd")).orElse(false),
                "pid 2 is not kthreadd (not the host's initial pid namespace)");
        assertThat(kthreadd.get().exe()).isNull();
        assertThat(kthreadd.get().cmdline()).isEmpty();
        assertThat(kthreadd.get().ppid()).isZero();
    }

    @Test
    void describesAShortLivedChildAndForgetsItOnceReaped() throws Exception {
        Process child = new ProcessBuilder("sleep", "0.2").start();
        try {
            Optional<ProcessInfo> info = procs.describe((int) child.pid());
            assertThat(info).isPresent();
            ProcessInfo sleep = info.get();
            // Java starts children through jspawnhelper: wait until the exec of sleep itself has happened
            for (int i = 0; i < 100 && !"sleep".equals(sleep.name()); i++) {
                Thread.sleep(2);
                sleep = procs.describe((int) child.pid()).orElseThrow();
            }
            assertThat(sleep.name()).isEqualTo("sleep");
            assertThat(sleep.cmdline()).containsExactly("sleep", "0.2");
            assertThat(sleep.exe()).endsWith("/sleep");
            assertThat(sleep.ppid()).isEqualTo(OWN_PID);
            assertThat(Duration.between(sleep.startTime(), Instant.now()).abs()).isLessThan(Duration.ofSeconds(2));
            assertThat(sleep.netnsInode()).isEqualTo(procs.describe(OWN_PID).orElseThrow().netnsInode());
        } finally {
            assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(procs.describe((int) child.pid())).isEmpty();
    }

    @Test
    void processesExitingWhileBeingReadNeverBreakTheScanner() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> scanFailure = new AtomicReference<>();
        Thread scanner = Thread.ofPlatform().start(() -> {
            try {
                while (!done.get()) {
                    procs.refresh();
                    procs.rescanAll();
                }
            } catch (Throwable t) {
                scanFailure.set(t);
            }
        });
        List<Process> children = new ArrayList<>();
        int described = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
                Process p = new ProcessBuilder("true").start();
                children.add(p);
                for (int k = 0; k < 3; k++) {
                    if (procs.describe((int) p.pid()).isPresent()) described++;
                }
            }
        } finally {
            done.set(true);
            scanner.join(10_000);
            for (Process p : children) p.waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(scanFailure.get()).isNull();
        assertThat(described).isPositive(); // most reads catch the child alive, some see it vanish
        assertThat(procs.describe(Integer.MAX_VALUE)).isEmpty();
        assertThat(procs.describe(0)).isEmpty();
        assertThat(procs.describe(-5)).isEmpty();
    }

    @Test
    void ownerIndexFollowsNewSocketsIncrementally() throws Exception {
        try (SockDiag diag = SockDiag.open()) {
            procs.rescanAll();
            try (ServerSocket first = new ServerSocket(0, 1, V4_LOOPBACK)) {
                SocketRecord firstRecord = listener(diag, first.getLocalPort());
                ProcScanner.ScanStats stats = procs.refresh();
                assertThat(procs.ownerOfInode(firstRecord.inode())).isEqualTo(OWN_PID);
                if (procs.incremental()) assertThat(stats.pidsRescanned()).isLessThan(stats.pids());

                // Swap one socket for another (descriptor count unchanged): a lookup miss rescans everything.
                first.close();
                try (ServerSocket second = new ServerSocket(0, 1, V4_LOOPBACK)) {
                    SocketRecord secondRecord = listener(diag, second.getLocalPort());
                    Thread.sleep(ProcScanner.FULL_RESCAN_INTERVAL_NANOS / 1_000_000 + 50);
                    assertThat(procs.ownerPid(secondRecord)).isEqualTo(OWN_PID);
                }
            }
        }
        assertThat(procs.ownerPid(record(0))).isEqualTo(-1);
    }

    private static SocketRecord listener(SockDiag diag, int port) throws Exception {
        List<SocketRecord> found = new ArrayList<>();
        diag.dump(Transport.TCP, 6, r -> {
            if (r.localPort() == port && r.state() == SocketState.LISTEN) found.add(r);
        });
        diag.dump(Transport.TCP, 4, r -> {
            if (r.localPort() == port && r.state() == SocketState.LISTEN) found.add(r);
        });
        assertThat(found).hasSize(1);
        assertThat(found.getFirst().inode()).isNotZero();
        return found.getFirst();
    }

    @Test
    void processInAnotherNetworkNamespaceReportsThatNamespace() throws Exception {
        String name = "bwd-test-" + OWN_PID;
        Path handle = Path.of("/var/run/netns", name);
        run("ip", "netns", "add", name);
        Process inside = null;
        try {
            inside = new ProcessBuilder("ip", "netns", "exec", name, "sleep", "5").start();
            long expected = (Long) Files.getAttribute(handle, "unix:ino");
            long seen = 0;
            for (int i = 0; i < 200 && seen != expected; i++) { // until ip has joined the namespace and exec'd
                Thread.sleep(5);
                seen = procs.describe((int) inside.pid()).map(ProcessInfo::netnsInode).orElse(0L);
            }
            assertThat(seen).isEqualTo(expected).isNotEqualTo(procs.describe(OWN_PID).orElseThrow().netnsInode());
        } finally {
            if (inside != null) {
                inside.destroyForcibly();
                inside.waitFor(5, TimeUnit.SECONDS);
            }
            run("ip", "netns", "del", name);
        }
        assertThat(handle).doesNotExist();
    }

    @Test
    void parsesStatWithHostileCommandNames() {
        byte[] stat = ("4242 (a) (b c) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10 "
                + "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0").getBytes(StandardCharsets.UTF_8);
        ProcScanner.Stat parsed = ProcScanner.Stat.parse(stat);
        assertThat(parsed.comm()).isEqualTo("a) (b c");
        assertThat(parsed.ppid()).isEqualTo(17);
        assertThat(parsed.startTicks()).isEqualTo(123456);
        assertThat(ProcScanner.Stat.parse("12 (x".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(ProcScanner.Stat.parse("12 (x) S 1 2".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(ProcScanner.Stat.parse(null)).isNull();
    }

    @Test
    void parsesArgumentsAndUid() {
        assertThat(ProcScanner.arguments("sleep\0000.2\000".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("sleep", "0.2");
        assertThat(ProcScanner.arguments("a\000\000b".getBytes(StandardCharsets.UTF_8))).containsExactly("a", "", "b");
        assertThat(ProcScanner.arguments("nginx: worker process".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("nginx: worker process");
        assertThat(ProcScanner.arguments(new byte[0])).isEmpty();
        assertThat(ProcScanner.realUid("Name:\tx\nUid:\t1000\t0\t0\t0\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(1000);
        assertThat(ProcScanner.realUid("Name:\tx\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(ProcScanner.realUid("Uid:\t99999999999\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    private static SocketRecord record(long inode) {
        return new SocketRecord(Transport.TCP, 6, 4, false, 0, 0x7f000001L, 1, 0, 0, 0, SocketState.LISTEN,
                inode, 0, 0, -1, 0, 0, 0, 0, 0, 0);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
