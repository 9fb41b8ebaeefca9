package io.bwdoctor.cli.diagnose;

import io.bwdoctor.cli.output.DisplayWidth;
import io.bwdoctor.cli.output.Units;
import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.engine.DiagnoseSession;
import io.bwdoctor.engine.QuickLook;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Entry points of the diagnose renderers: the report in a format and language, and the progress display. */
public final class Reports {
    private Reports() {}

    public static boolean supportedLanguage(String lang) {
        return Texts.supported(lang);
    }

    public static void write(Diagnosis d, String format, String lang, PrintStream stdout) {
        Texts texts = Texts.of(lang);
        PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
        switch (format) {
            case "json" -> {
                JsonReport.write(d, texts, out);
                out.println();
            }
            case "markdown", "md" -> HumanReport.write(d, texts, true, out);
            default -> HumanReport.write(d, texts, false, out);
        }
        out.flush();
    }

    /** Reverse-DNS names of the public remotes the report shows (top 10 processes, 5 remotes each), 500 ms at most. */
    public static Map<String, String> reverseDns(Diagnosis d) {
        Map<java.net.InetAddress, String> wanted = new java.util.LinkedHashMap<>(); // address → as the report writes it
        for (Diagnosis.ProcessReport p : d.processes().subList(0, Math.min(10, d.processes().size()))) {
            for (io.bwdoctor.core.verdict.Remote r : p.remotes().subList(0, Math.min(5, p.remotes().size()))) {
                if (r.addressClass() != null && r.addressClass().reachesInternet()) {
                    try {
                        wanted.put(java.net.InetAddress.ofLiteral(r.address()), r.address());
                    } catch (IllegalArgumentException e) {
                        // not an address literal: nothing to look up
                    }
                }
            }
        }
        Map<String, String> names = new java.util.HashMap<>();
        io.bwdoctor.intel.ReverseDns.lookupAll(wanted.keySet(), io.bwdoctor.intel.ReverseDns.DEFAULT_TIMEOUT)
                .forEach((a, n) -> names.put(wanted.get(a), n));
        return names;
    }

    /** The report as a JSON string (stored by the guard with each incident). */
    public static String json(Diagnosis d) {
        return JsonReport.string(d, Texts.of("en"));
    }

    /** Progress on {@code err}: the first look at once, then one line per sampled second; silent when null. */
    public static DiagnoseSession.Progress progress(String lang, PrintStream err) {
        Texts t = Texts.of(lang);
        boolean tty = System.console() != null && System.console().isTerminal();
        return new DiagnoseSession.Progress() {
            @Override
            public void firstLook(List<QuickLook.Entry> top) {
                if (err == null) {
                    return;
                }
                if (top == null || top.isEmpty()) {
                    err.println(t.get(top == null ? "progress.first.none" : "progress.first.empty"));
                    return;
                }
                err.println(t.get("progress.first"));
                for (QuickLook.Entry e : top) {
                    err.printf("  %7d  %s  %s%n", e.pid(), DisplayWidth.pad(Safe.terminal(e.name()), 16, false),
                            t.get("progress.first.entry", Map.of("tx", Units.bytes(e.txBytes()), "rx",
                                    Units.bytes(e.rxBytes()), "connections", Integer.toString(e.connections()))));
                }
                err.flush();
            }

            @Override
            public void second(int done, int total, LiveSnapshot s) {
                if (err == null) {
                    return;
                }
                String top = s.processes().isEmpty() ? "-" : Safe.terminal(String.valueOf(s.processes().get(0).name()))
                        + " " + Units.bitsPerSecond(s.processes().get(0).rates().totalBps(0));
                String line = t.get("progress.second", Map.of("done", Integer.toString(done), "total",
                        Integer.toString(total), "top", top));
                if (tty) { // one line, rewritten each second
                    err.print("\r" + line + "\u001b[K");
                } else {
                    err.println(line);
                }
                err.flush();
            }

            @Override
            public void done() {
                if (err != null && tty) {
                    err.println();
                }
            }
        };
    }
}
