package io.bwdoctor.core.diagnose;

import io.bwdoctor.core.intel.AddressClass;
import io.bwdoctor.core.verdict.Evidence;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.Remote;
import io.bwdoctor.core.verdict.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin's runbook, automated: what to do about each process, most urgent first. Abnormal processes come first
 * (stop, keep the binary, block, remove persistence, then back up and reinstall), then the link (raise the cap or
 * optimise), then cloud agents (a ticket with the evidence), then what we could not judge. It only advises: the
 * commands are printed for the admin, never run.
 */
public final class Runbook {
    /** A process needs an action when it has at least this share of the traffic (or is abnormal). */
    static final double SIGNIFICANT = 0.1;

    private Runbook() {}

    public static List<Diagnosis.Action> actions(List<Diagnosis.ProcessReport> processes, Diagnosis.Link link,
                                                 Long capBps, List<Diagnosis.Finding> findings,
                                                 Diagnosis.Outcome outcome, Baseline baseline) {
        List<Diagnosis.Action> out = new ArrayList<>();
        boolean compromised = false;
        for (Diagnosis.ProcessReport p : processes) {
            if (p.classification().verdict() == Verdict.ABNORMAL) {
                abnormal(p, findings, out);
                compromised = true;
            }
        }
        for (Diagnosis.Finding f : findings) {
            if (f.pid() < 0) {
                out.add(action(out, "check-host-finding", -1, Map.of("path", f.path(), "text", f.text(),
                        "finding", f.key()), List.of("ls -la " + quote(f.path()), "cat " + quote(f.path()))));
            }
        }
        if (compromised) {
            out.add(action(out, "reinstall", -1, Map.of(), List.of()));
        }
        Diagnosis.ProcessReport top = processes.stream()
                .filter(p -> p.classification().verdict() != Verdict.ABNORMAL).findFirst().orElse(null);
        if (outcome == Diagnosis.Outcome.SATURATED_BUSINESS && top != null) {
            long suggested = suggestedCap(link.publicPeakBps());
            out.add(action(out, "raise-cap", top.facts().pid(), Map.of("cap", Long.toString(capBps),
                    "peak", Long.toString(link.publicPeakBps()), "suggested", Long.toString(suggested),
                    "over", percent(link.utilisation() - 1), "name", name(top)), List.of()));
            out.add(action(out, "optimise", top.facts().pid(), Map.of("name", name(top)), List.of()));
            out.add(history(out, link, baseline));
        } else if (capBps == null && !processes.isEmpty()) {
            out.add(action(out, "set-cap", -1, Map.of("peak", Long.toString(link.publicPeakBps())), List.of()));
        }
        for (Diagnosis.ProcessReport p : processes) {
            Verdict v = p.classification().verdict();
            boolean significant = p.share() >= SIGNIFICANT;
            if (v == Verdict.CLOUD_AGENT && significant) {
                out.add(action(out, "ticket", p.facts().pid(), Map.of("name", name(p),
                        "provider", provider(p)), List.of()));
            } else if (v == Verdict.UNKNOWN && significant) {
                out.add(action(out, "inspect", p.facts().pid(), Map.of("name", name(p)), inspect(p)));
            } else if (v == Verdict.SYSTEM && significant) {
                out.add(action(out, "system-traffic", p.facts().pid(), Map.of("name", name(p)), List.of()));
            }
        }
        if (out.isEmpty()) {
            out.add(action(out, "nothing-to-do", -1, Map.of(), List.of()));
        }
        return out;
    }

    /** Growth or a jump: today's public traffic against the guard's history, when there is one. */
    private static Diagnosis.Action history(List<Diagnosis.Action> out, Diagnosis.Link link, Baseline baseline) {
        long now = Math.max(link.publicTxBps(), link.publicRxBps());
        if (baseline == null || baseline.minutes() < Baseline.MIN_MINUTES || baseline.avgPublicBps() <= 0) {
            return action(out, "no-history", -1, Map.of(), List.of());
        }
        double ratio = (double) now / baseline.avgPublicBps();
        return action(out, ratio >= 2 ? "history-jump" : "history-usual", -1, Map.of("now", Long.toString(now),
                "baseline", Long.toString(baseline.avgPublicBps()), "days", Integer.toString(baseline.days()),
                "ratio", String.format(Locale.ROOT, "%.1f", ratio)), List.of());
    }

    private static void abnormal(Diagnosis.ProcessReport p, List<Diagnosis.Finding> findings,
                                 List<Diagnosis.Action> out) {
        int pid = p.facts().pid();
        boolean windows = p.facts().platform() == Platform.WINDOWS;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("pid", Integer.toString(pid));
        facts.put("name", name(p));
        facts.put("exe", String.valueOf(p.facts().exe()));
        facts.put("kind", String.valueOf(p.classification().kind()));
        List<String> stop = windows
                ? List.of("Stop-Process -Id " + pid + " -Force")
                : List.of("kill -STOP " + pid, "cp /proc/" + pid + "/exe /root/bwdoctor-evidence-" + pid + ".bin",
                "kill -KILL " + pid);
        out.add(action(out, p.exited() ? "stopped-abnormal" : "stop-abnormal", pid, facts, p.exited() ? List.of()
                : stop));
        List<String> targets = new ArrayList<>();
        for (Remote r : p.remotes()) {
            if (r.addressClass() == AddressClass.PUBLIC || r.addressClass() == AddressClass.DOCUMENTATION) {
                targets.add(r.address());
            }
            if (targets.size() == 5) {
                break;
            }
        }
        if (!targets.isEmpty() && !windows) {
            List<String> v4 = targets.stream().filter(a -> !a.contains(":")).toList();
            List<String> v6 = targets.stream().filter(a -> a.contains(":")).toList();
            List<String> cmds = new ArrayList<>(List.of("nft add table inet bwdoctor",
                    "nft add chain inet bwdoctor out '{ type filter hook output priority 0; }'"));
            if (!v4.isEmpty()) {
                cmds.add("nft add rule inet bwdoctor out ip daddr '{ " + String.join(", ", v4) + " }' drop");
            }
            if (!v6.isEmpty()) {
                cmds.add("nft add rule inet bwdoctor out ip6 daddr '{ " + String.join(", ", v6) + " }' drop");
            }
            out.add(action(out, "block-remotes", pid, Map.of("remotes", String.join(", ", targets)), cmds));
        }
        for (Diagnosis.Finding f : findings) {
            if (f.pid() == pid) {
                out.add(action(out, "remove-persistence", pid, Map.of("path", f.path(), "line",
                        Integer.toString(f.line()), "text", f.text(), "finding", f.key()), persistenceCommands(f)));
            }
        }
    }

    private static List<String> persistenceCommands(Diagnosis.Finding f) {
        String path = quote(f.path());
        return switch (f.key()) {
            case "systemd-unit" -> List.of("systemctl disable --now " + quote(unitName(f.path())),
                    "lsattr " + path, "rm " + path, "systemctl daemon-reload");
            case "cron" -> List.of("lsattr " + path, "chattr -i " + path + "   # only if lsattr shows 'i'",
                    "sed -n '" + f.line() + "p' " + path + "   # the line to delete, then edit " + path);
            case "ld-preload" -> List.of("cat /etc/ld.so.preload", "mv /etc/ld.so.preload /root/ld.so.preload.bak");
            default -> List.of("ls -la " + path);
        };
    }

    private static String unitName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static List<String> inspect(Diagnosis.ProcessReport p) {
        int pid = p.facts().pid();
        if (p.facts().platform() == Platform.WINDOWS) {
            return List.of("Get-Process -Id " + pid + " | Format-List *",
                    "Get-AuthenticodeSignature (Get-Process -Id " + pid + ").Path");
        }
        List<String> cmds = new ArrayList<>(List.of("ls -l /proc/" + pid + "/exe",
                "tr '\\0' ' ' < /proc/" + pid + "/cmdline; echo", "systemctl status " + pid));
        if (p.facts().exe() != null) {
            cmds.add("dpkg -S " + quote(p.facts().exe()) + " || rpm -qf " + quote(p.facts().exe()));
        }
        return cmds;
    }

    private static final Map<String, String> PROVIDERS = Map.of("tencent", "Tencent Cloud", "alibaba",
            "Alibaba Cloud", "huawei", "Huawei Cloud", "aws", "AWS", "azure", "Microsoft Azure", "gcp", "Google Cloud",
            "oracle", "Oracle Cloud", "digitalocean", "DigitalOcean");

    /** The provider named by the cloud-agent evidence ("tencent-agent", "win-tencent-agent" → "Tencent Cloud"). */
    private static String provider(Diagnosis.ProcessReport p) {
        for (Evidence e : p.classification().evidence()) {
            if (e.points() == Verdict.CLOUD_AGENT) {
                for (String part : e.rule().split("-")) {
                    if (PROVIDERS.containsKey(part)) {
                        return PROVIDERS.get(part);
                    }
                }
            }
        }
        return "the provider";
    }

    /** A cap that fits the observed peak with a quarter to spare, rounded up to 1, 2 or 5 times a power of ten. */
    static long suggestedCap(long peakBps) {
        double want = peakBps * 1.25;
        double step = Math.pow(10, Math.floor(Math.log10(Math.max(want, 1))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * step >= want) {
                return (long) (m * step);
            }
        }
        return (long) (10 * step);
    }

    private static Diagnosis.Action action(List<Diagnosis.Action> sofar, String key, int pid, Map<String, String> facts,
                                           List<String> commands) {
        return new Diagnosis.Action(sofar.size() + 1, key, pid, facts, commands);
    }

    private static String name(Diagnosis.ProcessReport p) {
        return String.valueOf(p.facts().name());
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    /** Single-quotes a path for a POSIX shell. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
