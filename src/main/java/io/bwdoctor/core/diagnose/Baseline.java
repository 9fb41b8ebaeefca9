package io.bwdoctor.core.diagnose;

/**
 * The usual level of an interface's public traffic, from the guard's per-minute history, to tell a sudden change
 * from slow growth.
 *
 * @param avgPublicBps average public bits per second (busier direction) over the minutes recorded
 * @param days         how many days the history spans
 * @param minutes      how many recorded minutes it is made of
 */
public record Baseline(String iface, long avgPublicBps, int days, int minutes) {
    /** Less than an hour of history says nothing about the usual level. */
    public static final int MIN_MINUTES = 60;
}
