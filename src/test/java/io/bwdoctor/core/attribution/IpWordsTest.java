package io.bwdoctor.core.attribution;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class IpWordsTest {
    @Test
    void roundTripsBothVersionsInTheFlowKeyForm() throws Exception {
        InetAddress v4 = InetAddress.getByName("203.0.113.200");
        assertThat(IpWords.version(v4)).isEqualTo(4);
        assertThat(IpWords.hi(v4)).isZero();
        assertThat(IpWords.lo(v4)).isEqualTo(0xcb0071c8L);
        assertThat(IpWords.toInetAddress(4, 0, 0xcb0071c8L)).isEqualTo(v4);

        InetAddress v6 = InetAddress.getByName("2001:db8::ff00:42:8329");
        assertThat(IpWords.version(v6)).isEqualTo(6);
        assertThat(IpWords.hi(v6)).isEqualTo(0x20010db800000000L);
        assertThat(IpWords.lo(v6)).isEqualTo(0x0000ff0000428329L);
        assertThat(IpWords.toInetAddress(6, IpWords.hi(v6), IpWords.lo(v6))).isEqualTo(v6);
    }

    @Test
    void socketRecordValidatesAndDerivesAddresses() throws Exception {
        SocketRecord r = new SocketRecord(Transport.UDP, 17, 6, false, 0x20010db800000000L, 1, 53, 0, 0, 0,
                SocketState.UNCONNECTED, 1, 2, 0, -1, 0, -1, -1, -1, -1, -1);
        assertThat(r.localAddress()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(r.remoteAddress()).isEqualTo(InetAddress.getByName("::"));
        assertThat(r.withInode(7).inode()).isEqualTo(7);
        assertThat(r.withInode(7).localPort()).isEqualTo(53);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SocketRecord(Transport.UDP, 17, 5, false,
                0, 0, 0, 0, 0, 0, SocketState.UNKNOWN, 0, 0, 0, -1, 0, -1, -1, -1, -1, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
