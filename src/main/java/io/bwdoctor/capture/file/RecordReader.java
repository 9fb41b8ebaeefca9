package io.bwdoctor.capture.file;

import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Walks the records of one capture format; shared plumbing: byte-order-aware reads, limits, truncation. */
abstract class RecordReader {
    /** Largest captured length of one frame; larger records are rejected rather than buffered. */
    static final int MAX_CAPTURED = 16 << 20;
    /** Largest block that is buffered whole (packet data plus headers and options). */
    static final int MAX_BLOCK = MAX_CAPTURED + (1 << 20);
    static final String TRUNCATED = "truncated record at end of file";

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final Input in;
    final CaptureInfo info;
    final String name;
    final Frame frame = new Frame();
    /** True when the (current section of the) file is big-endian: every multi-byte field is swapped. */
    boolean swap;

    RecordReader(Input in, CaptureInfo info) {
        this.in = in;
        this.info = info;
        this.name = info.name();
    }

    /** Delivers every remaining frame to the sink; returns normally at the end of the data or a truncated record. */
    abstract void readAll(FrameSink sink) throws IOException;

    final int u16(MemorySegment s, long off) {
        short v = s.get(LE16, off);
        return (swap ? Short.reverseBytes(v) : v) & 0xffff;
    }

    final int i32(MemorySegment s, long off) {
        int v = s.get(LE32, off);
        return swap ? Integer.reverseBytes(v) : v;
    }

    final long u32(MemorySegment s, long off) {
        return i32(s, off) & 0xffffffffL;
    }

    final long i64(MemorySegment s, long off) {
        long v = s.get(LE64, off);
        return swap ? Long.reverseBytes(v) : v;
    }

    static int le32(MemorySegment s, long off) {
        return s.get(LE32, off);
    }

    /** Wire lengths are unsigned 32-bit in the files; Frame holds an int (over 2 GiB only in broken files). */
    static int clampLength(long length) {
        return (int) Math.min(length, Integer.MAX_VALUE);
    }

    /** The file ends inside a packet record: say so to the sink and stop (a capture killed while writing). */
    final void truncatedPacket(FrameSink sink, long wireLength) {
        truncatedBlock();
        info.unreadableRecords++;
        sink.onUnreadableRecord(TRUNCATED, clampLength(wireLength));
    }

    /** The file ends inside a record that holds no packet: note it, nothing was lost for the counts. */
    final void truncatedBlock() {
        info.truncated = true;
        in.skipToEnd();
    }

    final CaptureFileException error(String reason) {
        return new CaptureFileException(name, reason);
    }

    static String hex(MemorySegment s, long off, long n) {
        StringBuilder b = new StringBuilder();
        for (long i = 0; i < n; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(String.format("%02x", s.get(ValueLayout.JAVA_BYTE, off + i) & 0xff));
        }
        return b.toString();
    }
}
