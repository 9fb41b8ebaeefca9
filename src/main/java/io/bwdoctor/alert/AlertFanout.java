package io.bwdoctor.alert;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.text.Safe;

import java.io.PrintStream;
import java.util.List;

/**
 * Hands each event to every configured sink, so one sink's bug cannot silence the others or break the guard loop:
 * an exception from a sink is reported on {@code errors} (one line) and the next sink still runs.
 */
public final class AlertFanout implements AlertSink {
    private final List<AlertSink> sinks;
    private final PrintStream errors;

    public AlertFanout(List<AlertSink> sinks, PrintStream errors) {
        this.sinks = List.copyOf(sinks);
        this.errors = errors;
    }

    @Override
    public void opened(Incident incident) {
        for (AlertSink sink : sinks) {
            try {
                sink.opened(incident);
            } catch (RuntimeException e) {
                report(sink, e);
            }
        }
    }

    @Override
    public void closed(Incident incident) {
        for (AlertSink sink : sinks) {
            try {
                sink.closed(incident);
            } catch (RuntimeException e) {
                report(sink, e);
            }
        }
    }

    @Override
    public void close() {
        for (AlertSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                report(sink, e);
            }
        }
    }

    private void report(AlertSink sink, RuntimeException e) {
        errors.println("bwdoctor: alert via " + sink.getClass().getSimpleName() + " failed: "
                + Safe.terminal(String.valueOf(e.getMessage())).replace('\n', ' '));
    }
}
