package io.bwdoctor.platform.windows;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;

/**
 * The IP Helper structures bwdoctor reads, as FFM layouts with the natural alignment of the Windows x64 ABI (every
 * member here is a fixed-width integer or byte array, so the layout is the same on every 64-bit target; tests check
 * sizes and offsets against the documented structures and against the mingw-w64 headers). No native calls here.
 *
 * <p>Sources (Windows SDK documentation, checked 2026-11-30):
 * <ul>
 * <li>MIB_TCPROW_OWNER_PID: learn.microsoft.com/windows/win32/api/tcpmib/ns-tcpmib-mib_tcprow_owner_pid
 * (six DWORDs: dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort, dwOwningPid = 24 bytes)</li>
 * <li>MIB_TCP6ROW_OWNER_PID: .../tcpmib/ns-tcpmib-mib_tcp6row_owner_pid (UCHAR ucLocalAddr[16], DWORD dwLocalScopeId,
 * DWORD dwLocalPort, UCHAR ucRemoteAddr[16], DWORD dwRemoteScopeId, DWORD dwRemotePort, DWORD dwState,
 * DWORD dwOwningPid = 56 bytes)</li>
 * <li>MIB_UDPROW_OWNER_PID: .../udpmib/ns-udpmib-mib_udprow_owner_pid (dwLocalAddr, dwLocalPort, dwOwningPid = 12)</li>
 * <li>MIB_UDP6ROW_OWNER_PID: .../udpmib/ns-udpmib-mib_udp6row_owner_pid (UCHAR ucLocalAddr[16], dwLocalScopeId,
 * dwLocalPort, dwOwningPid = 28)</li>
 * <li>MIB_TCPROW_LH (MIB_TCPROW): .../tcpmib/ns-tcpmib-mib_tcprow_lh (union{dwState}, dwLocalAddr, dwLocalPort,
 * dwRemoteAddr, dwRemotePort = 20); "only the lower 16 bits [of a port] should be used. The upper 16 bits may contain
 * uninitialized data."</li>
 * <li>MIB_TCP6ROW: .../tcpmib/ns-tcpmib-mib_tcp6row (MIB_TCP_STATE State, IN6_ADDR LocalAddr, dwLocalScopeId,
 * dwLocalPort, IN6_ADDR RemoteAddr, dwRemoteScopeId, dwRemotePort = 52)</li>
 * <li>TCP_ESTATS_DATA_RW_v0: .../tcpestats/ns-tcpestats-tcp_estats_data_rw_v0 (BOOLEAN EnableCollection = 1 byte)</li>
 * <li>TCP_ESTATS_DATA_ROD_v0: .../tcpestats/ns-tcpestats-tcp_estats_data_rod_v0 (six ULONG64, five ULONG,
 * ULONG64 ThruBytesAcked, ULONG RcvNxt, ULONG64 ThruBytesReceived: 96 bytes with C padding before each ULONG64)</li>
 * <li>The MIB_*TABLE_OWNER_PID tables: DWORD dwNumEntries followed by the rows (GetExtendedTcpTable /
 * GetExtendedUdpTable, .../iphlpapi/nf-iphlpapi-getextendedtcptable); rows are 4-byte aligned, so they start at 4.</li>
 * </ul>
 * Byte order: addresses are in network order as bytes; ports are in network order in the low 16 bits of a
 * little-endian DWORD (so the bytes in memory are [hi, lo, garbage, garbage]); counters and PIDs are little-endian.
 */
public final class IpHelperLayouts {
    private IpHelperLayouts() {}

    static final ValueLayout.OfInt DWORD = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong ULONG64 = ValueLayout.JAVA_LONG;
    private static final MemoryLayout IN6_ADDR = sequenceLayout(16, ValueLayout.JAVA_BYTE);

    public static final StructLayout MIB_TCPROW_OWNER_PID = structLayout(
            DWORD.withName("dwState"), DWORD.withName("dwLocalAddr"), DWORD.withName("dwLocalPort"),
            DWORD.withName("dwRemoteAddr"), DWORD.withName("dwRemotePort"), DWORD.withName("dwOwningPid"))
            .withName("MIB_TCPROW_OWNER_PID");

    public static final StructLayout MIB_TCP6ROW_OWNER_PID = structLayout(
            IN6_ADDR.withName("ucLocalAddr"), DWORD.withName("dwLocalScopeId"), DWORD.withName("dwLocalPort"),
            IN6_ADDR.withName("ucRemoteAddr"), DWORD.withName("dwRemoteScopeId"), DWORD.withName("dwRemotePort"),
            DWORD.withName("dwState"), DWORD.withName("dwOwningPid"))
            .withName("MIB_TCP6ROW_OWNER_PID");

    public static final StructLayout MIB_UDPROW_OWNER_PID = structLayout(
            DWORD.withName("dwLocalAddr"), DWORD.withName("dwLocalPort"), DWORD.withName("dwOwningPid"))
            .withName("MIB_UDPROW_OWNER_PID");

    public static final StructLayout MIB_UDP6ROW_OWNER_PID = structLayout(
            IN6_ADDR.withName("ucLocalAddr"), DWORD.withName("dwLocalScopeId"), DWORD.withName("dwLocalPort"),
            DWORD.withName("dwOwningPid"))
            .withName("MIB_UDP6ROW_OWNER_PID");

    /** The row GetPerTcpConnectionEStats / SetPerTcpConnectionEStats take for an IPv4 connection. */
    public static final StructLayout MIB_TCPROW = structLayout(
            DWORD.withName("dwState"), DWORD.withName("dwLocalAddr"), DWORD.withName("dwLocalPort"),
            DWORD.withName("dwRemoteAddr"), DWORD.withName("dwRemotePort"))
            .withName("MIB_TCPROW");

    /** The row GetPerTcp6ConnectionEStats / SetPerTcp6ConnectionEStats take for an IPv6 connection. */
    public static final StructLayout MIB_TCP6ROW = structLayout(
            DWORD.withName("State"), IN6_ADDR.withName("LocalAddr"), DWORD.withName("dwLocalScopeId"),
            DWORD.withName("dwLocalPort"), IN6_ADDR.withName("RemoteAddr"), DWORD.withName("dwRemoteScopeId"),
            DWORD.withName("dwRemotePort"))
            .withName("MIB_TCP6ROW");

    public static final StructLayout TCP_ESTATS_DATA_RW_v0 = structLayout(
            ValueLayout.JAVA_BYTE.withName("EnableCollection"))
            .withName("TCP_ESTATS_DATA_RW_v0");

    public static final StructLayout TCP_ESTATS_DATA_ROD_v0 = structLayout(
            ULONG64.withName("DataBytesOut"), ULONG64.withName("DataSegsOut"), ULONG64.withName("DataBytesIn"),
            ULONG64.withName("DataSegsIn"), ULONG64.withName("SegsOut"), ULONG64.withName("SegsIn"),
            DWORD.withName("SoftErrors"), DWORD.withName("SoftErrorReason"), DWORD.withName("SndUna"),
            DWORD.withName("SndNxt"), DWORD.withName("SndMax"), paddingLayout(4),
            ULONG64.withName("ThruBytesAcked"), DWORD.withName("RcvNxt"), paddingLayout(4),
            ULONG64.withName("ThruBytesReceived"))
            .withName("TCP_ESTATS_DATA_ROD_v0");

    /** Offset of the first row in every MIB_*TABLE_OWNER_PID (after DWORD dwNumEntries; rows are 4-byte aligned). */
    public static final long TABLE_ROWS = table(MIB_TCPROW_OWNER_PID).byteOffset(MemoryLayout.PathElement.groupElement("table"));

    /** The table structure as the SDK declares it (ANY_SIZE = 1 row), for size/offset checks. */
    static StructLayout table(StructLayout row) {
        return structLayout(DWORD.withName("dwNumEntries"), sequenceLayout(1, row).withName("table"));
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    // ---- constants (iprtrmib.h / tcpmib.h / tcpestats.h / ws2def.h) ----

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 23;
    /** TCP_TABLE_CLASS: BASIC_LISTENER 0, BASIC_CONNECTIONS 1, BASIC_ALL 2, OWNER_PID_LISTENER 3, OWNER_PID_CONNECTIONS 4, OWNER_PID_ALL 5. */
    public static final int TCP_TABLE_OWNER_PID_ALL = 5;
    /** UDP_TABLE_CLASS: BASIC 0, OWNER_PID 1, OWNER_MODULE 2. */
    public static final int UDP_TABLE_OWNER_PID = 1;
    /** TCP_ESTATS_TYPE: SynOpts 0, Data 1, SndCong 2, Path 3, ... */
    public static final int TCP_CONNECTION_ESTATS_DATA = 1;
    public static final int NO_ERROR = 0;
    public static final int ERROR_INSUFFICIENT_BUFFER = 122;
    public static final int ERROR_NOT_FOUND = 1168;
    public static final int ERROR_ACCESS_DENIED = 5;
}
