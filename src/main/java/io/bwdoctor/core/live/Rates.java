package io.bwdoctor.core.live;

/**
 * Cumulative bytes and iftop-style rates of one row, from the local host's point of view: tx = sent by this host
 * (or process), rx = received. Rates are bits per second over the last 2, 10 and 40 seconds; peaks are the busiest
 * second since the start. Null rates mean "not tracked" (rows folded to bound memory).
 */
public record Rates(long txBytes, long rxBytes, long txPackets, long rxPackets,
                    Long txBps2s, Long rxBps2s, Long txBps10s, Long rxBps10s, Long txBps40s, Long rxBps40s,
                    long txPeakBps, long rxPeakBps, long peakBps) {

    public long totalBytes() {
        return txBytes + rxBytes;
    }

    /** Total bits per second over the given window (0 = 2 s, 1 = 10 s, 2 = 40 s), or 0 when not tracked. */
    public long totalBps(int window) {
        Long tx = switch (window) {
            case 0 -> txBps2s;
            case 1 -> txBps10s;
            default -> txBps40s;
        };
        Long rx = switch (window) {
            case 0 -> rxBps2s;
            case 1 -> rxBps10s;
            default -> rxBps40s;
        };
        return (tx == null ? 0 : tx) + (rx == null ? 0 : rx);
    }
}
