package io.bwdoctor.platform.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The kernel's connection tracking table (ctnetlink, NETLINK_NETFILTER) of the network namespace the opening thread
 * is in: maps an address/port pair seen on the wire after NAT back to the endpoint that really owns it, e.g. a
 * container's address behind a masquerading host. One targeted IPCTNL_MSG_CT_GET per query. Not thread-safe.
 */
public final class Conntrack implements AutoCloseable {
    /** An endpoint pair: {@code inside} is the owner's side (before source NAT / after destination NAT). */
    public record Translation(int version, long insideHi, long insideLo, int insidePort,
                              long peerHi, long peerLo, int peerPort) {}

    private static final int NETLINK_NETFILTER = 12;
    private static final int IPCTNL_MSG_CT_GET = (1 << 8) | 1; // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET
    private static final int NFGENMSG_SIZE = 4;
    private static final int CTA_TUPLE_ORIG = 1, CTA_TUPLE_REPLY = 2;
    private static final int CTA_TUPLE_IP = 1, CTA_TUPLE_PROTO = 2;
    private static final int CTA_IP_V4_SRC = 1, CTA_IP_V4_DST = 2, CTA_IP_V6_SRC = 3, CTA_IP_V6_DST = 4;
    private static final int CTA_PROTO_NUM = 1, CTA_PROTO_SRC_PORT = 2, CTA_PROTO_DST_PORT = 3;
    private static final int NLA_F_NESTED = 0x8000, NLM_F_ACK = 4;
    private static final int AF_INET = 2, AF_INET6 = 10;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort BE16 = SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Netlink netlink;
    /** Decoded tuples of the last reply: [orig, reply] x [version, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort]. */
    private final long[][] tuples = new long[2][7];

    private Conntrack(Netlink netlink) {
        this.netlink = netlink;
    }

    /** @throws NetlinkException when ctnetlink is unavailable (no conntrack in the kernel) or not permitted */
    public static Conntrack open() throws NetlinkException {
        Netlink netlink = Netlink.open(NETLINK_NETFILTER, "NETLINK_NETFILTER", 0);
        netlink.receiveTimeout(1_000);
        return new Conntrack(netlink);
    }

    /**
     * The tracked connection a packet from src to dst (as seen on the wire, either direction) belongs to, if it was
     * translated: the endpoint behind the NAT and its peer. Empty when untracked or not translated.
     */
    public Optional<Translation> translation(int protocol, int version, long srcHi, long srcLo, int srcPort,
                                             long dstHi, long dstLo, int dstPort) throws NetlinkException {
        for (int i = 0; i < 4; i++) { // the wire pair, both ways, as the original or as the reply direction
            boolean swap = (i & 1) != 0;
            int direction = i < 2 ? CTA_TUPLE_REPLY : CTA_TUPLE_ORIG;
            boolean found = swap ? query(direction, protocol, version, dstHi, dstLo, dstPort, srcHi, srcLo, srcPort)
                    : query(direction, protocol, version, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
            if (found) {
                return translated();
            }
        }
        return Optional.empty();
    }

    /** Source NAT: the original source is the owner. Destination NAT: the reply's source is. */
    private Optional<Translation> translated() {
        long[] orig = tuples[0];
        long[] reply = tuples[1];
        boolean sourceNat = orig[1] != reply[4] || orig[2] != reply[5] || orig[3] != reply[6];
        boolean destinationNat = reply[1] != orig[4] || reply[2] != orig[5] || reply[3] != orig[6];
        if (sourceNat) {
            return Optional.of(new Translation((int) orig[0], orig[1], orig[2], (int) orig[3], orig[4], orig[5],
                    (int) orig[6]));
        }
        if (destinationNat) {
            return Optional.of(new Translation((int) reply[0], reply[1], reply[2], (int) reply[3], reply[4], reply[5],
                    (int) reply[6]));
        }
        return Optional.empty();
    }

    private boolean query(int direction, int protocol, int version, long srcHi, long srcLo, int srcPort,
                          long dstHi, long dstLo, int dstPort) throws NetlinkException {
        MemorySegment r = netlink.request();
        long at = Netlink.NLMSG_HDRLEN;
        r.set(ValueLayout.JAVA_BYTE, at, (byte) (version == 4 ? AF_INET : AF_INET6));
        r.set(ValueLayout.JAVA_BYTE, at + 1, (byte) 0); // NFNETLINK_V0
        r.set(BE16, at + 2, (short) 0);
        at += NFGENMSG_SIZE;
        long tuple = at;
        at += 4;
        long ip = at;
        at += 4;
        at = putAddress(r, at, version == 4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, version, srcHi, srcLo);
        at = putAddress(r, at, version == 4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, version, dstHi, dstLo);
        putAttr(r, ip, CTA_TUPLE_IP | NLA_F_NESTED, (int) (at - ip));
        long proto = at;
        at += 4;
        putAttr(r, at, CTA_PROTO_NUM, 5);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4, 0);
        r.set(ValueLayout.JAVA_BYTE, at + 4, (byte) protocol);
        at += 8;
        putAttr(r, at, CTA_PROTO_SRC_PORT, 6);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4, 0);
        r.set(BE16, at + 4, (short) srcPort);
        at += 8;
        putAttr(r, at, CTA_PROTO_DST_PORT, 6);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4, 0);
        r.set(BE16, at + 4, (short) dstPort);
        at += 8;
        putAttr(r, proto, CTA_TUPLE_PROTO | NLA_F_NESTED, (int) (at - proto));
        putAttr(r, tuple, direction | NLA_F_NESTED, (int) (at - tuple));
        // ctnetlink flags even a single reply NLM_F_MULTI: ask for an ACK to know it is complete
        netlink.putHeader((int) at, IPCTNL_MSG_CT_GET, Netlink.NLM_F_REQUEST | NLM_F_ACK);
        boolean[] found = new boolean[1];
        try {
            netlink.transact((int) at, (buffer, offset, length) -> found[0] = decode(buffer, offset, length));
        } catch (NetlinkException e) {
            if (e.errno() == Libc.ENOENT) return false;
            throw e;
        }
        return found[0];
    }

    private static long putAddress(MemorySegment r, long at, int type, int version, long hi, long lo) {
        if (version == 4) {
            putAttr(r, at, type, 8);
            r.set(BE32, at + 4, (int) lo);
            return at + 8;
        }
        putAttr(r, at, type, 20);
        r.set(BE64, at + 4, hi);
        r.set(BE64, at + 12, lo);
        return at + 20;
    }

    private static void putAttr(MemorySegment r, long at, int type, int length) {
        r.set(SHORT, at, (short) length);
        r.set(SHORT, at + 2, (short) type);
    }

    /** Reads the original and reply tuples of one IPCTNL_MSG_CT_NEW reply; false when either is missing. */
    private boolean decode(MemorySegment s, long offset, int length) {
        long end = offset + length;
        long at = offset + Netlink.NLMSG_HDRLEN + NFGENMSG_SIZE;
        boolean orig = false, reply = false;
        while (at + Netlink.RTA_HDRLEN <= end) {
            int len = Netlink.attrLength(s, at);
            if (len < Netlink.RTA_HDRLEN || at + len > end) break;
            int type = Netlink.attrType(s, at);
            if (type == CTA_TUPLE_ORIG) orig = tuple(s, at + 4, at + len, tuples[0]);
            if (type == CTA_TUPLE_REPLY) reply = tuple(s, at + 4, at + len, tuples[1]);
            at += Netlink.align4(len);
        }
        return orig && reply;
    }

    private static boolean tuple(MemorySegment s, long at, long end, long[] out) {
        java.util.Arrays.fill(out, -1);
        while (at + Netlink.RTA_HDRLEN <= end) {
            int len = Netlink.attrLength(s, at);
            if (len < Netlink.RTA_HDRLEN || at + len > end) return false;
            int type = Netlink.attrType(s, at);
            long inner = at + 4, innerEnd = at + len;
            while ((type == CTA_TUPLE_IP || type == CTA_TUPLE_PROTO) && inner + Netlink.RTA_HDRLEN <= innerEnd) {
                int l = Netlink.attrLength(s, inner);
                if (l < Netlink.RTA_HDRLEN || inner + l > innerEnd) return false;
                int t = Netlink.attrType(s, inner);
                long v = inner + 4;
                if (type == CTA_TUPLE_IP && (t == CTA_IP_V4_SRC || t == CTA_IP_V4_DST) && l >= 8) {
                    int base = t == CTA_IP_V4_SRC ? 1 : 4;
                    out[0] = 4;
                    out[base] = 0;
                    out[base + 1] = s.get(BE32, v) & 0xffffffffL;
                } else if (type == CTA_TUPLE_IP && (t == CTA_IP_V6_SRC || t == CTA_IP_V6_DST) && l >= 20) {
                    int base = t == CTA_IP_V6_SRC ? 1 : 4;
                    out[0] = 6;
                    out[base] = s.get(BE64, v);
                    out[base + 1] = s.get(BE64, v + 8);
                } else if (type == CTA_TUPLE_PROTO && t == CTA_PROTO_SRC_PORT && l >= 6) {
                    out[3] = s.get(BE16, v) & 0xffff;
                } else if (type == CTA_TUPLE_PROTO && t == CTA_PROTO_DST_PORT && l >= 6) {
                    out[6] = s.get(BE16, v) & 0xffff;
                }
                inner += Netlink.align4(l);
            }
            at += Netlink.align4(len);
        }
        return out[0] > 0 && out[3] >= 0 && out[6] >= 0;
    }

    @Override
    public void close() {
        netlink.close();
    }
}
