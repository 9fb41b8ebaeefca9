package io.bwdoctor.engine;

import java.io.IOException;
import java.util.Optional;

/**
 * The uplink's cumulative byte counters as the guard reads them once a second, whatever the OS: the device's bytes
 * (framing included) and, where the platform can split them, the L3 bytes of all traffic and of its private part
 * (the guard scales the device bytes by that share). Open one through {@link Platforms#openLinkCounters}.
 */
public interface LinkCounters extends AutoCloseable {
    /**
     * Counters since some start (only differences matter). all/private are zero when {@link #scopeGap()} is not null.
     */
    record Reading(long deviceTx, long deviceRx, long allTx, long allRx, long privateTx, long privateRx) {}

    /** The counters now; empty when the interface is gone (it may come back). */
    Optional<Reading> read() throws IOException;

    /** Why there is no public/private split (then all traffic counts against the cap), or null when there is one. */
    String scopeGap();

    @Override
    void close();
}
