package io.bwdoctor.core.packet;

/**
 * The addresses, protocol and ports of one IP layer of a frame. IPv4 addresses are kept in {@code srcLo}/{@code dstLo}
 * (low 32 bits) with the high word zero; IPv6 uses both words. Ports are {@link #NO_PORT} when the protocol has none
 * or its header could not be read (a non-first fragment, a cut or malformed TCP/UDP header).
 */
public final class IpLayer {
    public static final int NO_PORT = -1;

    public int version;
    public int protocol;
    public long srcHi, srcLo, dstHi, dstLo;
    public int srcPort, dstPort;
    /** TCP flags (low 8 bits) when protocol is TCP and the header was read, else 0. */
    public int tcpFlags;
    /** Absolute offset and captured length of the transport payload (after the TCP/UDP header); 0 when unknown. */
    public long payloadOffset;
    public int payloadLength;
    /** Part of a fragmented datagram, and whether it is the first fragment (offset 0, which carries the ports). */
    public boolean fragment, firstFragment;
    public long fragmentId;
    /** Absolute bounds of this layer's IP payload within the captured bytes (used to look inside tunnels). */
    public long l4Offset, l4End;

    void clear() {
        version = 0;
        protocol = -1;
        srcHi = srcLo = dstHi = dstLo = 0;
        srcPort = dstPort = NO_PORT;
        tcpFlags = 0;
        payloadOffset = 0;
        payloadLength = 0;
        fragment = firstFragment = false;
        fragmentId = 0;
        l4Offset = l4End = 0;
    }

    void copyFrom(IpLayer o) {
        version = o.version;
        protocol = o.protocol;
        srcHi = o.srcHi;
        srcLo = o.srcLo;
        dstHi = o.dstHi;
        dstLo = o.dstLo;
        srcPort = o.srcPort;
        dstPort = o.dstPort;
        tcpFlags = o.tcpFlags;
        payloadOffset = o.payloadOffset;
        payloadLength = o.payloadLength;
        fragment = o.fragment;
        firstFragment = o.firstFragment;
        fragmentId = o.fragmentId;
        l4Offset = o.l4Offset;
        l4End = o.l4End;
    }

    public boolean hasPorts() {
        return srcPort != NO_PORT;
    }
}
