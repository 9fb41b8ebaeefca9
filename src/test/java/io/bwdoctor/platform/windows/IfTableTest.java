package io.bwdoctor.platform.windows;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GetIfTable2's buffer (iftable.bin, laid out by the mingw-w64 headers: make-iftable-fixture.py) decoded on any OS. */
class IfTableTest {
    private static final byte[] TABLE = Fixtures.bytes("iftable.bin");

    @Test
    void decodesTheRecordedTable() {
        assertThat(TABLE).hasSize(8 + 3 * 1352);
        List<IfTable.Row> rows = IfTable.decode(MemorySegment.ofArray(TABLE));
        assertThat(rows).containsExactly(
                new IfTable.Row(12, "Ethernet", true, 987654321098L, 123456789012345L),
                new IfTable.Row(1, "Loopback Pseudo-Interface 1", true, 0, 0),
                new IfTable.Row(13, "Ethernet-WFP Native MAC Layer LightWeight Filter-0000", true,
                        987654321098L, 123456789012345L));
        assertThat(IfTable.byAlias(rows, "Ethernet")).map(IfTable.Row::index).contains(12);
        assertThat(IfTable.byAlias(rows, "ethernet")).isEmpty();
        assertThat(IfTable.byIndex(rows, 13)).map(IfTable.Row::alias)
                .contains("Ethernet-WFP Native MAC Layer LightWeight Filter-0000");
        assertThat(IfTable.byIndex(rows, 99)).isEmpty();
    }

    @Test
    void anAliasDownIsPassedOverForOneThatIsUp() {
        List<IfTable.Row> rows = List.of(new IfTable.Row(3, "Ethernet", false, 1, 1),
                new IfTable.Row(4, "Ethernet", true, 2, 2));
        assertThat(IfTable.byAlias(rows, "Ethernet")).map(IfTable.Row::index).contains(4);
    }

    @Test
    void aTableShorterThanItsCountIsRefused() {
        byte[] cut = Arrays.copyOf(TABLE, TABLE.length - 1);
        assertThatThrownBy(() -> IfTable.decode(MemorySegment.ofArray(cut)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("interface table claims 3 rows but holds 2");
        assertThatThrownBy(() -> IfTable.decode(MemorySegment.ofArray(new byte[4])))
                .hasMessageContaining("too short");
        byte[] huge = TABLE.clone();
        MemorySegment.ofArray(huge).set(ValueLayout.JAVA_INT_UNALIGNED, 0, -1);
        assertThatThrownBy(() -> IfTable.decode(MemorySegment.ofArray(huge)))
                .hasMessage("interface table claims 4294967295 rows");
    }

    @Test
    void anAliasWithoutItsNulStopsAtItsArray() {
        byte[] t = TABLE.clone();
        MemorySegment s = MemorySegment.ofArray(t);
        long alias = IfTable.ROWS + IfTable.offset(IfTable.MIB_IF_ROW2, "Alias");
        for (int i = 0; i < IfTable.ALIAS_CHARS; i++) {
            s.set(ValueLayout.JAVA_SHORT_UNALIGNED, alias + 2L * i, (short) 'x');
        }
        // the next member (Description) starts right after the array and is not read into the alias
        assertThat(IfTable.decode(s).getFirst().alias()).isEqualTo("x".repeat(IfTable.ALIAS_CHARS));
    }

    @Test
    void nativeCallsFollowThePrototypesAndRefuseOtherSystems() throws Exception {
        // NETIO_STATUS GetIfTable2(PMIB_IF_TABLE2 *Table)
        assertThat(WindowsInterfaces.GET_IF_TABLE2.toString()).isEqualTo(
                java.lang.foreign.FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS).toString());
        // VOID FreeMibTable(PVOID Memory)
        assertThat(WindowsInterfaces.FREE_MIB_TABLE.returnLayout()).isEmpty();
        assertThat(WindowsInterfaces.FREE_MIB_TABLE.argumentLayouts()).containsExactly(ValueLayout.ADDRESS);
        // DWORD GetBestInterface(IPAddr dwDestAddr, PDWORD pdwBestIfIndex): IPAddr is a DWORD in network order
        assertThat(WindowsInterfaces.GET_BEST_INTERFACE.argumentLayouts())
                .containsExactly(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        byte[] dest = new byte[4];
        MemorySegment.ofArray(dest).set(ValueLayout.JAVA_INT_UNALIGNED, 0, WindowsInterfaces.UNROUTED_DESTINATION);
        assertThat(dest).containsExactly(192, 0, 2, 1);
        if (!Windows.IS_WINDOWS) {
            assertThatThrownBy(WindowsInterfaces::read).isInstanceOf(WindowsApiException.class)
                    .hasMessageContaining("GetIfTable2");
            assertThatThrownBy(WindowsInterfaces::defaultUplink).isInstanceOf(WindowsApiException.class);
        }
    }
}
