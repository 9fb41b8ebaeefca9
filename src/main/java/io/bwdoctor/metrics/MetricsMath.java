package io.bwdoctor.metrics;

final class MetricsMath {
    private MetricsMath() {}

    /** Growth of a cumulative count since {@code last}; a smaller value means the source restarted from 0. */
    static long delta(long now, long last) {
        return now >= last ? now - last : Math.max(0, now);
    }
}
