package io.bwdoctor.platform.windows;

import io.bwdoctor.core.attribution.SocketRecord;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.bwdoctor.platform.windows.IpHelperLayouts.MIB_TCP6ROW;
import static io.bwdoctor.platform.windows.IpHelperLayouts.MIB_TCPROW;
import static io.bwdoctor.platform.windows.IpHelperLayouts.TCP_ESTATS_DATA_ROD_v0;
import static io.bwdoctor.platform.windows.IpHelperLayouts.offset;

/**
 * The pure half of per-connection byte counters (TCP extended statistics, TcpConnectionEstatsData): building the
 * MIB_TCPROW / MIB_TCP6ROW that names a connection, and reading TCP_ESTATS_DATA_ROD_v0. Windows collects these
 * counters only after SetPerTcpConnectionEStats enabled collection on the connection (administrator only), and
 * counts from that moment on: bytes moved before do not appear.
 */
public final class TcpEStats {
    private TcpEStats() {}

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** What TCP_ESTATS_DATA_ROD_v0 says about one connection (payload bytes, no TCP headers). */
    public record DataCounters(long dataBytesOut, long dataBytesIn, long dataSegsOut, long dataSegsIn,
                               long thruBytesAcked, long thruBytesReceived) {
    }

    /** The layout of the row naming a connection of this table kind (MIB_TCPROW or MIB_TCP6ROW). */
    public static StructLayout rowLayout(IpHelperTables.Kind kind) {
        return switch (kind) {
            case TCP4 -> MIB_TCPROW;
            case TCP6 -> MIB_TCP6ROW;
            default -> throw new IllegalArgumentException("extended statistics exist for TCP only, not " + kind);
        };
    }

    /** Writes the MIB_TCPROW / MIB_TCP6ROW for a connection exactly as the table reported it (state, scopes included). */
    public static void putRow(MemorySegment s, IpHelperTables.Row r) {
        StructLayout layout = rowLayout(r.kind());
        if (s.byteSize() < layout.byteSize()) {
            throw new IllegalArgumentException("buffer of " + s.byteSize() + " bytes is too small for " + layout.name());
        }
        s.asSlice(0, layout.byteSize()).fill((byte) 0);
        if (r.kind() == IpHelperTables.Kind.TCP4) {
            s.set(LE32, offset(layout, "dwState"), r.mibState());
            s.set(BE32, offset(layout, "dwLocalAddr"), (int) r.localLo());
            s.set(BE16, offset(layout, "dwLocalPort"), (short) r.localPort());
            s.set(BE32, offset(layout, "dwRemoteAddr"), (int) r.remoteLo());
            s.set(BE16, offset(layout, "dwRemotePort"), (short) r.remotePort());
        } else {
            s.set(LE32, offset(layout, "State"), r.mibState());
            s.set(BE64, offset(layout, "LocalAddr"), r.localHi());
            s.set(BE64, offset(layout, "LocalAddr") + 8, r.localLo());
            s.set(LE32, offset(layout, "dwLocalScopeId"), r.localScope());
            s.set(BE16, offset(layout, "dwLocalPort"), (short) r.localPort());
            s.set(BE64, offset(layout, "RemoteAddr"), r.remoteHi());
            s.set(BE64, offset(layout, "RemoteAddr") + 8, r.remoteLo());
            s.set(LE32, offset(layout, "dwRemoteScopeId"), r.remoteScope());
            s.set(BE16, offset(layout, "dwRemotePort"), (short) r.remotePort());
        }
    }

    public static DataCounters readData(MemorySegment rod) {
        if (rod.byteSize() < TCP_ESTATS_DATA_ROD_v0.byteSize()) {
            throw new IllegalArgumentException("TCP_ESTATS_DATA_ROD_v0 needs " + TCP_ESTATS_DATA_ROD_v0.byteSize()
                    + " bytes, got " + rod.byteSize());
        }
        return new DataCounters(u64(rod, "DataBytesOut"), u64(rod, "DataBytesIn"), u64(rod, "DataSegsOut"),
                u64(rod, "DataSegsIn"), u64(rod, "ThruBytesAcked"), u64(rod, "ThruBytesReceived"));
    }

    /** The socket with the counters filled in: sent = DataBytesOut (with retransmissions), received = DataBytesIn. */
    public static SocketRecord withCounters(SocketRecord s, DataCounters c) {
        return new SocketRecord(s.transport(), s.ipProtocol(), s.ipVersion(), s.dualStack(), s.localHi(), s.localLo(),
                s.localPort(), s.remoteHi(), s.remoteLo(), s.remotePort(), s.state(), s.inode(), s.cookie(), s.uid(),
                s.ownerPid(), s.netnsInode(), c.dataBytesOut(), c.dataBytesIn(), c.thruBytesAcked(),
                SocketRecord.UNKNOWN, s.rttMicros());
    }

    private static long u64(MemorySegment s, String field) {
        long v = s.get(LE64, offset(TCP_ESTATS_DATA_ROD_v0, field));
        return v < 0 ? Long.MAX_VALUE : v; // ULONG64 beyond 2^63 cannot happen for a byte count; never go negative
    }
}
