package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.Transport;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Layout of the sock_diag inet messages ({@code linux/inet_diag.h}) and their decoding into {@link SocketRecord}s.
 * Offsets were checked with offsetof on x86_64 (see shared/stack.md section 2); the structs have no padding and
 * are the same on every Linux architecture.
 */
final class InetDiag {
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int AF_INET = 2, AF_INET6 = 10;

    /** struct inet_diag_req_v2: family, protocol, ext, raw protocol, states, then inet_diag_sockid at 8. */
    static final int REQ_SIZE = 56;
    static final int REQ_FAMILY = 0, REQ_PROTOCOL = 1, REQ_EXT = 2, REQ_RAW_PROTOCOL = 3, REQ_STATES = 4, REQ_ID = 8;
    /** struct inet_diag_sockid, relative to its start. */
    static final int ID_SPORT = 0, ID_DPORT = 2, ID_SRC = 4, ID_DST = 20, ID_IF = 36, ID_COOKIE = 40;
    /** struct inet_diag_msg. */
    static final int MSG_SIZE = 72;
    static final int MSG_FAMILY = 0, MSG_STATE = 1, MSG_ID = 4, MSG_UID = 64, MSG_INODE = 68;

    static final int INET_DIAG_INFO = 2, INET_DIAG_PROTOCOL = 10;
    /** Request bit for INET_DIAG_INFO (tcp_info for TCP). */
    static final int EXT_INFO = 1 << (INET_DIAG_INFO - 1);
    static final int ALL_STATES = 0xffffffff;

    /** struct tcp_info offsets (bytes_sent/bytes_retrans need Linux 4.19+; shorter structs leave them unknown). */
    static final int TCPI_RTT = 68, TCPI_BYTES_ACKED = 120, TCPI_BYTES_RECEIVED = 128,
            TCPI_BYTES_SENT = 200, TCPI_BYTES_RETRANS = 208;

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int TCP_STATES = 14;
    private static final SocketState[] TCP_STATE = new SocketState[TCP_STATES];

    static {
        java.util.Arrays.fill(TCP_STATE, SocketState.UNKNOWN);
        TCP_STATE[1] = SocketState.ESTABLISHED;
        TCP_STATE[2] = SocketState.SYN_SENT;
        TCP_STATE[3] = SocketState.SYN_RECEIVED;
        TCP_STATE[4] = SocketState.FIN_WAIT_1;
        TCP_STATE[5] = SocketState.FIN_WAIT_2;
        TCP_STATE[6] = SocketState.TIME_WAIT;
        TCP_STATE[7] = SocketState.CLOSED;
        TCP_STATE[8] = SocketState.CLOSE_WAIT;
        TCP_STATE[9] = SocketState.LAST_ACK;
        TCP_STATE[10] = SocketState.LISTEN;
        TCP_STATE[11] = SocketState.CLOSING;
        TCP_STATE[12] = SocketState.SYN_RECEIVED; // TCP_NEW_SYN_RECV: a request socket
        TCP_STATE[13] = SocketState.CLOSED;       // TCP_BOUND_INACTIVE: bound, neither listening nor connecting
    }

    private InetDiag() {}

    /** Writes an inet_diag_req_v2 for a dump of all sockets in the given states after the nlmsghdr. */
    static void putDumpRequest(MemorySegment request, int family, Transport transport, int states) {
        MemorySegment req = request.asSlice(Netlink.NLMSG_HDRLEN, REQ_SIZE).fill((byte) 0);
        req.set(ValueLayout.JAVA_BYTE, REQ_FAMILY, (byte) family);
        req.set(ValueLayout.JAVA_BYTE, REQ_PROTOCOL, (byte) transport.ipProtocol());
        req.set(ValueLayout.JAVA_BYTE, REQ_EXT, (byte) (transport == Transport.TCP ? EXT_INFO : 0));
        // The raw handler reads the protocol to match from the pad byte; IPPROTO_RAW there means "all".
        req.set(ValueLayout.JAVA_BYTE, REQ_RAW_PROTOCOL, (byte) (transport == Transport.RAW ? 255 : 0));
        req.set(ValueLayout.JAVA_INT_UNALIGNED, REQ_STATES, states);
    }

    /**
     * Writes an inet_diag_req_v2 asking for one socket by its ports and addresses ({@link
     * io.bwdoctor.core.attribution.IpWords} form, in the family's width) after the nlmsghdr.
     */
    static void putOneRequest(MemorySegment request, int family, Transport transport,
                              long srcHi, long srcLo, int sport, long dstHi, long dstLo, int dport) {
        putDumpRequest(request, family, transport, ALL_STATES);
        long id = Netlink.NLMSG_HDRLEN + REQ_ID;
        request.set(BE16, id + ID_SPORT, (short) sport);
        request.set(BE16, id + ID_DPORT, (short) dport);
        putAddress(request, id + ID_SRC, family, srcHi, srcLo);
        putAddress(request, id + ID_DST, family, dstHi, dstLo);
        request.set(ValueLayout.JAVA_LONG_UNALIGNED, id + ID_COOKIE, -1L); // INET_DIAG_NOCOOKIE: any cookie
    }

    private static void putAddress(MemorySegment s, long off, int family, long hi, long lo) {
        if (family == AF_INET) {
            s.set(BE32, off, (int) lo);
        } else {
            s.set(BE64, off, hi);
            s.set(BE64, off + 8, lo);
        }
    }

    /**
     * Decodes one SOCK_DIAG_BY_FAMILY message.
     *
     * @return the record, or null when the message is too short to be an inet_diag_msg (it is skipped)
     */
    static SocketRecord decode(MemorySegment s, long msgOffset, int msgLength, Transport transport, long netnsInode) {
        long m = msgOffset + Netlink.NLMSG_HDRLEN;
        long end = msgOffset + msgLength;
        if (m + MSG_SIZE > end) return null;
        int family = Netlink.u8(s, m + MSG_FAMILY);
        if (family != AF_INET && family != AF_INET6) return null;
        int kernelState = Netlink.u8(s, m + MSG_STATE);
        int localPort = s.get(BE16, m + MSG_ID + ID_SPORT) & 0xffff;
        int remotePort = s.get(BE16, m + MSG_ID + ID_DPORT) & 0xffff;
        long src = m + MSG_ID + ID_SRC, dst = m + MSG_ID + ID_DST;
        long localHi = 0, localLo, remoteHi = 0, remoteLo;
        int version = 4;
        boolean dualStack = false;
        if (family == AF_INET) {
            localLo = s.get(BE32, src) & 0xffffffffL;
            remoteLo = s.get(BE32, dst) & 0xffffffffL;
        } else {
            localHi = s.get(BE64, src);
            localLo = s.get(BE64, src + 8);
            remoteHi = s.get(BE64, dst);
            remoteLo = s.get(BE64, dst + 8);
            boolean localV4 = isMapped(localHi, localLo), remoteV4 = isMapped(remoteHi, remoteLo);
            // IPv4 on a dual-stack socket: mapped addresses, or one mapped and the other still "::" (unset)
            dualStack = (localV4 || remoteV4) && (localV4 || isZero(localHi, localLo))
                    && (remoteV4 || isZero(remoteHi, remoteLo));
            if (dualStack) {
                localHi = 0;
                localLo &= 0xffffffffL;
                remoteHi = 0;
                remoteLo &= 0xffffffffL;
            } else {
                version = 6;
            }
        }
        long cookie = (Netlink.hostInt(s, m + MSG_ID + ID_COOKIE) & 0xffffffffL)
                | ((long) Netlink.hostInt(s, m + MSG_ID + ID_COOKIE + 4) << 32);
        // TIME_WAIT and request mini-sockets carry no owner: the kernel reports uid 0 for them
        boolean miniSocket = transport == Transport.TCP && (kernelState == 6 || kernelState == 12);
        int uid = miniSocket ? -1 : Netlink.hostInt(s, m + MSG_UID);
        long inode = Netlink.hostInt(s, m + MSG_INODE) & 0xffffffffL;

        int ipProtocol = transport == Transport.RAW ? 255 : transport.ipProtocol();
        long sent = SocketRecord.UNKNOWN, received = SocketRecord.UNKNOWN, acked = SocketRecord.UNKNOWN,
                retrans = SocketRecord.UNKNOWN, rtt = SocketRecord.UNKNOWN;
        for (long a = m + MSG_SIZE; a + Netlink.RTA_HDRLEN <= end; ) {
            int len = Netlink.attrLength(s, a);
            if (len < Netlink.RTA_HDRLEN || a + len > end) break;
            long payload = a + Netlink.RTA_HDRLEN;
            int payloadLength = len - Netlink.RTA_HDRLEN;
            switch (Netlink.attrType(s, a)) {
                case INET_DIAG_PROTOCOL -> {
                    if (payloadLength >= 1) ipProtocol = Netlink.u8(s, payload);
                }
                case INET_DIAG_INFO -> {
                    if (transport == Transport.TCP) { // other protocols put different structs here
                        rtt = u32(s, payload, payloadLength, TCPI_RTT);
                        acked = u64(s, payload, payloadLength, TCPI_BYTES_ACKED);
                        received = u64(s, payload, payloadLength, TCPI_BYTES_RECEIVED);
                        sent = u64(s, payload, payloadLength, TCPI_BYTES_SENT);
                        retrans = u64(s, payload, payloadLength, TCPI_BYTES_RETRANS);
                    }
                }
                default -> { }
            }
            a += Netlink.align4(len);
        }
        return new SocketRecord(transport, ipProtocol, version, dualStack, localHi, localLo, localPort,
                remoteHi, remoteLo, remotePort, state(transport, kernelState), inode, cookie, uid, -1, netnsInode,
                sent, received, acked, retrans, rtt);
    }

    static SocketState state(Transport transport, int kernelState) {
        if (transport == Transport.UDP || transport == Transport.RAW) {
            return kernelState == 1 ? SocketState.ESTABLISHED
                    : kernelState == 7 ? SocketState.UNCONNECTED : SocketState.UNKNOWN;
        }
        return kernelState < TCP_STATES ? TCP_STATE[kernelState] : SocketState.UNKNOWN;
    }

    /** ::ffff:a.b.c.d */
    private static boolean isMapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xffffL;
    }

    private static boolean isZero(long hi, long lo) {
        return hi == 0 && lo == 0;
    }

    private static long u64(MemorySegment s, long payload, int payloadLength, int field) {
        return payloadLength >= field + 8 ? Netlink.hostLong(s, payload + field) : SocketRecord.UNKNOWN;
    }

    private static long u32(MemorySegment s, long payload, int payloadLength, int field) {
        return payloadLength >= field + 4 ? Netlink.hostInt(s, payload + field) & 0xffffffffL : SocketRecord.UNKNOWN;
    }
}
