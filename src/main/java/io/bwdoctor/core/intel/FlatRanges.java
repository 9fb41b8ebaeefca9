package io.bwdoctor.core.intel;

import java.util.Arrays;

/**
 * Sorted, disjoint, inclusive ranges of one IP version with label indexes, as columns (128-bit bounds as two words;
 * IPv4 in the low word). The build-time form of {@link Ipv4Ranges}/{@link Ipv6Ranges}, and what the data files store.
 */
public final class FlatRanges {
    final long[] startHi, startLo, endHi, endLo;
    final int[] labels;
    private final int size;

    FlatRanges(long[] startHi, long[] startLo, long[] endHi, long[] endLo, int[] labels, int size) {
        this.startHi = startHi;
        this.startLo = startLo;
        this.endHi = endHi;
        this.endLo = endLo;
        this.labels = labels;
        this.size = size;
    }

    public int size() {
        return size;
    }

    public long startHi(int i) {
        return startHi[i];
    }

    public long startLo(int i) {
        return startLo[i];
    }

    public long endHi(int i) {
        return endHi[i];
    }

    public long endLo(int i) {
        return endLo[i];
    }

    public int label(int i) {
        return labels[i];
    }

    /** For IPv4 data (all high words zero, low words below 2^32). */
    public Ipv4Ranges toIpv4(int labelCount) {
        int[] s = new int[size], e = new int[size];
        for (int i = 0; i < size; i++) {
            if (startHi[i] != 0 || endHi[i] != 0 || (endLo[i] >>> 32) != 0)
                throw new IllegalArgumentException("range " + i + " is not an IPv4 range");
            s[i] = (int) startLo[i];
            e[i] = (int) endLo[i];
        }
        return new Ipv4Ranges(s, e, Arrays.copyOf(labels, size), labelCount);
    }

    public Ipv6Ranges toIpv6(int labelCount) {
        return new Ipv6Ranges(Arrays.copyOf(startHi, size), Arrays.copyOf(startLo, size), Arrays.copyOf(endHi, size),
                Arrays.copyOf(endLo, size), Arrays.copyOf(labels, size), labelCount);
    }

    /** These ranges with every address of {@code removed} cut out (both sorted and disjoint); labels kept. */
    public FlatRanges minus(FlatRanges removed) {
        Appender out = new Appender();
        int j = 0;
        for (int i = 0; i < size; i++) {
            long sHi = startHi[i], sLo = startLo[i];
            boolean done = false;
            while (j < removed.size && IpRange.compare(removed.endHi[j], removed.endLo[j], sHi, sLo) < 0) j++;
            for (int k = j; k < removed.size && !done; k++) {
                if (IpRange.compare(removed.startHi[k], removed.startLo[k], endHi[i], endLo[i]) > 0) break;
                if (IpRange.compare(removed.startHi[k], removed.startLo[k], sHi, sLo) > 0) {
                    long[] before = Words.decrement(removed.startHi[k], removed.startLo[k]);
                    out.add(sHi, sLo, before[0], before[1], labels[i], false);
                }
                if (IpRange.compare(removed.endHi[k], removed.endLo[k], endHi[i], endLo[i]) >= 0) {
                    done = true;
                } else {
                    long[] after = Words.increment(removed.endHi[k], removed.endLo[k]);
                    sHi = after[0];
                    sLo = after[1];
                }
            }
            if (!done) out.add(sHi, sLo, endHi[i], endLo[i], labels[i], false);
        }
        return out.build();
    }

    /**
     * Labelled ranges in growing columns (RangeBuilder collects its input here too); with {@code mergeAdjacent}, a
     * range that continues its predecessor with the same label extends it (for sorted, disjoint input).
     */
    static final class Appender {
        long[] sHi = new long[16], sLo = new long[16], eHi = new long[16], eLo = new long[16];
        int[] lab = new int[16];
        int n;

        void add(long startHi, long startLo, long endHi, long endLo, int label, boolean mergeAdjacent) {
            if (IpRange.compare(startHi, startLo, endHi, endLo) > 0) return;
            if (mergeAdjacent && n > 0 && lab[n - 1] == label && !(eHi[n - 1] == -1L && eLo[n - 1] == -1L)) {
                long[] next = Words.increment(eHi[n - 1], eLo[n - 1]);
                if (next[0] == startHi && next[1] == startLo) {
                    eHi[n - 1] = endHi;
                    eLo[n - 1] = endLo;
                    return;
                }
            }
            if (n == lab.length) {
                int c = n * 2;
                sHi = Arrays.copyOf(sHi, c);
                sLo = Arrays.copyOf(sLo, c);
                eHi = Arrays.copyOf(eHi, c);
                eLo = Arrays.copyOf(eLo, c);
                lab = Arrays.copyOf(lab, c);
            }
            sHi[n] = startHi;
            sLo[n] = startLo;
            eHi[n] = endHi;
            eLo[n] = endLo;
            lab[n++] = label;
        }

        FlatRanges build() {
            return new FlatRanges(sHi, sLo, eHi, eLo, lab, n);
        }
    }
}
