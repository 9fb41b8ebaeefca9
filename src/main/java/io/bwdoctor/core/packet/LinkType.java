package io.bwdoctor.core.packet;

/** LINKTYPE_* values (tcpdump.org/linktypes.html) that the decoders know, and their short names. */
public final class LinkType {
    public static final int NULL = 0;            // BSD loopback: 4-byte host-order address family
    public static final int ETHERNET = 1;
    public static final int PPP = 9;             // PPP with optional HDLC address/control
    public static final int RAW_OPENBSD = 12;    // DLT_RAW value on some BSDs: raw IP
    public static final int RAW_DLT14 = 14;      // DLT_RAW value on some other BSDs: raw IP
    public static final int PPP_HDLC = 50;       // PPP in HDLC-like framing (RFC 1662), may be byte-stuffed
    public static final int PPP_ETHER = 51;      // PPPoE session payload
    public static final int RAW = 101;           // raw IPv4/IPv6, version from the first nibble
    public static final int C_HDLC = 104;        // Cisco HDLC
    public static final int IEEE802_11 = 105;
    public static final int FRELAY = 107;
    public static final int LOOP = 108;          // OpenBSD loopback: 4-byte network-order address family
    public static final int LINUX_SLL = 113;
    public static final int IEEE802_11_RADIOTAP = 127;
    public static final int PPP_PPPD = 166;
    public static final int IPOIB = 242;         // IP over InfiniBand (4-byte header with ethertype)
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int NFLOG = 239;
    public static final int PKTAP = 258;         // Apple PKTAP: metadata header, then a packet of the DLT it names
    public static final int LINUX_SLL2 = 276;

    private LinkType() {}

    /** The LINKTYPE number from a pcap header field whose upper bits may carry FCS length or reserved flags. */
    public static int fromHeaderField(long field) {
        return (int) (field & 0x0fffffff) & 0xffff;
    }

    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "null";
            case ETHERNET -> "ether";
            case PPP -> "ppp";
            case RAW_OPENBSD, RAW_DLT14, RAW -> "rawip";
            case PPP_HDLC -> "ppp-hdlc";
            case PPP_ETHER -> "pppoe";
            case C_HDLC -> "chdlc";
            case IEEE802_11 -> "ieee802-11";
            case FRELAY -> "frelay";
            case LOOP -> "loop";
            case LINUX_SLL -> "linux-sll";
            case IEEE802_11_RADIOTAP -> "ieee802-11-radiotap";
            case PPP_PPPD -> "ppp-pppd";
            case IPOIB -> "ipoib";
            case IPV4 -> "rawip4";
            case IPV6 -> "rawip6";
            case NFLOG -> "nflog";
            case PKTAP -> "pktap";
            case LINUX_SLL2 -> "linux-sll2";
            default -> "linktype-" + linkType;
        };
    }
}
