package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.SocketCloseListener;
import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.Transport;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import static io.bwdoctor.platform.linux.SockDiagTest.V4_LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

/** Destroy notifications for sockets of this JVM on loopback. */
class SocketCloseMonitorTest {

    /** Collects notifications; the monitor sees every socket of the namespace, so tests filter by port. */
    static final class Collector implements SocketCloseListener {
        final ConcurrentLinkedQueue<SocketRecord> closed = new ConcurrentLinkedQueue<>();

        @Override
        public void socketClosed(SocketRecord finalState) {
            closed.add(finalState);
        }

        SocketRecord await(Predicate<SocketRecord> which) throws InterruptedException {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (SocketRecord r : closed) if (which.test(r)) return r;
                Thread.sleep(10);
            }
            throw new AssertionError("no destroy notification within 5 s; got " + closed.size() + " others");
        }
    }

    @Test
    void connectionOpenedAndClosedBetweenTwoDumpsIsReportedWithFinalCountsAndInode() throws Exception {
        Collector collector = new Collector();
        try (SockDiag diag = SockDiag.open(); SocketCloseMonitor monitor = SocketCloseMonitor.start(diag, collector)) {
            List<SocketRecord> before = diag.dump();
            Loopback.Pair p;
            SocketRecord clientAtStart, serverAtStart;
            try (Loopback lo = new Loopback(null, V4_LOOPBACK, 30)) {
                p = lo.pairs.getLast(); // 2901 bytes client -> server
                // what the capture does when it sees a new flow's first packet
                clientAtStart = diag.lookup(Transport.TCP, V4_LOOPBACK, p.clientPort(), V4_LOOPBACK, p.serverPort())
                        .orElseThrow();
                serverAtStart = diag.lookup(Transport.TCP, V4_LOOPBACK, p.serverPort(), V4_LOOPBACK, p.clientPort())
                        .orElseThrow();
                p.client().close(); // the client closes first; the server reads EOF, then closes too
                ByteBuffer rest = ByteBuffer.allocate(16);
                assertThat(p.server().read(rest)).isEqualTo(-1);
                p.server().close();

                SocketRecord client = collector.await(p::isClient);
                SocketRecord server = collector.await(p::isServer);
                assertThat(client.state()).isEqualTo(SocketState.CLOSED);
                assertThat(client.bytesSent()).isEqualTo(p.bytes());
                assertThat(client.bytesAcked()).isEqualTo(p.bytes() + 2); // SYN and FIN count one each
                assertThat(client.bytesReceived()).isEqualTo(1);           // the server's FIN
                assertThat(server.bytesReceived()).isEqualTo(p.bytes() + 1);
                assertThat(server.bytesSent()).isZero();
                assertThat(client.inode()).isEqualTo(clientAtStart.inode()).isNotZero();
                assertThat(server.inode()).isEqualTo(serverAtStart.inode()).isNotZero();
                assertThat(client.cookie()).isEqualTo(clientAtStart.cookie());
                assertThat(client.localAddress()).isEqualTo(V4_LOOPBACK);
                assertThat(client.uid()).isZero();
                assertThat(monitor.failure()).isNull();
            }
            List<SocketRecord> after = diag.dump();
            assertThat(before).noneMatch(r -> p.isClient(r) || p.isServer(r));
            // only the client's TIME_WAIT remnant (same cookie, no inode, no counters) is left
            assertThat(after).filteredOn(r -> r.cookie() == clientAtStart.cookie() || r.cookie() == serverAtStart.cookie())
                    .allSatisfy(r -> {
                        assertThat(r.state()).isEqualTo(SocketState.TIME_WAIT);
                        assertThat(r.inode()).isZero();
                    });
        }
    }

    @Test
    void udpSocketCloseIsReported() throws Exception {
        Collector collector = new Collector();
        try (SockDiag diag = SockDiag.open(); SocketCloseMonitor monitor = SocketCloseMonitor.start(diag, collector)) {
            int port;
            long inode;
            try (DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress(V4_LOOPBACK, 0))) {
                port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
                inode = diag.dump().stream().filter(r -> r.transport() == Transport.UDP && r.localPort() == port)
                        .findFirst().orElseThrow().inode();
            }
            SocketRecord closed = collector.await(r -> r.transport() == Transport.UDP && r.localPort() == port);
            assertThat(closed.inode()).isEqualTo(inode);
            assertThat(closed.ipProtocol()).isEqualTo(17);
            assertThat(monitor.failure()).isNull();
        }
    }
}
