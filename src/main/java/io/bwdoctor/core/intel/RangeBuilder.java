package io.bwdoctor.core.intel;

import java.util.Arrays;

/**
 * Collects possibly nested or overlapping labelled ranges of one IP version and flattens them into disjoint ones:
 * where ranges overlap, the one starting later (the more specific one) wins, as in an mmdb search tree; of two equal
 * ranges the one added last wins. Adjacent results with the same label are merged. Same algorithm as
 * scripts/build-geo-data.py.
 */
public final class RangeBuilder {
    private final FlatRanges.Appender added = new FlatRanges.Appender();

    public void add(IpRange range, int label) {
        add(range.startHi(), range.startLo(), range.endHi(), range.endLo(), label);
    }

    public void add(long startHi, long startLo, long endHi, long endLo, int label) {
        if (IpRange.compare(endHi, endLo, startHi, startLo) < 0)
            throw new IllegalArgumentException("range ends before it starts");
        added.add(startHi, startLo, endHi, endLo, label, false);
    }

    public int size() {
        return added.n;
    }

    public FlatRanges build() {
        long[] sHi = added.sHi, sLo = added.sLo, eHi = added.eHi, eLo = added.eLo;
        int[] lab = added.lab;
        int n = added.n;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> { // start ascending, then end descending, then insertion order
            int c = IpRange.compare(sHi[a], sLo[a], sHi[b], sLo[b]);
            if (c == 0) c = IpRange.compare(eHi[b], eLo[b], eHi[a], eLo[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        FlatRanges.Appender out = new FlatRanges.Appender();
        // Open ranges, innermost on top: their ends strictly decrease from bottom to top.
        int[] stack = new int[Math.max(1, n)];
        int depth = 0;
        long cursorHi = 0, cursorLo = 0; // first address not yet emitted
        boolean exhausted = false;       // a range ending at the last address was emitted (only ever at the end)
        for (int k = 0; k <= n; k++) {
            int r = k < n ? order[k] : -1;
            // Close every open range that ends before this one starts (all of them after the last range).
            while (depth > 0 && (r < 0 || IpRange.compare(eHi[stack[depth - 1]], eLo[stack[depth - 1]], sHi[r], sLo[r]) < 0)) {
                int top = stack[--depth];
                if (!exhausted) out.add(cursorHi, cursorLo, eHi[top], eLo[top], lab[top], true);
                if (eHi[top] == -1L && eLo[top] == -1L) {
                    exhausted = true;
                } else if (IpRange.compare(eHi[top], eLo[top], cursorHi, cursorLo) >= 0) {
                    long[] next = Words.increment(eHi[top], eLo[top]);
                    cursorHi = next[0];
                    cursorLo = next[1];
                }
            }
            if (r < 0) break;
            if (depth > 0 && IpRange.compare(sHi[r], sLo[r], cursorHi, cursorLo) > 0) {
                long[] before = Words.decrement(sHi[r], sLo[r]);
                out.add(cursorHi, cursorLo, before[0], before[1], lab[stack[depth - 1]], true);
            }
            if (IpRange.compare(sHi[r], sLo[r], cursorHi, cursorLo) > 0) {
                cursorHi = sHi[r];
                cursorLo = sLo[r];
            }
            while (depth > 0 && IpRange.compare(eHi[stack[depth - 1]], eLo[stack[depth - 1]], eHi[r], eLo[r]) <= 0)
                depth--; // shadowed from here on by the later-starting range
            stack[depth++] = r;
        }
        return out.build();
    }
}
