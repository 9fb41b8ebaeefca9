package io.bwdoctor.alert;

import io.bwdoctor.core.incident.Incident;

import java.util.List;

/** Incident fixtures for the sink tests. */
final class Incidents {
    static final long START = 1_796_040_000_000L; // 2026-11-30T12:00:00Z

    private Incidents() {}

    static Incident open(long id) {
        return new Incident(id, START, null, "eth0", 1_000_000_000L, 0.97, 970_000_000L,
                List.of(new Incident.Sample(START / 1000, 960_000_000L, 10_000_000L, 965_000_000L)),
                List.of(new Incident.Culprit(4242, "rsync", "/usr/bin/rsync", "backup", 0.9,
                                List.of("parent is cron", "writes to 203.0.113.7:873"), 90_000_000_000L, 1_000_000L),
                        new Incident.Culprit(77, "nginx", "/usr/sbin/nginx", "web_server", 0.8, List.of(),
                                5_000_000_000L, 200_000_000L)),
                List.of("rate-limit rsync with --bwlimit", "move the backup window to the night"), "{}");
    }

    static Incident closed(long id) {
        Incident o = open(id);
        return new Incident(o.id(), o.startMillis(), o.startMillis() + 312_000, o.iface(), o.capBps(),
                o.peakUtilisation(), o.peakBps(), o.timeline(), o.culprits(), o.actions(), o.reportJson());
    }

    /** An incident whose strings try terminal escapes, line breaks and bidi overrides. */
    static Incident hostile(long id) {
        Incident o = open(id);
        return new Incident(id, o.startMillis(), null, "eth0\n\u001b[2J", null, 0, 5_000_000L, List.of(),
                List.of(new Incident.Culprit(1, "x\u001b]0;pwned\u0007\nFAKE LINE", "/tmp/\u202eexe", "miner", 0.5,
                        List.of("a\"b\\c"), 1, 2)),
                List.of("kill it\r\nNEXT"), "{}");
    }
}
