package io.bwdoctor.core.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Unaligned big- and little-endian reads from a memory segment (network headers are big-endian). */
public final class Bytes {
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Bytes() {}

    public static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    public static int u16(MemorySegment s, long off) {
        return s.get(BE16, off) & 0xffff;
    }

    public static long u32(MemorySegment s, long off) {
        return s.get(BE32, off) & 0xffffffffL;
    }

    public static int i32(MemorySegment s, long off) {
        return s.get(BE32, off);
    }

    public static long i64(MemorySegment s, long off) {
        return s.get(BE64, off);
    }

    public static int u16le(MemorySegment s, long off) {
        return s.get(LE16, off) & 0xffff;
    }

    public static long u32le(MemorySegment s, long off) {
        return s.get(LE32, off) & 0xffffffffL;
    }

    public static int i32le(MemorySegment s, long off) {
        return s.get(LE32, off);
    }
}
