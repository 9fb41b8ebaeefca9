package io.bwdoctor.cli.output;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.storage.IncidentStore.Summary;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Incidents as JSON (documented in docs/INCIDENTS.md), as a terminal table and as a ticket-ready Markdown summary.
 * Every string from the store came from processes and the wire: it is escaped for the terminal (and for Markdown);
 * JSON escapes everything outside ASCII, so a terminal that shows the raw JSON cannot be fooled by it either.
 */
public final class IncidentOutput {
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();
    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int TIMELINE_ROWS = 30;

    private IncidentOutput() {}

    // ---- JSON ------------------------------------------------------------------------------------------------------

    public static String json(Incident incident, String note) {
        return JSON.writeValueAsString(toMap(incident, note));
    }

    public static String jsonList(List<Summary> summaries) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Summary s : summaries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            times(m, s.startMillis(), s.endMillis());
            m.put("iface", s.iface());
            m.put("cap_bps", s.capBps());
            m.put("peak_utilisation", s.peakUtilisation());
            m.put("peak_bps", s.peakBps());
            m.put("culprit_count", s.culprits());
            m.put("top_culprit", s.topCulprit());
            m.put("note", s.note());
            rows.add(m);
        }
        return JSON.writeValueAsString(Map.of("incidents", rows));
    }

    static Map<String, Object> toMap(Incident incident, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", incident.id());
        times(m, incident.startMillis(), incident.endMillis());
        m.put("iface", incident.iface());
        m.put("cap_bps", incident.capBps());
        m.put("peak_utilisation", incident.peakUtilisation());
        m.put("peak_bps", incident.peakBps());
        m.put("note", note);
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (Incident.Sample s : incident.timeline()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("time", Instant.ofEpochSecond(s.epochSecond()).toString());
            t.put("epoch_second", s.epochSecond());
            t.put("tx_bps", s.txBps());
            t.put("rx_bps", s.rxBps());
            t.put("public_bps", s.publicBps());
            timeline.add(t);
        }
        m.put("timeline", timeline);
        List<Map<String, Object>> culprits = new ArrayList<>();
        for (Incident.Culprit c : incident.culprits()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("pid", c.pid());
            p.put("name", c.name());
            p.put("exe", c.exe());
            p.put("verdict", c.verdict());
            p.put("confidence", c.confidence());
            p.put("evidence", c.evidence());
            p.put("tx_bytes", c.txBytes());
            p.put("rx_bytes", c.rxBytes());
            culprits.add(p);
        }
        m.put("culprits", culprits);
        m.put("actions", incident.actions());
        JsonNode report = null;
        String unparsed = null;
        if (incident.reportJson() != null) {
            try {
                report = JSON.readTree(incident.reportJson());
            } catch (JacksonException e) {
                unparsed = incident.reportJson();
            }
        }
        m.put("report", report);
        if (unparsed != null) {
            m.put("report_unparsed", unparsed);
        }
        return m;
    }

    private static void times(Map<String, Object> m, long start, Long end) {
        m.put("start", Instant.ofEpochMilli(start).toString());
        m.put("start_millis", start);
        m.put("end", end == null ? null : Instant.ofEpochMilli(end).toString());
        m.put("end_millis", end);
        m.put("open", end == null);
        m.put("duration_seconds", end == null ? null : (end - start) / 1000.0);
    }

    // ---- terminal --------------------------------------------------------------------------------------------------

    public static void tableList(List<Summary> summaries, PrintStream out) {
        if (summaries.isEmpty()) {
            out.println("no incidents recorded");
            return;
        }
        out.printf("%6s  %-23s  %10s  %-10s  %10s  %5s  %-20s  %s%n", "ID", "START", "DURATION", "IFACE", "PEAK",
                "CAP%", "TOP CULPRIT", "STATUS");
        for (Summary s : summaries) {
            out.printf("%6d  %-23s  %10s  %-10s  %10s  %5s  %-20s  %s%n", s.id(), HUMAN.format(
                    Instant.ofEpochMilli(s.startMillis())), duration(s.startMillis(), s.endMillis()),
                    cut(Safe.terminal(s.iface()), 10), Units.bitsPerSecond(s.peakBps()),
                    percent(s.capBps(), s.peakUtilisation()),
                    topCulprit(s),
                    s.endMillis() == null ? "open"
                            : s.note() == null ? "closed" : "closed: " + Safe.terminal(s.note()));
        }
    }

    private static String topCulprit(Summary s) {
        if (s.topCulprit() == null) {
            return "-";
        }
        String more = s.culprits() > 1 ? " +" + (s.culprits() - 1) : "";
        return cut(Safe.terminal(s.topCulprit()), 20 - more.length()) + more;
    }

    public static void table(Incident i, String note, PrintStream out) {
        out.printf("Incident #%d on %s: %s%n", i.id(), Safe.terminal(i.iface()), when(i));
        out.printf("Peak %s%s%n", Units.bitsPerSecond(i.peakBps()), i.capBps() == null ? " (no cap configured)"
                : " = " + percent(i.capBps(), i.peakUtilisation()) + " of the " + Units.bitsPerSecond(i.capBps())
                + " cap");
        if (note != null) {
            out.println("Note: " + Safe.terminal(note));
        }
        out.println();
        if (i.culprits().isEmpty()) {
            out.println("No culprit was identified.");
        } else {
            out.printf("%8s  %-16s  %-14s  %5s  %10s  %10s  %s%n", "PID", "PROCESS", "VERDICT", "CONF", "SENT",
                    "RECEIVED", "EXE");
            for (Incident.Culprit c : i.culprits()) {
                out.printf("%8d  %-16s  %-14s  %5s  %10s  %10s  %s%n", c.pid(), cut(Safe.terminal(c.name()), 16),
                        cut(Safe.terminal(c.verdict()), 14), Math.round(c.confidence() * 100) + "%",
                        Units.bytes(c.txBytes()), Units.bytes(c.rxBytes()), Safe.terminal(String.valueOf(c.exe())));
                for (String e : c.evidence()) {
                    out.println("          - " + Safe.terminal(e));
                }
            }
        }
        if (!i.timeline().isEmpty()) {
            int step = Math.max(1, (i.timeline().size() + TIMELINE_ROWS - 1) / TIMELINE_ROWS);
            out.println();
            out.printf("Timeline (%d s%s)%n", i.timeline().size(),
                    step == 1 ? "" : ", busiest second of every " + step);
            out.printf("  %-20s  %10s  %10s  %10s%n", "TIME", "TX", "RX", "PUBLIC");
            for (Incident.Sample s : busiest(i.timeline(), step)) {
                out.printf("  %-20s  %10s  %10s  %10s%n", Instant.ofEpochSecond(s.epochSecond()),
                        Units.bitsPerSecond(s.txBps()), Units.bitsPerSecond(s.rxBps()),
                        Units.bitsPerSecond(s.publicBps()));
            }
        }
        if (!i.actions().isEmpty()) {
            out.println();
            out.println("What to do:");
            int n = 1;
            for (String a : i.actions()) {
                out.printf("  %d. %s%n", n++, Safe.terminal(a));
            }
        }
        if (i.reportJson() != null) {
            out.println();
            out.println("Full diagnose report: bwdoctor incidents export " + i.id() + " --format json");
        }
    }

    // ---- Markdown --------------------------------------------------------------------------------------------------

    public static void markdownList(List<Summary> summaries, PrintStream out) {
        out.println("| ID | Start (UTC) | Duration | Interface | Peak | Of cap | Top culprit | Status |");
        out.println("|---:|---|---:|---|---:|---:|---|---|");
        for (Summary s : summaries) {
            out.printf("| %d | %s | %s | %s | %s | %s | %s | %s |%n", s.id(),
                    HUMAN.format(Instant.ofEpochMilli(s.startMillis())), duration(s.startMillis(), s.endMillis()),
                    md(s.iface()), Units.bitsPerSecond(s.peakBps()), percent(s.capBps(), s.peakUtilisation()),
                    s.topCulprit() == null ? "-" : md(s.topCulprit()), s.endMillis() == null ? "open" : "closed");
        }
    }

    public static void markdown(Incident i, String note, PrintStream out) {
        out.printf("### Bandwidth incident #%d on %s%s%n%n", i.id(), md(i.iface()), i.capBps() == null ? ""
                : ": " + percent(i.capBps(), i.peakUtilisation()) + " of the " + Units.bitsPerSecond(i.capBps())
                + " cap");
        out.println("- **When:** " + when(i));
        out.println("- **Peak:** " + Units.bitsPerSecond(i.peakBps()) + (i.capBps() == null ? " (no cap configured)"
                : " (" + percent(i.capBps(), i.peakUtilisation()) + " of " + Units.bitsPerSecond(i.capBps()) + ")"));
        if (!i.culprits().isEmpty()) {
            Incident.Culprit top = i.culprits().getFirst();
            out.println("- **Top culprit:** " + md(top.name()) + " (PID " + top.pid() + "), " + md(top.verdict())
                    + ", " + Math.round(top.confidence() * 100) + " % confidence");
        }
        if (note != null) {
            out.println("- **Note:** " + md(note));
        }
        out.println();
        out.println("#### Culprits");
        out.println();
        if (i.culprits().isEmpty()) {
            out.println("No culprit was identified.");
        } else {
            out.println("| PID | Process | Verdict | Confidence | Sent | Received | Executable |");
            out.println("|---:|---|---|---:|---:|---:|---|");
            for (Incident.Culprit c : i.culprits()) {
                out.printf("| %d | %s | %s | %d %% | %s | %s | %s |%n", c.pid(), md(c.name()), md(c.verdict()),
                        Math.round(c.confidence() * 100), Units.bytes(c.txBytes()), Units.bytes(c.rxBytes()),
                        md(String.valueOf(c.exe())));
            }
            out.println();
            out.println("#### Evidence");
            out.println();
            for (Incident.Culprit c : i.culprits()) {
                if (!c.evidence().isEmpty()) {
                    out.println("- **" + md(c.name()) + " (PID " + c.pid() + ")**");
                    for (String e : c.evidence()) {
                        out.println("  - " + md(e));
                    }
                }
            }
        }
        if (!i.actions().isEmpty()) {
            out.println();
            out.println("#### Actions");
            out.println();
            int n = 1;
            for (String a : i.actions()) {
                out.println(n++ + ". " + md(a));
            }
        }
        out.println();
        out.println("_Recorded by the bwdoctor guard; full data: `bwdoctor incidents export " + i.id()
                + " --format json`._");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** Terminal-safe and inert in Markdown: no emphasis, links, HTML, headings or table breaks from untrusted text. */
    static String md(String s) {
        String safe = Safe.terminal(s == null ? "-" : s);
        StringBuilder out = new StringBuilder(safe.length() + 8);
        for (int k = 0; k < safe.length(); k++) {
            char c = safe.charAt(k);
            if ("\\`*_[]<>|#~!".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String when(Incident i) {
        String start = HUMAN.format(Instant.ofEpochMilli(i.startMillis()));
        if (i.endMillis() == null) {
            return start + ", still open";
        }
        return start + " to " + HUMAN.format(Instant.ofEpochMilli(i.endMillis())) + " ("
                + duration(i.startMillis(), i.endMillis()) + ")";
    }

    static String duration(long start, Long end) {
        if (end == null) {
            return "open";
        }
        long s = Math.max(0, (end - start + 500) / 1000);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    private static String percent(Long cap, double utilisation) {
        return cap == null ? "-" : Math.round(utilisation * 100) + " %";
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    /** The second with the most traffic out of every {@code step}, so that a long incident still fits a screen. */
    private static List<Incident.Sample> busiest(List<Incident.Sample> timeline, int step) {
        List<Incident.Sample> out = new ArrayList<>();
        for (int k = 0; k < timeline.size(); k += step) {
            Incident.Sample best = timeline.get(k);
            for (int j = k + 1; j < Math.min(timeline.size(), k + step); j++) {
                Incident.Sample s = timeline.get(j);
                if (Math.max(s.txBps(), s.rxBps()) > Math.max(best.txBps(), best.rxBps())) {
                    best = s;
                }
            }
            out.add(best);
        }
        return out;
    }
}
