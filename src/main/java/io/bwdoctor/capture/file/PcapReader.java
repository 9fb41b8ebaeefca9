package io.bwdoctor.capture.file;

import io.bwdoctor.core.packet.FrameSink;
import io.bwdoctor.core.packet.LinkType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/** Classic libpcap files: 24-byte file header, then 16-byte (modified format: 24-byte) record headers. */
final class PcapReader extends RecordReader {
    static final int MAGIC_MICRO = 0xa1b2c3d4;
    static final int MAGIC_NANO = 0xa1b23c4d;
    static final int MAGIC_MODIFIED = 0xa1b2cd34;
    private static final int FILE_HEADER = 24;
    /** Bits 16-25 of the link-type field are reserved; bits 26-31 carry the FCS length (libpcap LT_RESERVED1). */
    private static final long LINKTYPE_RESERVED = 0x03ff0000L;

    private final boolean nanosecond;
    private final int recordHeader;
    private final int linkType;

    private PcapReader(Input in, CaptureInfo info, boolean swap, int magic) throws IOException {
        super(in, info);
        this.swap = swap;
        this.nanosecond = magic == MAGIC_NANO;
        this.recordHeader = magic == MAGIC_MODIFIED ? 24 : 16;
        info.format = magic == MAGIC_NANO ? CaptureFormat.PCAP_NANOSECOND
                : magic == MAGIC_MODIFIED ? CaptureFormat.PCAP_MODIFIED : CaptureFormat.PCAP;
        info.byteOrder = swap ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        if (!in.request(FILE_HEADER)) {
            throw error("pcap file header cut short (" + in.available() + " of 24 bytes)");
        }
        MemorySegment s = in.seg;
        long p = in.pos;
        int major = u16(s, p + 4);
        int minor = u16(s, p + 6);
        if (major != 2) {
            throw error("pcap major version " + major + " is not supported (version " + major + "." + minor
                    + "; only 2.x exists)");
        }
        long snapLength = u32(s, p + 16);
        long field = u32(s, p + 20);
        if ((field & LINKTYPE_RESERVED) != 0) {
            // tshark and tcpdump refuse such files too; the bits may mean a layout we do not know
            throw error(String.format("pcap link-type field 0x%08x has reserved bits set (0x%08x)",
                    field, field & LINKTYPE_RESERVED));
        }
        linkType = LinkType.fromHeaderField(field);
        info.sections = 1;
        info.interfaces.add(0, linkType, snapLength, nanosecond ? 9 : 6, 0);
        in.pos = p + FILE_HEADER;
    }

    /** Reads the file header; magic is one of the MAGIC_* values, bigEndian the byte order it was found in. */
    static PcapReader open(Input in, CaptureInfo info, int magic, boolean bigEndian) throws IOException {
        return new PcapReader(in, info, bigEndian, magic);
    }

    @Override
    void readAll(FrameSink sink) throws IOException {
        final Input in = this.in;
        final int header = recordHeader;
        final long fractionScale = nanosecond ? 1 : 1000;
        while (true) {
            if (!in.request(header)) {
                if (in.available() > 0) {
                    truncatedPacket(sink, 0);
                }
                return;
            }
            MemorySegment s = in.seg;
            long p = in.pos;
            long captured = u32(s, p + 8);
            long wire = u32(s, p + 12);
            if (captured > MAX_CAPTURED) {
                throw error("record at offset " + in.offset() + " has a captured length of " + captured
                        + " bytes (limit " + (MAX_CAPTURED >> 20) + " MiB)");
            }
            if (!in.request(header + captured)) {
                truncatedPacket(sink, wire);
                return;
            }
            s = in.seg;
            p = in.pos;
            // seconds and fraction are unsigned 32-bit: no overflow; a fraction >= 1 s is taken as it is
            long nanos = u32(s, p) * 1_000_000_000L + u32(s, p + 4) * fractionScale;
            int cap = (int) captured;
            int len = clampLength(wire);
            info.count(0, cap, len);
            sink.onFrame(frame.set(linkType, nanos, s, p + header, cap, len, 0));
            in.pos = p + header + captured;
        }
    }
}
