package io.bwdoctor.platform.linux.bench;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.Transport;
import io.bwdoctor.platform.linux.ProcScanner;
import io.bwdoctor.platform.linux.SockDiag;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Timings of the Linux socket table and /proc scanner with N loopback connections (2N sockets + a listener).
 * Not a test. Run (after `./mvnw -q test-compile`):
 * <pre>java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes \
 *     io.bwdoctor.platform.linux.bench.SocketTableBench [connections=500] [repetitions=200]</pre>
 */
public final class SocketTableBench {
    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<SocketChannel> open = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(lo, 0), connections);
             SockDiag diag = SockDiag.open(); ProcScanner procs = new ProcScanner()) {
            List<SocketRecord> first = diag.dump();
            System.out.printf("first dump in this JVM (FFM linkage, cold): %.1f ms, %d sockets%n",
                    (System.nanoTime() - t0) / 1e6, first.size());
            SocketChannel[] clients = new SocketChannel[connections];
            for (int i = 0; i < connections; i++) {
                clients[i] = SocketChannel.open(listener.getLocalAddress());
                open.add(clients[i]);
                open.add(listener.accept());
                clients[i].write(ByteBuffer.allocate(i * 100 + 1));
            }
            List<SocketRecord> all = diag.dump();
            System.out.printf("offered %s; sockets in the dump: %d (%d TCP)%n", diag.offered(), all.size(),
                    all.stream().filter(r -> r.transport() == Transport.TCP).count());

            report("dump TCP+UDP, IPv4+IPv6", reps, () -> time(() -> diag.dump().size()));
            report("dump TCP, AF_INET6 only", reps, () -> time(() -> {
                int[] n = {0};
                diag.dump(Transport.TCP, 6, r -> n[0]++);
                return n[0];
            }));
            InetSocketAddress c = (InetSocketAddress) clients[connections / 2].getLocalAddress();
            InetSocketAddress s = (InetSocketAddress) listener.getLocalAddress();
            report("targeted lookup (one TCP socket)", reps * 5, () -> time(() ->
                    diag.lookup(Transport.TCP, c.getAddress(), c.getPort(), s.getAddress(), s.getPort()).isPresent() ? 1 : 0));
            ProcScanner.ScanStats stats = procs.rescanAll();
            System.out.println("full /proc scan: " + stats);
            report("full /proc fd rescan", reps, () -> procs.rescanAll().nanos());
            report("incremental /proc refresh (" + (procs.incremental() ? "fd counts" : "no fd counts: full") + ")",
                    reps, () -> procs.refresh().nanos());
            int pid = (int) ProcessHandle.current().pid();
            report("describe(own pid)", reps * 5, () -> time(() -> procs.describe(pid).isPresent() ? 1 : 0));
        } finally {
            for (SocketChannel ch : open) ch.close();
        }
    }

    private interface Work {
        int run() throws Exception;
    }

    private static long time(Work work) {
        long start = System.nanoTime();
        try {
            work.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - start;
    }

    private static void report(String what, int reps, LongSupplier nanos) {
        for (int i = 0; i < Math.max(20, reps / 5); i++) nanos.getAsLong(); // warm-up
        long[] t = new long[reps];
        for (int i = 0; i < reps; i++) t[i] = nanos.getAsLong();
        Arrays.sort(t);
        System.out.printf("%-48s min %8.3f  median %8.3f  p90 %8.3f ms  (%d runs)%n", what,
                t[0] / 1e6, t[reps / 2] / 1e6, t[reps * 9 / 10] / 1e6, reps);
    }
}
