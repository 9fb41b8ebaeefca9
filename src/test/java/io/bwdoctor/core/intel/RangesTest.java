package io.bwdoctor.core.intel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangesTest {
    @Test
    void ipv4FindsInclusiveBoundsAcrossTheSignBit() {
        // 1.0.0.0-1.0.0.255 -> 0, 128.0.0.0-200.0.0.0 -> 1, 255.255.255.0-255.255.255.255 -> 2
        Ipv4Ranges r = new Ipv4Ranges(new int[] {0x01000000, 0x80000000, 0xffffff00},
                new int[] {0x010000ff, 0xc8000000, 0xffffffff}, new int[] {0, 1, 2}, 3);
        assertThat(r.find(0x00ffffffL)).isEqualTo(-1);
        assertThat(r.find(0x01000000L)).isZero();
        assertThat(r.find(0x010000ffL)).isZero();
        assertThat(r.find(0x01000100L)).isEqualTo(-1);
        assertThat(r.find(0x7fffffffL)).isEqualTo(-1);
        assertThat(r.find(0x80000000L)).isEqualTo(1);
        assertThat(r.find(0xc8000000L)).isEqualTo(1);
        assertThat(r.find(0xc8000001L)).isEqualTo(-1);
        assertThat(r.find(0xffffffffL)).isEqualTo(2);
        assertThat(new Ipv4Ranges(new int[0], new int[0], new int[0], 0).find(5)).isEqualTo(-1);
    }

    @Test
    void ipv4AgreesWithALinearScanOnRandomRanges() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        long[] cuts = random.longs(2000, 0, 1L << 32).sorted().distinct().toArray();
        int n = cuts.length / 2;
        int[] starts = new int[n], ends = new int[n], labels = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = (int) cuts[2 * i];
            ends[i] = (int) cuts[2 * i + 1] - (i % 3 == 0 ? 1 : 0); // some adjacent ranges, some one-address gaps
            labels[i] = i % 5;
        }
        int[] s = starts.clone(), e = ends.clone();
        Ipv4Ranges r = new Ipv4Ranges(starts, ends, labels, 5);
        for (int k = 0; k < 20_000; k++) {
            long a = k < 2 * n ? Integer.toUnsignedLong(k % 2 == 0 ? s[k / 2] : e[k / 2] + 1)
                    : random.nextLong(1L << 32);
            int expected = -1;
            for (int i = 0; i < n; i++)
                if (Integer.toUnsignedLong(s[i]) <= a && a <= Integer.toUnsignedLong(e[i])) expected = i % 5;
            assertThat(r.find(a)).as("address %08x", a).isEqualTo(expected);
        }
    }

    @Test
    void ipv6ComparesBothWordsUnsigned() {
        Ipv6Ranges r = new Ipv6Ranges(new long[] {0x2001_0000_0000_0000L, 0xff00_0000_0000_0000L},
                new long[] {5, 0}, new long[] {0x2001_0000_0000_0000L, -1L}, new long[] {-1L, -1L},
                new int[] {1, 0}, 2);
        assertThat(r.find(0x2001_0000_0000_0000L, 4)).isEqualTo(-1);
        assertThat(r.find(0x2001_0000_0000_0000L, 5)).isEqualTo(1);
        assertThat(r.find(0x2001_0000_0000_0000L, -1L)).isEqualTo(1);
        assertThat(r.find(0x2001_0000_0000_0001L, 0)).isEqualTo(-1);
        assertThat(r.find(-1L, -1L)).isZero();
        assertThat(r.find(0, 0)).isEqualTo(-1);
    }

    @Test
    void rejectsUnsortedOverlappingOrDanglingRanges() {
        assertThatThrownBy(() -> new Ipv4Ranges(new int[] {10, 5}, new int[] {20, 30}, new int[] {0, 0}, 1))
                .hasMessageContaining("unsorted or overlaps");
        assertThatThrownBy(() -> new Ipv4Ranges(new int[] {10}, new int[] {9}, new int[] {0}, 1))
                .hasMessageContaining("ends before");
        assertThatThrownBy(() -> new Ipv4Ranges(new int[] {10}, new int[] {11}, new int[] {1}, 1))
                .hasMessageContaining("label 1 out of range");
        assertThatThrownBy(() -> new Ipv6Ranges(new long[] {0, 0}, new long[] {1, 1}, new long[] {0, 0},
                new long[] {2, 3}, new int[] {0, 0}, 1)).hasMessageContaining("unsorted or overlaps");
    }

    @Test
    void overlayAnswersLikeBothTablesOnRandomRanges() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        Ipv4Ranges[] tables = new Ipv4Ranges[2];
        for (int t = 0; t < 2; t++) {
            long[] cuts = random.longs(600, 0, 1L << 32).sorted().distinct().toArray();
            int n = cuts.length / 2;
            int[] s = new int[n], e = new int[n], l = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = (int) cuts[2 * i];
                e[i] = (int) cuts[2 * i + 1] - (i % 2);
                l[i] = i % 7;
            }
            if (t == 1) e[n - 1] = -1; // a range ending at 255.255.255.255
            tables[t] = new Ipv4Ranges(s, e, l, 7);
        }
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        Ipv4Ranges both = Ipv4Ranges.overlay(tables[0], tables[1], pairs);
        for (int k = 0; k < 50_000; k++) {
            long a = k < 2400 ? (k % 2 == 0 ? tables[k / 1200].start(k / 2 % tables[k / 1200].size())
                    : tables[k / 1200].end(k / 2 % tables[k / 1200].size()) + 1) & 0xffff_ffffL
                    : random.nextLong(1L << 32);
            int label = both.find(a);
            int[] pair = label < 0 ? new int[] {-1, -1} : pairs.get(label);
            assertThat(pair).as("%08x", a).containsExactly(tables[0].find(a), tables[1].find(a));
        }
        assertThat(both.find(0xffff_ffffL)).isNotNegative();
    }
}
