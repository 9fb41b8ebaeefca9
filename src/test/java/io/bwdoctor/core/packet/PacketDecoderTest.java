package io.bwdoctor.core.packet;

import static io.bwdoctor.testing.Packets.bytes;
import static io.bwdoctor.testing.Packets.concat;
import static io.bwdoctor.testing.Packets.ether;
import static io.bwdoctor.testing.Packets.ethernet;
import static io.bwdoctor.testing.Packets.ipv4;
import static io.bwdoctor.testing.Packets.ipv6;
import static io.bwdoctor.testing.Packets.tcp;
import static io.bwdoctor.testing.Packets.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.report.Addresses;
import io.bwdoctor.testing.Packets;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final DecodedPacket out = new DecodedPacket();

    private DecodedPacket decode(byte[] frame) {
        decoder.decode(ether(frame), out);
        return out;
    }

    private static String src(IpLayer ip) {
        return Addresses.format(ip.version, ip.srcHi, ip.srcLo);
    }

    private static String dst(IpLayer ip) {
        return Addresses.format(ip.version, ip.dstHi, ip.dstLo);
    }

    @Test
    void tcpOverIpv4() {
        decode(ethernet(0x0800, ipv4("192.0.2.1", "198.51.100.2", 6, tcp(40000, 443, 0x18, bytes(100)))));
        assertThat(out.kind).isEqualTo(DecodedPacket.Kind.IP);
        assertThat(src(out.outer)).isEqualTo("192.0.2.1");
        assertThat(dst(out.outer)).isEqualTo("198.51.100.2");
        assertThat(out.outer.protocol).isEqualTo(6);
        assertThat(out.outer.srcPort).isEqualTo(40000);
        assertThat(out.outer.dstPort).isEqualTo(443);
        assertThat(out.outer.tcpFlags).isEqualTo(0x18);
        assertThat(out.outer.payloadLength).isEqualTo(100);
        assertThat(out.hasInner()).isFalse();
    }

    @Test
    void udpOverIpv6WithExtensionHeadersAndVlans() {
        byte[] hopByHop = {17, 0, 1, 4, 0, 0, 0, 0}; // next = UDP, length 8
        byte[] ip = ipv6("2001:db8::1", "2001:db8::2", 0, concat(hopByHop, udp(5353, 53, bytes(30))));
        decode(ethernet(0x8100, Packets.vlan(10, 0x88a8, Packets.vlan(20, 0x86dd, ip))));
        assertThat(out.kind).isEqualTo(DecodedPacket.Kind.IP);
        assertThat(src(out.outer)).isEqualTo("2001:db8::1");
        assertThat(out.outer.protocol).isEqualTo(17);
        assertThat(out.outer.dstPort).isEqualTo(53);
    }

    @Test
    void ipv4FragmentsAfterTheFirstGetItsPorts() {
        byte[] whole = udp(789, 2049, bytes(3000));
        byte[] first = ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", 17, java.util.Arrays.copyOf(whole, 1480),
                77, true, 0));
        byte[] second = ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", 17,
                java.util.Arrays.copyOfRange(whole, 1480, 2960), 77, true, 1480));
        decode(first);
        assertThat(out.outer.fragment).isTrue();
        assertThat(out.outer.firstFragment).isTrue();
        assertThat(out.outer.dstPort).isEqualTo(2049);
        decode(second);
        assertThat(out.outer.firstFragment).isFalse();
        assertThat(out.outer.srcPort).isEqualTo(789);
        assertThat(out.outer.dstPort).isEqualTo(2049);
        assertThat(decoder.nonFirstFragmentsMatched()).isEqualTo(1);

        byte[] orphan = ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", 17, bytes(100), 78, false, 1480));
        decode(orphan);
        assertThat(out.kind).isEqualTo(DecodedPacket.Kind.IP);
        assertThat(out.outer.hasPorts()).as("first fragment never seen: pair only").isFalse();
        assertThat(decoder.nonFirstFragments()).isEqualTo(2);
    }

    @Test
    void ipv6FragmentHeader() {
        byte[] fragFirst = {17, 0, 0, 1, 0, 0, 0, 9}; // offset 0, M=1, id 9
        decode(ethernet(0x86dd, ipv6("2001:db8::1", "2001:db8::2", 44, concat(fragFirst, udp(1000, 2000, bytes(50))))));
        assertThat(out.outer.fragment).isTrue();
        assertThat(out.outer.dstPort).isEqualTo(2000);
        byte[] fragNext = {17, 0, 0, (byte) 0xb0, 0, 0, 0, 9}; // offset 22*8
        decode(ethernet(0x86dd, ipv6("2001:db8::1", "2001:db8::2", 44, concat(fragNext, bytes(50)))));
        assertThat(out.outer.firstFragment).isFalse();
        assertThat(out.outer.dstPort).isEqualTo(2000);
    }

    @Test
    void unreadableIpHeadersAreSkippedWithTheirReason() {
        byte[] good = ipv4("192.0.2.1", "192.0.2.2", 6, tcp(1, 2, 0, new byte[0]));
        byte[] badVersion = good.clone();
        badVersion[0] = 0x55;
        assertThat(decode(ethernet(0x0800, badVersion)).skipReason).isEqualTo(SkipReason.IP_BAD_VERSION);
        byte[] shortIhl = good.clone();
        shortIhl[0] = 0x44;
        assertThat(decode(ethernet(0x0800, shortIhl)).skipReason).isEqualTo(SkipReason.IPV4_BAD_HEADER_LENGTH);
        byte[] bogusTotal = good.clone();
        bogusTotal[2] = 0;
        bogusTotal[3] = 11;
        assertThat(decode(ethernet(0x0800, bogusTotal)).skipReason).isEqualTo(SkipReason.IPV4_BAD_TOTAL_LENGTH);
        assertThat(decode(ethernet(0x0800, java.util.Arrays.copyOf(good, 12))).skipReason)
                .isEqualTo(SkipReason.IP_TRUNCATED);
    }

    @Test
    void offloadedIpv4WithTotalLengthZeroIsCounted() {
        byte[] ip = ipv4("192.0.2.1", "192.0.2.2", 6, tcp(1000, 80, 0x10, bytes(3000)));
        ip[2] = 0;
        ip[3] = 0;
        decode(ethernet(0x0800, ip));
        assertThat(out.kind).isEqualTo(DecodedPacket.Kind.IP);
        assertThat(out.outer.dstPort).isEqualTo(80);
    }

    @Test
    void cutOrMalformedTcpHeaderKeepsThePairButNoPorts() {
        byte[] ip = ipv4("192.0.2.1", "192.0.2.2", 6, tcp(1000, 80, 0x10, new byte[0]));
        ip[20 + 12] = 0x70; // data offset 28 bytes in a 20-byte segment
        decode(ethernet(0x0800, ip));
        assertThat(out.kind).isEqualTo(DecodedPacket.Kind.IP);
        assertThat(out.outer.hasPorts()).isFalse();
        byte[] cut = java.util.Arrays.copyOf(ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", 6,
                tcp(1000, 80, 0x10, new byte[0]))), 14 + 20 + 12);
        decode(cut);
        assertThat(out.kind).isEqualTo(DecodedPacket.Kind.IP);
        assertThat(out.outer.hasPorts()).isFalse();
    }

    @Test
    void icmpErrorsQuotingAUdpHeaderAreNotConversationsOfThatHeader() {
        byte[] quoted = ipv4("192.0.2.2", "203.0.113.9", 17, udp(5000, 33434, bytes(8)));
        byte[] icmp = concat(new byte[] {3, 3, 0, 0, 0, 0, 0, 0}, quoted);
        decode(ethernet(0x0800, ipv4("198.51.100.1", "192.0.2.2", 1, icmp)));
        assertThat(out.outer.protocol).isEqualTo(1);
        assertThat(out.outer.hasPorts()).isFalse();
        assertThat(out.hasInner()).isFalse();
    }

    @Test
    void vxlanGeneveGtpGreIpipAndTeredoShowTheirInnerConversation() {
        byte[] innerTcp = ipv4("203.0.113.5", "203.0.113.6", 6, tcp(1234, 80, 2, new byte[0]));
        byte[] vxlan = concat(new byte[] {8, 0, 0, 0, 0, 0, 1, 0}, ethernet(0x0800, innerTcp));
        assertInner(udp(50000, 4789, vxlan), 17, Tunnel.VXLAN, "203.0.113.5", 80);

        byte[] geneve = concat(new byte[] {0, 0, 0x65, 0x58, 0, 0, 1, 0}, ethernet(0x0800, innerTcp));
        assertInner(udp(50000, 6081, geneve), 17, Tunnel.GENEVE, "203.0.113.5", 80);

        byte[] gtp = concat(new byte[] {0x30, (byte) 0xff, 0, (byte) innerTcp.length, 0, 0, 0, 1}, innerTcp);
        assertInner(udp(2152, 2152, gtp), 17, Tunnel.GTP_U, "203.0.113.5", 80);

        byte[] greWithKey = concat(new byte[] {0x20, 0, 0x08, 0, 0, 0, 0, 42}, innerTcp);
        assertInner(greWithKey, 47, Tunnel.GRE, "203.0.113.5", 80);

        assertInner(innerTcp, 4, Tunnel.IP_IN_IP, "203.0.113.5", 80);

        byte[] inner6 = ipv6("2001:db8::5", "2001:db8::6", 17, udp(7, 9, bytes(4)));
        assertInner(inner6, 41, Tunnel.SIX_IN_FOUR, "2001:db8::5", 9);
        byte[] origin = {0, 0, 1, 2, 3, 4, 5, 6};
        assertInner(udp(3544, 40000, concat(origin, inner6)), 17, Tunnel.TEREDO, "2001:db8::5", 9);
    }

    private void assertInner(byte[] outerPayload, int protocol, Tunnel tunnel, String innerSrc, int innerDstPort) {
        decode(ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", protocol, outerPayload)));
        assertThat(out.kind).isEqualTo(DecodedPacket.Kind.IP);
        assertThat(src(out.outer)).isEqualTo("192.0.2.1");
        assertThat(out.tunnel).isEqualTo(tunnel);
        assertThat(out.innerCount).isEqualTo(1);
        assertThat(src(out.inner[0])).isEqualTo(innerSrc);
        assertThat(out.inner[0].dstPort).isEqualTo(innerDstPort);
    }

    @Test
    void tunnelsNestUpToFourLayers() {
        byte[] ip = ipv4("203.0.113.9", "203.0.113.10", 17, udp(1, 2, bytes(3)));
        for (int i = 0; i < 6; i++) {
            ip = ipv4("192.0.2." + (i + 1), "192.0.2.100", 4, ip);
        }
        decode(ethernet(0x0800, ip));
        assertThat(out.innerCount).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(ints = {LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL,
            LinkType.PPP, LinkType.IEEE802_11_RADIOTAP, LinkType.NFLOG, 9999})
    void neverThrowsOnRandomOrCutFrames(int linkType) {
        SplittableRandom random = new SplittableRandom(linkType);
        byte[] seed = ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", 47,
                concat(new byte[] {0, 0, 0x65, 0x58}, ethernet(0x86dd, ipv6("2001:db8::1", "2001:db8::2", 17,
                        udp(3544, 3544, bytes(60)))))));
        for (int i = 0; i < 20_000; i++) {
            byte[] data = random.nextInt(4) == 0 ? new byte[random.nextInt(200)] : seed.clone();
            for (int m = random.nextInt(8); m > 0 && data.length > 0; m--) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            int len = data.length == 0 ? 0 : random.nextInt(data.length + 1);
            Frame f = new Frame().set(linkType, i, MemorySegment.ofArray(data), 0, len, len + 10, 0);
            decoder.decode(f, out);
            assertThat(out.kind).isNotNull();
        }
    }
}
