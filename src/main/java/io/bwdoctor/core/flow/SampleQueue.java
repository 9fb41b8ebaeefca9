package io.bwdoctor.core.flow;

import java.util.Arrays;

/**
 * The closed one-second samples of the last 40 seconds, bucketed by second, so that each row's sliding-window sums
 * can be decremented when a sample leaves a window. Memory follows activity (one entry per row per active second),
 * not rows x 40.
 */
final class SampleQueue {
    static final int BUCKETS = 64; // more than the longest window, so a bucket is free before its second comes back

    private final long[] second = new long[BUCKETS];
    private final int[] count = new int[BUCKETS];
    private final int[][] rows = new int[BUCKETS][];
    private final long[][] bytes = new long[BUCKETS][]; // [i*2 + dir]

    SampleQueue() {
        Arrays.fill(second, Rows.NO_SECOND);
        for (int b = 0; b < BUCKETS; b++) {
            rows[b] = new int[16];
            bytes[b] = new long[32];
        }
    }

    private static int bucket(long sec) {
        return Math.floorMod(sec, BUCKETS);
    }

    void add(long sec, int row, long bytesAB, long bytesBA) {
        int b = bucket(sec);
        if (second[b] != sec) {
            second[b] = sec;
            count[b] = 0;
        }
        int i = count[b]++;
        if (i == rows[b].length) {
            rows[b] = Arrays.copyOf(rows[b], i * 2);
            bytes[b] = Arrays.copyOf(bytes[b], i * 4);
        }
        rows[b][i] = row;
        bytes[b][i * 2] = bytesAB;
        bytes[b][i * 2 + 1] = bytesBA;
    }

    /** Calls back each sample of a second in (fromExclusive, toInclusive]; rows removed by compaction are skipped. */
    void forEachBetween(long fromExclusive, long toInclusive, SampleConsumer consumer) {
        if (toInclusive <= fromExclusive) {
            return;
        }
        for (int b = 0; b < BUCKETS; b++) {
            long s = second[b];
            if (s == Rows.NO_SECOND || s <= fromExclusive || s > toInclusive) {
                continue;
            }
            int[] r = rows[b];
            long[] v = bytes[b];
            for (int i = 0, n = count[b]; i < n; i++) {
                if (r[i] >= 0) {
                    consumer.accept(r[i], v[i * 2], v[i * 2 + 1]);
                }
            }
        }
    }

    /** Renumbers rows after a compaction (oldToNew[row] is the row's new id, or -1 if it was folded away). */
    void renumber(int[] oldToNew) {
        for (int b = 0; b < BUCKETS; b++) {
            int[] r = rows[b];
            for (int i = 0, n = count[b]; i < n; i++) {
                if (r[i] >= 0) {
                    r[i] = oldToNew[r[i]];
                }
            }
        }
    }

    @FunctionalInterface
    interface SampleConsumer {
        void accept(int row, long bytesAB, long bytesBA);
    }
}
