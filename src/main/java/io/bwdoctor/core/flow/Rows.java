package io.bwdoctor.core.flow;

import java.util.Arrays;

/**
 * Storage for the rows of a {@link FlowTable}. What a packet touches (key, counters, first/last seen, the open
 * second) lies together in one 128-byte stride of {@link #hot}, so that counting a packet costs two cache lines;
 * what only closing a second touches (window sums, peaks) lies apart. Row ids are dense (0..size-1). Direction 0 is
 * A to B, direction 1 is B to A (A = source of the first packet seen).
 */
final class Rows {
    static final long NO_SECOND = Long.MIN_VALUE;
    /** Sliding windows, in seconds, as iftop shows them. */
    static final int[] WINDOWS = {2, 10, 40};

    static final int STRIDE = 16;
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
    /** Set in META when A is the low endpoint of the canonical key; not part of the key. */
    static final long A_IS_LOW = 1L << 62;

    int size;
    long[] hot;
    long[] windowBytes;   // [row*6 + window*2 + dir]: bytes within each sliding window
    long[] peakBytes;     // [row*3 + 0 AB, 1 BA, 2 total]: the highest one-second byte count
    int[] owner;          // who the row belongs to (live attribution: a pid, or a negative reason code)

    Rows(int capacity) {
        hot = new long[capacity * STRIDE];
        windowBytes = new long[capacity * 6];
        peakBytes = new long[capacity * 3];
        owner = new int[capacity];
    }

    int capacity() {
        return hot.length / STRIDE;
    }

    private void grow(int capacity) {
        hot = Arrays.copyOf(hot, capacity * STRIDE);
        windowBytes = Arrays.copyOf(windowBytes, capacity * 6);
        peakBytes = Arrays.copyOf(peakBytes, capacity * 3);
        owner = Arrays.copyOf(owner, capacity);
    }

    /** Appends an empty row with the given canonical key; returns its id. Grows by half, never past maxRows. */
    int append(long meta, long lowHi, long lowLo, long highHi, long highLo, boolean aLow, int maxRows) {
        if (size == capacity()) {
            grow((int) Math.min(Math.max(64, capacity() + (capacity() >> 1)), Math.max(maxRows, size + 1)));
        }
        int r = size++;
        int k = r * STRIDE;
        // the arrays may hold a row that compaction moved away: set every field
        Arrays.fill(hot, k, k + STRIDE, 0L);
        hot[k + META] = meta | (aLow ? A_IS_LOW : 0);
        hot[k + LOW_HI] = lowHi;
        hot[k + LOW_LO] = lowLo;
        hot[k + HIGH_HI] = highHi;
        hot[k + HIGH_LO] = highLo;
        hot[k + FIRST] = Long.MAX_VALUE;
        hot[k + LAST] = Long.MIN_VALUE;
        hot[k + OPEN_SECOND] = NO_SECOND;
        Arrays.fill(windowBytes, r * 6, r * 6 + 6, 0L);
        Arrays.fill(peakBytes, r * 3, r * 3 + 3, 0L);
        owner[r] = FlowTable.OWNER_UNKNOWN;
        return r;
    }

    boolean aIsLow(int row) {
        return (hot[row * STRIDE + META] & A_IS_LOW) != 0;
    }

    long meta(int row) {
        return hot[row * STRIDE + META] & ~A_IS_LOW;
    }

    void move(int from, int to) {
        System.arraycopy(hot, from * STRIDE, hot, to * STRIDE, STRIDE);
        System.arraycopy(windowBytes, from * 6, windowBytes, to * 6, 6);
        System.arraycopy(peakBytes, from * 3, peakBytes, to * 3, 3);
        owner[to] = owner[from];
    }
}
