package io.bwdoctor.alert;

import io.bwdoctor.core.incident.Incident;

import java.io.PrintStream;
import java.time.Instant;
import java.util.function.LongSupplier;

/** One sanitized line per event on a stream (stderr for the guard): "2026-11-30T12:00:00Z bwdoctor: incident ...". */
public final class LogSink implements AlertSink {
    private final PrintStream out;
    private final LongSupplier clockMillis;

    public LogSink(PrintStream out) {
        this(out, System::currentTimeMillis);
    }

    LogSink(PrintStream out, LongSupplier clockMillis) {
        this.out = out;
        this.clockMillis = clockMillis;
    }

    @Override
    public void opened(Incident incident) {
        write(incident, true);
    }

    @Override
    public void closed(Incident incident) {
        write(incident, false);
    }

    private void write(Incident incident, boolean opened) {
        out.println(Instant.ofEpochMilli(clockMillis.getAsLong()) + " bwdoctor: " + IncidentText.line(incident, opened));
        out.flush();
    }
}
