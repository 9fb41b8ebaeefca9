package io.bwdoctor.cli.diagnose;

import io.bwdoctor.cli.output.DisplayWidth;
import io.bwdoctor.cli.output.Units;
import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.core.verdict.Evidence;
import io.bwdoctor.core.verdict.Remote;
import io.bwdoctor.core.verdict.Verdict;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The diagnosis for people: plain text for a terminal, or Markdown to paste into a ticket. The first lines answer
 * "who is eating my bandwidth, and is it bad?"; details and the runbook follow. Every string from the system or the
 * wire is sanitized for the medium.
 */
final class HumanReport {
    private static final int PROCESSES_SHOWN = 10;
    private static final int REMOTES_SHOWN = 5;
    /** The text table: #, pid, name, verdict, confidence, share, sent, received (columns; wider headers widen). */
    private static final int[] COLUMNS = {3, 7, 16, 22, 5, 6, 10, 10};
    private static final boolean[] RIGHT = {false, true, false, false, true, true, true, true};
    private static final int NAME_COLUMNS = 16;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Diagnosis d;
    private final Texts t;
    private final boolean md;
    private final PrintStream out;

    private HumanReport(Diagnosis d, Texts t, boolean markdown, PrintStream out) {
        this.d = d;
        this.t = t;
        this.md = markdown;
        this.out = out;
    }

    static void write(Diagnosis d, Texts texts, boolean markdown, PrintStream out) {
        new HumanReport(d, texts, markdown, out).write();
    }

    private void write() {
        heading(1, t.get("title", Map.of("host", safe(d.host()), "seconds", String.format(Locale.ROOT, "%.0f",
                d.seconds()), "start", TIME.format(Instant.ofEpochMilli(d.startedMillis())))));
        line(md ? "**" + answer() + "**" : answer());
        for (String more : moreAbnormal()) {
            line(more);
        }
        if (!d.coverage().isEmpty()) { // near the top: what this answer could not see (no root, no libpcap...)
            line(t.get("coverage.title"));
            d.coverage().forEach(g -> bullet(safe(g)));
        }
        link();
        blank();
        heading(2, t.get("processes.title"));
        processes();
        unattributed();
        if (!d.findings().isEmpty()) {
            blank();
            heading(2, t.get("findings.title"));
            d.findings().forEach(f -> bullet(code(f.path() + ":" + f.line()) + " " + code(f.text())));
        }
        blank();
        heading(2, t.get("actions.title"));
        actions();
        ticket();
        out.flush();
    }

    private String answer() {
        List<Diagnosis.ProcessReport> ps = d.processes();
        if (d.outcome() == Diagnosis.Outcome.NOT_OBSERVED) {
            return t.get("answer.not_observed");
        }
        Diagnosis.ProcessReport abnormal = ps.stream()
                .filter(p -> p.classification().verdict() == Verdict.ABNORMAL).findFirst().orElse(null);
        if (abnormal != null) {
            return t.get("answer.abnormal", facts(abnormal));
        }
        if (ps.isEmpty()) {
            return t.get("answer.quiet");
        }
        Map<String, String> top = facts(ps.get(0));
        if (d.outcome() == Diagnosis.Outcome.SATURATED_BUSINESS) {
            top.put("utilisation", percent(d.link().utilisation()));
            return t.get("answer.saturated", top);
        }
        return t.get("answer.healthy") + ". " + t.get("answer.healthy.top", top);
    }

    private List<String> moreAbnormal() {
        List<String> names = d.processes().stream().filter(p -> p.classification().verdict() == Verdict.ABNORMAL)
                .skip(1).map(p -> safe(p.facts().name()) + " (" + p.facts().pid() + ")").toList();
        return names.isEmpty() ? List.of() : List.of(t.get("answer.abnormal.more", Map.of("list",
                String.join(", ", names))));
    }

    private Map<String, String> facts(Diagnosis.ProcessReport p) {
        Map<String, String> f = new HashMap<>();
        f.put("name", safe(p.facts().name()));
        f.put("pid", Integer.toString(p.facts().pid()));
        f.put("kind", safe(p.classification().kind()));
        f.put("confidence", String.format(Locale.ROOT, "%.2f", p.classification().confidence()));
        f.put("share", percent(p.share()));
        f.put("verdict", t.verdict(p.classification().verdict().key()));
        return f;
    }

    private void link() {
        Diagnosis.Link l = d.link();
        for (Diagnosis.InterfaceReport i : l.interfaces()) {
            Map<String, String> f = new HashMap<>();
            f.put("iface", safe(i.name()));
            f.put("tx", rate(i.rates().txBytes()));
            f.put("rx", rate(i.rates().rxBytes()));
            f.put("ptx", Units.bitsPerSecond(l.publicTxBps()));
            f.put("prx", Units.bitsPerSecond(l.publicRxBps()));
            f.put("peak", Units.bitsPerSecond(Math.max(i.rates().txPeakBps(), i.rates().rxPeakBps())));
            line(t.get("link.line", f));
            if (i.captureDropped() > 0) {
                line(t.get("link.drops", Map.of("drops", Long.toString(i.captureDropped()), "iface", safe(i.name()))));
            }
        }
        if (d.capBps() != null) {
            line(t.get("link.cap", Map.of("peak", Units.bitsPerSecond(l.publicPeakBps()), "utilisation",
                    percent(l.utilisation()), "cap", Units.bitsPerSecond(d.capBps()))));
        } else {
            line(t.get("link.nocap"));
        }
        if (l.privateTxBytes() + l.privateRxBytes() > 0) {
            line(t.get("link.private", Map.of("tx", Units.bytes(l.privateTxBytes()), "rx",
                    Units.bytes(l.privateRxBytes()))));
        }
        line(d.homeCountry() != null ? t.get("country.home", Map.of("country", safe(d.homeCountry())))
                : t.get("country.unknown"));
    }

    private void processes() {
        if (d.processes().isEmpty()) {
            line(t.get("processes.none"));
            return;
        }
        int[] widths = COLUMNS.clone();
        String[] headers = {"#", t.get("column.pid"), t.get("column.name"), t.get("column.verdict"),
                t.get("column.confidence"), t.get("column.share"), t.get("column.tx"), t.get("column.rx")};
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(widths[i], DisplayWidth.of(headers[i]));
        }
        if (md) {
            line("| # | " + String.join(" | ", t.get("column.pid"), t.get("column.name"), t.get("column.verdict"),
                    t.get("column.confidence"), t.get("column.share"), t.get("column.tx"), t.get("column.rx")) + " |");
            line("|---|---|---|---|---|---|---|---|");
        } else {
            line(row(widths, "#", t.get("column.pid"), t.get("column.name"), t.get("column.verdict"),
                    t.get("column.confidence"), t.get("column.share"), t.get("column.tx"), t.get("column.rx")));
        }
        int n = 0;
        for (Diagnosis.ProcessReport p : d.processes()) {
            if (++n > PROCESSES_SHOWN) {
                break;
            }
            String verdict = t.verdict(p.classification().verdict().key())
                    + (p.classification().kind() != null ? "/" + p.classification().kind() : "");
            String name = safe(p.facts().name()) + (p.exited() ? " " + t.get("exited") : "");
            String conf = String.format(Locale.ROOT, "%.2f", p.classification().confidence());
            if (md) {
                line("| " + n + " | " + p.facts().pid() + " | " + cell(name) + " | " + verdict + " | " + conf + " | "
                        + percent(p.share()) + " | " + Units.bytes(p.rates().txBytes()) + " | "
                        + Units.bytes(p.rates().rxBytes()) + " |");
            } else {
                line(row(widths, Integer.toString(n), Integer.toString(p.facts().pid()),
                        crop(name, Math.max(NAME_COLUMNS, widths[2])), verdict, conf, percent(p.share()),
                        Units.bytes(p.rates().txBytes()), Units.bytes(p.rates().rxBytes())));
            }
        }
        n = 0;
        for (Diagnosis.ProcessReport p : d.processes()) {
            if (++n > PROCESSES_SHOWN) {
                break;
            }
            details(n, p);
        }
    }

    /** One line of the text table, padded by terminal columns (a CJK character takes two); never cut. */
    private static String row(int[] widths, String... cells) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            s.append(i == 0 ? "" : i == 2 ? "  " : " ").append(DisplayWidth.pad(cells[i], widths[i], RIGHT[i]));
        }
        return s.toString().stripTrailing();
    }

    private void details(int n, Diagnosis.ProcessReport p) {
        blank();
        heading(3, n + ". " + safe(p.facts().name()) + " (pid " + p.facts().pid() + ")"
                + (p.facts().exe() != null ? " " + code(p.facts().exe() + (Boolean.TRUE.equals(p.facts().exeDeleted())
                ? " " + t.get("exe.deleted") : "")) : ""));
        if (!p.facts().cmdline().isEmpty()) {
            line(indent() + code(crop(String.join(" ", p.facts().cmdline()), 160)));
        }
        line(indent() + t.get("evidence.title") + ":");
        if (p.classification().evidence().isEmpty()) {
            bullet("-");
        }
        for (Evidence e : p.classification().evidence()) {
            bullet(t.verdict(e.points().key()) + " " + String.format(Locale.ROOT, "%.2f", e.weight()) + ": "
                    + safe(t.evidence(e)) + (e.source().isEmpty() ? "" : " [" + safe(e.source()) + "]"));
        }
        if (!p.remotes().isEmpty()) {
            String fs = p.traffic().publicBytes() == 0 ? "0%"
                    : percent((double) p.traffic().foreignBytes() / p.traffic().publicBytes());
            line(indent() + t.get("remotes.title", Map.of("hosts", Integer.toString(p.traffic().remoteHosts()),
                    "foreign_share", fs)) + ":");
            for (Remote r : p.remotes().subList(0, Math.min(REMOTES_SHOWN, p.remotes().size()))) {
                bullet(remote(r));
            }
        }
    }

    private String remote(Remote r) {
        StringBuilder s = new StringBuilder(safe(r.address()));
        if (r.port() != null) {
            s.append(':').append(r.port());
        }
        String name = d.hostNames().get(r.address());
        if (name != null) {
            s.append(" (").append(safe(name)).append(')');
        }
        s.append(' ').append(r.protocol() == null ? "" : r.protocol());
        s.append("  ").append(r.addressClass() == null ? "" : r.addressClass().key());
        if (r.country() != null) {
            s.append("  ").append(safe(r.country()));
        }
        if (r.asn() != null) {
            s.append("  AS").append(r.asn());
        }
        if (r.organisation() != null) {
            s.append(' ').append(crop(safe(r.organisation()), 30));
        }
        if (r.network() != null) {
            s.append("  [").append(safe(r.network())).append(']');
        }
        if (r.foreign()) {
            s.append("  ").append(t.get("foreign"));
        }
        if (!r.threatLists().isEmpty()) {
            s.append("  !").append(safe(String.join(",", r.threatLists())));
        }
        s.append("  ").append(Units.bytes(r.totalBytes()));
        return s.toString();
    }

    private void unattributed() {
        long bytes = d.unattributed().txBytes() + d.unattributed().rxBytes();
        blank();
        if (bytes == 0) {
            line(t.get("unattributed.none"));
            return;
        }
        List<String> parts = new ArrayList<>();
        d.unattributed().bytesByReason().forEach((k, v) -> {
            if (v > 0) {
                parts.add(k + " " + Units.bytes(v));
            }
        });
        line(t.get("unattributed.title", Map.of("bytes", Units.bytes(bytes))) + " (" + String.join(", ", parts) + ")");
    }

    private void actions() {
        for (Diagnosis.Action a : d.actions()) {
            line(a.priority() + ". " + t.action(a, this::safe));
            if (!a.commands().isEmpty()) {
                if (md) {
                    line("```sh");
                    a.commands().forEach(c -> line(safe(c)));
                    line("```");
                } else {
                    a.commands().forEach(c -> line("       " + safe(c)));
                }
            }
        }
    }

    /** For a cloud agent that needs a ticket: the evidence block, ready to paste. */
    private void ticket() {
        for (Diagnosis.Action a : d.actions()) {
            if (!a.key().equals("ticket")) {
                continue;
            }
            Diagnosis.ProcessReport p = d.processes().stream().filter(x -> x.facts().pid() == a.pid()).findFirst()
                    .orElse(null);
            if (p == null) {
                continue;
            }
            blank();
            heading(2, t.get("ticket.title") + ": " + safe(p.facts().name()));
            line(md ? "```" : "-----");
            line("host " + safe(d.host()) + ", " + TIME.format(Instant.ofEpochMilli(d.startedMillis())) + ", "
                    + String.format(Locale.ROOT, "%.0f", d.seconds()) + " s sampled");
            line("process " + safe(p.facts().name()) + " pid " + p.facts().pid() + " exe " + safe(p.facts().exe()));
            line("sent " + Units.bytes(p.rates().txBytes()) + ", received " + Units.bytes(p.rates().rxBytes())
                    + " (" + percent(p.share()) + " of the interface), peak " + Units.bitsPerSecond(p.rates().peakBps()));
            for (Remote r : p.remotes().subList(0, Math.min(REMOTES_SHOWN, p.remotes().size()))) {
                line("  " + remote(r));
            }
            for (Evidence e : p.classification().evidence()) {
                line("  - " + safe(e.text()));
            }
            line(md ? "```" : "-----");
        }
    }

    // ---- formatting ----

    private static String rate(long bytes) {
        return Units.bytes(bytes);
    }

    private static String percent(Double v) {
        return v == null ? "?" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    private String safe(String s) {
        String clean = Safe.terminal(s == null ? "" : s);
        return md ? clean.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") : clean;
    }

    private String code(String s) {
        String clean = Safe.terminal(s == null ? "" : s);
        return md ? "`" + clean.replace("`", "'") + "`" : clean;
    }

    private String cell(String s) {
        return s;
    }

    private static String crop(String s, int columns) {
        return DisplayWidth.crop(s, columns, "…");
    }

    private String indent() {
        return md ? "" : "    ";
    }

    private void heading(int level, String text) {
        line(md ? "#".repeat(level) + " " + text : level == 3 ? text : text);
        if (!md && level <= 2) {
            line((level == 1 ? "=" : "-").repeat(Math.min(78, Math.max(8, DisplayWidth.of(text)))));
        }
    }

    private void bullet(String text) {
        line((md ? "- " : "      - ") + text);
    }

    private void line(String s) {
        out.println(s);
    }

    private void blank() {
        out.println();
    }
}
