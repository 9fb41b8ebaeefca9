package io.bwdoctor.core.packet;

/**
 * Where the network layer of a frame starts, as found by {@link LinkDecoder}. Mutable and reused: no allocation per
 * packet.
 */
public final class LinkResult {
    /** {@link #IPV4} or {@link #IPV6}: an IP header starts at {@link #networkOffset}. */
    public static final int IPV4 = 4;
    public static final int IPV6 = 6;
    /** A frame that carries no IP (ARP, LLDP, STP, 802.11 management...): {@link #etherType} says what, if known. */
    public static final int NON_IP = 0;
    /** The link header was cut short by the snaplen or the frame is too short to hold it. */
    public static final int TRUNCATED = -1;
    /** The link header is present but invalid (impossible length, unknown mandatory field). */
    public static final int MALFORMED = -2;
    /** The link type itself is not one we decode. */
    public static final int UNSUPPORTED = -3;

    /** One of the constants above. */
    public int kind;
    /**
     * Absolute offset (same base as the frame's offset) of the first byte of the IP header; for NON_IP, where the
     * non-IP payload starts; otherwise where decoding stopped.
     */
    public long networkOffset;
    /** Ethertype (or PPP/NFLOG protocol mapped to an ethertype) of the payload; -1 when the link does not say. */
    public int etherType;
    /**
     * Linux packet type from SLL/SLL2 (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing); -1 if unknown.
     * Live capture on the "any" device uses it for the direction. PKTAP's direction flags and PPP_PPPD's direction
     * byte are mapped onto it too (0 in, 4 out).
     */
    public int packetType;

    /** Short name of a kind, for messages and counters. */
    public static String kindName(int kind) {
        return switch (kind) {
            case IPV4 -> "ipv4";
            case IPV6 -> "ipv6";
            case NON_IP -> "non-ip";
            case TRUNCATED -> "truncated";
            case MALFORMED -> "malformed";
            case UNSUPPORTED -> "unsupported";
            default -> "kind-" + kind;
        };
    }

    public void reset() {
        kind = UNSUPPORTED;
        networkOffset = 0;
        etherType = -1;
        packetType = -1;
    }
}
