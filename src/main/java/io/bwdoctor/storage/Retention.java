package io.bwdoctor.storage;

import java.time.Duration;

/**
 * How long history is kept, and how big the database may grow. By size, the oldest per-second samples go first,
 * then the oldest per-minute rollups, then the oldest closed incidents (an open incident is never deleted).
 *
 * @param seconds   age limit of per-second samples
 * @param minutes   age limit of per-minute rollups
 * @param incidents age limit of closed incidents (by their end)
 * @param maxBytes  limit of the database pages in use (the file after {@code prune}; the WAL is truncated then)
 */
public record Retention(Duration seconds, Duration minutes, Duration incidents, long maxBytes) {
    public static final Retention DEFAULT = new Retention(Duration.ofDays(2), Duration.ofDays(90),
            Duration.ofDays(365), 200L * 1000 * 1000);

    public Retention {
        if (seconds.isNegative() || minutes.isNegative() || incidents.isNegative() || maxBytes <= 0) {
            throw new IllegalArgumentException("retention ages must not be negative and the size must be positive");
        }
    }
}
