package io.bwdoctor.core.packet;

/** The result of decoding one frame: its outermost IP layer and the tunnelled layers inside it, if any. Reused. */
public final class DecodedPacket {
    public enum Kind { IP, NON_IP, SKIPPED }

    public Kind kind;
    /** Set when kind is SKIPPED. */
    public SkipReason skipReason;
    /** Ethertype of a NON_IP frame when the link says (ARP 0x0806, LLDP 0x88cc...), else -1. */
    public int etherType;
    /** Linux packet type from SLL/SLL2 (4 = outgoing), -1 if unknown. */
    public int packetType;
    public final IpLayer outer = new IpLayer();
    /** How the first inner layer is carried; {@link Tunnel#NONE} when there is no inner layer. */
    public Tunnel tunnel;
    /** Tunnelled IP layers, outermost first: {@code inner[0..innerCount)}. */
    public final IpLayer[] inner = {new IpLayer(), new IpLayer(), new IpLayer(), new IpLayer()};
    public int innerCount;

    void clear() {
        kind = Kind.SKIPPED;
        skipReason = null;
        etherType = -1;
        packetType = -1;
        tunnel = Tunnel.NONE;
        outer.clear();
        innerCount = 0;
    }

    public boolean hasInner() {
        return innerCount > 0;
    }
}
