package io.bwdoctor.capture.file;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Facts about one capture file, filled in while it is read: valid at any time, also after a
 * {@link CaptureFileException} (then it tells what was delivered before the error).
 */
public final class CaptureInfo {
    /** One capture interface: a pcap file has one; a pcapng file one per Interface Description Block. */
    public record Interface(int id, int section, int linkType, long snapLength, int tsResolution, long packets) {}

    private final String name;
    final InterfaceTable interfaces = new InterfaceTable();
    CaptureFormat format;
    ByteOrder byteOrder;
    boolean gzipped;
    boolean memoryMapped;
    int sections;
    long packets;
    long wireBytes;
    long capturedBytes;
    long unreadableRecords;
    boolean truncated;

    CaptureInfo(String name) {
        this.name = name;
    }

    /** Counts a delivered frame. */
    void count(int interfaceId, int captured, int wire) {
        packets++;
        capturedBytes += captured;
        wireBytes += wire;
        interfaces.packets[interfaceId]++;
    }

    /** The file name as given ("stdin" for standard input). */
    public String name() {
        return name;
    }

    public CaptureFormat format() {
        return format;
    }

    /** Byte order of the file (pcapng: of its first section). */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    public boolean gzipped() {
        return gzipped;
    }

    /** True when the frames were read in place from a memory-mapped file. */
    public boolean memoryMapped() {
        return memoryMapped;
    }

    /** Number of pcapng sections read (1 for pcap). */
    public int sections() {
        return sections;
    }

    /**
     * The interfaces seen so far, in file order. Their index is {@link io.bwdoctor.core.packet.Frame#interfaceId}:
     * numbered over the whole file, so interfaces of a later pcapng section do not reuse the numbers of earlier ones.
     */
    public List<Interface> interfaces() {
        InterfaceTable t = interfaces;
        List<Interface> list = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            list.add(new Interface(i, t.section[i], t.linkType[i], t.snapLength[i], t.tsResolution[i], t.packets[i]));
        }
        return list;
    }

    /** Frames delivered to the sink. */
    public long packets() {
        return packets;
    }

    /** Sum of the delivered frames' wire lengths. */
    public long wireBytes() {
        return wireBytes;
    }

    /** Sum of the delivered frames' captured lengths. */
    public long capturedBytes() {
        return capturedBytes;
    }

    /** Records reported to {@link io.bwdoctor.core.packet.FrameSink#onUnreadableRecord}. */
    public long unreadableRecords() {
        return unreadableRecords;
    }

    /** True when the file ended inside a record or block (for example a capture killed while writing). */
    public boolean truncated() {
        return truncated;
    }

    @Override
    public String toString() {
        return name + ": " + (format == null ? "?" : format.displayName()) + (gzipped ? ", gzip" : "")
                + ", " + packets + " packets, " + wireBytes + " wire bytes, " + capturedBytes + " captured bytes"
                + (unreadableRecords > 0 ? ", " + unreadableRecords + " unreadable" : "")
                + (truncated ? ", truncated" : "");
    }
}
