package io.bwdoctor.capture.file;

import java.util.Arrays;

/**
 * The capture interfaces of one file (pcap: one; pcapng: one per IDB over all sections), in arrays so that the
 * per-packet path reads them without allocation. Also converts pcapng timestamp units to nanoseconds.
 */
final class InterfaceTable {
    /** More interfaces than this is surely a broken or hostile file; it also bounds the table's memory. */
    static final int MAX_INTERFACES = 65_536;

    private int size;
    int[] section = new int[4];
    int[] linkType = new int[4];
    long[] snapLength = new long[4];
    /** Raw if_tsresol byte (pcap: 6 or 9), kept for reporting. */
    int[] tsResolution = new int[4];
    /** units * tsMultiplier (decimal resolutions of 10^-9 and coarser); 0 when another rule applies. */
    long[] tsMultiplier = new long[4];
    /** units / tsDivisor, unsigned (decimal resolutions finer than 10^-9); 0 when another rule applies. */
    long[] tsDivisor = new long[4];
    /** units * 10^9 / 2^tsBinaryExponent (binary resolutions); -1 for decimal ones. */
    int[] tsBinaryExponent = new int[4];
    long[] tsOffsetNanos = new long[4];
    long[] packets = new long[4];

    int size() {
        return size;
    }

    /**
     * Adds an interface; returns its file-wide index, or -1 when the table is full.
     *
     * @param tsResolution if_tsresol byte: bit 7 clear = 10^-n seconds, set = 2^-n seconds (n = low 7 bits)
     * @param tsOffsetSeconds if_tsoffset, added to every timestamp
     */
    int add(int sectionNumber, int link, long snap, int tsResolution, long tsOffsetSeconds) {
        if (size == MAX_INTERFACES) {
            return -1;
        }
        if (size == linkType.length) {
            int n = size * 2;
            section = Arrays.copyOf(section, n);
            linkType = Arrays.copyOf(linkType, n);
            snapLength = Arrays.copyOf(snapLength, n);
            this.tsResolution = Arrays.copyOf(this.tsResolution, n);
            tsMultiplier = Arrays.copyOf(tsMultiplier, n);
            tsDivisor = Arrays.copyOf(tsDivisor, n);
            tsBinaryExponent = Arrays.copyOf(tsBinaryExponent, n);
            tsOffsetNanos = Arrays.copyOf(tsOffsetNanos, n);
            packets = Arrays.copyOf(packets, n);
        }
        int i = size++;
        section[i] = sectionNumber;
        linkType[i] = link;
        snapLength[i] = snap;
        this.tsResolution[i] = tsResolution & 0xff;
        int exponent = tsResolution & 0x7f;
        if ((tsResolution & 0x80) != 0) {
            tsBinaryExponent[i] = exponent;
        } else {
            tsBinaryExponent[i] = -1;
            if (exponent <= 9) {
                tsMultiplier[i] = POW10[9 - exponent];
            } else if (exponent - 9 < POW10.length) {
                tsDivisor[i] = POW10[exponent - 9];  // up to 10^19, which only fits as unsigned
            }
            // coarser than 10^-28 s per unit: every 64-bit count is below one nanosecond, so multiplier 0 gives 0
        }
        tsOffsetNanos[i] = saturatingMultiply(tsOffsetSeconds, 1_000_000_000L);
        return i;
    }

    /** Timestamp in nanoseconds since the epoch for a count of the interface's units (unsigned 64-bit). */
    long toNanos(int i, long units) {
        long nanos;
        int binary = tsBinaryExponent[i];
        if (binary >= 0) {
            nanos = binaryToNanos(units, binary);
        } else if (tsDivisor[i] != 0) {
            nanos = Long.divideUnsigned(units, tsDivisor[i]);
        } else {
            long m = tsMultiplier[i];
            long high = Math.unsignedMultiplyHigh(units, m);
            nanos = units * m;
            if (high != 0 || nanos < 0) {
                nanos = Long.MAX_VALUE;
            }
        }
        return saturatingAdd(nanos, tsOffsetNanos[i]);
    }

    /** units * 10^9 / 2^exponent with a 128-bit intermediate, saturated to Long.MAX_VALUE; exponent in [0, 127]. */
    static long binaryToNanos(long units, int exponent) {
        long high = Math.unsignedMultiplyHigh(units, 1_000_000_000L);
        long low = units * 1_000_000_000L;
        long resultLow;
        long resultHigh;
        if (exponent == 0) {
            resultLow = low;
            resultHigh = high;
        } else if (exponent < 64) {
            resultLow = (low >>> exponent) | (high << (64 - exponent));
            resultHigh = high >>> exponent;
        } else {
            resultLow = high >>> (exponent - 64);
            resultHigh = 0;
        }
        return resultHigh != 0 || resultLow < 0 ? Long.MAX_VALUE : resultLow;
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;  // MIN_VALUE itself means "no timestamp"
        }
        return r == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : r;
    }

    static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return low;
        }
        return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
    }

    private static final long[] POW10 = powersOfTen();

    private static long[] powersOfTen() {
        long[] p = new long[20];
        p[0] = 1;
        for (int i = 1; i < p.length; i++) {
            p[i] = p[i - 1] * 10;  // 10^19 wraps to a negative long but is right as an unsigned value
        }
        return p;
    }
}
