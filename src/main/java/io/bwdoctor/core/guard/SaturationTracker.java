package io.bwdoctor.core.guard;

/**
 * Decides, second by second, when the link is saturated long enough to open an incident and when it has recovered
 * long enough to close it. Utilisation is public traffic / cap in the busier direction. One incident at a time: no
 * new one opens while one is active. Pure; fed by the guard's sampling loop.
 */
public final class SaturationTracker {
    /** What a second changed. */
    public enum Event { NONE, OPEN, CLOSE }

    private final double threshold;
    private final int openAfter;
    private final int closeAfter;
    private int above;
    private int below;
    private boolean active;

    /**
     * @param threshold  utilisation (0..1+) from which a second counts as saturated
     * @param openAfter  consecutive saturated seconds that open an incident
     * @param closeAfter consecutive unsaturated seconds that close it
     */
    public SaturationTracker(double threshold, int openAfter, int closeAfter) {
        if (threshold <= 0 || openAfter < 1 || closeAfter < 1) {
            throw new IllegalArgumentException("threshold must be above 0 and the durations at least 1 s");
        }
        this.threshold = threshold;
        this.openAfter = openAfter;
        this.closeAfter = closeAfter;
    }

    /** Feeds one second's utilisation; returns whether it opened or closed an incident. */
    public Event feed(double utilisation) {
        boolean saturated = utilisation >= threshold;
        above = saturated ? above + 1 : 0;
        below = saturated ? 0 : below + 1;
        if (active) {
            if (below >= closeAfter) {
                active = false;
                return Event.CLOSE;
            }
            return Event.NONE;
        }
        if (above >= openAfter) {
            active = true;
            return Event.OPEN;
        }
        return Event.NONE;
    }

    public boolean active() {
        return active;
    }

    public int openAfter() {
        return openAfter;
    }
}
