package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.SocketCloseListener;
import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.Transport;

import java.lang.foreign.MemorySegment;

/**
 * Receives the kernel's socket-destroy notifications (sock_diag multicast groups for TCP and UDP, IPv4 and IPv6)
 * on a daemon thread and hands each destroyed socket, with its final tcp_info counters, to a listener.
 *
 * <p>The kernel sends these after the socket left its file, so they carry inode 0; the inode is taken from the
 * {@link SockDiag} that saw the socket (same cookie) in a dump or a targeted lookup, when there was one.
 * The kernel lets any user subscribe (verified as uid 65534 on Linux 6.18); notifications cover every socket of the
 * JVM's network namespace.
 */
public final class SocketCloseMonitor extends NetlinkSubscription {
    private static final int SKNLGRP_INET_TCP_DESTROY = 1, SKNLGRP_INET_UDP_DESTROY = 2,
            SKNLGRP_INET6_TCP_DESTROY = 3, SKNLGRP_INET6_UDP_DESTROY = 4;
    private static final int IPPROTO_TCP = 6, IPPROTO_UDP = 17;

    private final SockDiag inodeSource;
    private final SocketCloseListener listener;
    private final long netnsInode = ProcFs.namespaceInode("self", "net");

    private SocketCloseMonitor(Netlink netlink, SockDiag inodeSource, SocketCloseListener listener)
            throws NetlinkException {
        super(netlink, "bwdoctor-socket-close");
        this.inodeSource = inodeSource;
        this.listener = listener;
    }

    /**
     * Subscribes and starts the receiving thread.
     *
     * @param inodeSource the table whose dumps and lookups supply inodes by cookie; may be null
     * @throws NetlinkException when the groups cannot be joined (e.g. sock_diag not built into the kernel)
     */
    public static SocketCloseMonitor start(SockDiag inodeSource, SocketCloseListener listener) throws NetlinkException {
        Netlink netlink = Netlink.open(Netlink.NETLINK_SOCK_DIAG, "NETLINK_SOCK_DIAG destroy notifications", 0);
        SocketCloseMonitor monitor;
        try {
            for (int group : new int[] {SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET_UDP_DESTROY,
                    SKNLGRP_INET6_TCP_DESTROY, SKNLGRP_INET6_UDP_DESTROY}) {
                netlink.joinGroup(group);
            }
            monitor = new SocketCloseMonitor(netlink, inodeSource, listener);
            if (inodeSource != null) inodeSource.rememberCookies();
        } catch (NetlinkException | RuntimeException e) {
            netlink.close();
            throw e;
        }
        monitor.startThread();
        return monitor;
    }

    @Override
    void deliver(MemorySegment buffer, int n) {
        for (long off = 0; off + Netlink.NLMSG_HDRLEN <= n; ) {
            int len = Netlink.messageLength(buffer, off);
            if (len < Netlink.NLMSG_HDRLEN || off + len > n) return;
            Transport transport = Netlink.messageType(buffer, off) == InetDiag.SOCK_DIAG_BY_FAMILY
                    ? transport(buffer, off, len) : null;
            SocketRecord closed = transport == null ? null
                    : InetDiag.decode(buffer, off, len, transport, netnsInode);
            if (closed != null) {
                if (closed.inode() == 0 && inodeSource != null) {
                    long inode = inodeSource.takeInode(closed.cookie());
                    if (inode != 0) closed = closed.withInode(inode);
                }
                listener.socketClosed(closed);
            }
            off += Netlink.align4(len);
        }
    }

    @Override
    void lost() {
        listener.notificationsLost();
    }

    /** TCP or UDP per the message's INET_DIAG_PROTOCOL attribute; null when absent or another protocol. */
    private static Transport transport(MemorySegment s, long msgOffset, int msgLength) {
        long end = msgOffset + msgLength;
        for (long a = msgOffset + Netlink.NLMSG_HDRLEN + InetDiag.MSG_SIZE; a + Netlink.RTA_HDRLEN <= end; ) {
            int len = Netlink.attrLength(s, a);
            if (len < Netlink.RTA_HDRLEN || a + len > end) break;
            if (Netlink.attrType(s, a) == InetDiag.INET_DIAG_PROTOCOL && len > Netlink.RTA_HDRLEN) {
                int protocol = Netlink.u8(s, a + Netlink.RTA_HDRLEN);
                return protocol == IPPROTO_TCP ? Transport.TCP : protocol == IPPROTO_UDP ? Transport.UDP : null;
            }
            a += Netlink.align4(len);
        }
        return null;
    }
}
