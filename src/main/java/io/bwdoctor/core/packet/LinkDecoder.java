package io.bwdoctor.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Finds the IP header inside a link-layer frame. Stateless and allocation-free; pure (no I/O).
 */
public final class LinkDecoder {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;

    /** Decodes the link layer of the captured bytes [off, off + capturedLength). */
    public void decode(int linkType, MemorySegment s, long off, int capturedLength, LinkResult out) {
        out.reset();
        long end = off + capturedLength;
        switch (linkType) {
            case LinkType.ETHERNET -> decodeEthernet(s, off, end, out);
            case LinkType.RAW, LinkType.RAW_OPENBSD, LinkType.RAW_DLT14, LinkType.IPV4, LinkType.IPV6 ->
                    raw(s, off, end, out);
            default -> out.kind = LinkResult.UNSUPPORTED;
        }
    }

    /** Ethernet II / 802.3 frame starting at off; also used for Ethernet inside tunnels (VXLAN, GRE TEB). */
    public void decodeEthernet(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 14) {
            out.kind = LinkResult.TRUNCATED;
            return;
        }
        long p = off + 12;
        int type = Bytes.u16(s, p);
        p += 2;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
            if (end - p < 4) {
                out.kind = LinkResult.TRUNCATED;
                return;
            }
            type = Bytes.u16(s, p + 2);
            p += 4;
        }
        byEtherType(type, s, p, end, out);
    }

    private void byEtherType(int type, MemorySegment s, long p, long end, LinkResult out) {
        out.etherType = type;
        out.networkOffset = p;
        out.kind = switch (type) {
            case ETHERTYPE_IPV4 -> LinkResult.IPV4;
            case ETHERTYPE_IPV6 -> LinkResult.IPV6;
            default -> LinkResult.NON_IP;
        };
    }

    private void raw(MemorySegment s, long off, long end, LinkResult out) {
        if (end - off < 1) {
            out.kind = LinkResult.TRUNCATED;
            return;
        }
        int version = Bytes.u8(s, off) >>> 4;
        out.networkOffset = off;
        out.kind = version == 4 ? LinkResult.IPV4 : version == 6 ? LinkResult.IPV6 : LinkResult.MALFORMED;
    }
}
