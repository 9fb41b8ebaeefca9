package io.bwdoctor.core.intel;

/** 128-bit unsigned arithmetic on (hi, lo) word pairs, for range bounds. */
final class Words {
    private Words() {}

    /** The next address; wraps past all-ones (callers check for the maximum first). */
    static long[] increment(long hi, long lo) {
        return lo == -1L ? new long[] {hi + 1, 0} : new long[] {hi, lo + 1};
    }

    static long[] decrement(long hi, long lo) {
        return lo == 0 ? new long[] {hi - 1, -1L} : new long[] {hi, lo - 1};
    }
}
