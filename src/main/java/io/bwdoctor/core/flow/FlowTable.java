package io.bwdoctor.core.flow;

import java.util.Arrays;

/**
 * A bidirectional table of rows keyed by IP version, protocol, two addresses and two ports, with per-direction
 * packet and byte counts, first/last seen, iftop-style sliding-window sums over the last 2, 10 and 40 seconds, and
 * the peak one-second rate. The same table serves conversations (fed per packet) and aggregate views such as address
 * pairs or hosts (fed one closed second at a time through {@link SampleListener}).
 *
 * <p>Time advances in whole seconds: {@link #advanceTo(long)} closes the open second, which moves its counts into the
 * windows and peaks and hands each row's sample to the listener. Packets older than the open second are counted in
 * it (cumulative totals stay exact; only the second they are shown in shifts).
 *
 * <p>Memory is bounded: past {@code maxRows}, the least recently active rows are folded into a second-level table of
 * per-host aggregates (key: A's address, B unspecified), and past its own bound into a single "everything else" row.
 * Totals stay exact; folded rows keep totals and peaks but no sliding windows. Not thread-safe.
 */
public final class FlowTable {
    public static final int FLAG_INNER = 1;
    public static final int FLAG_FOLDED_HOST = 2;
    public static final int FLAG_FOLDED_ALL = 4;
    public static final int NO_PORT = -1;
    /** Owner of a row nobody has attributed (yet); other negative owners are reason codes chosen by the caller. */
    public static final int OWNER_UNKNOWN = Integer.MIN_VALUE;

    private final int maxRows;
    private final int level;
    /** Whether B is a real endpoint (conversations, pairs), so that A == B means one direction only. */
    private final boolean twoEnded;
    private final SampleListener listener;
    private Rows rows;
    private int[] index;
    private final SampleQueue samples = new SampleQueue();
    private int[] active = new int[256];
    private int activeCount;
    private long openSecond = Rows.NO_SECOND;
    private long closedSecond = Rows.NO_SECOND;
    private long firstSecond = Rows.NO_SECOND;
    private FlowTable overflow;
    private long foldedRows;
    private RowListener rowListener;

    public FlowTable(int maxRows, SampleListener listener) {
        this(maxRows, listener, 0, true);
    }

    /** A view table whose B side is only a placeholder (hosts, ports, protocols, processes). */
    public static FlowTable oneEnded(int maxRows) {
        return new FlowTable(maxRows, null, 0, false);
    }

    private FlowTable(int maxRows, SampleListener listener, int level, boolean twoEnded) {
        if (maxRows < 16) {
            throw new IllegalArgumentException("maxRows must be at least 16");
        }
        this.maxRows = maxRows;
        this.level = level;
        this.twoEnded = twoEnded;
        this.listener = listener;
        this.rows = new Rows();
        this.index = new int[tableSizeFor(Math.min(maxRows, 1024))];
    }

    private static int tableSizeFor(int rows) {
        return Integer.highestOneBit(Math.max(16, rows) * 2 - 1) * 2; // load factor at most 1/2
    }

    /** Packs the non-address part of a key. Ports are -1 when absent. */
    static long meta(int version, int protocol, int flags, int lowPort, int highPort) {
        return (protocol & 0xffL) | ((long) (version & 0xf) << 8) | ((long) (flags & 0xf) << 12)
                | ((long) (lowPort + 1) << 16) | ((long) (highPort + 1) << 33);
    }

    private static boolean lessOrEqual(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        if (aHi != bHi) {
            return Long.compareUnsigned(aHi, bHi) < 0;
        }
        if (aLo != bLo) {
            return Long.compareUnsigned(aLo, bLo) < 0;
        }
        return aPort <= bPort;
    }

    private static int hash(long meta, long lowHi, long lowLo, long highHi, long highLo) {
        long h = meta * 0x9E3779B97F4A7C15L;
        h = (h ^ lowLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ highLo) * 0x165667B19E3779F9L;
        h = (h ^ lowHi ^ Long.rotateLeft(highHi, 17)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * Counts packets going from src to dst in the given second. Returns the row id. The hot path: no allocation.
     *
     * @param nanos the packet's time, or {@link Long#MIN_VALUE} when unknown
     */
    public int add(int version, int protocol, int flags, long srcHi, long srcLo, int srcPort,
                   long dstHi, long dstLo, int dstPort, long second, long nanos, int packets, long bytes) {
        advanceTo(second);
        boolean srcLow = lessOrEqual(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        int row = srcLow
                ? find(meta(version, protocol, flags, srcPort, dstPort), srcHi, srcLo, dstHi, dstLo, true)
                : find(meta(version, protocol, flags, dstPort, srcPort), dstHi, dstLo, srcHi, srcLo, false);
        // A conversation of an endpoint with itself has one direction, as tshark counts it
        int dir = rows.aIsLow(row) == srcLow || isSelf(row) ? 0 : 1;
        count(row, dir, packets, bytes, nanos);
        return row;
    }

    /** Counts a whole closed sample of a source row (both directions, A to B as given) into this view table. */
    public void addSample(int version, int protocol, int flags, long aHi, long aLo, int aPort, long bHi, long bLo,
                          int bPort, long second, int packetsAB, long bytesAB, int packetsBA, long bytesBA,
                          long firstNanos, long lastNanos) {
        advanceTo(second);
        boolean aLow = lessOrEqual(aHi, aLo, aPort, bHi, bLo, bPort);
        int row = aLow
                ? find(meta(version, protocol, flags, aPort, bPort), aHi, aLo, bHi, bLo, true)
                : find(meta(version, protocol, flags, bPort, aPort), bHi, bLo, aHi, aLo, false);
        boolean sameOrientation = rows.aIsLow(row) == aLow;
        if (isSelf(row)) {
            packetsAB += packetsBA;
            bytesAB += bytesBA;
            packetsBA = 0;
            bytesBA = 0;
            sameOrientation = true;
        }
        if (packetsAB > 0 || bytesAB > 0) {
            count(row, sameOrientation ? 0 : 1, packetsAB, bytesAB, firstNanos);
        }
        if (packetsBA > 0 || bytesBA > 0) {
            count(row, sameOrientation ? 1 : 0, packetsBA, bytesBA, firstNanos);
        }
        rows.max(row, Rows.LAST, lastNanos);
    }

    private boolean isSelf(int row) {
        if (!twoEnded) {
            return false;
        }
        long[] h = rows.chunk(row);
        int k = Rows.at(row, 0);
        return h[k + Rows.LOW_HI] == h[k + Rows.HIGH_HI] && h[k + Rows.LOW_LO] == h[k + Rows.HIGH_LO]
                && lowPort(row) == highPort(row);
    }

    private void count(int row, int dir, int packets, long bytes, long nanos) {
        long[] h = rows.chunk(row);
        int k = Rows.at(row, 0);
        h[k + Rows.PACKETS + dir] += packets;
        h[k + Rows.BYTES + dir] += bytes;
        if (nanos != Long.MIN_VALUE) {
            if (nanos < h[k + Rows.FIRST]) {
                h[k + Rows.FIRST] = nanos;
            }
            if (nanos > h[k + Rows.LAST]) {
                h[k + Rows.LAST] = nanos;
            }
        }
        if (h[k + Rows.OPEN_SECOND] != openSecond) {
            h[k + Rows.OPEN_SECOND] = openSecond;
            h[k + Rows.OPEN_PACKETS] = h[k + Rows.OPEN_PACKETS + 1] = 0;
            h[k + Rows.OPEN_BYTES] = h[k + Rows.OPEN_BYTES + 1] = 0;
            if (activeCount == active.length) {
                active = Arrays.copyOf(active, activeCount * 2);
            }
            active[activeCount++] = row;
        }
        h[k + Rows.OPEN_PACKETS + dir] += packets;
        h[k + Rows.OPEN_BYTES + dir] += bytes;
    }

    private int find(long meta, long lowHi, long lowLo, long highHi, long highLo, boolean aLow) {
        int slot = slot(meta, lowHi, lowLo, highHi, highLo);
        if (index[slot] != 0) {
            return index[slot] - 1;
        }
        if (rows.size >= maxRows + (maxRows >> 2)) {
            closeOpenSecond(); // a burst of new rows within one second: make room now
            return find(meta, lowHi, lowLo, highHi, highLo, aLow);
        }
        int row = rows.append(meta, lowHi, lowLo, highHi, highLo, aLow);
        index[slot] = row + 1;
        if (rowListener != null) {
            rowListener.created(this, row);
        }
        if (rows.size * 2 > index.length) {
            rehash(index.length * 2);
        }
        return row;
    }

    /** The index slot holding this key, or the empty slot where it would go. */
    private int slot(long meta, long lowHi, long lowLo, long highHi, long highLo) {
        int mask = index.length - 1;
        for (int slot = hash(meta, lowHi, lowLo, highHi, highLo) & mask; ; slot = (slot + 1) & mask) {
            int entry = index[slot];
            if (entry == 0) {
                return slot;
            }
            long[] hot = rows.chunk(entry - 1);
            int k = Rows.at(entry - 1, 0);
            if ((hot[k] & ~Rows.A_IS_LOW) == meta && hot[k + Rows.LOW_LO] == lowLo && hot[k + Rows.HIGH_LO] == highLo
                    && hot[k + Rows.LOW_HI] == lowHi && hot[k + Rows.HIGH_HI] == highHi) {
                return slot;
            }
        }
    }

    private void rehash(int size) {
        index = new int[size];
        int mask = size - 1;
        for (int r = 0; r < rows.size; r++) {
            long[] hot = rows.chunk(r);
            int k = Rows.at(r, 0);
            int slot = hash(hot[k] & ~Rows.A_IS_LOW, hot[k + Rows.LOW_HI], hot[k + Rows.LOW_LO], hot[k + Rows.HIGH_HI],
                    hot[k + Rows.HIGH_LO]) & mask;
            while (index[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            index[slot] = r + 1;
        }
    }

    /** Moves time forward to the given second, closing the open one if it is older. Earlier seconds are ignored. */
    public void advanceTo(long second) {
        if (openSecond == Rows.NO_SECOND) {
            openSecond = second;
            if (firstSecond == Rows.NO_SECOND) {
                firstSecond = second;
            }
        } else if (second > openSecond) {
            closeOpenSecond();
            openSecond = second;
        }
    }

    /** Closes the open second (end of a capture file, or a live refresh): windows and peaks include it afterwards. */
    public void closeOpenSecond() {
        if (openSecond == Rows.NO_SECOND) {
            return;
        }
        long sec = openSecond;
        Rows t = rows;
        for (int i = 0; i < activeCount; i++) {
            int row = active[i];
            long[] h = t.chunk(row);
            int k = Rows.at(row, 0);
            int pAB = (int) h[k + Rows.OPEN_PACKETS];
            int pBA = (int) h[k + Rows.OPEN_PACKETS + 1];
            long bAB = h[k + Rows.OPEN_BYTES];
            long bBA = h[k + Rows.OPEN_BYTES + 1];
            h[k + Rows.OPEN_SECOND] = Rows.NO_SECOND;
            h[k + Rows.PEAK_BYTES] = Math.max(h[k + Rows.PEAK_BYTES], bAB);
            h[k + Rows.PEAK_BYTES + 1] = Math.max(h[k + Rows.PEAK_BYTES + 1], bBA);
            h[k + Rows.PEAK_BYTES + 2] = Math.max(h[k + Rows.PEAK_BYTES + 2], bAB + bBA);
            for (int w = 0; w < Rows.WINDOWS.length; w++) {
                h[k + Rows.WINDOW_BYTES + w * 2] += bAB;
                h[k + Rows.WINDOW_BYTES + w * 2 + 1] += bBA;
            }
            samples.add(sec, row, bAB, bBA);
            if (listener != null) {
                listener.onSample(this, row, sec, pAB, bAB, pBA, bBA);
            }
        }
        activeCount = 0;
        if (listener != null) {
            listener.secondClosed(sec);
        }
        expireWindows(sec);
        closedSecond = sec;
        if (rows.size > maxRows) {
            compact();
        }
    }

    private void expireWindows(long now) {
        long before = closedSecond == Rows.NO_SECOND ? Long.MIN_VALUE + 64 : closedSecond;
        Rows t = rows;
        for (int w = 0; w < Rows.WINDOWS.length; w++) {
            int width = Rows.WINDOWS[w];
            int field = Rows.WINDOW_BYTES + w * 2;
            samples.forEachBetween(before - width, now - width, (row, bAB, bBA) -> {
                t.add(row, field, -bAB);
                t.add(row, field + 1, -bBA);
            });
        }
    }

    /** Folds the least recently active rows into the next level until a quarter of the room is free again. */
    private void compact() {
        if (overflow == null) {
            overflow = new FlowTable(level == 0 ? Math.max(16, maxRows / 8) : Integer.MAX_VALUE / 4, null, level + 1,
                    twoEnded);
        }
        Rows t = rows;
        int excess = t.size - (maxRows - (maxRows >> 2));
        long threshold = lastSeenQuantile(t, (double) excess / t.size);
        int[] newId = new int[t.size];
        int kept = 0;
        int folded = 0;
        for (int r = 0; r < t.size; r++) {
            if (folded < excess && t.get(r, Rows.LAST) <= threshold) {
                foldInto(overflow, r);
                newId[r] = -1;
                folded++;
            } else {
                if (kept != r) {
                    t.move(r, kept);
                }
                newId[r] = kept++;
            }
        }
        t.size = kept;
        t.trim();
        foldedRows += folded;
        samples.renumber(newId);
        rehash(index.length);
    }

    private static long lastSeenQuantile(Rows t, double fraction) {
        int n = Math.min(t.size, 2048);
        long[] sample = new long[n];
        for (int i = 0; i < n; i++) {
            sample[i] = t.get((int) ((long) i * t.size / n), Rows.LAST);
        }
        Arrays.sort(sample);
        return sample[Math.min(n - 1, (int) Math.ceil(fraction * n))];
    }

    private void foldInto(FlowTable target, int r) {
        Rows t = rows;
        boolean toAll = level > 0;
        int flags = toAll ? FLAG_FOLDED_ALL : FLAG_FOLDED_HOST | (flags(r) & FLAG_INNER);
        int version = toAll ? 0 : version(r);
        long aHi = toAll ? 0 : aHi(r);
        long aLo = toAll ? 0 : aLo(r);
        target.advanceTo(openSecond == Rows.NO_SECOND ? 0 : openSecond);
        boolean aLow = lessOrEqual(aHi, aLo, NO_PORT, 0, 0, NO_PORT);
        long meta = meta(version, 0, flags, NO_PORT, NO_PORT);
        int into = aLow ? target.find(meta, aHi, aLo, 0, 0, true) : target.find(meta, 0, 0, aHi, aLo, false);
        Rows o = target.rows;
        for (int i = 0; i < 2; i++) {
            o.add(into, Rows.PACKETS + i, t.get(r, Rows.PACKETS + i));
            o.add(into, Rows.BYTES + i, t.get(r, Rows.BYTES + i));
        }
        for (int i = 0; i < 3; i++) {
            o.max(into, Rows.PEAK_BYTES + i, t.get(r, Rows.PEAK_BYTES + i));
        }
        o.set(into, Rows.FIRST, Math.min(o.get(into, Rows.FIRST), t.get(r, Rows.FIRST)));
        o.max(into, Rows.LAST, t.get(r, Rows.LAST));
        if (target.rows.size > target.maxRows) {
            target.compact();
        }
    }

    /** Told about each new row as it is created (live attribution starts resolving its owner then). */
    @FunctionalInterface
    public interface RowListener {
        void created(FlowTable table, int row);
    }

    public void setRowListener(RowListener listener) {
        this.rowListener = listener;
    }

    /**
     * The row of a conversation between two endpoints (either orientation), or -1 if there is none. Does not create.
     */
    public int lookup(int version, int protocol, int flags, long xHi, long xLo, int xPort, long yHi, long yLo,
                      int yPort) {
        boolean xLow = lessOrEqual(xHi, xLo, xPort, yHi, yLo, yPort);
        long meta = xLow ? meta(version, protocol, flags, xPort, yPort) : meta(version, protocol, flags, yPort, xPort);
        int slot = xLow ? slot(meta, xHi, xLo, yHi, yLo) : slot(meta, yHi, yLo, xHi, xLo);
        return index[slot] - 1;
    }

    /** The owner recorded for a row (a pid, a negative reason code, or {@link #OWNER_UNKNOWN}). */
    public int owner(int row) {
        return (int) rows.get(row, Rows.OWNER);
    }

    public void setOwner(int row, int owner) {
        rows.set(row, Rows.OWNER, owner);
    }

    // ---- reading rows (for reports); row ids are valid until the next closeOpenSecond() ----

    public int size() {
        return rows.size;
    }

    /** The table folded rows went into (per-host aggregates, then one row for all), or null if nothing was folded. */
    public FlowTable overflow() {
        return overflow;
    }

    public long foldedRows() {
        return foldedRows;
    }

    private long metaOf(int row) {
        return rows.meta(row);
    }

    public int version(int row) {
        return (int) (metaOf(row) >>> 8) & 0xf;
    }

    public int protocol(int row) {
        return (int) metaOf(row) & 0xff;
    }

    public int flags(int row) {
        return (int) (metaOf(row) >>> 12) & 0xf;
    }

    private int lowPort(int row) {
        return (int) ((metaOf(row) >>> 16) & 0x1ffff) - 1;
    }

    private int highPort(int row) {
        return (int) ((metaOf(row) >>> 33) & 0x1ffff) - 1;
    }

    public long aHi(int row) {
        return rows.get(row, rows.aIsLow(row) ? Rows.LOW_HI : Rows.HIGH_HI);
    }

    public long aLo(int row) {
        return rows.get(row, rows.aIsLow(row) ? Rows.LOW_LO : Rows.HIGH_LO);
    }

    public long bHi(int row) {
        return rows.get(row, rows.aIsLow(row) ? Rows.HIGH_HI : Rows.LOW_HI);
    }

    public long bLo(int row) {
        return rows.get(row, rows.aIsLow(row) ? Rows.HIGH_LO : Rows.LOW_LO);
    }

    public int aPort(int row) {
        return rows.aIsLow(row) ? lowPort(row) : highPort(row);
    }

    public int bPort(int row) {
        return rows.aIsLow(row) ? highPort(row) : lowPort(row);
    }

    /** Packets in a direction: 0 = A to B, 1 = B to A. */
    public long packets(int row, int dir) {
        return rows.get(row, Rows.PACKETS + dir);
    }

    public long bytes(int row, int dir) {
        return rows.get(row, Rows.BYTES + dir);
    }

    /** First and last packet time in nanoseconds, or Long.MAX_VALUE / Long.MIN_VALUE when no packet had a time. */
    public long firstNanos(int row) {
        return rows.get(row, Rows.FIRST);
    }

    public long lastNanos(int row) {
        return rows.get(row, Rows.LAST);
    }

    /** Window lengths in seconds (2, 10, 40), indexed by the {@code window} argument below. */
    public static int windowSeconds(int window) {
        return Rows.WINDOWS[window];
    }

    public static int windows() {
        return Rows.WINDOWS.length;
    }

    /** Bytes moved in the given direction during the last {@code windowSeconds(window)} closed seconds. */
    public long windowBytes(int row, int window, int dir) {
        return rows.get(row, Rows.WINDOW_BYTES + window * 2 + dir);
    }

    /**
     * Seconds to divide a window's bytes by: the window length, or fewer when less time has passed since the first
     * second seen (so that a 3-second capture's 10 s average is not diluted by 7 empty seconds).
     */
    public long windowDivisor(int window) {
        if (closedSecond == Rows.NO_SECOND) {
            return 0;
        }
        return Math.min(Rows.WINDOWS[window], closedSecond - firstSecond + 1);
    }

    /** Highest one-second byte count: 0 = A to B, 1 = B to A, 2 = both together. */
    public long peakBytes(int row, int which) {
        return rows.get(row, Rows.PEAK_BYTES + which);
    }
}
