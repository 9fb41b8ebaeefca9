package io.bwdoctor.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlowTableTest {
    private static final long SEC = 1_000_000_000L;

    private static int send(FlowTable t, long src, int sport, long dst, int dport, long second, long bytes) {
        return t.add(4, 6, 0, 0, src, sport, 0, dst, dport, second, second * SEC, 1, bytes);
    }

    @Test
    void countsBothDirectionsOnOneRowWithTheFirstSenderAsA() {
        FlowTable t = new FlowTable(1000, null);
        int r1 = send(t, 0xC0000202L, 443, 0xC0000201L, 40000, 5, 1500);
        int r2 = send(t, 0xC0000201L, 40000, 0xC0000202L, 443, 5, 60);
        send(t, 0xC0000202L, 443, 0xC0000201L, 40000, 6, 1500);
        assertThat(r1).isEqualTo(r2);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.aLo(r1)).isEqualTo(0xC0000202L);
        assertThat(t.aPort(r1)).isEqualTo(443);
        assertThat(t.bPort(r1)).isEqualTo(40000);
        assertThat(t.packets(r1, 0)).isEqualTo(2);
        assertThat(t.bytes(r1, 0)).isEqualTo(3000);
        assertThat(t.packets(r1, 1)).isEqualTo(1);
        assertThat(t.bytes(r1, 1)).isEqualTo(60);
        assertThat(t.firstNanos(r1)).isEqualTo(5 * SEC);
        assertThat(t.lastNanos(r1)).isEqualTo(6 * SEC);
    }

    @Test
    void slidingWindowsAndPeakFollowIftop() {
        FlowTable t = new FlowTable(1000, null);
        int row = 0;
        for (long s = 100; s < 150; s++) { // 50 seconds of 1000 bytes/s A->B, 10 bytes/s back
            row = send(t, 1, 1, 2, 2, s, 1000);
            send(t, 2, 2, 1, 1, s, 10);
        }
        send(t, 1, 1, 2, 2, 149, 4000); // the last second carries 5000 bytes A->B
        t.closeOpenSecond();
        assertThat(t.windowBytes(row, 0, 0)).isEqualTo(1000 + 5000);
        assertThat(t.windowDivisor(0)).isEqualTo(2);
        assertThat(t.windowBytes(row, 1, 0)).isEqualTo(9 * 1000 + 5000);
        assertThat(t.windowBytes(row, 2, 0)).isEqualTo(39 * 1000 + 5000);
        assertThat(t.windowBytes(row, 2, 1)).isEqualTo(400);
        assertThat(t.windowDivisor(2)).isEqualTo(40);
        assertThat(t.peakBytes(row, 0)).isEqualTo(5000);
        assertThat(t.peakBytes(row, 2)).isEqualTo(5010);

        t.advanceTo(160); // ten idle seconds later
        send(t, 1, 1, 2, 2, 160, 1);
        t.closeOpenSecond();
        assertThat(t.windowBytes(row, 0, 0)).isEqualTo(1);
        assertThat(t.windowBytes(row, 1, 0)).isEqualTo(1);
        assertThat(t.windowBytes(row, 2, 0)).isEqualTo(28 * 1000 + 5000 + 1); // seconds 121..160
    }

    @Test
    void shortRunsAverageOverTheTimeThatPassed() {
        FlowTable t = new FlowTable(1000, null);
        int row = send(t, 1, 1, 2, 2, 7, 3000);
        send(t, 1, 1, 2, 2, 9, 3000);
        t.closeOpenSecond();
        assertThat(t.windowDivisor(2)).isEqualTo(3);
        assertThat(t.windowBytes(row, 2, 0)).isEqualTo(6000);
    }

    @Test
    void packetsOlderThanTheOpenSecondStillCount() {
        FlowTable t = new FlowTable(1000, null);
        int row = send(t, 1, 1, 2, 2, 50, 100);
        send(t, 1, 1, 2, 2, 20, 100);
        t.closeOpenSecond();
        assertThat(t.bytes(row, 0)).isEqualTo(200);
        assertThat(t.windowBytes(row, 0, 0)).isEqualTo(200);
    }

    @Test
    void aConversationWithItselfHasOneDirection() {
        FlowTable t = new FlowTable(1000, null);
        int row = t.add(4, 17, 0, 0, 5, 53, 0, 5, 53, 1, SEC, 1, 100);
        t.add(4, 17, 0, 0, 5, 53, 0, 5, 53, 1, SEC, 1, 100);
        assertThat(t.packets(row, 0)).isEqualTo(2);
        assertThat(t.packets(row, 1)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 64, 1000, 100_000})
    void foldingKeepsTotalsExactAndMemoryBounded(int maxRows) {
        SplittableRandom random = new SplittableRandom(maxRows);
        FlowTable t = new FlowTable(maxRows, null);
        Map<List<Long>, long[]> model = new HashMap<>();
        long packets = 0;
        long bytes = 0;
        for (int i = 0; i < 50_000; i++) {
            long src = random.nextInt(300);
            long dst = 1000 + random.nextInt(5000);
            int sport = random.nextInt(3);
            long second = i / 500;
            long len = 40 + random.nextInt(1460);
            t.add(4, 6, 0, 0, src, sport, 0, dst, 80, second, second * SEC + i, 1, len);
            packets++;
            bytes += len;
            long[] m = model.computeIfAbsent(List.of(src, (long) sport, dst), k -> new long[2]);
            m[0]++;
            m[1] += len;
            assertThat(t.size()).isLessThanOrEqualTo(maxRows + maxRows / 4);
        }
        t.closeOpenSecond();
        long rowPackets = 0;
        long rowBytes = 0;
        int rows = 0;
        for (FlowTable level = t; level != null; level = level.overflow()) {
            for (int r = 0; r < level.size(); r++) {
                rowPackets += level.packets(r, 0) + level.packets(r, 1);
                rowBytes += level.bytes(r, 0) + level.bytes(r, 1);
                rows++;
            }
        }
        assertThat(rowPackets).isEqualTo(packets);
        assertThat(rowBytes).isEqualTo(bytes);
        if (maxRows >= model.size()) {
            assertThat(t.foldedRows()).isZero();
            assertThat(t.size()).isEqualTo(model.size());
            for (int r = 0; r < t.size(); r++) { // exact per conversation when nothing was folded
                long[] m = model.get(List.of(t.aLo(r), (long) t.aPort(r), t.bLo(r)));
                assertThat(new long[] {t.packets(r, 0), t.bytes(r, 0)}).containsExactly(m);
            }
        } else {
            assertThat(t.foldedRows()).isPositive();
            assertThat(rows).isLessThan(model.size());
        }
    }

    @Test
    void viewsAddUpToTheConversations() {
        ViewTables views = new ViewTables(EnumSet.allOf(View.class), 1000);
        FlowTable c = new FlowTable(1000, views);
        SplittableRandom random = new SplittableRandom(7);
        long bytes = 0;
        for (int i = 0; i < 5000; i++) {
            long a = random.nextInt(20);
            long b = random.nextInt(20);
            int len = 60 + random.nextInt(1000);
            c.add(4, random.nextBoolean() ? 6 : 17, 0, 0, a, 1024 + random.nextInt(4), 0, b,
                    random.nextBoolean() ? 443 : 5000, i / 100, i, 1, len);
            bytes += len;
        }
        c.closeOpenSecond();
        views.closeOpenSecond();
        assertThat(sum(views.table(View.PAIR), 0) + sum(views.table(View.PAIR), 1)).isEqualTo(bytes);
        assertThat(sum(views.table(View.HOST), 0)).as("host tx").isEqualTo(bytes);
        assertThat(sum(views.table(View.HOST), 1)).as("host rx").isEqualTo(bytes);
        assertThat(sum(views.table(View.PORT), 0) + sum(views.table(View.PORT), 1)).isEqualTo(bytes);
        assertThat(sum(views.table(View.PROTOCOL), 0) + sum(views.table(View.PROTOCOL), 1)).isEqualTo(bytes);
        FlowTable host = views.table(View.HOST);
        long peakSum = 0;
        for (int r = 0; r < host.size(); r++) {
            assertThat(host.peakBytes(r, 2)).isLessThanOrEqualTo(host.bytes(r, 0) + host.bytes(r, 1));
            peakSum += host.peakBytes(r, 0);
        }
        assertThat(peakSum).isPositive();
    }

    private static long sum(FlowTable t, int dir) {
        long s = 0;
        for (int r = 0; r < t.size(); r++) {
            s += t.bytes(r, dir);
        }
        return s;
    }
}
