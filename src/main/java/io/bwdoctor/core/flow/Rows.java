package io.bwdoctor.core.flow;

import java.util.Arrays;

/**
 * Column storage for the rows of a {@link FlowTable}: keys, cumulative counters, first/last seen, the open second's
 * counters, sliding-window sums and peaks. Row ids are dense (0..size-1), so per-packet updates touch plain arrays
 * and a row costs about 190 bytes. Direction 0 is A to B, direction 1 is B to A (A = source of the first packet seen).
 */
final class Rows {
    static final int KEY_WORDS = 5;
    static final long NO_SECOND = Long.MIN_VALUE;
    /** Sliding windows, in seconds, as iftop shows them. */
    static final int[] WINDOWS = {2, 10, 40};

    int size;
    long[] keys;          // meta, lowHi, lowLo, highHi, highLo (canonical order: low endpoint first)
    boolean[] aIsLow;     // whether A is the low endpoint of the canonical key
    long[] packets;       // [row*2 + dir]
    long[] bytes;         // [row*2 + dir]
    long[] firstNanos;
    long[] lastNanos;
    long[] openSecond;    // second of the open (not yet closed) sample, NO_SECOND if none
    int[] openPackets;    // [row*2 + dir]
    long[] openBytes;     // [row*2 + dir]
    long[] windowBytes;   // [row*6 + window*2 + dir]: bytes within each sliding window
    long[] peakBytes;     // [row*3 + 0 AB, 1 BA, 2 total]: the highest one-second byte count

    Rows(int capacity) {
        keys = new long[capacity * KEY_WORDS];
        aIsLow = new boolean[capacity];
        packets = new long[capacity * 2];
        bytes = new long[capacity * 2];
        firstNanos = new long[capacity];
        lastNanos = new long[capacity];
        openSecond = new long[capacity];
        openPackets = new int[capacity * 2];
        openBytes = new long[capacity * 2];
        windowBytes = new long[capacity * 6];
        peakBytes = new long[capacity * 3];
    }

    int capacity() {
        return aIsLow.length;
    }

    private void grow(int capacity) {
        keys = Arrays.copyOf(keys, capacity * KEY_WORDS);
        aIsLow = Arrays.copyOf(aIsLow, capacity);
        packets = Arrays.copyOf(packets, capacity * 2);
        bytes = Arrays.copyOf(bytes, capacity * 2);
        firstNanos = Arrays.copyOf(firstNanos, capacity);
        lastNanos = Arrays.copyOf(lastNanos, capacity);
        openSecond = Arrays.copyOf(openSecond, capacity);
        openPackets = Arrays.copyOf(openPackets, capacity * 2);
        openBytes = Arrays.copyOf(openBytes, capacity * 2);
        windowBytes = Arrays.copyOf(windowBytes, capacity * 6);
        peakBytes = Arrays.copyOf(peakBytes, capacity * 3);
    }

    /** Appends an empty row with the given canonical key; returns its id. Grows by half, never past maxRows. */
    int append(long meta, long lowHi, long lowLo, long highHi, long highLo, boolean aLow, int maxRows) {
        if (size == capacity()) {
            grow((int) Math.min(Math.max(64, capacity() + (capacity() >> 1)), Math.max(maxRows, size + 1)));
        }
        int r = size++;
        int k = r * KEY_WORDS;
        keys[k] = meta;
        keys[k + 1] = lowHi;
        keys[k + 2] = lowLo;
        keys[k + 3] = highHi;
        keys[k + 4] = highLo;
        aIsLow[r] = aLow;
        // the arrays may hold a row that compaction moved away: clear every counter
        Arrays.fill(packets, r * 2, r * 2 + 2, 0L);
        Arrays.fill(bytes, r * 2, r * 2 + 2, 0L);
        Arrays.fill(openPackets, r * 2, r * 2 + 2, 0);
        Arrays.fill(openBytes, r * 2, r * 2 + 2, 0L);
        Arrays.fill(windowBytes, r * 6, r * 6 + 6, 0L);
        Arrays.fill(peakBytes, r * 3, r * 3 + 3, 0L);
        firstNanos[r] = Long.MAX_VALUE;
        lastNanos[r] = Long.MIN_VALUE;
        openSecond[r] = NO_SECOND;
        return r;
    }
}
