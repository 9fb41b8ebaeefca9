package io.bwdoctor.core.intel;

/** Sorted, disjoint, inclusive IPv6 ranges (128-bit bounds as two longs) with label indexes; binary search. */
public final class Ipv6Ranges {
    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;
    private final int[] labels;

    /** Takes ownership of the arrays. */
    public Ipv6Ranges(long[] startHi, long[] startLo, long[] endHi, long[] endLo, int[] labels, int labelCount) {
        int n = labels.length;
        if (startHi.length != n || startLo.length != n || endHi.length != n || endLo.length != n)
            throw new IllegalArgumentException("IPv6 range columns differ in length");
        for (int i = 0; i < n; i++) {
            if (compare(endHi[i], endLo[i], startHi[i], startLo[i]) < 0)
                throw new IllegalArgumentException("IPv6 range " + i + " ends before it starts");
            if (i > 0 && compare(startHi[i], startLo[i], endHi[i - 1], endLo[i - 1]) <= 0)
                throw new IllegalArgumentException("IPv6 range " + i + " is unsorted or overlaps its predecessor");
            if (labels[i] < 0 || labels[i] >= labelCount)
                throw new IllegalArgumentException("IPv6 range " + i + " has label " + labels[i] + " out of range");
        }
        this.startHi = startHi;
        this.startLo = startLo;
        this.endHi = endHi;
        this.endLo = endLo;
        this.labels = labels;
    }

    public int size() {
        return labels.length;
    }

    /** Label index of the range holding the address, or -1. */
    public int find(long hi, long lo) {
        int low = 0, high = labels.length - 1;
        while (low <= high) { // last range whose start <= address
            int mid = (low + high) >>> 1;
            if (compare(startHi[mid], startLo[mid], hi, lo) <= 0) low = mid + 1;
            else high = mid - 1;
        }
        return high >= 0 && compare(hi, lo, endHi[high], endLo[high]) <= 0 ? labels[high] : -1;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }
}
