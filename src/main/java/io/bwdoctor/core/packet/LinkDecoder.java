package io.bwdoctor.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Finds the IP header inside a link-layer frame. Stateless and allocation-free; pure (no I/O). Never throws on frame
 * content: every read is checked against the captured end, and a frame too short for its link header is
 * {@link LinkResult#TRUNCATED}.
 *
 * <p>Decisions worth knowing:
 * <ul>
 *   <li>Raw IP link types (12, 14, 101, 228, 229) and the NFLOG payload are classified by the version nibble, not by
 *       the link type or family: tcpdump and tshark both show the IPv6 packet of malformed/LINKTYPE_IPV4_invalid.pcap
 *       (link type 228) as IPv6, and so do we. A nibble other than 4 or 6 is {@link LinkResult#MALFORMED}.</li>
 *   <li>MPLS: the label stack is walked to the bottom; the payload is guessed from its first nibble (4, 6). A first
 *       nibble 0 is a pseudowire control word; it is taken as an Ethernet pseudowire only if the inner Ethernet
 *       header carries a known ethertype, otherwise the frame is NON_IP.</li>
 *   <li>PPP in HDLC framing may arrive byte-stuffed (0x7e flags, 0x7d escapes). The link header is un-escaped on the
 *       fly, and an HDLC flag inside the protocol field restarts parsing after it, as tcpdump does (so
 *       linktypes/ppp_ip_udp_dns.pcap gives IPv4 at offset 5, where tshark finds nothing). The IP header of a stuffed
 *       frame is reported in place when its first {@value #STUFFED_IP_CHECK} bytes hold no escape; otherwise the
 *       frame is MALFORMED, since reporting it would need a per-packet un-escaped copy, which we do not make.</li>
 *   <li>IPoIB (242): the RFC 4391 4-byte header, or the 40-byte address pseudo-header plus that header, which is
 *       what Wireshark reads; they cannot be confused.</li>
 *   <li>PKTAP (258): header length at 0, record type at 4, the inner DLT at 8 (checked on LINKTYPE_PKTAP.pcap);
 *       one level of nesting only. Its direction flags set {@link LinkResult#packetType}.</li>
 *   <li>Ethertype, PPP protocol and address family are trusted; the IP decoder validates the header itself.</li>
 * </ul>
 */
public final class LinkDecoder {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;
    /** Pre-standard QinQ outer tags. */
    public static final int ETHERTYPE_QINQ_9100 = 0x9100;
    public static final int ETHERTYPE_QINQ_9200 = 0x9200;
    public static final int ETHERTYPE_MPLS = 0x8847;
    public static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    public static final int ETHERTYPE_PPPOE_DISCOVERY = 0x8863;
    public static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    /** 802.1ah provider backbone bridging: 4-byte I-TAG, then a customer Ethernet header. */
    public static final int ETHERTYPE_PBB = 0x88E7;
    /** Transparent Ethernet bridging (GRE protocol type, also in SLL with ARPHRD_IPGRE). */
    public static final int ETHERTYPE_TEB = 0x6558;

    /** Bytes of a byte-stuffed PPP frame's IP packet that must be escape-free to be reported in place. */
    static final int STUFFED_IP_CHECK = 64;

    /** Internal pseudo-types for the payload dispatcher (real ethertypes are >= 0x0600). */
    private static final int LLC_FOLLOWS = 0;          // an 802.3 length field: an 802.2 LLC header follows
    private static final int ETHERNET_FOLLOWS = -2;    // a complete Ethernet header follows

    private static final int MAX_HDLC_RESTARTS = 64;   // HDLC flags inside a PPP header; real frames have one

    private static final int ARPHRD_FRAD = 770;
    private static final int ARPHRD_IPGRE = 778;
    private static final int ARPHRD_IEEE80211_RADIOTAP = 803;
    private static final int ARPHRD_NETLINK = 824;

    private static final int SLL_P_802_2 = 0x0004;     // SLL protocol: 802.2 LLC frame
    private static final int SLL_P_PPPHDLC = 0x0007;   // SLL protocol: PPP in HDLC framing

    private static final int NFULA_PAYLOAD = 9;
    private static final int PKTAP_MIN_HEADER = 108;   // sizeof(struct pktap_header), as tcpdump and tshark require

    /** True for the link types {@link #decode} understands (others give {@link LinkResult#UNSUPPORTED}). */
    public static boolean supports(int linkType) {
        return switch (linkType) {
            case LinkType.NULL, LinkType.ETHERNET, LinkType.PPP, LinkType.RAW_OPENBSD, LinkType.RAW_DLT14,
                 LinkType.PPP_HDLC, LinkType.PPP_ETHER, LinkType.RAW, LinkType.C_HDLC, LinkType.IEEE802_11,
                 LinkType.FRELAY, LinkType.LOOP, LinkType.LINUX_SLL, LinkType.IEEE802_11_RADIOTAP,
                 LinkType.PPP_PPPD, LinkType.IPV4, LinkType.IPV6, LinkType.NFLOG, LinkType.IPOIB,
                 LinkType.PKTAP, LinkType.LINUX_SLL2 -> true;
            default -> false;
        };
    }

    /** Decodes the link layer of the captured bytes [off, off + capturedLength). */
    public void decode(int linkType, MemorySegment s, long off, int capturedLength, LinkResult out) {
        out.reset();
        if (s == null || off < 0 || off > s.byteSize() || capturedLength < 0) {
            out.kind = LinkResult.MALFORMED;
            return;
        }
        long end = Math.min(off + capturedLength, s.byteSize());
        link(linkType, s, off, end, out, 0);
    }

    /**
     * Ethernet II / 802.3 frame starting at off; also used for Ethernet inside tunnels (VXLAN, GRE TEB). Sets kind,
     * networkOffset and etherType; leaves packetType alone.
     */
    public void decodeEthernet(MemorySegment s, long off, long end, LinkResult out) {
        out.etherType = -1;
        out.networkOffset = off;
        if (s == null || off < 0 || off > s.byteSize()) {
            out.kind = LinkResult.MALFORMED;
            return;
        }
        payload(ETHERNET_FOLLOWS, s, off, Math.min(end, s.byteSize()), out);
    }

    private void link(int linkType, MemorySegment s, long off, long end, LinkResult out, int depth) {
        switch (linkType) {
            case LinkType.ETHERNET -> payload(ETHERNET_FOLLOWS, s, off, end, out);
            case LinkType.RAW, LinkType.RAW_OPENBSD, LinkType.RAW_DLT14, LinkType.IPV4, LinkType.IPV6 ->
                    ipByVersion(s, off, end, out);
            case LinkType.LINUX_SLL -> sll(s, off, end, out);
            case LinkType.LINUX_SLL2 -> sll2(s, off, end, out);
            case LinkType.NULL -> addressFamily(s, off, end, out, false);
            case LinkType.LOOP -> addressFamily(s, off, end, out, true);
            case LinkType.PPP -> ppp(s, off, end, out);
            case LinkType.PPP_PPPD -> {
                if (end - off >= 2 && Bytes.u8(s, off) <= 1 && Bytes.u8(s, off + 1) == 0x03) {
                    out.packetType = Bytes.u8(s, off) == 0 ? 0 : 4;  // direction byte: 0 in, 1 out
                }
                ppp(s, off, end, out);
            }
            case LinkType.PPP_HDLC -> pppHdlc(s, off, end, out);
            case LinkType.PPP_ETHER -> payload(ETHERTYPE_PPPOE_SESSION, s, off, end, out);
            case LinkType.C_HDLC -> ciscoHdlc(s, off, end, out);
            case LinkType.FRELAY -> frameRelay(s, off, end, out);
            case LinkType.IPOIB -> ipOverInfiniband(s, off, end, out);
            case LinkType.NFLOG -> nflog(s, off, end, out);
            case LinkType.IEEE802_11 -> ieee80211(s, off, end, out, false);
            case LinkType.IEEE802_11_RADIOTAP -> radiotap(s, off, end, out);
            case LinkType.PKTAP -> pktap(s, off, end, out, depth);
            default -> out.kind = LinkResult.UNSUPPORTED;
        }
    }

    /**
     * Walks from a payload type at p through VLAN tags, MPLS labels, PPPoE, LLC/SNAP and inner Ethernet headers to
     * the network layer. Iterative, so nesting depth never costs stack.
     */
    private void payload(int type, MemorySegment s, long p, long end, LinkResult out) {
        while (true) {  // every layer consumes at least 4 bytes, so the walk ends with the frame
            switch (type) {
                case ETHERTYPE_IPV4 -> {
                    found(out, LinkResult.IPV4, ETHERTYPE_IPV4, p);
                    return;
                }
                case ETHERTYPE_IPV6 -> {
                    found(out, LinkResult.IPV6, ETHERTYPE_IPV6, p);
                    return;
                }
                case ETHERNET_FOLLOWS -> {
                    if (end - p < 14) {
                        truncated(out, p);
                        return;
                    }
                    type = Bytes.u16(s, p + 12);
                    p += 14;
                    if (type > 1500 && type < 0x0600) {
                        malformed(out, p);  // neither an 802.3 length nor an ethertype
                        return;
                    }
                }
                case ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_9100, ETHERTYPE_QINQ_9200 -> {
                    if (end - p < 4) {
                        truncated(out, p);
                        return;
                    }
                    type = Bytes.u16(s, p + 2);
                    p += 4;
                    if (type > 1500 && type < 0x0600) {
                        malformed(out, p);
                        return;
                    }
                }
                case ETHERTYPE_PBB -> {
                    if (end - p < 4) {
                        truncated(out, p);
                        return;
                    }
                    type = ETHERNET_FOLLOWS;
                    p += 4;
                }
                case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST -> {
                    long q = mplsBottom(s, p, end);
                    if (q < 0) {
                        truncated(out, p);
                        return;
                    }
                    int nibble = Bytes.u8(s, q) >>> 4;
                    if (nibble == 4) {
                        type = ETHERTYPE_IPV4;
                    } else if (nibble == 6) {
                        type = ETHERTYPE_IPV6;
                    } else if (nibble == 0 && end - q < 4 + 14) {
                        truncated(out, q);  // cannot tell an Ethernet pseudowire from other payloads yet
                        return;
                    } else if (nibble == 0 && isEthernetPseudowire(s, q)) {
                        type = ETHERNET_FOLLOWS;
                        q += 4;  // control word
                    } else {
                        nonIp(out, type, q);
                        return;
                    }
                    p = q;
                }
                case ETHERTYPE_PPPOE_SESSION -> {
                    if (end - p < 6) {
                        truncated(out, p);
                        return;
                    }
                    if (Bytes.u8(s, p) != 0x11 || Bytes.u8(s, p + 1) != 0) {
                        malformed(out, p);  // PPPoE version/type 1/1, code 0 for session data
                        return;
                    }
                    long q = pppHeader(s, p + 6, end, out);
                    if (q < 0) {
                        return;
                    }
                    if (out.etherType < 0) {
                        nonIp(out, ETHERTYPE_PPPOE_SESSION, q);
                        return;
                    }
                    type = out.etherType;
                    p = q;
                }
                default -> {
                    if (type > 1500) {
                        nonIp(out, type, p);  // ARP, LLDP, PPPoE discovery, MACsec, ...
                        return;
                    }
                    // 802.3 length field (or LLC_FOLLOWS): 802.2 LLC header, maybe SNAP.
                    if (end - p < 3) {
                        truncated(out, p);
                        return;
                    }
                    int dsap = Bytes.u8(s, p);
                    int ssap = Bytes.u8(s, p + 1) & 0xfe;
                    int control = Bytes.u8(s, p + 2);
                    if (dsap == 0xAA && ssap == 0xAA && control == 0x03) {
                        if (end - p < 8) {
                            truncated(out, p);
                            return;
                        }
                        long oui = Bytes.u32(s, p + 2) & 0xffffff;
                        if (oui != 0 && oui != 0xF8) {  // RFC 1042 and 802.1H encapsulate an ethertype
                            nonIp(out, -1, p + 8);
                            return;
                        }
                        type = Bytes.u16(s, p + 6);
                        p += 8;
                        if (type < 0x0600) {
                            nonIp(out, -1, p);
                            return;
                        }
                    } else if (dsap == 0x06 && ssap == 0x06 && control == 0x03) {
                        found(out, LinkResult.IPV4, ETHERTYPE_IPV4, p + 3);  // IP directly on LLC SAP 6
                        return;
                    } else {
                        nonIp(out, -1, p);  // STP, IPX (raw 0xFFFF or SAP 0xE0), NetBIOS, ...
                        return;
                    }
                }
            }
        }
    }

    /** Position just after the bottom-of-stack MPLS label starting at p, or -1 if the stack or its payload is cut. */
    private static long mplsBottom(MemorySegment s, long p, long end) {
        while (end - p >= 4) {
            boolean bottom = (Bytes.u8(s, p + 2) & 0x01) != 0;
            p += 4;
            if (bottom) {
                return p < end ? p : -1;
            }
        }
        return -1;
    }

    /** An RFC 4385 control word (first nibble 0) followed by an Ethernet header with an ethertype we follow. */
    private static boolean isEthernetPseudowire(MemorySegment s, long q) {
        return switch (Bytes.u16(s, q + 4 + 12)) {
            case ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_9100,
                 ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST, ETHERTYPE_PPPOE_SESSION -> true;
            default -> false;
        };
    }

    // ---- raw IP, BSD loopback ----

    private static void ipByVersion(MemorySegment s, long p, long end, LinkResult out) {
        if (end - p < 1) {
            truncated(out, p);
            return;
        }
        switch (Bytes.u8(s, p) >>> 4) {
            case 4 -> found(out, LinkResult.IPV4, ETHERTYPE_IPV4, p);
            case 6 -> found(out, LinkResult.IPV6, ETHERTYPE_IPV6, p);
            default -> malformed(out, p);
        }
    }

    /**
     * NULL (host byte order of the capturing machine, unknown to us) and LOOP (network order): 4-byte address
     * family. Family values are small, so a value with high bits set was written in the other byte order.
     */
    private void addressFamily(MemorySegment s, long off, long end, LinkResult out, boolean bigEndian) {
        if (end - off < 4) {
            truncated(out, off);
            return;
        }
        long family = bigEndian ? Bytes.u32(s, off) : Bytes.u32le(s, off);
        if ((family & 0xffff0000L) != 0) {
            family = bigEndian ? Bytes.u32le(s, off) : Bytes.u32(s, off);
        }
        long p = off + 4;
        if (family == 2) {
            found(out, LinkResult.IPV4, ETHERTYPE_IPV4, p);
        } else if (family == 24 || family == 28 || family == 30) {  // AF_INET6 of NetBSD/OpenBSD, FreeBSD, Darwin
            found(out, LinkResult.IPV6, ETHERTYPE_IPV6, p);
        } else if ((family == 10 || family == 23) && end > p && Bytes.u8(s, p) >>> 4 == 6) {
            found(out, LinkResult.IPV6, ETHERTYPE_IPV6, p);  // Linux / Windows AF_INET6 values, if the header agrees
        } else {
            nonIp(out, -1, p);
        }
    }

    // ---- Linux cooked capture ----

    private void sll(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 16) {
            truncated(out, off);
            return;
        }
        out.packetType = Bytes.u16(s, off);
        cookedPayload(Bytes.u16(s, off + 2), Bytes.u16(s, off + 14), s, off + 16, end, out);
    }

    private void sll2(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 20) {
            truncated(out, off);
            return;
        }
        out.packetType = Bytes.u8(s, off + 10);
        cookedPayload(Bytes.u16(s, off + 8), Bytes.u16(s, off), s, off + 20, end, out);
    }

    /** The protocol field of SLL/SLL2 is an ethertype except for a few device types and small Linux values. */
    private void cookedPayload(int arphrd, int protocol, MemorySegment s, long p, long end, LinkResult out) {
        switch (arphrd) {
            case ARPHRD_NETLINK -> nonIp(out, -1, p);  // protocol is a netlink family
            case ARPHRD_IEEE80211_RADIOTAP -> radiotap(s, p, end, out);
            case ARPHRD_FRAD -> frameRelay(s, p, end, out);
            case ARPHRD_IPGRE -> payload(protocol == ETHERTYPE_TEB ? ETHERNET_FOLLOWS : protocol, s, p, end, out);
            default -> {
                if (protocol == SLL_P_802_2) {
                    payload(LLC_FOLLOWS, s, p, end, out);
                } else if (protocol == SLL_P_PPPHDLC) {
                    pppHdlc(s, p, end, out);
                } else if (protocol < 0x0600) {
                    nonIp(out, -1, p);  // Novell raw 802.3, CAN, 802.15.4, ...
                } else {
                    payload(protocol, s, p, end, out);
                }
            }
        }
    }

    // ---- PPP family ----

    private void ppp(MemorySegment s, long off, long end, LinkResult out) {
        long p = pppHeader(s, off, end, out);
        if (p >= 0) {
            afterPpp(s, p, end, out);
        }
    }

    /** PPP in HDLC-like framing, or Cisco HDLC in the same link type (address 0x0F / 0x8F). */
    private void pppHdlc(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 1) {
            truncated(out, off);
            return;
        }
        int address = Bytes.u8(s, off);
        if (address == 0x0F || address == 0x8F) {
            ciscoHdlc(s, off, end, out);
        } else {
            ppp(s, off, end, out);
        }
    }

    private void afterPpp(MemorySegment s, long p, long end, LinkResult out) {
        if (out.etherType < 0) {
            nonIp(out, -1, p);
        } else {
            payload(out.etherType, s, p, end, out);
        }
    }

    /**
     * Parses optional HDLC flags and address/control (FF 03, or 00/01 03 for PPP_PPPD's direction byte) and the PPP
     * protocol field (1 byte when compressed). Returns the payload position with out.etherType set to the protocol
     * as an ethertype (-1 if it carries no IP), or -1 with out.kind set. Escaped (0x7d) header bytes are un-escaped
     * on the fly; a protocol 0x7eXX means an HDLC flag inside the frame, after which parsing restarts, as in tcpdump.
     */
    private static long pppHeader(MemorySegment s, long p, long end, LinkResult out) {
        boolean stuffed = false;
        for (int restart = 0; restart < MAX_HDLC_RESTARTS; restart++) {
            long q = p;
            while (q < end && Bytes.u8(s, q) == 0x7E) {
                q++;
                stuffed = true;
            }
            int b = hdlcByte(s, q, end);
            if (b < 0) {
                truncated(out, q);
                return -1;
            }
            stuffed |= consumed(b) == 2;
            int first = b & 0xff;
            long afterFirst = q + consumed(b);
            if (first == 0xFF || first == 0x00 || first == 0x01) {
                int c = hdlcByte(s, afterFirst, end);
                if (c < 0) {
                    truncated(out, q);
                    return -1;
                }
                if ((c & 0xff) == 0x03 || first == 0xFF) {  // 0xFF never starts a protocol: it is the address
                    stuffed |= consumed(c) == 2;
                    q = afterFirst + consumed(c);
                    b = hdlcByte(s, q, end);
                    if (b < 0) {
                        truncated(out, q);
                        return -1;
                    }
                    stuffed |= consumed(b) == 2;
                }
            }
            int protocol = b & 0xff;
            long flagAt = -1;
            q += consumed(b);
            if ((protocol & 1) == 0) {  // two-byte protocol (the low byte is odd, the high byte even)
                if ((b & 0xff) == 0x7E && consumed(b) == 1) {
                    flagAt = q - 1;
                }
                int low = hdlcByte(s, q, end);
                if (low < 0) {
                    truncated(out, q);
                    return -1;
                }
                stuffed |= consumed(low) == 2;
                protocol = protocol << 8 | (low & 0xff);
                q += consumed(low);
            }
            if (flagAt >= 0) {
                p = flagAt + 1;  // an HDLC flag: the frame proper starts after it
                stuffed = true;
                continue;
            }
            out.etherType = pppToEtherType(protocol);
            if (stuffed && out.etherType >= 0 && hasEscape(s, q, end)) {
                malformed(out, q);
                return -1;
            }
            return q;
        }
        malformed(out, p);
        return -1;
    }

    /** One HDLC byte at q: its value in the low 8 bits and the raw bytes used (1, or 2 for 0x7d escapes) above. */
    private static int hdlcByte(MemorySegment s, long q, long end) {
        if (q >= end) {
            return -1;
        }
        int v = Bytes.u8(s, q);
        if (v != 0x7D) {
            return 1 << 8 | v;
        }
        if (end - q < 2) {
            return -1;
        }
        return 2 << 8 | (Bytes.u8(s, q + 1) ^ 0x20);
    }

    private static int consumed(int hdlcByte) {
        return hdlcByte >>> 8;
    }

    private static boolean hasEscape(MemorySegment s, long q, long end) {
        long stop = Math.min(end, q + STUFFED_IP_CHECK);
        for (long i = q; i < stop; i++) {
            if (Bytes.u8(s, i) == 0x7D) {
                return true;
            }
        }
        return false;
    }

    private static int pppToEtherType(int protocol) {
        return switch (protocol) {
            case 0x0021, ETHERTYPE_IPV4 -> ETHERTYPE_IPV4;  // the ethertype values are not valid PPP protocols;
            case 0x0057, ETHERTYPE_IPV6 -> ETHERTYPE_IPV6;  // tcpdump accepts them as IP, and so do we
            case 0x0281 -> ETHERTYPE_MPLS;
            case 0x0283 -> ETHERTYPE_MPLS_MULTICAST;
            default -> -1;  // LCP, IPCP, CHAP, VJ-compressed TCP (no usable IP header), ...
        };
    }

    private void ciscoHdlc(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 4) {
            truncated(out, off);
            return;
        }
        int protocol = Bytes.u16(s, off + 2);
        if (protocol < 0x0600) {
            nonIp(out, -1, off + 4);
        } else {
            payload(protocol, s, off + 4, end, out);  // SLARP 0x8035, CDP 0x2000 are NON_IP
        }
    }

    /**
     * IP over InfiniBand: the RFC 4391 header (ethertype, 2 reserved zero bytes), which Wireshark expects after a
     * 40-byte address pseudo-header. Both layouts are accepted; a pseudo-header never starts like an IPoIB header.
     */
    private void ipOverInfiniband(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 4) {
            truncated(out, off);
            return;
        }
        int type = Bytes.u16(s, off);
        if (isIpoibType(type)) {
            payload(type, s, off + 4, end, out);
        } else if (end - off < 44) {
            truncated(out, off);  // IPoIB carries only IP and ARP: this is a pseudo-header, cut short
        } else if (Bytes.u16(s, off + 42) == 0 && isIpoibType(Bytes.u16(s, off + 40))) {
            payload(Bytes.u16(s, off + 40), s, off + 44, end, out);
        } else {
            nonIp(out, type, off + 4);
        }
    }

    private static boolean isIpoibType(int type) {
        return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6 || type == 0x0806 || type == 0x8035;
    }

    // ---- Frame Relay ----

    /** Q.922 address, then RFC 2427 (control 0x03, NLPID) or Cisco encapsulation (a bare ethertype). */
    private void frameRelay(MemorySegment s, long off, long end, LinkResult out) {
        long q = off;
        int addressBytes = 0;
        while (true) {
            if (q >= end) {
                truncated(out, off);
                return;
            }
            int b = Bytes.u8(s, q++);
            addressBytes++;
            if ((b & 0x01) != 0) {
                break;  // EA bit: last address byte
            }
            if (addressBytes == 4) {
                malformed(out, off);
                return;
            }
        }
        if (addressBytes < 2) {
            malformed(out, off);
            return;
        }
        if (end - q < 2) {
            truncated(out, q);
            return;
        }
        if (Bytes.u8(s, q) != 0x03) {
            int type = Bytes.u16(s, q);
            if (type < 0x0600) {
                nonIp(out, -1, q);
            } else {
                payload(type, s, q + 2, end, out);
            }
            return;
        }
        q++;
        int nlpid = Bytes.u8(s, q);
        if (nlpid == 0x00) {  // padding before NLPID
            q++;
            if (q >= end) {
                truncated(out, q);
                return;
            }
            nlpid = Bytes.u8(s, q);
        }
        q++;
        switch (nlpid) {
            case 0xCC -> found(out, LinkResult.IPV4, ETHERTYPE_IPV4, q);
            case 0x8E -> found(out, LinkResult.IPV6, ETHERTYPE_IPV6, q);
            case 0xCF -> ppp(s, q, end, out);
            case 0x80 -> {  // SNAP: OUI + PID
                if (end - q < 5) {
                    truncated(out, q);
                    return;
                }
                long oui = Bytes.u32(s, q - 1) & 0xffffff;
                int pid = Bytes.u16(s, q + 3);
                if (oui == 0 && pid >= 0x0600) {
                    payload(pid, s, q + 5, end, out);
                } else if (oui == 0x0080C2 && (pid == 0x0001 || pid == 0x0007)) {
                    payload(ETHERNET_FOLLOWS, s, q + 5, end, out);  // bridged Ethernet (RFC 2427 4.2)
                } else {
                    nonIp(out, -1, q + 5);
                }
            }
            default -> nonIp(out, -1, q);  // Q.933, CLNP, ...
        }
    }

    // ---- NFLOG ----

    /**
     * NFLOG: 4-byte header (family, version, resource id), then TLVs whose length and type are in the capturing
     * host's byte order. The order is told by the first TLV's type, which is small. NFULA_PAYLOAD holds the packet.
     */
    private void nflog(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 4) {
            truncated(out, off);
            return;
        }
        int family = Bytes.u8(s, off);
        if (family != 2 && family != 10) {
            nonIp(out, -1, off + 4);  // bridge, ARP, ...
            return;
        }
        long p = off + 4;
        boolean littleEndian = true;
        boolean orderKnown = false;
        while (end - p >= 4) {
            if (!orderKnown) {
                int typeLe = Bytes.u16le(s, p + 2) & 0x7fff;
                int typeBe = Bytes.u16(s, p + 2) & 0x7fff;
                if (typeLe > 0 && typeLe < 0x100) {
                    littleEndian = true;
                } else if (typeBe > 0 && typeBe < 0x100) {
                    littleEndian = false;
                } else {
                    malformed(out, p);
                    return;
                }
                orderKnown = true;
            }
            int length = littleEndian ? Bytes.u16le(s, p) : Bytes.u16(s, p);
            int type = (littleEndian ? Bytes.u16le(s, p + 2) : Bytes.u16(s, p + 2)) & 0x7fff;
            if (length < 4) {
                malformed(out, p);
                return;
            }
            if (type == NFULA_PAYLOAD) {
                ipByVersion(s, p + 4, end, out);
                return;
            }
            p += (length + 3L) & ~3L;
        }
        truncated(out, p);  // the payload TLV, if any, was cut off
    }

    // ---- 802.11 ----

    /** Radiotap header (little-endian length at 2), then 802.11; the Flags field says whether the header is padded. */
    private void radiotap(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 8) {
            truncated(out, off);
            return;
        }
        int length = Bytes.u16le(s, off + 2);
        if (Bytes.u8(s, off) != 0 || length < 8) {
            malformed(out, off);
            return;
        }
        if (end - off < length) {
            truncated(out, off);
            return;
        }
        long firstPresent = Bytes.u32le(s, off + 4);
        long r = 4;  // offset of the current present word, relative to off
        while ((Bytes.u32le(s, off + r) & 0x80000000L) != 0) {
            r += 4;
            if (r + 4 > length) {
                malformed(out, off);
                return;
            }
        }
        r += 4;  // fields start after the last present word
        boolean dataPad = false;
        if ((firstPresent & 0x1) != 0) {  // TSFT: 8 bytes, 8-aligned
            r = (r + 7) & ~7L;
            r += 8;
        }
        if ((firstPresent & 0x2) != 0) {  // Flags
            if (r >= length) {
                malformed(out, off);
                return;
            }
            dataPad = (Bytes.u8(s, off + r) & 0x20) != 0;
        }
        ieee80211(s, off + length, end, out, dataPad);
    }

    /**
     * 802.11 MAC header: only unprotected data frames carry a visible IP packet, after an LLC/SNAP header. The FCS
     * that some captures keep at the end does not move the IP header.
     */
    private void ieee80211(MemorySegment s, long p, long end, LinkResult out, boolean dataPad) {
        if (end - p < 2) {
            truncated(out, p);
            return;
        }
        int fc0 = Bytes.u8(s, p);
        int fc1 = Bytes.u8(s, p + 1);
        if ((fc0 & 0x03) != 0) {
            malformed(out, p);  // only protocol version 0 is defined for this header layout
            return;
        }
        int type = (fc0 >>> 2) & 0x03;
        int subtype = fc0 >>> 4;
        if (type != 2 || (subtype & 0x04) != 0) {
            nonIp(out, -1, p);  // management, control, extension, or a data frame without a body (null)
            return;
        }
        boolean fourAddress = (fc1 & 0x03) == 0x03;
        boolean qos = (subtype & 0x08) != 0;
        int header = 24 + (fourAddress ? 6 : 0);
        int qosAt = header;
        if (qos) {
            header += 2;
            if ((fc1 & 0x80) != 0) {
                header += 4;  // HT Control field (+HTC / order bit on a QoS frame)
            }
        }
        if (end - p < header) {
            truncated(out, p);
            return;
        }
        if ((fc1 & 0x40) != 0) {
            nonIp(out, -1, p + header);  // protected: the payload is encrypted
            return;
        }
        if ((Bytes.u8(s, p + 22) & 0x0f) != 0) {
            nonIp(out, -1, p + header);  // a later fragment: no LLC/IP header in it
            return;
        }
        if (dataPad) {
            header = (header + 3) & ~3;
        }
        long body = p + header;
        if (qos && (Bytes.u8(s, p + qosAt) & 0x80) != 0) {
            body += 14;  // A-MSDU: the first subframe's DA, SA, length precede its LLC header
        }
        payload(LLC_FOLLOWS, s, body, end, out);
    }

    // ---- PKTAP ----

    /** Apple PKTAP: little-endian header length at 0, record type at 4, DLT of the packet at 8, flags at 36. */
    private void pktap(MemorySegment s, long off, long end, LinkResult out, int depth) {
        if (end - off < 12) {
            truncated(out, off);
            return;
        }
        long length = Bytes.u32le(s, off);
        if (length < PKTAP_MIN_HEADER) {
            malformed(out, off);
            return;
        }
        if (end - off < length) {
            truncated(out, off);
            return;
        }
        long recordType = Bytes.u32le(s, off + 4);
        if (recordType == 0) {
            nonIp(out, -1, off + length);  // no packet follows
            return;
        }
        long dlt = Bytes.u32le(s, off + 8);
        if (recordType != 1 || dlt == LinkType.PKTAP || dlt > 0xffff || depth > 0) {
            malformed(out, off);
            return;
        }
        long flags = Bytes.u32le(s, off + 36);
        if ((flags & 0x1) != 0) {
            out.packetType = 0;  // PTH_FLAG_DIR_IN: to us
        } else if ((flags & 0x2) != 0) {
            out.packetType = 4;  // PTH_FLAG_DIR_OUT: outgoing
        }
        // The DLT is a Darwin DLT_ value; those we decode coincide with LINKTYPE_ values (DLT_RAW 12 included).
        link((int) dlt, s, off + length, end, out, depth + 1);
    }

    // ---- result helpers ----

    private static void found(LinkResult out, int kind, int etherType, long p) {
        out.kind = kind;
        out.etherType = etherType;
        out.networkOffset = p;
    }

    private static void nonIp(LinkResult out, int etherType, long p) {
        out.kind = LinkResult.NON_IP;
        out.etherType = etherType;
        out.networkOffset = p;
    }

    private static void truncated(LinkResult out, long p) {
        out.kind = LinkResult.TRUNCATED;
        out.networkOffset = p;
    }

    private static void malformed(LinkResult out, long p) {
        out.kind = LinkResult.MALFORMED;
        out.networkOffset = p;
    }
}
