package io.bwdoctor.core.report;

/**
 * Sorts row references by two precomputed keys, largest first, without boxing and without touching the tables
 * during the sort (a report may have a million rows). Stable merge sort.
 */
final class RowOrder {
    private RowOrder() {}

    static void sortDescending(long[] refs, long[] primary, long[] secondary, int n) {
        long[] r2 = new long[n];
        long[] p2 = new long[n];
        long[] s2 = new long[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid || j < hi) {
                    boolean takeRight = i >= mid || (j < hi && (primary[j] > primary[i]
                            || primary[j] == primary[i] && secondary[j] > secondary[i]));
                    int from = takeRight ? j++ : i++;
                    r2[k] = refs[from];
                    p2[k] = primary[from];
                    s2[k++] = secondary[from];
                }
            }
            System.arraycopy(r2, 0, refs, 0, n);
            System.arraycopy(p2, 0, primary, 0, n);
            System.arraycopy(s2, 0, secondary, 0, n);
        }
    }
}
