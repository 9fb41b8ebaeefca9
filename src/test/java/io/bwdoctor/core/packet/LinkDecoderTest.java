package io.bwdoctor.core.packet;

import static io.bwdoctor.core.packet.LinkFrames.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Hand-built frames for the rules that real captures do not exercise. Real frames: {@link LinkFramesTest}. */
class LinkDecoderTest {
    private static final String MACS = "020000000001 020000000002";
    private static final String IPV4 = "4500001c 1234 0000 4011 0000 c0000201 c6336402 9c400035 0008 0000";
    private static final String IPV6 = "60000000 0008 1140 20010db8000000000000000000000001 20010db8000000000000000000000002"
            + " 9c4101bb 0008 0000";

    private final LinkDecoder decoder = new LinkDecoder();
    private final LinkResult r = new LinkResult();

    private LinkResult decode(int linkType, byte[] frame) {
        decoder.decode(linkType, LinkFrames.placed(frame, frame.length), LinkFrames.LEAD, frame.length, r);
        return r;
    }

    private void assertIp(int kind, long offsetInFrame) {
        assertThat(LinkResult.kindName(r.kind)).isEqualTo(LinkResult.kindName(kind));
        assertThat(r.networkOffset - LinkFrames.LEAD).isEqualTo(offsetInFrame);
    }

    private void assertKind(int kind) {
        assertThat(LinkResult.kindName(r.kind)).isEqualTo(LinkResult.kindName(kind));
    }

    @Test
    void vlanStacksOfAnyDepthAndEveryTagType() {
        StringBuilder tags = new StringBuilder();
        String[] tpids = {"8100", "88a8", "9100", "9200"};
        for (int i = 0; i < 300; i++) {
            tags.append(tpids[i % 4]).append("0001");
        }
        decode(LinkType.ETHERNET, hex(MACS, tags.toString(), "0800", IPV4));
        assertIp(LinkResult.IPV4, 14 + 300 * 4);
        assertThat(r.etherType).isEqualTo(0x0800);
    }

    @Test
    void ethernetLengthFieldsBetween1500And1536AreMalformed() {
        decode(LinkType.ETHERNET, hex(MACS, "05ff", IPV4));
        assertKind(LinkResult.MALFORMED);
        decode(LinkType.ETHERNET, hex(MACS, "8100 0001 0600", "0000"));
        assertKind(LinkResult.NON_IP);  // 0x0600 (XNS) is an ethertype
    }

    @Test
    void llcSnapWithAnotherOuiOrIpOnSap6() {
        decode(LinkType.ETHERNET, hex(MACS, "0026 aaaa03 00000c 2000", "0000"));  // Cisco OUI: CDP
        assertKind(LinkResult.NON_IP);
        decode(LinkType.ETHERNET, hex(MACS, "0023 060603", IPV4));
        assertIp(LinkResult.IPV4, 17);
        decode(LinkType.ETHERNET, hex(MACS, "0023 aaaa03 0000f8 86dd", IPV6));  // 802.1H bridge tunnel
        assertIp(LinkResult.IPV6, 22);
    }

    @Test
    void mplsStackPayloadGuessedByNibble() {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            labels.append("00010040");  // not bottom of stack
        }
        decode(LinkType.ETHERNET, hex(MACS, "8847", labels.toString(), "00010140", IPV6));
        assertIp(LinkResult.IPV6, 14 + 21 * 4);
        decode(LinkType.ETHERNET, hex(MACS, "8848 00010140", IPV4));
        assertIp(LinkResult.IPV4, 18);
        // control word, then something that is not an Ethernet header with a known type: not guessed
        decode(LinkType.ETHERNET, hex(MACS, "8847 00010140 00000000", MACS, "0806", "0001080006040001"));
        assertKind(LinkResult.NON_IP);
        assertThat(r.etherType).isEqualTo(0x8847);
        // G-ACh (first nibble 1)
        decode(LinkType.ETHERNET, hex(MACS, "8847 00010140 10000021", IPV4));
        assertKind(LinkResult.NON_IP);
        // a stack without bottom-of-stack bit that runs to the end of the frame
        decode(LinkType.ETHERNET, hex(MACS, "8847 00010040 00010040"));
        assertKind(LinkResult.TRUNCATED);
    }

    @Test
    void pppoeNeedsVersionTypeAndSessionCode() {
        decode(LinkType.ETHERNET, hex(MACS, "8864 1100 0001 0016 0021", IPV4));
        assertIp(LinkResult.IPV4, 22);
        decode(LinkType.ETHERNET, hex(MACS, "8864 2100 0001 0016 0021", IPV4));
        assertKind(LinkResult.MALFORMED);
        decode(LinkType.ETHERNET, hex(MACS, "8864 1100 0001 0016 21", IPV4));  // compressed protocol field
        assertIp(LinkResult.IPV4, 21);
        decode(LinkType.ETHERNET, hex(MACS, "8864 1100 0001 0016 c021 0101"));  // LCP
        assertKind(LinkResult.NON_IP);
        assertThat(r.etherType).isEqualTo(0x8864);
    }

    @Test
    void nullDetectsTheCapturingHostsByteOrder() {
        decode(LinkType.NULL, hex("02000000", IPV4));
        assertIp(LinkResult.IPV4, 4);
        decode(LinkType.NULL, hex("00000002", IPV4));
        assertIp(LinkResult.IPV4, 4);
        for (String family : new String[] {"18000000", "1c000000", "1e000000", "00000018", "0000001c", "0000001e"}) {
            decode(LinkType.NULL, hex(family, IPV6));
            assertIp(LinkResult.IPV6, 4);
        }
        decode(LinkType.NULL, hex("17000000", IPV6));  // Windows AF_INET6 (Npcap loopback), checked by nibble
        assertIp(LinkResult.IPV6, 4);
        decode(LinkType.NULL, hex("17000000", "ffff0000"));  // 23 is AF_IPX on the BSDs
        assertKind(LinkResult.NON_IP);
        decode(LinkType.LOOP, hex("00000002", IPV4));
        assertIp(LinkResult.IPV4, 4);
        decode(LinkType.LOOP, hex("1e000000", IPV6));  // written in the wrong order after all
        assertIp(LinkResult.IPV6, 4);
        decode(LinkType.NULL, hex("020000"));
        assertKind(LinkResult.TRUNCATED);
    }

    @Test
    void rawLinkTypesTrustTheVersionNibble() {
        for (int linkType : new int[] {LinkType.RAW, LinkType.RAW_OPENBSD, LinkType.RAW_DLT14, LinkType.IPV4,
                LinkType.IPV6}) {
            decode(linkType, hex(IPV4));
            assertIp(LinkResult.IPV4, 0);
            decode(linkType, hex(IPV6));
            assertIp(LinkResult.IPV6, 0);
            decode(linkType, hex("00"));
            assertKind(LinkResult.MALFORMED);
            decode(linkType, new byte[0]);
            assertKind(LinkResult.TRUNCATED);
        }
    }

    @Test
    void cookedCaptureSetsThePacketType() {
        // SLL: outgoing (4), ARPHRD_ETHER, VLAN-tagged IPv6 (libpcap puts the tag back after the protocol field)
        decode(LinkType.LINUX_SLL, hex("0004 0001 0006 020000000001 0000 8100 0005 86dd", IPV6));
        assertIp(LinkResult.IPV6, 20);
        assertThat(r.packetType).isEqualTo(4);
        // SLL2: broadcast (1), IPv4
        decode(LinkType.LINUX_SLL2, hex("0800 0000 00000002 0001 01 06 020000000001 0000", IPV4));
        assertIp(LinkResult.IPV4, 20);
        assertThat(r.packetType).isEqualTo(1);
        // SLL on an IPGRE device carrying transparent Ethernet bridging
        decode(LinkType.LINUX_SLL, hex("0000 030a 0000 0000000000000000 6558", MACS, "0800", IPV4));
        assertIp(LinkResult.IPV4, 30);
        // SLL carrying PPP in HDLC framing
        decode(LinkType.LINUX_SLL, hex("0000 0200 0000 0000000000000000 0007 ff03 0021", IPV4));
        assertIp(LinkResult.IPV4, 20);
        // SLL2 of a netlink monitor: NON_IP even though the protocol value looks like an ethertype
        decode(LinkType.LINUX_SLL2, hex("0800 0000 00000002 0338 04 00 0000000000000000", "00000000"));
        assertKind(LinkResult.NON_IP);
        assertThat(r.packetType).isEqualTo(4);
        // CAN frame in SLL: small protocol value
        decode(LinkType.LINUX_SLL, hex("0000 0118 0000 0000000000000000 000c 00000123 08000000"));
        assertKind(LinkResult.NON_IP);
        decode(LinkType.LINUX_SLL2, hex("0800 0000 00000002 0001 01 06 0200000000"));
        assertKind(LinkResult.TRUNCATED);
        assertThat(r.packetType).isEqualTo(-1);
    }

    @Test
    void pppProtocolFieldsAndDirection() {
        decode(LinkType.PPP, hex("ff03 0281 00010140", IPV4));  // MPLS over PPP
        assertIp(LinkResult.IPV4, 8);
        decode(LinkType.PPP, hex("ff03 002d 0000"));  // VJ compressed TCP: no usable IP header
        assertKind(LinkResult.NON_IP);
        decode(LinkType.PPP_PPPD, hex("0103 0021", IPV4));
        assertIp(LinkResult.IPV4, 4);
        assertThat(r.packetType).isEqualTo(4);
        decode(LinkType.PPP_PPPD, hex("0003 57", IPV6));
        assertIp(LinkResult.IPV6, 3);
        assertThat(r.packetType).isZero();
        decode(LinkType.PPP_ETHER, hex("1100 0001 0016 0021", IPV4));
        assertIp(LinkResult.IPV4, 8);
    }

    @Test
    void pppHdlcByteStuffingIsUnescapedInTheHeaderOnly() {
        // escaped protocol low byte (0x21 is not escaped normally, but a peer's ACCM may ask for it)
        decode(LinkType.PPP_HDLC, hex("7e7e ff 7d23 00 7d01", IPV4));
        assertIp(LinkResult.IPV4, 8);
        // the same with an escape byte inside the IP header: a copy would be needed, so MALFORMED
        decode(LinkType.PPP_HDLC, hex("7e ff 7d23 0021 4500001c 7d5e"));
        assertKind(LinkResult.MALFORMED);
        // an unstuffed frame may hold 0x7d anywhere in its IP packet
        decode(LinkType.PPP_HDLC, hex("ff03 0021 4500001c 7d5e"));
        assertIp(LinkResult.IPV4, 4);
        // an escape cut in half at the end of the capture
        decode(LinkType.PPP_HDLC, hex("7e ff 7d"));
        assertKind(LinkResult.TRUNCATED);
        // a frame of nothing but flags
        decode(LinkType.PPP_HDLC, hex("7e7e7e7e7e7e7e7e"));
        assertKind(LinkResult.TRUNCATED);
    }

    @Test
    void ieee80211DataFramesOnly() {
        String addresses = "020000000001 020000000002 020000000003";
        // a later fragment carries no LLC/IP header
        decode(LinkType.IEEE802_11, hex("0801 3a01", addresses, "1100", "aaaa03000000 0800", IPV4));
        assertKind(LinkResult.NON_IP);
        // A-MSDU: first subframe header (DA, SA, length) before the LLC header
        decode(LinkType.IEEE802_11, hex("8801 3a01", addresses, "1000", "8000", MACS, "0024",
                "aaaa03000000 0800", IPV4));
        assertIp(LinkResult.IPV4, 26 + 14 + 8);
        // QoS data with HT Control: +4
        decode(LinkType.IEEE802_11, hex("8881 3a01", addresses, "1000", "0000", "00000000", "aaaa03000000 86dd", IPV6));
        assertIp(LinkResult.IPV6, 30 + 8);
        // control frame (ACK)
        decode(LinkType.IEEE802_11, hex("d400 0000 020000000001"));
        assertKind(LinkResult.NON_IP);
        // protocol version 1
        decode(LinkType.IEEE802_11, hex("0901 3a01", addresses, "1000", "aaaa03000000 0800", IPV4));
        assertKind(LinkResult.MALFORMED);
    }

    @Test
    void radiotapWithExtendedPresentWordsAndTsftAlignment() {
        // present: TSFT | Flags | Ext (bit 31), second word 0: fields start at 12, TSFT aligned to 16, flags at 24
        String radiotap = "00 00 2000 03000080 00000000 00000000 1122334455667788 20 000000 00000000";
        decode(LinkType.IEEE802_11_RADIOTAP, hex(radiotap, "8801 3a01 020000000001 020000000002 020000000003 1000 0000",
                "0000", "aaaa03000000 0800", IPV4));
        assertIp(LinkResult.IPV4, 32 + 26 + 2 + 8);  // 26-byte QoS header padded to 28 (Flags: data pad)
        decode(LinkType.IEEE802_11_RADIOTAP, hex("00 00 0700 00000000"));  // length 7 < 8
        assertKind(LinkResult.MALFORMED);
        decode(LinkType.IEEE802_11_RADIOTAP, hex("00 00 4000 00000000"));  // length beyond the capture
        assertKind(LinkResult.TRUNCATED);
        decode(LinkType.IEEE802_11_RADIOTAP, hex("00 00 0c00 00000080 00000080"));  // present words beyond length
        assertKind(LinkResult.MALFORMED);
    }

    @Test
    void frameRelayAddressForms() {
        decode(LinkType.FRELAY, hex("1861 0800", IPV4));  // Cisco encapsulation
        assertIp(LinkResult.IPV4, 4);
        decode(LinkType.FRELAY, hex("180061 03cc", IPV4));  // 3-byte Q.922 address
        assertIp(LinkResult.IPV4, 5);
        decode(LinkType.FRELAY, hex("1801 03cf ff03 0057", IPV6));  // PPP over Frame Relay
        assertIp(LinkResult.IPV6, 8);
        decode(LinkType.FRELAY, hex("19 03cc", IPV4));  // 1-byte address: EA set on the first byte
        assertKind(LinkResult.MALFORMED);
        decode(LinkType.FRELAY, hex("1800000000 03cc"));  // EA never set within 4 bytes
        assertKind(LinkResult.MALFORMED);
        decode(LinkType.FRELAY, hex("1841 0300 80 0080c2 0007", MACS, "86dd", IPV6));  // bridged Ethernet
        assertIp(LinkResult.IPV6, 24);
    }

    @Test
    void nflogWalksTlvsInEitherByteOrder() {
        // little-endian TLVs: a 5-byte prefix TLV (padded to 8), then the payload
        decode(LinkType.NFLOG, hex("02000001 0900 0a00 6277640a00 000000 2000 0900", IPV4));
        assertIp(LinkResult.IPV4, 4 + 12 + 4);
        // TLV of length < 4: malformed, would never advance
        decode(LinkType.NFLOG, hex("02000001 0200 0100 00000000"));
        assertKind(LinkResult.MALFORMED);
        // TLVs without a payload TLV
        decode(LinkType.NFLOG, hex("02000001 0800 0100 08000300"));
        assertKind(LinkResult.TRUNCATED);
        // the version nibble decides, as for raw IP
        decode(LinkType.NFLOG, hex("02000001 2000 0900", IPV6));
        assertIp(LinkResult.IPV6, 8);
    }

    @Test
    void ipOverInfinibandNonIpAndTruncatedPseudoHeader() {
        decode(LinkType.IPOIB, hex("0806 0000 0001"));
        assertKind(LinkResult.NON_IP);
        decode(LinkType.IPOIB, hex("6000000000000048"));  // a GRH cut before the IPoIB header
        assertKind(LinkResult.TRUNCATED);
    }

    @Test
    void ciscoHdlc() {
        decode(LinkType.C_HDLC, hex("8f00 8847 00010140", IPV6));
        assertIp(LinkResult.IPV6, 8);
        decode(LinkType.C_HDLC, hex("0f00 08"));
        assertKind(LinkResult.TRUNCATED);
    }

    @Test
    void pktapRecursesOnceAndReportsDirection() {
        byte[] header = new byte[108];
        MemorySegment h = MemorySegment.ofArray(header);
        h.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, 108);
        h.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 4, 1);
        h.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 8, 12);
        h.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 36, 2);
        String hdr = java.util.HexFormat.of().formatHex(header);
        decode(LinkType.PKTAP, hex(hdr, IPV6));  // inner DLT_RAW (12 on Darwin)
        assertIp(LinkResult.IPV6, 108);
        assertThat(r.packetType).isEqualTo(4);

        h.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 8, 258);
        decode(LinkType.PKTAP, hex(java.util.HexFormat.of().formatHex(header), hdr, IPV6));  // PKTAP in PKTAP
        assertKind(LinkResult.MALFORMED);

        h.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 8, 231);
        decode(LinkType.PKTAP, hex(java.util.HexFormat.of().formatHex(header), "6c01"));  // inner D-Bus
        assertKind(LinkResult.UNSUPPORTED);

        decode(LinkType.PKTAP, hex("10000000 01000000 01000000"));  // header length 16 < 108
        assertKind(LinkResult.MALFORMED);
    }

    @Test
    void unsupportedLinkTypesAndBadArguments() {
        for (int linkType : new int[] {231, 253, 147, 65535, -1}) {
            decode(linkType, hex(IPV4));
            assertKind(LinkResult.UNSUPPORTED);
            assertThat(LinkDecoder.supports(linkType)).isFalse();
        }
        assertThat(LinkDecoder.supports(LinkType.PKTAP)).isTrue();
        MemorySegment s = MemorySegment.ofArray(hex(IPV4));
        decoder.decode(LinkType.RAW, s, 0, 1000, r);  // claims more than the segment holds: clamped
        assertIp(LinkResult.IPV4, -LinkFrames.LEAD);
        decoder.decode(LinkType.RAW, s, 29, 1, r);
        assertKind(LinkResult.MALFORMED);
        decoder.decode(LinkType.RAW, s, 0, -5, r);
        assertKind(LinkResult.MALFORMED);
        decoder.decode(LinkType.RAW, null, 0, 5, r);
        assertKind(LinkResult.MALFORMED);
    }

    @Test
    void decodeEthernetForTunnelsKeepsThePacketType() {
        byte[] inner = hex("0000", MACS, "8100 0001 86dd", IPV6);
        MemorySegment s = MemorySegment.ofArray(inner);
        r.reset();
        r.packetType = 3;
        decoder.decodeEthernet(s, 2, inner.length, r);
        assertThat(r.kind).isEqualTo(LinkResult.IPV6);
        assertThat(r.networkOffset).isEqualTo(2 + 18);
        assertThat(r.packetType).isEqualTo(3);
        decoder.decodeEthernet(s, 2, 15, r);
        assertThat(r.kind).isEqualTo(LinkResult.TRUNCATED);
        decoder.decodeEthernet(s, 2, 10_000, r);  // end beyond the segment: clamped
        assertThat(r.kind).isEqualTo(LinkResult.IPV6);
    }

    @Test
    void kindNames() {
        assertThat(LinkResult.kindName(LinkResult.IPV4)).isEqualTo("ipv4");
        assertThat(LinkResult.kindName(LinkResult.UNSUPPORTED)).isEqualTo("unsupported");
        assertThat(LinkType.name(LinkType.PKTAP)).isEqualTo("pktap");
    }
}
