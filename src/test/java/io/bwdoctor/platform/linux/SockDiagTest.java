package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dumps and targeted queries against real loopback sockets opened by this JVM (the uid and owner-pid checks expect root, as in CI). */
class SockDiagTest {
    static final InetAddress V4_LOOPBACK = address("127.0.0.1");
    static final InetAddress V6_LOOPBACK = address("::1");
    static final int OWN_PID = (int) ProcessHandle.current().pid();

    static SockDiag diag;
    static ProcScanner procs;

    @BeforeAll
    static void open() throws NetlinkException {
        diag = SockDiag.open();
        procs = new ProcScanner();
    }

    @AfterAll
    static void close() {
        if (diag != null) diag.close();
        if (procs != null) procs.close();
    }

    @Test
    void dumpFindsDualStackTcpConnectionsWithExactByteCountsInodesAndOwner() throws Exception {
        try (Loopback lo = new Loopback(null, V4_LOOPBACK, 100)) {
            List<SocketRecord> all = dumpUntil(records -> settled(lo, records));
            Set<Long> ownInodes = Loopback.ownSocketInodes();
            procs.rescanAll();
            for (Loopback.Pair p : lo.pairs) {
                SocketRecord client = only(all, p::isClient);
                SocketRecord server = only(all, p::isServer);
                assertThat(client.state()).isEqualTo(SocketState.ESTABLISHED);
                assertThat(client.localAddress()).isInstanceOf(Inet4Address.class).isEqualTo(V4_LOOPBACK);
                assertThat(client.ipVersion()).isEqualTo(4);
                assertThat(client.dualStack()).isTrue(); // Java's default sockets are IPv6 (IPv4-mapped here)
                assertThat(client.remoteAddress()).isEqualTo(V4_LOOPBACK);
                assertThat(client.bytesSent()).isEqualTo(p.bytes());
                assertThat(client.bytesAcked()).isEqualTo(p.bytes() + 1); // Linux counts the SYN
                assertThat(client.bytesReceived()).isZero();
                assertThat(server.bytesReceived()).isEqualTo(p.bytes());
                assertThat(server.bytesSent()).isZero();
                assertThat(client.rttMicros()).isPositive();
                for (SocketRecord r : List.of(client, server)) {
                    assertThat(r.inode()).isIn(ownInodes);
                    assertThat(procs.ownerPid(r)).isEqualTo(OWN_PID);
                    assertThat(r.uid()).isEqualTo(0);
                    assertThat(r.ipProtocol()).isEqualTo(6);
                    assertThat(r.netnsInode()).isEqualTo(ProcFs.namespaceInode("self", "net"));
                }
                assertThat(client.inode()).isNotEqualTo(server.inode());
                assertThat(client.cookie()).isNotEqualTo(server.cookie());
            }
            int listenPort = lo.port();
            SocketRecord listener = only(all, r -> r.localPort() == listenPort && r.state() == SocketState.LISTEN);
            assertThat(listener.remoteAddress()).isEqualTo(address("0.0.0.0"));
            assertThat(procs.ownerPid(listener)).isEqualTo(OWN_PID);
        }
    }

    @Test
    void plainIpv4AndIpv6SocketsAreFoundWithTheirFamily() throws Exception {
        try (Loopback v4 = new Loopback(StandardProtocolFamily.INET, V4_LOOPBACK, 3);
             Loopback v6 = new Loopback(StandardProtocolFamily.INET6, V6_LOOPBACK, 3)) {
            List<SocketRecord> all = dumpUntil(records -> settled(v4, records) && settled(v6, records));
            for (Loopback.Pair p : v4.pairs) {
                SocketRecord client = only(all, p::isClient);
                assertThat(client.ipVersion()).isEqualTo(4);
                assertThat(client.dualStack()).isFalse();
                assertThat(client.localAddress()).isEqualTo(V4_LOOPBACK);
                assertThat(client.bytesSent()).isEqualTo(p.bytes());
            }
            for (Loopback.Pair p : v6.pairs) {
                SocketRecord client = only(all, p::isClient);
                SocketRecord server = only(all, p::isServer);
                assertThat(client.ipVersion()).isEqualTo(6);
                assertThat(client.localAddress()).isInstanceOf(Inet6Address.class).isEqualTo(V6_LOOPBACK);
                assertThat(client.remoteAddress()).isEqualTo(V6_LOOPBACK);
                assertThat(client.bytesSent()).isEqualTo(p.bytes());
                assertThat(server.bytesReceived()).isEqualTo(p.bytes());
                assertThat(procs.ownerPid(server)).isEqualTo(OWN_PID);
            }
        }
    }

    @Test
    void udpSocketsAppearBoundAndConnected() throws Exception {
        try (DatagramChannel bound = DatagramChannel.open().bind(new InetSocketAddress(V4_LOOPBACK, 0));
             DatagramChannel connected = DatagramChannel.open(StandardProtocolFamily.INET6)
                     .bind(new InetSocketAddress(V6_LOOPBACK, 0))) {
            int boundPort = ((InetSocketAddress) bound.getLocalAddress()).getPort();
            connected.connect(new InetSocketAddress(V6_LOOPBACK, 9)); // UDP connect sends nothing
            int connectedPort = ((InetSocketAddress) connected.getLocalAddress()).getPort();

            List<SocketRecord> all = diag.dump();
            SocketRecord b = only(all, r -> r.transport() == Transport.UDP && r.localPort() == boundPort);
            assertThat(b.state()).isEqualTo(SocketState.UNCONNECTED);
            assertThat(b.localAddress()).isEqualTo(V4_LOOPBACK);
            assertThat(b.remotePort()).isZero();
            assertThat(b.ipProtocol()).isEqualTo(17);
            assertThat(b.bytesSent()).isEqualTo(SocketRecord.UNKNOWN);
            SocketRecord c = only(all, r -> r.transport() == Transport.UDP && r.localPort() == connectedPort);
            assertThat(c.state()).isEqualTo(SocketState.ESTABLISHED);
            assertThat(c.remoteAddress()).isEqualTo(V6_LOOPBACK);
            assertThat(c.remotePort()).isEqualTo(9);
            assertThat(c.ipVersion()).isEqualTo(6);
            procs.refresh();
            assertThat(procs.ownerPid(b)).isEqualTo(OWN_PID);
            assertThat(procs.ownerPid(c)).isEqualTo(OWN_PID);

            Optional<SocketRecord> found = diag.lookup(Transport.UDP, V6_LOOPBACK, connectedPort, V6_LOOPBACK, 9);
            assertThat(found).get().extracting(SocketRecord::cookie).isEqualTo(c.cookie());
            assertThat(found.get().inode()).isEqualTo(c.inode());
        }
    }

    @Test
    void targetedLookupReturnsExactlyTheAskedSocket() throws Exception {
        try (Loopback v4 = new Loopback(null, V4_LOOPBACK, 5);
             Loopback v6 = new Loopback(StandardProtocolFamily.INET6, V6_LOOPBACK, 2)) {
            List<SocketRecord> all = dumpUntil(records -> settled(v4, records) && settled(v6, records));
            for (Loopback pairs : List.of(v4, v6)) {
                InetAddress ip = pairs == v4 ? V4_LOOPBACK : V6_LOOPBACK;
                for (Loopback.Pair p : pairs.pairs) {
                    SocketRecord server = only(all, p::isServer);
                    SocketRecord found = diag.lookup(Transport.TCP, ip, p.serverPort(), ip, p.clientPort()).orElseThrow();
                    assertThat(found.cookie()).isEqualTo(server.cookie());
                    assertThat(found.inode()).isEqualTo(server.inode());
                    assertThat(found.localPort()).isEqualTo(p.serverPort());
                    assertThat(found.remotePort()).isEqualTo(p.clientPort());
                    assertThat(found.bytesReceived()).isEqualTo(p.bytes());
                }
            }
            // the same pair seen from the other end is the client socket
            Loopback.Pair first = v4.pairs.getFirst();
            SocketRecord client = diag.lookup(Transport.TCP, V4_LOOPBACK, first.clientPort(),
                    V4_LOOPBACK, first.serverPort()).orElseThrow();
            assertThat(client.cookie()).isEqualTo(only(all, first::isClient).cookie());
        }
        int unused;
        try (ServerSocket probe = new ServerSocket(0, 1, V4_LOOPBACK)) {
            unused = probe.getLocalPort();
        }
        assertThat(diag.lookup(Transport.TCP, V4_LOOPBACK, unused, V4_LOOPBACK, 40000)).isEmpty();
    }

    @Test
    void transportsNotOfferedFailWithAOneLineNotSupportedError() throws Exception {
        assertThat(diag.offered()).contains(Transport.TCP, Transport.UDP);
        for (Transport t : Transport.values()) {
            if (diag.offered().contains(t)) {
                diag.dump(t, 6, r -> { });
            } else {
                assertThatThrownBy(() -> diag.dump(t, 4, r -> { }))
                        .isInstanceOfSatisfying(NetlinkException.class, e -> {
                            assertThat(e.notSupported()).isTrue();
                            assertThat(e.getMessage()).doesNotContain("\n").contains("not offered");
                        });
            }
        }
    }

    @Test
    void unknownNetlinkProtocolIsAOneLineError() {
        assertThatThrownBy(() -> Netlink.open(30, "NETLINK_TEST30", 0))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.notSupported()).isTrue();
                    assertThat(e.getMessage()).isEqualTo(
                            "cannot open netlink socket NETLINK_TEST30: EPROTONOSUPPORT (this kernel was built without it)");
                });
    }

    /** Every client has been fully acknowledged and every server has received everything. */
    static boolean settled(Loopback lo, List<SocketRecord> records) {
        for (Loopback.Pair p : lo.pairs) {
            if (records.stream().noneMatch(r -> p.isClient(r) && r.bytesAcked() == p.bytes() + 1)) return false;
            if (records.stream().noneMatch(r -> p.isServer(r) && r.bytesReceived() == p.bytes())) return false;
        }
        return true;
    }

    /** Dumps until the condition holds (ACKs are asynchronous), at most 3 s; returns the last dump. */
    static List<SocketRecord> dumpUntil(Predicate<List<SocketRecord>> condition) throws Exception {
        long deadline = System.nanoTime() + 3_000_000_000L;
        List<SocketRecord> all = diag.dump();
        while (!condition.test(all) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            all = diag.dump();
        }
        return all;
    }

    static SocketRecord only(List<SocketRecord> records, Predicate<SocketRecord> which) {
        List<SocketRecord> matching = records.stream().filter(which).toList();
        assertThat(matching).hasSize(1);
        return matching.getFirst();
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
