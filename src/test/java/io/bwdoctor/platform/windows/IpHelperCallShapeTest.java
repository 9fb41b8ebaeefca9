package io.bwdoctor.platform.windows;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The IP Helper call sites through real FFM downcalls, on Linux: each downcall handle of the documented shape points
 * at an upcall stub that behaves as the documentation says the Windows function does (size negotiation with
 * ERROR_INSUFFICIENT_BUFFER, a table that grows between calls, the EStats buffers). This catches wrong argument
 * types or orders at the invokeExact sites and exercises the retry loop; it does not prove Windows' behaviour.
 */
class IpHelperCallShapeTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final byte[] table = Fixtures.bytes("tcp4.bin");
    private static int growOnce;
    private static final List<String> calls = new ArrayList<>();

    /** DWORD GetExtendedTcpTable(PVOID, PDWORD, BOOL, ULONG, TCP_TABLE_CLASS, ULONG), as documented. */
    static int getExtendedTcpTable(MemorySegment out, MemorySegment size, int order, int af, int tableClass, int reserved) {
        calls.add("af=" + af + " class=" + tableClass + " order=" + order + " reserved=" + reserved);
        MemorySegment pdwSize = size.reinterpret(4);
        int needed = table.length;
        if (growOnce > 0 && out.address() != 0) { // the table grew after the sizing call
            growOnce--;
            pdwSize.set(INT, 0, needed + 24);
            return IpHelperLayouts.ERROR_INSUFFICIENT_BUFFER;
        }
        if (out.address() == 0 || Integer.toUnsignedLong(pdwSize.get(INT, 0)) < needed) {
            pdwSize.set(INT, 0, needed);
            return IpHelperLayouts.ERROR_INSUFFICIENT_BUFFER;
        }
        out.reinterpret(needed).copyFrom(MemorySegment.ofArray(table));
        return IpHelperLayouts.NO_ERROR;
    }

    static int getPerTcpConnectionEStats(MemorySegment row, int type, MemorySegment rw, int rwVersion, int rwSize,
                                         MemorySegment ros, int rosVersion, int rosSize, MemorySegment rod,
                                         int rodVersion, int rodSize) {
        byte[] expectedRow = Fixtures.bytes("mib-tcprow-rdp.bin");
        calls.add("get type=" + type + " rw=" + rwSize + " ros=" + ros.address() + "/" + rosSize + " rod=" + rodSize
                + " versions=" + rwVersion + rosVersion + rodVersion
                + " row=" + java.util.Arrays.equals(row.reinterpret(20).toArray(ValueLayout.JAVA_BYTE), expectedRow));
        rw.reinterpret(rwSize).set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        rod.reinterpret(rodSize).copyFrom(MemorySegment.ofArray(Fixtures.bytes("estats-data-rod.bin")));
        return IpHelperLayouts.NO_ERROR;
    }

    static int setPerTcpConnectionEStats(MemorySegment row, int type, MemorySegment rw, int rwVersion, int rwSize,
                                         int offset) {
        calls.add("set type=" + type + " enable=" + rw.reinterpret(rwSize).get(ValueLayout.JAVA_BYTE, 0) + " size="
                + rwSize + " offset=" + offset);
        return IpHelperLayouts.ERROR_ACCESS_DENIED;
    }

    private static MethodHandle downcallTo(String method, java.lang.foreign.FunctionDescriptor d) throws Exception {
        MethodHandle target = MethodHandles.lookup().findStatic(IpHelperCallShapeTest.class, method, d.toMethodType());
        MemorySegment stub = Linker.nativeLinker().upcallStub(target, d, Arena.global());
        return Linker.nativeLinker().downcallHandle(stub, d);
    }

    @Test
    void tableCallNegotiatesTheSizeAndRetriesWhenTheTableGrows() throws Exception {
        MethodHandle fn = downcallTo("getExtendedTcpTable", IpHelper.GET_EXTENDED_TABLE);
        calls.clear();
        growOnce = 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = IpHelper.table(arena, IpHelperTables.Kind.TCP4, fn);
            assertThat(IpHelperTables.decode(IpHelperTables.Kind.TCP4, buffer))
                    .isEqualTo(IpHelperTables.decode(IpHelperTables.Kind.TCP4, MemorySegment.ofArray(table)));
        }
        assertThat(calls).hasSize(3).allMatch(c -> c.equals("af=2 class=5 order=0 reserved=0"));

        growOnce = 100; // never settles
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> IpHelper.table(arena, IpHelperTables.Kind.TCP4, fn))
                    .isInstanceOf(WindowsApiException.class).hasMessageContaining("kept growing");
        }
    }

    @Test
    void estatsCallsPassTheRowAndBuffersInTheDocumentedOrder() throws Exception {
        MethodHandle get = downcallTo("getPerTcpConnectionEStats", IpHelper.GET_ESTATS);
        MethodHandle set = downcallTo("setPerTcpConnectionEStats", IpHelper.SET_ESTATS);
        calls.clear();
        IpHelperTables.Row rdp = IpHelperTables.decode(IpHelperTables.Kind.TCP4, MemorySegment.ofArray(table))
                .stream().filter(r -> r.localPort() == 3389 && r.mibState() == 5).findFirst().orElseThrow();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment row = arena.allocate(TcpEStats.rowLayout(rdp.kind()));
            TcpEStats.putRow(row, rdp);
            MemorySegment rw = arena.allocate(IpHelperLayouts.TCP_ESTATS_DATA_RW_v0);
            MemorySegment rod = arena.allocate(IpHelperLayouts.TCP_ESTATS_DATA_ROD_v0);
            assertThat(IpHelper.getData(get, row, rw, rod)).isZero();
            assertThat(rw.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 1);
            assertThat(TcpEStats.readData(rod).dataBytesOut()).isEqualTo(1_234_567_890_123L);
            assertThat(IpHelper.enableData(set, row, rw)).isEqualTo(IpHelperLayouts.ERROR_ACCESS_DENIED);
        }
        assertThat(calls).containsExactly("get type=1 rw=1 ros=0/0 rod=96 versions=000 row=true",
                "set type=1 enable=1 size=1 offset=0");
    }
}
