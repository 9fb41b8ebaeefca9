package io.bwdoctor.platform.windows;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The interfaces' byte counters and the uplink of the default route, from iphlpapi.dll through FFM:
 * <pre>
 * NETIO_STATUS GetIfTable2(PMIB_IF_TABLE2 *Table);      // learn.microsoft.com/en-us/windows/win32/api/netioapi/nf-netioapi-getiftable2
 * VOID FreeMibTable(PVOID Memory);                     // learn.microsoft.com/en-us/windows/win32/api/netioapi/nf-netioapi-freemibtable
 * DWORD GetBestInterface(IPAddr dwDestAddr, PDWORD pdwBestIfIndex);
 *                                                      // learn.microsoft.com/en-us/windows/win32/api/iphlpapi/nf-iphlpapi-getbestinterface
 * </pre>
 * The default uplink is the interface Windows itself would send to an address no specific route covers
 * (192.0.2.1, TEST-NET-1): GetBestInterface weighs route and interface metrics the way the stack does, which reading
 * 0.0.0.0/0 out of the route table would have to redo. IPv4 only, like DefaultRoute on Linux.
 * Loaded on first use; elsewhere than on Windows every call throws WindowsApiException (ERROR_NOT_SUPPORTED).
 */
@SuppressWarnings("restricted") // the native boundary of the Windows IP Helper API
public final class WindowsInterfaces {
    private WindowsInterfaces() {}

    static final FunctionDescriptor GET_IF_TABLE2 = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor FREE_MIB_TABLE = FunctionDescriptor.ofVoid(ADDRESS);
    static final FunctionDescriptor GET_BEST_INTERFACE = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);

    /** 192.0.2.1 as an IPAddr: network byte order in a DWORD, so bytes C0 00 02 01 in memory. */
    static final int UNROUTED_DESTINATION = MemorySegment.ofArray(new byte[] {(byte) 192, 0, 2, 1})
            .get(ValueLayout.JAVA_INT_UNALIGNED, 0);

    private static final class Api {
        static final MethodHandle GET_TABLE, FREE, BEST;

        static {
            SymbolLookup lib = SymbolLookup.libraryLookup("iphlpapi.dll", Arena.global());
            Linker linker = Linker.nativeLinker();
            GET_TABLE = linker.downcallHandle(lib.findOrThrow("GetIfTable2"), GET_IF_TABLE2);
            FREE = linker.downcallHandle(lib.findOrThrow("FreeMibTable"), FREE_MIB_TABLE);
            BEST = linker.downcallHandle(lib.findOrThrow("GetBestInterface"), GET_BEST_INTERFACE);
        }
    }

    /** Every interface with its counters (the table is copied out and freed at once). */
    public static List<IfTable.Row> read() throws WindowsApiException {
        requireWindows("GetIfTable2");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int rc = (int) Api.GET_TABLE.invokeExact(out);
            if (rc != 0) {
                throw new WindowsApiException("GetIfTable2", rc, "cannot read the interface counters");
            }
            MemorySegment table = out.get(ADDRESS, 0);
            try {
                int n = IfTable.count(table.reinterpret(IfTable.ROWS));
                return IfTable.decode(table.reinterpret(IfTable.bytesFor(n)));
            } finally {
                Api.FREE.invokeExact(table);
            }
        } catch (WindowsApiException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("GetIfTable2 failed", t);
        }
    }

    /** The alias of the interface the IPv4 default route leaves through, if there is such a route. */
    public static Optional<String> defaultUplink() throws WindowsApiException {
        requireWindows("GetBestInterface");
        int index;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int rc = (int) Api.BEST.invokeExact(UNROUTED_DESTINATION, out);
            if (rc != 0) {
                return Optional.empty(); // ERROR_NETWORK_UNREACHABLE and the like: no default route
            }
            index = out.get(JAVA_INT, 0);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("GetBestInterface failed", t);
        }
        return IfTable.byIndex(read(), index).map(IfTable.Row::alias);
    }

    private static void requireWindows(String function) throws WindowsApiException {
        if (!Windows.IS_WINDOWS) {
            throw new WindowsApiException(function, 50 /* ERROR_NOT_SUPPORTED */, "it is a Windows API");
        }
    }
}
