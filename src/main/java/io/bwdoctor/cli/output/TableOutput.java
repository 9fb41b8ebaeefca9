package io.bwdoctor.cli.output;

import io.bwdoctor.core.report.Bucket;
import io.bwdoctor.core.report.ReportRow;
import io.bwdoctor.core.report.TrafficReport;
import io.bwdoctor.core.text.Safe;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The human table: a summary of what was read, then the widest rows first with iftop-style rates. */
public final class TableOutput {
    private record Column(String header, boolean right, Function<ReportRow, String> value) {}

    private TableOutput() {}

    public static void write(TrafficReport r, List<InputSummary> inputs, PrintStream out) {
        out.println(summary(r, inputs));
        String buckets = buckets(r);
        if (!buckets.isEmpty()) {
            out.println(buckets);
        }
        out.println();
        List<Column> columns = columns(r.view());
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (ReportRow row : r.rows()) {
            cells.add(columns.stream().map(c -> Safe.terminal(c.value().apply(row))).toArray(String[]::new));
        }
        int[] width = new int[columns.size()];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : cells) {
            sb.setLength(0);
            for (int i = 0; i < line.length; i++) {
                String pad = " ".repeat(width[i] - line[i].length());
                sb.append(columns.get(i).right() ? pad + line[i] : line[i] + pad);
                if (i < line.length - 1) {
                    sb.append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        if (r.rows().size() < r.rowsTotal()) {
            out.printf("... %d more rows (%d packets, %s) not shown; use --top 0 for all%n",
                    r.rowsTotal() - r.rows().size(), r.omitted().packets(), Units.bytes(r.omitted().bytes()));
        }
        if (r.foldedRows() > 0) {
            out.printf("note: %d least active rows were folded into aggregate rows (--max-flows); totals are exact%n",
                    r.foldedRows());
        }
        out.println("rates: bits per second averaged over the last 2, 10 and 40 seconds of the capture; "
                + "PEAK: busiest second");
    }

    private static String summary(TrafficReport r, List<InputSummary> inputs) {
        String span = r.firstSeen() == null ? "no timestamps"
                : String.format("%.1f s from %s to %s", r.durationSeconds(), r.firstSeen(), r.lastSeen());
        String files = inputs.size() == 1 ? Safe.terminal(inputs.getFirst().name()) : inputs.size() + " files";
        return String.format("%s: %,d packets, %s on the wire, %s", files, r.packets(), Units.bytes(r.bytes()), span);
    }

    private static String buckets(TrafficReport r) {
        List<String> parts = new ArrayList<>();
        if (r.skipped().packets() > 0) {
            parts.add("skipped " + bucket(r.skipped()) + " (" + reasons(r.skippedReasons()) + ")");
        }
        if (r.nonIp().packets() > 0) {
            parts.add("non-IP " + bucket(r.nonIp()) + " (" + reasons(r.nonIpByEtherType()) + ")");
        }
        if (r.inner().packets() > 0) {
            parts.add(String.format("%,d frames also shown on tunnelled (inner) conversations, not added to totals",
                    r.inner().packets()));
        }
        if (r.nonFirstFragments() > 0) {
            parts.add(String.format("%,d non-first fragments, %,d attributed to their conversation",
                    r.nonFirstFragments(), r.nonFirstFragmentsAttributed()));
        }
        return parts.isEmpty() ? "" : "  " + String.join("\n  ", parts);
    }

    private static String bucket(Bucket b) {
        return String.format("%,d packets, %s", b.packets(), Units.bytes(b.bytes()));
    }

    private static String reasons(Map<String, Bucket> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + ": " + v.packets()));
        return String.join(", ", parts);
    }

    private static List<Column> columns(String view) {
        List<Column> c = new ArrayList<>();
        switch (view) {
            case "conversation", "pair" -> {
                c.add(new Column("PROTO", false, r -> str(r.get("protocol")) + (r.get("inner") != null ? " (inner)" : "")));
                c.add(new Column("A", false, r -> endpoint(r, "a")));
                c.add(new Column("", false, r -> r.getLong("bytes_ba") == 0 ? "=>" : "<=>"));
                c.add(new Column("B", false, r -> endpoint(r, "b")));
                c.add(new Column("PKTS", true, r -> String.format("%,d", r.getLong("packets"))));
                c.add(new Column("A=>B", true, r -> Units.bytes(r.getLong("bytes_ab"))));
                c.add(new Column("B=>A", true, r -> Units.bytes(r.getLong("bytes_ba"))));
            }
            case "host" -> {
                c.add(new Column("HOST", false, r -> str(r.get("addr")) + (r.get("inner") != null ? " (inner)" : "")));
                c.add(new Column("PKTS", true, r -> String.format("%,d", r.getLong("packets"))));
                c.add(new Column("SENT", true, r -> Units.bytes(r.getLong("tx_bytes"))));
                c.add(new Column("RECEIVED", true, r -> Units.bytes(r.getLong("rx_bytes"))));
            }
            case "port" -> {
                c.add(new Column("PROTO", false, r -> str(r.get("protocol"))));
                c.add(new Column("PORT", true, r -> str(r.get("port"))));
                c.add(new Column("PKTS", true, r -> String.format("%,d", r.getLong("packets"))));
                c.add(new Column("TO PORT", true, r -> Units.bytes(r.getLong("bytes_to"))));
                c.add(new Column("FROM PORT", true, r -> Units.bytes(r.getLong("bytes_from"))));
            }
            default -> {
                c.add(new Column("PROTO", false, r -> str(r.get("protocol"))));
                c.add(new Column("IP", true, r -> "v" + str(r.get("ip_version"))));
                c.add(new Column("PKTS", true, r -> String.format("%,d", r.getLong("packets"))));
            }
        }
        c.add(new Column("TOTAL", true, r -> Units.bytes(r.getLong("bytes"))));
        c.add(new Column("2s", true, r -> Units.bitsPerSecond((Long) r.get("bps_2s"))));
        c.add(new Column("10s", true, r -> Units.bitsPerSecond((Long) r.get("bps_10s"))));
        c.add(new Column("40s", true, r -> Units.bitsPerSecond((Long) r.get("bps_40s"))));
        c.add(new Column("PEAK", true, r -> Units.bitsPerSecond((Long) r.get("peak_bps"))));
        return c;
    }

    private static String endpoint(ReportRow r, String side) {
        Object addr = r.get(side + "_addr");
        Object port = r.get(side + "_port");
        String a = addr == null ? "*" : addr.toString();
        if (port == null) {
            return a;
        }
        return a.indexOf(':') >= 0 ? "[" + a + "]:" + port : a + ":" + port;
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }
}
