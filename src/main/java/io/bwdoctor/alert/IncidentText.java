package io.bwdoctor.alert;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.text.Safe;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One-line, sanitized description of an incident for logs, syslog and chat: no control characters, no line breaks,
 * bounded length (at most {@link #TOP_CULPRITS} culprits and the first action).
 */
final class IncidentText {
    static final int TOP_CULPRITS = 3;
    private static final int MAX_FIELD = 64;
    private static final String[] RATE = {"b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s"};
    private static final String[] SIZE = {"B", "kB", "MB", "GB", "TB", "PB"};

    private IncidentText() {}

    static String line(Incident incident, boolean opened) {
        StringBuilder b = new StringBuilder(256);
        b.append("incident ").append(incident.id()).append(opened ? " opened" : " closed")
                .append(" on ").append(field(incident.iface()));
        if (!opened && incident.endMillis() != null) {
            b.append(" after ").append(duration(incident.endMillis() - incident.startMillis()));
        }
        b.append(": peak ").append(scaled(incident.peakBps(), RATE));
        if (incident.capBps() != null && incident.capBps() > 0) {
            b.append(String.format(Locale.ROOT, " = %.0f%% of the %s cap", incident.peakUtilisation() * 100,
                    scaled(incident.capBps(), RATE)));
        }
        b.append(", started ").append(Instant.ofEpochMilli(incident.startMillis()));
        int shown = Math.min(TOP_CULPRITS, incident.culprits().size());
        for (int i = 0; i < shown; i++) {
            Incident.Culprit c = incident.culprits().get(i);
            b.append(i == 0 ? "; top: " : ", ").append(field(c.name())).append(" (pid ").append(c.pid());
            if (c.verdict() != null) {
                b.append(", ").append(field(c.verdict()));
            }
            b.append(", ").append(scaled(c.txBytes() + c.rxBytes(), SIZE)).append(')');
        }
        if (incident.culprits().size() > shown) {
            b.append(" +").append(incident.culprits().size() - shown).append(" more");
        }
        if (!incident.actions().isEmpty()) {
            b.append("; do: ").append(field(incident.actions().getFirst()));
        }
        return b.toString();
    }

    /** Sanitized, single-line, truncated. */
    static String field(String s) {
        if (s == null) {
            return "?";
        }
        String safe = Safe.terminal(s);
        return safe.length() > MAX_FIELD ? safe.substring(0, MAX_FIELD - 3) + "..." : safe;
    }

    static String scaled(double value, String[] units) {
        int u = 0;
        while (value >= 1000 && u < units.length - 1) {
            value /= 1000;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%d %s", (long) value, units[0])
                : String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s",
                        value, units[u]);
    }

    static String duration(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
