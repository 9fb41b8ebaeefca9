package io.bwdoctor.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.attribution.IpWords;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Processes that connect over loopback, send a little and exit within milliseconds must still be named by the tracer
 * after they are gone. Runs where Linux offers eBPF with BTF and the test runs as root (as in CI); a failure to load
 * there is a test failure, not a skip.
 */
class SocketOwnerTracerTest {
    static SocketOwnerTracer tracer;

    @BeforeAll
    static void start() throws TracingUnavailableException {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs Linux");
        Assumptions.assumeTrue(Files.exists(KernelBtf.VMLINUX), "kernel without BTF (/sys/kernel/btf/vmlinux)");
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/sys/kernel/unprivileged_bpf_disabled")),
                "kernel without the bpf() system call");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "eBPF needs root");
        Assumptions.assumeTrue(python() != null, "needs python3 for the short-lived child processes");
        tracer = SocketOwnerTracer.start();
    }

    @AfterAll
    static void stop() {
        if (tracer != null) tracer.close();
    }

    @Test
    void namesAChildThatConnectedAndExitedOverIpv4AndIpv6() throws Exception {
        for (String host : List.of("127.0.0.1", "::1")) {
            InetAddress address = InetAddress.getByName(host);
            try (Listener server = new Listener(address)) {
                Process child = new ProcessBuilder(python(), "-c", """
                        import socket, sys
                        s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
                        s.sendall(b'x' * 2000)
                        print(s.getsockname()[1])
                        """, host, Integer.toString(server.port())).redirectErrorStream(true).start();
                String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).as(out).isZero();
                int childPort = Integer.parseInt(out);
                assertThat(ProcessHandle.of(child.pid())).as("child has exited").isEmpty();

                Optional<SocketOwnerTracer.Owner> owner = tracer.lookup(IpWords.version(address),
                        IpWords.hi(address), IpWords.lo(address), childPort,
                        IpWords.hi(address), IpWords.lo(address), server.port());
                assertThat(owner).as("owner of %s:%d -> %d", host, childPort, server.port())
                        .contains(new SocketOwnerTracer.Owner((int) child.pid(), "python3"));
                assertThat(tracer.ownerOf(IpWords.version(address), IpWords.hi(address), IpWords.lo(address),
                        server.port(), IpWords.hi(address), IpWords.lo(address), childPort))
                        .as("the accepting side was not connected by the child").isEmpty();
            }
        }
    }

    @Test
    void namesAHundredChildrenThatLivedMilliseconds() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (Listener server = new Listener(lo)) {
            // a parent forks 100 children; each connects, sends 20 kB, reports "pid port" and exits at once
            Process parent = new ProcessBuilder(python(), "-c", """
                    import os, socket, sys
                    for i in range(100):
                        r, w = os.pipe()
                        pid = os.fork()
                        if pid == 0:
                            s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
                            s.sendall(b'y' * 20000)
                            os.write(w, ('%d %d\\n' % (os.getpid(), s.getsockname()[1])).encode())
                            os._exit(0)
                        os.close(w)
                        line = os.read(r, 100)
                        os.close(r)
                        os.waitpid(pid, 0)
                        sys.stdout.write(line.decode())
                    """, Integer.toString(server.port())).redirectErrorStream(true).start();
            String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(parent.exitValue()).as(out).isZero();
            List<String> lines = out.lines().toList();
            assertThat(lines).hasSize(100);
            List<String> missing = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                int pid = Integer.parseInt(f[0]), port = Integer.parseInt(f[1]);
                Optional<SocketOwnerTracer.Owner> owner =
                        tracer.lookup(4, 0, IpWords.lo(lo), port, 0, IpWords.lo(lo), server.port());
                if (owner.isEmpty() || owner.get().pid() != pid) {
                    missing.add(line + " -> " + owner);
                }
            }
            assertThat(missing).as("children not named").isEmpty();
            assertThat(tracer.size()).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void kernelTypesGiveTheSocketAddressOffsetsThatNeverMoved() throws IOException {
        java.util.Map<String, Integer> common = KernelBtf.read(KernelBtf.VMLINUX).memberOffsets("sock_common");
        // the first fields of struct sock_common have kept these offsets since Linux 3.x (lookups rely on them)
        assertThat(common).containsEntry("skc_daddr", 0).containsEntry("skc_rcv_saddr", 4)
                .containsEntry("skc_dport", 12).containsEntry("skc_num", 14).containsEntry("skc_family", 16)
                .containsKeys("skc_v6_daddr", "skc_v6_rcv_saddr");
    }

    @Test
    void closingReleasesEveryDescriptor() throws IOException {
        long before = bpfDescriptors(); // only BPF objects: other tests' threads may open files meanwhile
        for (int i = 0; i < 3; i++) {
            SocketOwnerTracer.start().close();
        }
        assertThat(bpfDescriptors()).isEqualTo(before);
    }

    /** Descriptors of this process that refer to BPF maps, programs or links. */
    private static long bpfDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().contains("bpf");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    @Test
    void aRejectedProgramIsReportedInOneLineWithTheVerifiersReason() throws IOException {
        Bpf bpf = new Bpf();
        try {
            long[] noResult = new SocketOwnerTracer.Asm().exit().assemble(); // r0 never set
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> bpf.loadProgram(Bpf.PROG_TYPE_RAW_TRACEPOINT, noResult, "bwd_bad"))
                    .isInstanceOf(TracingUnavailableException.class)
                    .hasMessageStartingWith("eBPF socket tracing unavailable: bpf(BPF_PROG_LOAD) [verifier: ")
                    .hasMessageContaining("R0")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        } finally {
            bpf.close();
        }
    }

    private static String python() {
        for (String p : List.of("/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3")) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return null;
    }

    /** A loopback listener that accepts and drains every connection on its own thread (bounded by close()). */
    private static final class Listener implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;

        Listener(InetAddress address) throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(address, 0), 256);
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept(); InputStream in = s.getInputStream()) {
                        s.setSoTimeout(2000);
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        // closed or peer vanished: next one
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            thread.interrupt();
        }
    }
}
