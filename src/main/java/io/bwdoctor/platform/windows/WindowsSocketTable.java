package io.bwdoctor.platform.windows;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.SocketTable;
import io.bwdoctor.core.attribution.Transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Windows socket table: IP Helper's owner-PID tables for TCP and UDP, IPv4 and IPv6, each socket carrying its
 * owning PID. With byte counters on, each TCP connection also gets TCP extended statistics (payload bytes sent and
 * received), enabling their collection on connections that do not have it yet (needs an elevated process; counters
 * start at the moment of enabling). Not thread-safe; one instance per polling thread.
 */
public final class WindowsSocketTable implements SocketTable {
    private final boolean byteCounters;
    private volatile String countersUnavailable;

    private WindowsSocketTable(boolean byteCounters) {
        this.byteCounters = byteCounters;
    }

    /** @param byteCounters read and enable TCP extended statistics for every connection */
    public static WindowsSocketTable open(boolean byteCounters) {
        if (!Windows.IS_WINDOWS) {
            throw new UnsupportedOperationException("the Windows socket table needs Windows");
        }
        return new WindowsSocketTable(byteCounters);
    }

    @Override
    public Set<Transport> offered() {
        return EnumSet.of(Transport.TCP, Transport.UDP);
    }

    /** Why per-connection byte counters are missing (e.g. not elevated), or null while they work. */
    public String countersUnavailable() {
        return countersUnavailable;
    }

    @Override
    public List<SocketRecord> dump() throws WindowsApiException {
        List<SocketRecord> all = new ArrayList<>(256);
        for (IpHelperTables.Kind kind : IpHelperTables.Kind.values()) {
            read(kind, all);
        }
        return all;
    }

    @Override
    public Optional<SocketRecord> lookup(Transport transport, int ipVersion, long localHi, long localLo, int localPort,
                                         long remoteHi, long remoteLo, int remotePort) throws WindowsApiException {
        List<SocketRecord> candidates = new ArrayList<>();
        // IPv4 flows may belong to dual-mode IPv6 sockets, reported in the IPv6 tables
        for (IpHelperTables.Kind kind : IpHelperTables.Kind.values()) {
            if (kind.transport() == transport && (kind.family() == 6 || ipVersion == 4)) {
                read(kind, candidates);
            }
        }
        return SocketMatch.find(candidates, transport, ipVersion, localHi, localLo, localPort,
                remoteHi, remoteLo, remotePort);
    }

    private void read(IpHelperTables.Kind kind, List<SocketRecord> into) throws WindowsApiException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = IpHelper.table(arena, kind);
            for (IpHelperTables.Row row : IpHelperTables.decode(kind, table)) {
                SocketRecord socket = IpHelperTables.toSocketRecord(row);
                if (byteCounters && kind.transport() == Transport.TCP && countersUnavailable == null
                        && socket.state() != SocketState.LISTEN && socket.state() != SocketState.TIME_WAIT) {
                    socket = withCounters(arena, row, socket);
                }
                into.add(socket);
            }
        }
    }

    private SocketRecord withCounters(Arena arena, IpHelperTables.Row row, SocketRecord socket) {
        MemorySegment tcpRow = arena.allocate(TcpEStats.rowLayout(row.kind()));
        TcpEStats.putRow(tcpRow, row);
        MemorySegment rw = arena.allocate(IpHelperLayouts.TCP_ESTATS_DATA_RW_v0);
        MemorySegment rod = arena.allocate(IpHelperLayouts.TCP_ESTATS_DATA_ROD_v0);
        int rc = IpHelper.getData(row.kind(), tcpRow, rw, rod);
        if (rc == IpHelperLayouts.NO_ERROR) {
            if (rw.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) != 0) { // collection is on for this connection
                return TcpEStats.withCounters(socket, TcpEStats.readData(rod));
            }
            rc = IpHelper.enableData(row.kind(), tcpRow, rw);
        }
        if (rc == IpHelperLayouts.ERROR_ACCESS_DENIED) {
            countersUnavailable = "per-connection byte counters need an elevated (administrator) process";
        } // ERROR_NOT_FOUND: the connection closed meanwhile
        return socket; // counted from the next sample on, once collection is enabled
    }

    @Override
    public void close() {
    }
}
