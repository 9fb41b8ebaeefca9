package io.bwdoctor.core.intel;

/** Sorted, disjoint, inclusive IPv4 ranges each carrying a label index; binary search, no allocation. */
public final class Ipv4Ranges {
    private static final int BUCKETS_FROM = 256;

    // Rows of (start, end, label), interleaved so that the range found and its end and label share a cache line
    // (random lookups over megabytes of ranges are bound by cache misses). Start and end have the sign bit flipped
    // so that signed int comparison orders addresses as unsigned.
    private final int[] rows;
    private final int size;
    // bucket[p] = number of ranges starting below p.0.0 (p = top 16 bits); narrows each search to one /16's ranges.
    // Null for small tables (a user's networks file): their rows stay in cache, the 256 KiB index would not.
    private final int[] bucket;

    /** Reads the arrays (starts and ends as raw unsigned 32-bit addresses); does not keep them. */
    public Ipv4Ranges(int[] starts, int[] ends, int[] labels, int labelCount) {
        if (starts.length != ends.length || starts.length != labels.length)
            throw new IllegalArgumentException("IPv4 range columns differ in length");
        size = starts.length;
        rows = new int[3 * size];
        for (int i = 0; i < size; i++) {
            int start = starts[i] ^ Integer.MIN_VALUE, end = ends[i] ^ Integer.MIN_VALUE;
            if (end < start) throw new IllegalArgumentException("IPv4 range " + i + " ends before it starts");
            if (i > 0 && start <= rows[3 * i - 2])
                throw new IllegalArgumentException("IPv4 range " + i + " is unsorted or overlaps its predecessor");
            if (labels[i] < 0 || labels[i] >= labelCount)
                throw new IllegalArgumentException("IPv4 range " + i + " has label " + labels[i] + " out of range");
            rows[3 * i] = start;
            rows[3 * i + 1] = end;
            rows[3 * i + 2] = labels[i];
        }
        bucket = size < BUCKETS_FROM ? null : new int[65537];
        int i = 0;
        for (int p = 0; p <= 65536 && bucket != null; p++) {
            long below = (long) p << 16;
            while (i < size && Integer.toUnsignedLong(starts[i]) < below) i++;
            bucket[p] = i;
        }
    }

    public int size() {
        return size;
    }

    /** Start of range i as an unsigned address. */
    long start(int i) {
        return Integer.toUnsignedLong(rows[3 * i] ^ Integer.MIN_VALUE);
    }

    long end(int i) {
        return Integer.toUnsignedLong(rows[3 * i + 1] ^ Integer.MIN_VALUE);
    }

    int label(int i) {
        return rows[3 * i + 2];
    }

    /**
     * One table over two: its labels index pairs ({@code pairs[2k]} = label in {@code a} or -1, {@code pairs[2k+1]}
     * = label in {@code b} or -1), so that looking up both costs one search.
     */
    static Ipv4Ranges overlay(Ipv4Ranges a, Ipv4Ranges b, java.util.List<int[]> pairsOut) {
        PairIndex pairIndex = new PairIndex();
        int capacity = 2 * (a.size + b.size) + 1;
        int[] starts = new int[capacity], ends = new int[capacity], labels = new int[capacity];
        int n = 0, ia = 0, ib = 0;
        long at = 0;
        while (at <= 0xffff_ffffL && (ia < a.size || ib < b.size)) {
            boolean inA = ia < a.size && a.start(ia) <= at, inB = ib < b.size && b.start(ib) <= at;
            long next = 1L << 32; // first address where either side changes
            if (ia < a.size) next = Math.min(next, inA ? a.end(ia) + 1 : a.start(ia));
            if (ib < b.size) next = Math.min(next, inB ? b.end(ib) + 1 : b.start(ib));
            if (inA || inB) {
                int la = inA ? a.label(ia) : -1, lb = inB ? b.label(ib) : -1;
                int pair = pairIndex.indexOf(((long) (la + 1) << 32) | (lb + 1), pairsOut.size());
                if (pair == pairsOut.size()) pairsOut.add(new int[] {la, lb});
                if (n > 0 && labels[n - 1] == pair && Integer.toUnsignedLong(ends[n - 1]) + 1 == at) {
                    ends[n - 1] = (int) (next - 1);
                } else {
                    starts[n] = (int) at;
                    ends[n] = (int) (next - 1);
                    labels[n++] = pair;
                }
            }
            at = next;
            if (inA && a.end(ia) < at) ia++;
            if (inB && b.end(ib) < at) ib++;
        }
        return new Ipv4Ranges(java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n),
                java.util.Arrays.copyOf(labels, n), pairsOut.size());
    }

    /** Label index of the range holding the address (low 32 bits of {@code address}), or -1. */
    public int find(long address) {
        int key = (int) address ^ Integer.MIN_VALUE;
        int low = 0, high = size - 1;
        if (bucket != null) {
            int prefix = (int) (address >>> 16) & 0xffff;
            low = bucket[prefix];
            high = bucket[prefix + 1] - 1;
        }
        while (low <= high) { // last range whose start <= key; the one before low starts below key
            int mid = (low + high) >>> 1;
            if (rows[3 * mid] <= key) low = mid + 1;
            else high = mid - 1;
        }
        return high >= 0 && key <= rows[3 * high + 1] ? rows[3 * high + 2] : -1;
    }

    /** Open-addressing map from a non-zero long key to its insertion index (no boxing: overlays see ~10^6 keys). */
    private static final class PairIndex {
        private long[] keys = new long[1 << 12];
        private int[] values = new int[1 << 12];
        private int size;

        /** The key's index, or {@code next} after recording it under that index. */
        int indexOf(long key, int next) {
            int mask = keys.length - 1;
            for (int i = (int) (key * 0x9E3779B97F4A7C15L >>> 40) & mask; ; i = (i + 1) & mask) {
                if (keys[i] == key) return values[i];
                if (keys[i] == 0) {
                    keys[i] = key;
                    values[i] = next;
                    if (++size * 2 > keys.length) grow();
                    return next;
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int k = 0; k < oldKeys.length; k++) {
                if (oldKeys[k] == 0) continue;
                int i = (int) (oldKeys[k] * 0x9E3779B97F4A7C15L >>> 40) & mask;
                while (keys[i] != 0) i = (i + 1) & mask;
                keys[i] = oldKeys[k];
                values[i] = oldValues[k];
            }
        }
    }
}
