package io.bwdoctor.platform.windows;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.Transport;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.bwdoctor.platform.windows.IpHelperLayouts.offset;

/**
 * Decodes the buffers GetExtendedTcpTable (TCP_TABLE_OWNER_PID_ALL) and GetExtendedUdpTable (UDP_TABLE_OWNER_PID)
 * fill, for AF_INET and AF_INET6. Pure: works on any MemorySegment (a native buffer on Windows, a heap array of a
 * recorded buffer in tests). A table that claims more rows than its buffer holds is rejected, not read past.
 */
public final class IpHelperTables {
    private IpHelperTables() {}

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The four tables, each with its row layout and the field offsets in it (-1: the row has no such field). */
    public enum Kind {
        TCP4(Transport.TCP, 4, IpHelperLayouts.MIB_TCPROW_OWNER_PID, "dwLocalAddr", null, "dwRemoteAddr", null),
        TCP6(Transport.TCP, 6, IpHelperLayouts.MIB_TCP6ROW_OWNER_PID, "ucLocalAddr", "dwLocalScopeId",
                "ucRemoteAddr", "dwRemoteScopeId"),
        UDP4(Transport.UDP, 4, IpHelperLayouts.MIB_UDPROW_OWNER_PID, "dwLocalAddr", null, null, null),
        UDP6(Transport.UDP, 6, IpHelperLayouts.MIB_UDP6ROW_OWNER_PID, "ucLocalAddr", "dwLocalScopeId", null, null);

        final Transport transport;
        final int family;
        final StructLayout row;
        final long localAddr, localScope, localPort, remoteAddr, remoteScope, remotePort, state, pid;

        Kind(Transport transport, int family, StructLayout row, String localAddr, String localScope,
             String remoteAddr, String remoteScope) {
            this.transport = transport;
            this.family = family;
            this.row = row;
            this.localAddr = offset(row, localAddr);
            this.localScope = localScope == null ? -1 : offset(row, localScope);
            this.localPort = offset(row, "dwLocalPort");
            this.remoteAddr = remoteAddr == null ? -1 : offset(row, remoteAddr);
            this.remoteScope = remoteScope == null ? -1 : offset(row, remoteScope);
            this.remotePort = remoteAddr == null ? -1 : offset(row, "dwRemotePort");
            this.state = transport == Transport.TCP ? offset(row, "dwState") : -1;
            this.pid = offset(row, "dwOwningPid");
        }

        public Transport transport() {
            return transport;
        }

        /** 4 for AF_INET, 6 for AF_INET6. */
        public int family() {
            return family;
        }

        public int addressFamilyConstant() {
            return family == 4 ? IpHelperLayouts.AF_INET : IpHelperLayouts.AF_INET6;
        }

        public long rowSize() {
            return row.byteSize();
        }
    }

    /**
     * One row as IP Helper reports it, before any interpretation: addresses as the two big-endian words of the
     * address (IPv4: hi = 0, lo = the address), scope ids as the raw DWORDs, ports in host order, the MIB_TCP_STATE
     * number (0 for UDP), the owning PID (0 = not available).
     */
    public record Row(Kind kind, long localHi, long localLo, int localScope, int localPort,
                      long remoteHi, long remoteLo, int remoteScope, int remotePort, int mibState, int pid) {
    }

    /** Decodes a whole table buffer. */
    public static List<Row> decode(Kind kind, MemorySegment buffer) {
        long size = buffer.byteSize();
        if (size < IpHelperLayouts.TABLE_ROWS) {
            throw new IllegalArgumentException(kind + " table buffer of " + size + " bytes is shorter than its header");
        }
        long entries = Integer.toUnsignedLong(buffer.get(LE32, 0));
        long fit = (size - IpHelperLayouts.TABLE_ROWS) / kind.rowSize();
        if (entries > fit) {
            throw new IllegalArgumentException(kind + " table claims " + entries + " rows but its " + size
                    + "-byte buffer holds at most " + fit);
        }
        List<Row> rows = new ArrayList<>((int) entries);
        for (long i = 0; i < entries; i++) {
            rows.add(row(kind, buffer, IpHelperLayouts.TABLE_ROWS + i * kind.rowSize()));
        }
        return rows;
    }

    private static Row row(Kind k, MemorySegment s, long at) {
        long localHi = 0, localLo, remoteHi = 0, remoteLo = 0;
        if (k.family == 4) {
            localLo = Integer.toUnsignedLong(s.get(BE32, at + k.localAddr));
            if (k.remoteAddr >= 0) remoteLo = Integer.toUnsignedLong(s.get(BE32, at + k.remoteAddr));
        } else {
            localHi = s.get(BE64, at + k.localAddr);
            localLo = s.get(BE64, at + k.localAddr + 8);
            if (k.remoteAddr >= 0) {
                remoteHi = s.get(BE64, at + k.remoteAddr);
                remoteLo = s.get(BE64, at + k.remoteAddr + 8);
            }
        }
        return new Row(k, localHi, localLo, k.localScope < 0 ? 0 : s.get(LE32, at + k.localScope), port(s, at + k.localPort),
                remoteHi, remoteLo, k.remoteScope < 0 ? 0 : s.get(LE32, at + k.remoteScope),
                k.remotePort < 0 ? 0 : port(s, at + k.remotePort),
                k.state < 0 ? 0 : s.get(LE32, at + k.state), s.get(LE32, at + k.pid));
    }

    /** A port: network byte order in the low 16 bits of a little-endian DWORD, i.e. the first two bytes, big-endian. */
    private static int port(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(BE16, at));
    }

    /** MIB_TCP_STATE (tcpmib.h): CLOSED 1 … TIME_WAIT 11, DELETE_TCB 12. */
    public static SocketState state(int mibState) {
        return switch (mibState) {
            case 1, 12 -> SocketState.CLOSED;
            case 2 -> SocketState.LISTEN;
            case 3 -> SocketState.SYN_SENT;
            case 4 -> SocketState.SYN_RECEIVED;
            case 5 -> SocketState.ESTABLISHED;
            case 6 -> SocketState.FIN_WAIT_1;
            case 7 -> SocketState.FIN_WAIT_2;
            case 8 -> SocketState.CLOSE_WAIT;
            case 9 -> SocketState.CLOSING;
            case 10 -> SocketState.LAST_ACK;
            case 11 -> SocketState.TIME_WAIT;
            default -> SocketState.UNKNOWN;
        };
    }

    /**
     * The row in the core's socket model. A listener's remote end is documented as meaningless and becomes the
     * wildcard; IPv4-mapped addresses of a dual-mode IPv6 socket become IPv4 (dualStack); PID 0 ("not available",
     * also what TIME_WAIT rows carry) becomes -1. Windows has no byte counters in these tables: they stay UNKNOWN.
     */
    public static SocketRecord toSocketRecord(Row r) {
        Kind k = r.kind();
        boolean listening = k.transport == Transport.TCP && r.mibState() == 2;
        long localHi = r.localHi(), localLo = r.localLo();
        long remoteHi = listening ? 0 : r.remoteHi(), remoteLo = listening ? 0 : r.remoteLo();
        int remotePort = listening ? 0 : r.remotePort();
        int version = k.family;
        boolean dualStack = false;
        if (k.family == 6) {
            boolean localV4 = mapped(localHi, localLo), remoteV4 = mapped(remoteHi, remoteLo);
            dualStack = (localV4 || remoteV4) && (localV4 || zero(localHi, localLo))
                    && (remoteV4 || zero(remoteHi, remoteLo));
            if (dualStack) {
                version = 4;
                localHi = 0;
                localLo &= 0xffffffffL;
                remoteHi = 0;
                remoteLo &= 0xffffffffL;
            }
        }
        SocketState state = k.transport == Transport.TCP ? state(r.mibState())
                : (zero(remoteHi, remoteLo) ? SocketState.UNCONNECTED : SocketState.ESTABLISHED);
        int pid = r.pid() <= 0 ? -1 : r.pid();
        return new SocketRecord(k.transport, k.transport.ipProtocol(), version, dualStack,
                localHi, localLo, r.localPort(), remoteHi, remoteLo, remotePort, state, 0, 0, -1, pid, 0,
                SocketRecord.UNKNOWN, SocketRecord.UNKNOWN, SocketRecord.UNKNOWN, SocketRecord.UNKNOWN,
                SocketRecord.UNKNOWN);
    }

    private static boolean mapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xffffL;
    }

    private static boolean zero(long hi, long lo) {
        return hi == 0 && lo == 0;
    }
}
