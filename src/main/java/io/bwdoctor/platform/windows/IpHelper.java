package io.bwdoctor.platform.windows;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The thin FFM binding to iphlpapi.dll. Loaded on first use, so that the class can be referenced (and its callers
 * compiled and unit-tested) on any OS; calling it elsewhere than on Windows throws UnsupportedOperationException.
 * Descriptors follow the prototypes in iphlpapi.h (DWORD/ULONG/BOOL/enum = 32-bit int, pointers = ADDRESS):
 * <pre>
 * DWORD GetExtendedTcpTable(PVOID pTcpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf, TCP_TABLE_CLASS TableClass, ULONG Reserved);
 * DWORD GetExtendedUdpTable(PVOID pUdpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf, UDP_TABLE_CLASS TableClass, ULONG Reserved);
 * ULONG GetPerTcpConnectionEStats(PMIB_TCPROW Row, TCP_ESTATS_TYPE EstatsType, PUCHAR Rw, ULONG RwVersion, ULONG RwSize,
 *                                 PUCHAR Ros, ULONG RosVersion, ULONG RosSize, PUCHAR Rod, ULONG RodVersion, ULONG RodSize);
 * ULONG SetPerTcpConnectionEStats(PMIB_TCPROW Row, TCP_ESTATS_TYPE EstatsType, PUCHAR Rw, ULONG RwVersion, ULONG RwSize, ULONG Offset);
 * (and the same for GetPerTcp6ConnectionEStats / SetPerTcp6ConnectionEStats with PMIB_TCP6ROW)
 * </pre>
 */
@SuppressWarnings("restricted") // the native boundary of the Windows IP Helper API
final class IpHelper {
    private IpHelper() {}

    static final FunctionDescriptor GET_EXTENDED_TABLE = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    static final FunctionDescriptor GET_ESTATS = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    static final FunctionDescriptor SET_ESTATS = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT);

    /** Handles resolved when first needed: only on Windows. */
    private static final class Api {
        static final MethodHandle TCP_TABLE, UDP_TABLE, GET4, GET6, SET4, SET6;

        static {
            if (!Windows.IS_WINDOWS) {
                throw new UnsupportedOperationException("IP Helper is a Windows API");
            }
            SymbolLookup lib = SymbolLookup.libraryLookup("iphlpapi.dll", Arena.global());
            Linker linker = Linker.nativeLinker();
            TCP_TABLE = linker.downcallHandle(lib.findOrThrow("GetExtendedTcpTable"), GET_EXTENDED_TABLE);
            UDP_TABLE = linker.downcallHandle(lib.findOrThrow("GetExtendedUdpTable"), GET_EXTENDED_TABLE);
            GET4 = linker.downcallHandle(lib.findOrThrow("GetPerTcpConnectionEStats"), GET_ESTATS);
            GET6 = linker.downcallHandle(lib.findOrThrow("GetPerTcp6ConnectionEStats"), GET_ESTATS);
            SET4 = linker.downcallHandle(lib.findOrThrow("SetPerTcpConnectionEStats"), SET_ESTATS);
            SET6 = linker.downcallHandle(lib.findOrThrow("SetPerTcp6ConnectionEStats"), SET_ESTATS);
        }
    }

    /**
     * The whole table of one kind, in a buffer of the arena. The table may grow between the sizing call and the
     * filling call: retried a few times with some slack.
     */
    static MemorySegment table(Arena arena, IpHelperTables.Kind kind) throws WindowsApiException {
        boolean tcp = kind.transport() == io.bwdoctor.core.attribution.Transport.TCP;
        return table(arena, kind, tcp ? Api.TCP_TABLE : Api.UDP_TABLE);
    }

    /** The table read through {@code fn}, a downcall handle of shape {@link #GET_EXTENDED_TABLE}. */
    static MemorySegment table(Arena arena, IpHelperTables.Kind kind, MethodHandle fn) throws WindowsApiException {
        boolean tcp = kind.transport() == io.bwdoctor.core.attribution.Transport.TCP;
        int tableClass = tcp ? IpHelperLayouts.TCP_TABLE_OWNER_PID_ALL : IpHelperLayouts.UDP_TABLE_OWNER_PID;
        String name = tcp ? "GetExtendedTcpTable" : "GetExtendedUdpTable";
        MemorySegment size = arena.allocate(JAVA_INT);
        MemorySegment buffer = MemorySegment.NULL;
        for (int attempt = 0; attempt < 5; attempt++) {
            int rc = call(fn, buffer, size, kind.addressFamilyConstant(), tableClass);
            if (rc == IpHelperLayouts.NO_ERROR && !buffer.equals(MemorySegment.NULL)) {
                return buffer;
            }
            if (rc != IpHelperLayouts.ERROR_INSUFFICIENT_BUFFER && rc != IpHelperLayouts.NO_ERROR) {
                throw new WindowsApiException(name, rc, "cannot read the " + kind + " table");
            }
            long needed = Integer.toUnsignedLong(size.get(JAVA_INT, 0)) + 16 * kind.rowSize();
            buffer = arena.allocate(needed, 8);
            size.set(JAVA_INT, 0, (int) needed);
        }
        throw new WindowsApiException(name, IpHelperLayouts.ERROR_INSUFFICIENT_BUFFER,
                "the " + kind + " table kept growing while it was read");
    }

    private static int call(MethodHandle fn, MemorySegment buffer, MemorySegment size, int af, int tableClass) {
        try {
            return (int) fn.invokeExact(buffer, size, 0, af, tableClass, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("IP Helper call failed", t);
        }
    }

    /** GetPerTcp(6)ConnectionEStats(TcpConnectionEstatsData) into rw (1 byte) and rod (TCP_ESTATS_DATA_ROD_v0). */
    static int getData(IpHelperTables.Kind kind, MemorySegment row, MemorySegment rw, MemorySegment rod) {
        return getData(kind == IpHelperTables.Kind.TCP4 ? Api.GET4 : Api.GET6, row, rw, rod);
    }

    static int getData(MethodHandle fn, MemorySegment row, MemorySegment rw, MemorySegment rod) {
        try {
            return (int) fn.invokeExact(row, IpHelperLayouts.TCP_CONNECTION_ESTATS_DATA,
                    rw, 0, (int) rw.byteSize(), MemorySegment.NULL, 0, 0, rod, 0, (int) rod.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("GetPerTcpConnectionEStats failed", t);
        }
    }

    /** SetPerTcp(6)ConnectionEStats(TcpConnectionEstatsData, EnableCollection = TRUE). */
    static int enableData(IpHelperTables.Kind kind, MemorySegment row, MemorySegment rw) {
        return enableData(kind == IpHelperTables.Kind.TCP4 ? Api.SET4 : Api.SET6, row, rw);
    }

    static int enableData(MethodHandle fn, MemorySegment row, MemorySegment rw) {
        rw.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
        try {
            return (int) fn.invokeExact(row, IpHelperLayouts.TCP_CONNECTION_ESTATS_DATA, rw, 0, (int) rw.byteSize(), 0);
        } catch (Throwable t) {
            throw new IllegalStateException("SetPerTcpConnectionEStats failed", t);
        }
    }
}
