package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketTable;
import io.bwdoctor.core.attribution.Transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Linux socket table via NETLINK_SOCK_DIAG: full dumps of TCP, UDP (and raw/SCTP where the kernel offers them) for
 * IPv4 and IPv6 in all states, with tcp_info byte counters; and targeted one-socket queries by address/port pair.
 * Sees the sockets of the network namespace the JVM runs in. Not thread-safe; one instance per polling thread.
 */
public final class SockDiag implements SocketTable {
    /** Cookies of sockets seen by dumps/lookups, so that destroy notifications (which carry inode 0) get theirs. */
    private static final int REMEMBERED_COOKIES = 1 << 17;

    private final Netlink netlink;
    private final long netnsInode;
    private final Set<Transport> offered;
    private volatile boolean rememberCookies;
    private final Map<Long, Long> inodeByCookie = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > REMEMBERED_COOKIES;
        }
    };

    private SockDiag(Netlink netlink, long netnsInode) throws NetlinkException {
        this.netlink = netlink;
        this.netnsInode = netnsInode;
        EnumSet<Transport> found = EnumSet.of(Transport.TCP, Transport.UDP);
        for (Transport optional : List.of(Transport.RAW, Transport.SCTP)) {
            if (probe(optional)) found.add(optional);
        }
        this.offered = Collections.unmodifiableSet(found);
    }

    /**
     * Opens the sock_diag socket and finds out which transports the kernel can dump.
     *
     * @throws NetlinkException with a one-line message when sock_diag is unavailable or not permitted
     */
    public static SockDiag open() throws NetlinkException {
        Netlink netlink = Netlink.open(Netlink.NETLINK_SOCK_DIAG, "NETLINK_SOCK_DIAG", 0);
        try {
            return new SockDiag(netlink, ProcFs.namespaceInode("thread-self", "net")); // setns is per thread
        } catch (NetlinkException | RuntimeException e) {
            netlink.close();
            throw e;
        }
    }

    @Override
    public Set<Transport> offered() {
        return offered;
    }

    /** Inode of the network namespace whose sockets this table lists. */
    public long netnsInode() {
        return netnsInode;
    }

    @Override
    public List<SocketRecord> dump() throws NetlinkException {
        List<SocketRecord> all = new ArrayList<>(256);
        for (Transport transport : offered) {
            dump(transport, 4, all::add);
            dump(transport, 6, all::add);
        }
        return all;
    }

    /** Dumps the IPv4 (4) or IPv6 (6, including dual-stack) sockets of one transport into the sink. */
    public void dump(Transport transport, int socketFamily, Consumer<SocketRecord> sink) throws NetlinkException {
        if (socketFamily != 4 && socketFamily != 6) throw new IllegalArgumentException("family must be 4 or 6");
        int family = socketFamily == 4 ? InetDiag.AF_INET : InetDiag.AF_INET6;
        int length = Netlink.NLMSG_HDRLEN + InetDiag.REQ_SIZE;
        netlink.putHeader(length, InetDiag.SOCK_DIAG_BY_FAMILY, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
        InetDiag.putDumpRequest(netlink.request(), family, transport, InetDiag.ALL_STATES);
        netlink.transact(length, (buffer, offset, msgLength) -> {
            SocketRecord socket = InetDiag.decode(buffer, offset, msgLength, transport, netnsInode);
            if (socket != null) {
                remember(socket);
                sink.accept(socket);
            }
        });
    }

    /**
     * Asks the kernel for the one socket with this address/port pair. For TCP the kernel falls back to the listening
     * socket on the local port when no connection matches (e.g. for a SYN that is still being accepted).
     */
    @Override
    public Optional<SocketRecord> lookup(Transport transport, int ipVersion, long localHi, long localLo, int localPort,
                                         long remoteHi, long remoteLo, int remotePort) throws NetlinkException {
        if (transport != Transport.TCP && transport != Transport.UDP) {
            throw new IllegalArgumentException("targeted lookup supports TCP and UDP, not " + transport);
        }
        // An IPv4 query also finds dual-stack IPv6 sockets: the kernel hashes them under their IPv4 addresses.
        int family = ipVersion == 4 ? InetDiag.AF_INET : InetDiag.AF_INET6;
        int length = Netlink.NLMSG_HDRLEN + InetDiag.REQ_SIZE;
        netlink.putHeader(length, InetDiag.SOCK_DIAG_BY_FAMILY, Netlink.NLM_F_REQUEST);
        if (transport == Transport.TCP) {
            InetDiag.putOneRequest(netlink.request(), family, transport,
                    localHi, localLo, localPort, remoteHi, remoteLo, remotePort);
        } else { // udp_dump_one reads the remote end from the "src" fields (swapped for historical reasons)
            InetDiag.putOneRequest(netlink.request(), family, transport,
                    remoteHi, remoteLo, remotePort, localHi, localLo, localPort);
        }
        SocketRecord[] found = new SocketRecord[1];
        try {
            netlink.transact(length, (buffer, offset, msgLength) -> {
                if (Netlink.messageType(buffer, offset) == InetDiag.SOCK_DIAG_BY_FAMILY) {
                    found[0] = InetDiag.decode(buffer, offset, msgLength, transport, netnsInode);
                }
            });
        } catch (NetlinkException e) {
            if (e.errno() == Libc.ENOENT) return Optional.empty();
            throw e;
        }
        if (found[0] != null) remember(found[0]);
        return Optional.ofNullable(found[0]);
    }

    /** From now on, keep the inode of each socket seen by cookie (for a {@link SocketCloseMonitor}). */
    void rememberCookies() {
        rememberCookies = true;
    }

    /** The inode last seen for this socket cookie (0 if none), forgetting it: for one destroy notification. */
    long takeInode(long cookie) {
        synchronized (inodeByCookie) {
            Long inode = inodeByCookie.remove(cookie);
            return inode == null ? 0 : inode;
        }
    }

    private void remember(SocketRecord socket) {
        if (!rememberCookies || socket.inode() == 0 || socket.cookie() == 0) return;
        synchronized (inodeByCookie) {
            inodeByCookie.putIfAbsent(socket.cookie(), socket.inode());
        }
    }

    /** True when the kernel can dump this transport; ENOENT/EINVAL/EOPNOTSUPP mean it cannot. */
    private boolean probe(Transport transport) throws NetlinkException {
        int length = Netlink.NLMSG_HDRLEN + InetDiag.REQ_SIZE;
        netlink.putHeader(length, InetDiag.SOCK_DIAG_BY_FAMILY, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
        InetDiag.putDumpRequest(netlink.request(), InetDiag.AF_INET, transport, 0);
        try {
            netlink.transact(length, (buffer, offset, msgLength) -> { });
            return true;
        } catch (NetlinkException e) {
            if (e.notSupported()) return false;
            throw e;
        }
    }

    @Override
    public void close() {
        netlink.close();
    }
}
