package io.bwdoctor.core.incident;

import java.util.List;

/**
 * One saturation episode recorded by the guard: when the link went above the threshold, how full it got, who used it
 * (with the verdicts diagnose gave), and what to do. {@code reportJson} is the full diagnose report of the deep look,
 * kept verbatim so that `incidents show` can print everything diagnose printed.
 *
 * @param id              store-assigned id (0 before it is stored)
 * @param endMillis       null while the incident is still open
 * @param capBps          the configured cap in bits per second, or null when none was configured
 * @param peakUtilisation busiest second's public traffic / cap (0..n; 1.0 = exactly at the cap), or 0 without a cap
 * @param peakBps         busiest second's public bits per second (both directions' maximum)
 */
public record Incident(long id, long startMillis, Long endMillis, String iface, Long capBps, double peakUtilisation,
                       long peakBps, List<Sample> timeline, List<Culprit> culprits, List<String> actions,
                       String reportJson) {
    public Incident {
        timeline = List.copyOf(timeline);
        culprits = List.copyOf(culprits);
        actions = List.copyOf(actions);
    }

    public Incident withId(long newId) {
        return new Incident(newId, startMillis, endMillis, iface, capBps, peakUtilisation, peakBps, timeline, culprits,
                actions, reportJson);
    }

    /** The deep look's results: culprits, runbook, full report. */
    public Incident withFindings(List<Culprit> newCulprits, List<String> newActions, String newReportJson) {
        return new Incident(id, startMillis, endMillis, iface, capBps, peakUtilisation, peakBps, timeline,
                newCulprits, newActions, newReportJson);
    }

    public Incident closedAt(long end) {
        return new Incident(id, startMillis, end, iface, capBps, peakUtilisation, peakBps, timeline, culprits,
                actions, reportJson);
    }

    /** One more second: appended to the timeline (its oldest dropped beyond {@code maxTimeline}), peaks updated. */
    public Incident plus(Sample s, int maxTimeline) {
        List<Sample> longer = new java.util.ArrayList<>(timeline);
        longer.add(s);
        if (longer.size() > maxTimeline) {
            longer.remove(0);
        }
        long peak = Math.max(peakBps, s.publicBps());
        return new Incident(id, startMillis, endMillis, iface, capBps, utilisation(peak, capBps), peak, longer,
                culprits, actions, reportJson);
    }

    /** Public bits per second against the cap (0 without a cap). */
    public static double utilisation(long publicBps, Long capBps) {
        return capBps == null || capBps == 0 ? 0 : (double) publicBps / capBps;
    }

    /** One second of the interface: bits per second each way, and the part that went to public addresses. */
    public record Sample(long epochSecond, long txBps, long rxBps, long publicBps) {}

    /** A process that used the link during the incident, with its verdict (see core.verdict.Verdict keys). */
    public record Culprit(int pid, String name, String exe, String verdict, double confidence, List<String> evidence,
                          long txBytes, long rxBytes) {
        public Culprit {
            evidence = List.copyOf(evidence);
        }
    }
}
