package io.bwdoctor.platform.windows;

import io.bwdoctor.core.attribution.SocketRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decoding of IP Helper table buffers recorded as the API returns them (make-iphelper-fixtures.py). */
class IpHelperTablesTest {

    static String file(IpHelperTables.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT) + ".bin";
    }

    static List<IpHelperTables.Row> rows(IpHelperTables.Kind kind) {
        return IpHelperTables.decode(kind, MemorySegment.ofArray(Fixtures.bytes(file(kind))));
    }

    /** The rendering make-iphelper-fixtures.py writes: table, local, remote, state, owner pid, dual-stack. */
    static String render(IpHelperTables.Row row) {
        SocketRecord s = IpHelperTables.toSocketRecord(row);
        return row.kind().name().toLowerCase(Locale.ROOT) + "\t" + end(s.ipVersion(), s.localAddress().getHostAddress(),
                row.localScope(), s.localPort()) + "\t" + end(s.ipVersion(), s.remoteAddress().getHostAddress(),
                s.remoteHi() == 0 && s.remoteLo() == 0 ? 0 : row.remoteScope(), s.remotePort())
                + "\t" + s.state() + "\t" + s.ownerPid() + "\t" + s.dualStack();
    }

    private static String end(int version, String host, int scope, int port) {
        return version == 4 ? host + ":" + port : "[" + host + (scope != 0 ? "%" + scope : "") + "]:" + port;
    }

    @Test
    void decodesTheRecordedTablesOfAWindowsServerVm() {
        List<String> got = new ArrayList<>();
        for (IpHelperTables.Kind kind : IpHelperTables.Kind.values()) {
            rows(kind).forEach(r -> got.add(render(r)));
        }
        assertThat(got).containsExactlyElementsOf(Fixtures.lines("iphelper-expected.tsv"));
    }

    @ParameterizedTest
    @EnumSource(IpHelperTables.Kind.class)
    void nativeAndHeapBuffersDecodeAlike(IpHelperTables.Kind kind) {
        byte[] recorded = Fixtures.bytes(file(kind));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(recorded.length + 64L, 8); // the API fills a larger buffer
            buffer.copyFrom(MemorySegment.ofArray(recorded));
            assertThat(IpHelperTables.decode(kind, buffer)).isEqualTo(rows(kind));
        }
    }

    @Test
    void portsIgnoreTheUndefinedUpperBitsAndListenersTheirRemoteEnd() {
        IpHelperTables.Row rdp = rows(IpHelperTables.Kind.TCP4).stream().filter(r -> r.localPort() == 3389
                && r.mibState() == 5).findFirst().orElseThrow();
        assertThat(rdp.remotePort()).isEqualTo(51234);
        IpHelperTables.Row listener = rows(IpHelperTables.Kind.TCP4).stream().filter(r -> r.localPort() == 49668)
                .findFirst().orElseThrow();
        assertThat(listener.remotePort()).as("raw junk").isNotZero();
        assertThat(IpHelperTables.toSocketRecord(listener).remotePort()).isZero();
    }

    @Test
    void aTableClaimingMoreRowsThanItsBufferHoldsIsRejected() {
        byte[] recorded = Fixtures.bytes("tcp6.bin");
        byte[] cut = java.util.Arrays.copyOf(recorded, recorded.length - 1);
        assertThatThrownBy(() -> IpHelperTables.decode(IpHelperTables.Kind.TCP6, MemorySegment.ofArray(cut)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claims 7 rows");
        byte[] huge = recorded.clone();
        huge[3] = (byte) 0xff; // dwNumEntries = 0xff000007
        assertThatThrownBy(() -> IpHelperTables.decode(IpHelperTables.Kind.TCP6, MemorySegment.ofArray(huge)))
                .hasMessageContaining("holds at most 7");
        assertThatThrownBy(() -> IpHelperTables.decode(IpHelperTables.Kind.UDP4, MemorySegment.ofArray(new byte[3])))
                .hasMessageContaining("shorter than its header");
        assertThat(IpHelperTables.decode(IpHelperTables.Kind.UDP4, MemorySegment.ofArray(new byte[4]))).isEmpty();
    }

    @Test
    void estatsRowsAreBuiltAsTheApiExpectsThem() {
        IpHelperTables.Row rdp = rows(IpHelperTables.Kind.TCP4).stream().filter(r -> r.localPort() == 3389
                && r.mibState() == 5).findFirst().orElseThrow();
        byte[] built = new byte[20];
        TcpEStats.putRow(MemorySegment.ofArray(built), rdp);
        assertThat(built).isEqualTo(Fixtures.bytes("mib-tcprow-rdp.bin"));

        IpHelperTables.Row linkLocal = rows(IpHelperTables.Kind.TCP6).stream().filter(r -> r.localPort() == 49800)
                .findFirst().orElseThrow();
        byte[] built6 = new byte[52];
        TcpEStats.putRow(MemorySegment.ofArray(built6), linkLocal);
        assertThat(built6).isEqualTo(Fixtures.bytes("mib-tcp6row-linklocal.bin"));
        assertThatThrownBy(() -> TcpEStats.putRow(MemorySegment.ofArray(new byte[20]), linkLocal))
                .hasMessageContaining("too small");
        assertThatThrownBy(() -> TcpEStats.rowLayout(IpHelperTables.Kind.UDP4)).hasMessageContaining("TCP only");
    }

    @Test
    void estatsDataCountersFillTheSocketRecord() {
        TcpEStats.DataCounters c = TcpEStats.readData(MemorySegment.ofArray(Fixtures.bytes("estats-data-rod.bin")));
        assertThat(c).isEqualTo(new TcpEStats.DataCounters(1_234_567_890_123L, 45_678_901L, 912_345L, 81_234L,
                1_234_560_000_000L, 45_670_000L));
        SocketRecord s = TcpEStats.withCounters(IpHelperTables.toSocketRecord(rows(IpHelperTables.Kind.TCP4).get(10)), c);
        assertThat(s.bytesSent()).isEqualTo(1_234_567_890_123L);
        assertThat(s.bytesReceived()).isEqualTo(45_678_901L);
        assertThat(s.bytesAcked()).isEqualTo(1_234_560_000_000L);
        assertThat(s.ownerPid()).isEqualTo(1108);
        assertThatThrownBy(() -> TcpEStats.readData(MemorySegment.ofArray(new byte[95]))).hasMessageContaining("96");
    }
}
