package io.bwdoctor.guard;

import io.bwdoctor.core.diagnose.Baseline;
import io.bwdoctor.storage.IncidentStore;
import io.bwdoctor.storage.StoreException;

/** The usual public traffic of an interface over the last week, from the guard's per-minute history. */
public final class History {
    private static final long WEEK_MILLIS = 7L * 24 * 3600 * 1000;

    private History() {}

    /** Null when fewer than {@link Baseline#MIN_MINUTES} minutes were recorded. */
    public static Baseline baseline(IncidentStore store, String iface, long nowMillis) throws StoreException {
        long sum = 0;
        int minutes = 0;
        long first = Long.MAX_VALUE;
        for (IncidentStore.Minute m : store.history(iface, nowMillis - WEEK_MILLIS, nowMillis)) {
            if (m.samples() > 0) {
                sum += m.avgPublicBps();
                minutes++;
                first = Math.min(first, m.startMillis());
            }
        }
        if (minutes < Baseline.MIN_MINUTES) {
            return null;
        }
        int days = (int) Math.max(1, Math.ceil((nowMillis - first) / 86_400_000.0));
        return new Baseline(iface, sum / minutes, days, minutes);
    }
}
