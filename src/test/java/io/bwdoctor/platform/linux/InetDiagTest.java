package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The inet_diag decoder on hand-built messages: exact field placement, and no crash on corrupted input. */
class InetDiagTest {

    /** A SOCK_DIAG_BY_FAMILY message as the kernel lays it out (host order = little-endian here). */
    static byte[] message(int family, int state, byte[] src, int sport, byte[] dst, int dport, long cookie,
                          int uid, int inode, int tcpInfoLength) {
        int infoAttr = tcpInfoLength < 0 ? 0 : 4 + Netlink.align4(tcpInfoLength);
        int length = Netlink.NLMSG_HDRLEN + InetDiag.MSG_SIZE + 8 + infoAttr;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length).putShort((short) InetDiag.SOCK_DIAG_BY_FAMILY).putShort((short) 2).putInt(1).putInt(0);
        int msg = b.position();
        b.put((byte) family).put((byte) state).put((byte) 0).put((byte) 0);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) sport).putShort((short) dport);
        b.put(msg + 8, src).put(msg + 24, dst);
        b.order(ByteOrder.nativeOrder());
        b.putInt(msg + 44, (int) cookie).putInt(msg + 48, (int) (cookie >>> 32));
        b.putInt(msg + InetDiag.MSG_UID, uid).putInt(msg + InetDiag.MSG_INODE, inode);
        int attr = msg + InetDiag.MSG_SIZE;
        b.putShort(attr, (short) 5).putShort(attr + 2, (short) InetDiag.INET_DIAG_PROTOCOL).put(attr + 4, (byte) 6);
        if (tcpInfoLength >= 0) {
            int info = attr + 8;
            b.putShort(info, (short) (4 + tcpInfoLength)).putShort(info + 2, (short) InetDiag.INET_DIAG_INFO);
            int p = info + 4;
            if (tcpInfoLength >= 72) b.putInt(p + InetDiag.TCPI_RTT, 345);
            if (tcpInfoLength >= 128) b.putLong(p + InetDiag.TCPI_BYTES_ACKED, 1002);
            if (tcpInfoLength >= 136) b.putLong(p + InetDiag.TCPI_BYTES_RECEIVED, 77);
            if (tcpInfoLength >= 208) b.putLong(p + InetDiag.TCPI_BYTES_SENT, 1001);
            if (tcpInfoLength >= 216) b.putLong(p + InetDiag.TCPI_BYTES_RETRANS, 5);
        }
        return b.array();
    }

    static SocketRecord decode(byte[] bytes, Transport transport) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(bytes.length + 8);
            MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return InetDiag.decode(s, 0, bytes.length, transport, 4026531833L);
        }
    }

    static byte[] mapped(int a, int b, int c, int d) {
        return new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d};
    }

    @Test
    void decodesEveryFieldOfAMappedDualStackTcpSocket() throws Exception {
        byte[] bytes = message(InetDiag.AF_INET6, 1, mapped(192, 0, 2, 7), 443, mapped(198, 51, 100, 9), 50123,
                0x1_0000_0002L, 1000, 123456, 232);
        SocketRecord r = decode(bytes, Transport.TCP);
        assertThat(r.ipVersion()).isEqualTo(4);
        assertThat(r.dualStack()).isTrue();
        assertThat(r.localLo()).isEqualTo(0xc0000207L);
        assertThat(r.localHi()).isZero();
        assertThat(r.localAddress()).isEqualTo(InetAddress.getByName("192.0.2.7"));
        assertThat(r.remoteAddress()).isEqualTo(InetAddress.getByName("198.51.100.9"));
        assertThat(r.localPort()).isEqualTo(443);
        assertThat(r.remotePort()).isEqualTo(50123);
        assertThat(r.state()).isEqualTo(SocketState.ESTABLISHED);
        assertThat(r.cookie()).isEqualTo(0x1_0000_0002L);
        assertThat(r.uid()).isEqualTo(1000);
        assertThat(r.inode()).isEqualTo(123456);
        assertThat(r.netnsInode()).isEqualTo(4026531833L);
        assertThat(r.ipProtocol()).isEqualTo(6);
        assertThat(r.bytesSent()).isEqualTo(1001);
        assertThat(r.bytesAcked()).isEqualTo(1002);
        assertThat(r.bytesReceived()).isEqualTo(77);
        assertThat(r.bytesRetrans()).isEqualTo(5);
        assertThat(r.rttMicros()).isEqualTo(345);
    }

    @Test
    void dualStackListenerWithUnsetPeerIsIpv4() throws Exception {
        SocketRecord r = decode(message(InetDiag.AF_INET6, 10, mapped(127, 0, 0, 1), 8080, new byte[16], 0, 1, 0, 9,
                232), Transport.TCP);
        assertThat(r.ipVersion()).isEqualTo(4);
        assertThat(r.remoteAddress()).isEqualTo(InetAddress.getByName("0.0.0.0"));
        SocketRecord unbound = decode(message(InetDiag.AF_INET6, 7, new byte[16], 0, new byte[16], 0, 1, 0, 9, 232),
                Transport.TCP);
        assertThat(unbound.ipVersion()).isEqualTo(6);
        assertThat(unbound.dualStack()).isFalse();
    }

    @Test
    void olderKernelsShorterTcpInfoLeavesNewerCountersUnknown() {
        byte[] src = new byte[16];
        src[0] = 0x20;
        src[1] = 0x01;
        src[2] = 0x0d;
        src[3] = (byte) 0xb8;
        src[15] = 1;
        SocketRecord r = decode(message(InetDiag.AF_INET6, 10, src, 80, new byte[16], 0, 1, 0, 9, 160),
                Transport.TCP);
        assertThat(r.localAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(r.localHi()).isEqualTo(0x20010db800000000L);
        assertThat(r.localLo()).isEqualTo(1);
        assertThat(r.ipVersion()).isEqualTo(6);
        assertThat(r.state()).isEqualTo(SocketState.LISTEN);
        assertThat(r.bytesAcked()).isEqualTo(1002);
        assertThat(r.bytesSent()).isEqualTo(SocketRecord.UNKNOWN);
        assertThat(r.bytesRetrans()).isEqualTo(SocketRecord.UNKNOWN);
        SocketRecord noInfo = decode(message(InetDiag.AF_INET, 6, new byte[] {(byte) 203, 0, 113, 1}, 1,
                new byte[] {(byte) 203, 0, 113, 2}, 2, 1, 0, 0, -1), Transport.TCP);
        assertThat(noInfo.state()).isEqualTo(SocketState.TIME_WAIT);
        assertThat(noInfo.uid()).isEqualTo(-1);
        assertThat(noInfo.bytesAcked()).isEqualTo(SocketRecord.UNKNOWN);
        assertThat(noInfo.ipVersion()).isEqualTo(4);
    }

    @Test
    void udpStatesAndNoTcpInfoParsing() {
        byte[] bytes = message(InetDiag.AF_INET, 7, new byte[] {127, 0, 0, 1}, 53, new byte[4], 0, 1, 0, 5, 232);
        SocketRecord r = decode(bytes, Transport.UDP);
        assertThat(r.state()).isEqualTo(SocketState.UNCONNECTED);
        assertThat(r.bytesSent()).isEqualTo(SocketRecord.UNKNOWN); // only tcp_info is understood
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void corruptedMessagesNeverThrow(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] good = message(InetDiag.AF_INET6, 1, mapped(192, 0, 2, 1), 1, mapped(192, 0, 2, 2), 2, 3, 0, 4, 232);
        for (int i = 0; i < 2000; i++) {
            byte[] bad = java.util.Arrays.copyOf(good, random.nextInt(good.length + 1));
            for (int k = random.nextInt(6); k >= 0 && bad.length > 0; k--) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            for (Transport t : Transport.values()) {
                SocketRecord r = decode(bad, t);
                if (r != null) assertThat(r.localPort()).isBetween(0, 65535);
            }
        }
    }
}
