package io.bwdoctor.core.flow;

import java.util.Arrays;

/**
 * Storage for the rows of a {@link FlowTable}: one stride of longs per row, kept in fixed-size chunks so that growing
 * never copies (a million rows take ~210 MB, with no doubling spike). What a packet touches (key, counters, first/last
 * seen, the open second) lies in the first 128 bytes of the stride; window sums, peaks and the owner follow. Row ids
 * are dense (0..size-1). Direction 0 is A to B, direction 1 is B to A (A = source of the first packet seen).
 */
final class Rows {
    static final long NO_SECOND = Long.MIN_VALUE;
    /** Sliding windows, in seconds, as iftop shows them. */
    static final int[] WINDOWS = {2, 10, 40};

    static final int META = 0;          // key meta (see FlowTable.meta) | A_IS_LOW
    static final int LOW_HI = 1;        // canonical key: the lower endpoint first
    static final int LOW_LO = 2;
    static final int HIGH_HI = 3;
    static final int HIGH_LO = 4;
    static final int PACKETS = 5;       // + direction
    static final int BYTES = 7;         // + direction
    static final int FIRST = 9;         // nanoseconds
    static final int LAST = 10;
    static final int OPEN_SECOND = 11;  // second of the open (not yet closed) sample, NO_SECOND if none
    static final int OPEN_BYTES = 12;   // + direction
    static final int OPEN_PACKETS = 14; // + direction
    static final int WINDOW_BYTES = 16; // + window * 2 + direction: bytes within each sliding window
    static final int PEAK_BYTES = 22;   // + 0 AB, 1 BA, 2 total: the highest one-second byte count
    static final int OWNER = 25;        // who the row belongs to (live attribution)
    static final int STRIDE = 26;
    /** Set in META when A is the low endpoint of the canonical key; not part of the key. */
    static final long A_IS_LOW = 1L << 62;

    private static final int CHUNK_BITS = 12;
    private static final int CHUNK_ROWS = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK_ROWS - 1;

    int size;
    private long[][] chunks = new long[4][];
    private int capacity;

    /** The chunk holding a row; index it with {@link #at(int, int)}. */
    long[] chunk(int row) {
        return chunks[row >>> CHUNK_BITS];
    }

    static int at(int row, int field) {
        return (row & CHUNK_MASK) * STRIDE + field;
    }

    long get(int row, int field) {
        return chunks[row >>> CHUNK_BITS][(row & CHUNK_MASK) * STRIDE + field];
    }

    void set(int row, int field, long value) {
        chunks[row >>> CHUNK_BITS][(row & CHUNK_MASK) * STRIDE + field] = value;
    }

    void add(int row, int field, long value) {
        chunks[row >>> CHUNK_BITS][(row & CHUNK_MASK) * STRIDE + field] += value;
    }

    void max(int row, int field, long value) {
        long[] c = chunks[row >>> CHUNK_BITS];
        int i = (row & CHUNK_MASK) * STRIDE + field;
        if (value > c[i]) {
            c[i] = value;
        }
    }

    /** Appends an empty row with the given canonical key; returns its id. */
    int append(long meta, long lowHi, long lowLo, long highHi, long highLo, boolean aLow) {
        if (size == capacity) {
            int c = capacity >>> CHUNK_BITS;
            if (c == chunks.length) {
                chunks = Arrays.copyOf(chunks, c * 2);
            }
            chunks[c] = new long[CHUNK_ROWS * STRIDE];
            capacity += CHUNK_ROWS;
        }
        int r = size++;
        long[] c = chunk(r);
        int k = at(r, 0);
        // the chunk may hold a row that compaction moved away: set every field
        Arrays.fill(c, k, k + STRIDE, 0L);
        c[k + META] = meta | (aLow ? A_IS_LOW : 0);
        c[k + LOW_HI] = lowHi;
        c[k + LOW_LO] = lowLo;
        c[k + HIGH_HI] = highHi;
        c[k + HIGH_LO] = highLo;
        c[k + FIRST] = Long.MAX_VALUE;
        c[k + LAST] = Long.MIN_VALUE;
        c[k + OPEN_SECOND] = NO_SECOND;
        c[k + OWNER] = FlowTable.OWNER_UNKNOWN;
        return r;
    }

    boolean aIsLow(int row) {
        return (get(row, META) & A_IS_LOW) != 0;
    }

    long meta(int row) {
        return get(row, META) & ~A_IS_LOW;
    }

    void move(int from, int to) {
        System.arraycopy(chunk(from), at(from, 0), chunk(to), at(to, 0), STRIDE);
    }

    /** Frees chunks no row uses any more (after compaction). */
    void trim() {
        int needed = (size + CHUNK_MASK) >>> CHUNK_BITS;
        for (int c = needed; c < chunks.length && chunks[c] != null; c++) {
            chunks[c] = null;
        }
        capacity = needed << CHUNK_BITS;
    }
}
