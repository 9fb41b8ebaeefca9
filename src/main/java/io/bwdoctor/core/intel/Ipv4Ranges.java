package io.bwdoctor.core.intel;

/** Sorted, disjoint, inclusive IPv4 ranges each carrying a label index; binary search, no allocation. */
public final class Ipv4Ranges {
    // Sign bit flipped so that signed int comparison orders addresses as unsigned.
    private final int[] starts;
    private final int[] ends;
    private final int[] labels;
    // bucket[p] = number of ranges starting below p.0.0 (p = top 16 bits); narrows each search to one /16's ranges.
    private final int[] bucket = new int[65537];

    /** Takes ownership of the arrays (starts and ends as raw unsigned 32-bit addresses). */
    public Ipv4Ranges(int[] starts, int[] ends, int[] labels, int labelCount) {
        if (starts.length != ends.length || starts.length != labels.length)
            throw new IllegalArgumentException("IPv4 range columns differ in length");
        for (int i = 0; i < starts.length; i++) {
            starts[i] ^= Integer.MIN_VALUE;
            ends[i] ^= Integer.MIN_VALUE;
            if (ends[i] < starts[i]) throw new IllegalArgumentException("IPv4 range " + i + " ends before it starts");
            if (i > 0 && starts[i] <= ends[i - 1])
                throw new IllegalArgumentException("IPv4 range " + i + " is unsorted or overlaps its predecessor");
            if (labels[i] < 0 || labels[i] >= labelCount)
                throw new IllegalArgumentException("IPv4 range " + i + " has label " + labels[i] + " out of range");
        }
        this.starts = starts;
        this.ends = ends;
        this.labels = labels;
        int i = 0;
        for (int p = 0; p <= 65536; p++) {
            long below = (long) p << 16;
            while (i < starts.length && Integer.toUnsignedLong(starts[i] ^ Integer.MIN_VALUE) < below) i++;
            bucket[p] = i;
        }
    }

    public int size() {
        return starts.length;
    }

    /** Label index of the range holding the address (low 32 bits of {@code address}), or -1. */
    public int find(long address) {
        int key = (int) address ^ Integer.MIN_VALUE;
        int prefix = (int) (address >>> 16) & 0xffff;
        int low = bucket[prefix], high = bucket[prefix + 1] - 1;
        while (low <= high) { // last range whose start <= key; the one before low starts below key
            int mid = (low + high) >>> 1;
            if (starts[mid] <= key) low = mid + 1;
            else high = mid - 1;
        }
        return high >= 0 && key <= ends[high] ? labels[high] : -1;
    }
}
