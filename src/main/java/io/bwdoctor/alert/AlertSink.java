package io.bwdoctor.alert;

import io.bwdoctor.core.incident.Incident;

/**
 * Where the guard tells people that an incident opened or closed. Calls come from the guard loop: an implementation
 * must return quickly (hand slow work to its own thread) and must not throw for delivery problems (count or report
 * them instead). {@link #close()} flushes what is pending, within a bounded time.
 */
public interface AlertSink extends AutoCloseable {
    void opened(Incident incident);

    void closed(Incident incident);

    @Override
    default void close() {}
}
