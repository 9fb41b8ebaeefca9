package io.bwdoctor.platform.windows;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;

/**
 * The interface table GetIfTable2 returns (MIB_IF_TABLE2 of MIB_IF_ROW2), decoded without native calls so that it
 * is tested on any OS with a buffer the mingw-w64 headers laid out (iftable.bin, make-iftable-fixture.py).
 *
 * <p>Sources (checked 2026-11-30):
 * <ul>
 * <li>MIB_IF_ROW2: https://learn.microsoft.com/en-us/windows/win32/api/netioapi/ns-netioapi-mib_if_row2
 * (NET_LUID InterfaceLuid, NET_IFINDEX InterfaceIndex, GUID, WCHAR Alias[257], WCHAR Description[257], ...,
 * IF_OPER_STATUS OperStatus, ..., ULONG64 InOctets, ..., ULONG64 OutOctets, ..., ULONG64 OutQLen): 1352 bytes on x64.
 * Only the members read here are named; the rest is padding. Offsets checked against the headers by
 * WindowsLayoutTest (windows-layouts.tsv).</li>
 * <li>MIB_IF_TABLE2: https://learn.microsoft.com/en-us/windows/win32/api/netioapi/ns-netioapi-mib_if_table2
 * (ULONG NumEntries; MIB_IF_ROW2 Table[ANY_SIZE]): the rows start at 8 because of their ULONG64 members.
 * GetIfTable2's page (.../netioapi/nf-netioapi-getiftable2) warns that padding may sit after NumEntries and between
 * rows; read here as the C array the headers declare (offset 8, stride 1352, which already holds that alignment
 * padding), i.e. what a C caller indexing Table[i] reads.</li>
 * </ul>
 * InOctets / OutOctets count every octet the interface received / sent, framing included (like /proc/net/dev).
 */
public final class IfTable {
    private IfTable() {}

    /** WCHAR Alias[IF_MAX_STRING_SIZE + 1]. */
    static final int ALIAS_CHARS = 257;
    /** IF_OPER_STATUS IfOperStatusUp. */
    public static final int OPER_UP = 1;
    /** More rows than this is not an interface table (guards the reinterpretation of the native buffer). */
    static final int MAX_ROWS = 65_536;

    public static final StructLayout MIB_IF_ROW2 = structLayout(
            ValueLayout.JAVA_LONG.withName("InterfaceLuid"),
            ValueLayout.JAVA_INT.withName("InterfaceIndex"),
            paddingLayout(16), // GUID InterfaceGuid
            sequenceLayout(ALIAS_CHARS, ValueLayout.JAVA_SHORT).withName("Alias"),
            paddingLayout(1156 - 28 - 2 * ALIAS_CHARS), // Description .. InterfaceAndOperStatusFlags
            ValueLayout.JAVA_INT.withName("OperStatus"),
            paddingLayout(1208 - 1160), // AdminStatus .. ReceiveLinkSpeed
            ValueLayout.JAVA_LONG.withName("InOctets"),
            paddingLayout(1280 - 1216), // InUcastPkts .. InBroadcastOctets (8 ULONG64)
            ValueLayout.JAVA_LONG.withName("OutOctets"),
            paddingLayout(1352 - 1288)) // OutUcastPkts .. OutQLen (8 ULONG64)
            .withName("MIB_IF_ROW2");

    /** The table as the SDK declares it (ANY_SIZE = 1 row), for the size/offset checks. */
    public static final StructLayout MIB_IF_TABLE2 = structLayout(
            ValueLayout.JAVA_INT.withName("NumEntries"), paddingLayout(4),
            sequenceLayout(1, MIB_IF_ROW2).withName("Table"))
            .withName("MIB_IF_TABLE2");

    static final long ROWS = offset(MIB_IF_TABLE2, "Table");
    private static final long INDEX = offset(MIB_IF_ROW2, "InterfaceIndex");
    private static final long ALIAS = offset(MIB_IF_ROW2, "Alias");
    private static final long OPER = offset(MIB_IF_ROW2, "OperStatus");
    private static final long IN = offset(MIB_IF_ROW2, "InOctets");
    private static final long OUT = offset(MIB_IF_ROW2, "OutOctets");

    /** One interface: its index, its alias (the name `netsh`, `Get-NetAdapter` and --iface use), its counters. */
    public record Row(int index, String alias, boolean up, long inOctets, long outOctets) {}

    /** Bytes a table of this many rows takes. */
    static long bytesFor(long rows) {
        return ROWS + rows * MIB_IF_ROW2.byteSize();
    }

    /** How many rows the table says it has, checked to be plausible. */
    static int count(MemorySegment table) {
        if (table.byteSize() < ROWS) {
            throw new IllegalArgumentException("interface table of " + table.byteSize() + " bytes: too short");
        }
        long n = Integer.toUnsignedLong(table.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        if (n > MAX_ROWS) {
            throw new IllegalArgumentException("interface table claims " + n + " rows");
        }
        return (int) n;
    }

    /** Decodes every row; the segment must hold as many rows as NumEntries says. */
    public static List<Row> decode(MemorySegment table) {
        int n = count(table);
        if (table.byteSize() < bytesFor(n)) {
            throw new IllegalArgumentException("interface table claims " + n + " rows but holds "
                    + (table.byteSize() - ROWS) / MIB_IF_ROW2.byteSize());
        }
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MemorySegment r = table.asSlice(ROWS + i * MIB_IF_ROW2.byteSize(), MIB_IF_ROW2.byteSize());
            rows.add(new Row(r.get(ValueLayout.JAVA_INT_UNALIGNED, INDEX), alias(r),
                    r.get(ValueLayout.JAVA_INT_UNALIGNED, OPER) == OPER_UP,
                    r.get(ValueLayout.JAVA_LONG_UNALIGNED, IN), r.get(ValueLayout.JAVA_LONG_UNALIGNED, OUT)));
        }
        return rows;
    }

    /** The row of an alias; where several share it (they should not) the first that is up. */
    public static Optional<Row> byAlias(List<Row> rows, String alias) {
        return rows.stream().filter(r -> r.alias().equals(alias))
                .sorted((a, b) -> Boolean.compare(b.up(), a.up())).findFirst();
    }

    public static Optional<Row> byIndex(List<Row> rows, int index) {
        return rows.stream().filter(r -> r.index() == index).findFirst();
    }

    /** The NUL-terminated UTF-16LE alias, bounded by its array even when no NUL comes. */
    private static String alias(MemorySegment row) {
        char[] chars = new char[ALIAS_CHARS];
        int len = 0;
        while (len < ALIAS_CHARS) {
            char c = (char) row.get(ValueLayout.JAVA_SHORT_UNALIGNED, ALIAS + 2L * len);
            if (c == 0) {
                break;
            }
            chars[len++] = c;
        }
        return new String(chars, 0, len);
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
