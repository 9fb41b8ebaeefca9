package io.bwdoctor.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * One captured frame, as a reader hands it over: a view into the reader's buffer, valid only during the callback.
 * Mutable and reused by the reader, so that reading allocates nothing per packet.
 */
public final class Frame {
    /** LINKTYPE_* value (see {@link LinkType}), after masking off the reserved/FCS bits of the pcap header field. */
    public int linkType;
    /** Capture time in nanoseconds since the epoch; {@link Long#MIN_VALUE} when the format gives none (pcapng SPB). */
    public long timestampNanos;
    /** Bytes that were captured; the frame starts at {@link #offset}. */
    public MemorySegment data;
    public long offset;
    /** Captured length (may be smaller than the wire length when the snaplen cut the frame). */
    public int capturedLength;
    /** Original length on the wire: what bandwidth accounting counts, as tshark's frame.len. */
    public int wireLength;
    /** Interface index within the capture (pcapng IDB number; 0 for pcap and live single-interface capture). */
    public int interfaceId;

    public Frame set(int linkType, long timestampNanos, MemorySegment data, long offset,
                     int capturedLength, int wireLength, int interfaceId) {
        this.linkType = linkType;
        this.timestampNanos = timestampNanos;
        this.data = data;
        this.offset = offset;
        this.capturedLength = capturedLength;
        this.wireLength = wireLength;
        this.interfaceId = interfaceId;
        return this;
    }
}
