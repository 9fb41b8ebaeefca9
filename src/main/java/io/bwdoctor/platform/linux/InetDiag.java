package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.Transport;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

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

    private static final ValueLayout.OfShort BE16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final InetAddress IPV4_ANY = address(new byte[4]);
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

    /**
     * Writes an inet_diag_req_v2 after the nlmsghdr in {@code request}. Address arrays are 4 or 16 bytes in network
     * order; null means "all sockets" (dump) fields left zero.
     */
    static void putRequest(MemorySegment request, int family, Transport transport, int states,
                           byte[] src, int sport, byte[] dst, int dport) {
        MemorySegment req = request.asSlice(Netlink.NLMSG_HDRLEN, REQ_SIZE).fill((byte) 0);
        req.set(ValueLayout.JAVA_BYTE, REQ_FAMILY, (byte) family);
        req.set(ValueLayout.JAVA_BYTE, REQ_PROTOCOL, (byte) transport.ipProtocol());
        req.set(ValueLayout.JAVA_BYTE, REQ_EXT, (byte) (transport == Transport.TCP ? EXT_INFO : 0));
        // The raw handler reads the protocol to match from the pad byte; IPPROTO_RAW there means "all".
        req.set(ValueLayout.JAVA_BYTE, REQ_RAW_PROTOCOL, (byte) (transport == Transport.RAW ? 255 : 0));
        req.set(ValueLayout.JAVA_INT_UNALIGNED, REQ_STATES, states);
        req.set(BE16, REQ_ID + ID_SPORT, (short) sport);
        req.set(BE16, REQ_ID + ID_DPORT, (short) dport);
        if (src != null) MemorySegment.copy(src, 0, req, ValueLayout.JAVA_BYTE, REQ_ID + ID_SRC, src.length);
        if (dst != null) MemorySegment.copy(dst, 0, req, ValueLayout.JAVA_BYTE, REQ_ID + ID_DST, dst.length);
        if (src != null) { // targeted query: any cookie (INET_DIAG_NOCOOKIE)
            req.set(ValueLayout.JAVA_LONG_UNALIGNED, REQ_ID + ID_COOKIE, -1L);
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
        InetAddress local = address(s, m + MSG_ID + ID_SRC, family);
        InetAddress remote = address(s, m + MSG_ID + ID_DST, family);
        // a dual-stack socket bound to a mapped IPv4 address has "::" as its unset peer: report it as 0.0.0.0
        if (local instanceof Inet4Address && remote.isAnyLocalAddress()) remote = IPV4_ANY;
        else if (remote instanceof Inet4Address && local.isAnyLocalAddress()) local = IPV4_ANY;
        long cookie = (Netlink.hostInt(s, m + MSG_ID + ID_COOKIE) & 0xffffffffL)
                | ((long) Netlink.hostInt(s, m + MSG_ID + ID_COOKIE + 4) << 32);
        int uid = Netlink.hostInt(s, m + MSG_UID);
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
        return new SocketRecord(transport, ipProtocol, family == AF_INET ? 4 : 6, local, localPort, remote, remotePort,
                state(transport, kernelState), inode, cookie, uid, -1, netnsInode, sent, received, acked, retrans, rtt);
    }

    static SocketState state(Transport transport, int kernelState) {
        if (transport == Transport.UDP || transport == Transport.RAW) {
            return kernelState == 1 ? SocketState.ESTABLISHED
                    : kernelState == 7 ? SocketState.UNCONNECTED : SocketState.UNKNOWN;
        }
        return kernelState < TCP_STATES ? TCP_STATE[kernelState] : SocketState.UNKNOWN;
    }

    /** An address in network order; IPv4-mapped IPv6 addresses become IPv4. */
    static InetAddress address(MemorySegment s, long off, int family) {
        byte[] bytes;
        if (family == AF_INET) {
            bytes = new byte[4];
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, off, bytes, 0, 4);
        } else if (isV4Mapped(s, off)) {
            bytes = new byte[4];
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, off + 12, bytes, 0, 4);
        } else {
            bytes = new byte[16];
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, off, bytes, 0, 16);
        }
        return address(bytes);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) { // only thrown for lengths other than 4 and 16
            throw new AssertionError(impossible);
        }
    }

    private static boolean isV4Mapped(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_LONG_UNALIGNED, off) == 0
                && s.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 8) == 0
                && s.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 10) == (short) 0xffff;
    }

    private static long u64(MemorySegment s, long payload, int payloadLength, int field) {
        return payloadLength >= field + 8 ? Netlink.hostLong(s, payload + field) : SocketRecord.UNKNOWN;
    }

    private static long u32(MemorySegment s, long payload, int payloadLength, int field) {
        return payloadLength >= field + 4 ? Netlink.hostInt(s, payload + field) & 0xffffffffL : SocketRecord.UNKNOWN;
    }
}
