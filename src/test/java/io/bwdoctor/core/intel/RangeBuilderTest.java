package io.bwdoctor.core.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RangeBuilderTest {
    private static int find(FlatRanges f, long a) {
        for (int i = 0; i < f.size(); i++) if (f.startLo(i) <= a && a <= f.endLo(i)) return f.label(i);
        return -1;
    }

    @Test
    void theMoreSpecificNestedRangeWinsAndTheRestSurvivesOnBothSides() {
        RangeBuilder b = new RangeBuilder();
        b.add(0, 100, 0, 200, 1);
        b.add(0, 150, 0, 150, 2); // nested single address
        b.add(0, 190, 0, 260, 3); // partial overlap, starts later: wins from 190
        FlatRanges f = b.build();
        assertThat(find(f, 149)).isEqualTo(1);
        assertThat(find(f, 150)).isEqualTo(2);
        assertThat(find(f, 151)).isEqualTo(1);
        assertThat(find(f, 189)).isEqualTo(1);
        assertThat(find(f, 190)).isEqualTo(3);
        assertThat(find(f, 260)).isEqualTo(3);
        assertThat(find(f, 261)).isEqualTo(-1);
        assertThat(f.size()).isEqualTo(4); // 100-149, 150, 151-189, 190-260
    }

    @Test
    void adjacentRangesWithTheSameLabelMergeAndEqualRangesLetTheLastWin() {
        RangeBuilder b = new RangeBuilder();
        b.add(0, 0, 0, 9, 4);
        b.add(0, 10, 0, 19, 4);
        b.add(0, 30, 0, 39, 5);
        b.add(0, 30, 0, 39, 6);
        FlatRanges f = b.build();
        assertThat(f.size()).isEqualTo(2);
        assertThat(f.endLo(0)).isEqualTo(19);
        assertThat(f.label(1)).isEqualTo(6);
    }

    @Test
    void handlesTheWholeIpv6SpaceWithoutOverflow() {
        RangeBuilder b = new RangeBuilder();
        b.add(IpRange.parse("::/0"), 0);
        b.add(IpRange.parse("ffff::/16"), 1);
        b.add(IpRange.parse("::/1"), 2);
        FlatRanges f = b.build();
        Ipv6Ranges r = f.toIpv6(3);
        assertThat(r.find(-1L, -1L)).isEqualTo(1);
        assertThat(r.find(0, 0)).isEqualTo(2);
        assertThat(r.find(0x8000_0000_0000_0000L, 0)).isZero();
        assertThat(r.find(0xfffe_ffff_ffff_ffffL, -1L)).isZero();
        assertThat(r.size()).isEqualTo(3);
    }

    @Test
    void rejectsAnInvertedRange() {
        assertThatThrownBy(() -> new RangeBuilder().add(0, 5, 0, 4, 0)).hasMessageContaining("ends before");
    }

    /** Against a brute-force model: the winner at each address is the covering range that starts last. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void agreesWithABruteForceModel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 60, space = 400;
        long[][] ranges = new long[n][];
        RangeBuilder b = new RangeBuilder();
        for (int i = 0; i < n; i++) {
            long s = random.nextLong(space), e = Math.min(space - 1, s + random.nextLong(random.nextBoolean() ? 8 : 120));
            ranges[i] = new long[] {s, e, random.nextInt(4)};
            b.add(0, s, 0, e, (int) ranges[i][2]);
        }
        FlatRanges f = b.build();
        for (int i = 1; i < f.size(); i++) assertThat(f.startLo(i)).isGreaterThan(f.endLo(i - 1));
        for (long a = 0; a < space; a++) {
            int expected = -1;
            long bestStart = -1, bestEnd = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                long[] r = ranges[i];
                if (r[0] <= a && a <= r[1]) {
                    // later start wins; same start: shorter wins; identical: added later wins
                    if (r[0] > bestStart || (r[0] == bestStart && r[1] <= bestEnd)) {
                        bestStart = r[0];
                        bestEnd = r[1];
                        expected = (int) r[2];
                    }
                }
            }
            assertThat(find(f, a)).as("seed %d address %d", seed, a).isEqualTo(expected);
        }
    }

    @Test
    void minusCutsHolesAndEnds() {
        RangeBuilder b = new RangeBuilder();
        b.add(0, 10, 0, 100, 7);
        b.add(0, 200, 0, 210, 8);
        RangeBuilder cut = new RangeBuilder();
        cut.add(0, 0, 0, 12, 0);
        cut.add(0, 50, 0, 60, 0);
        cut.add(0, 100, 0, 205, 0);
        FlatRanges f = b.build().minus(cut.build());
        assertThat(find(f, 12)).isEqualTo(-1);
        assertThat(find(f, 13)).isEqualTo(7);
        assertThat(find(f, 49)).isEqualTo(7);
        assertThat(find(f, 55)).isEqualTo(-1);
        assertThat(find(f, 61)).isEqualTo(7);
        assertThat(find(f, 99)).isEqualTo(7);
        assertThat(find(f, 100)).isEqualTo(-1);
        assertThat(find(f, 205)).isEqualTo(-1);
        assertThat(find(f, 206)).isEqualTo(8);
        assertThat(f.size()).isEqualTo(3);
    }
}
