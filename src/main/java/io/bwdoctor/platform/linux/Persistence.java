package io.bwdoctor.platform.linux;

import io.bwdoctor.core.diagnose.Diagnosis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Looks for how a suspicious process comes back: cron entries, systemd units, rc.local and init scripts that name
 * its executable, and host-wide hiding through /etc/ld.so.preload. Reads only; files over 1 MiB and directories over
 * 2,000 entries are skipped (said in the finding), so a hostile file cannot stall the diagnosis.
 */
public final class Persistence {
    private static final long MAX_FILE = 1 << 20;
    private static final int MAX_ENTRIES = 2000;
    /** Names too common to search for: they would match every script. */
    private static final Set<String> GENERIC = Set.of("sh", "bash", "dash", "python", "python3", "perl", "java",
            "node", "ruby", "php", "busybox", "env", "sudo");
    private static final List<String> CRON = List.of("etc/crontab", "etc/cron.d", "etc/cron.hourly", "etc/cron.daily",
            "etc/cron.weekly", "etc/cron.monthly", "var/spool/cron/crontabs", "var/spool/cron", "etc/anacrontab");
    private static final List<String> SYSTEMD = List.of("etc/systemd/system", "usr/local/lib/systemd/system",
            "lib/systemd/system", "usr/lib/systemd/system", "etc/systemd/user", "usr/lib/systemd/user",
            "run/systemd/system");
    private static final List<String> INIT = List.of("etc/rc.local", "etc/init.d", "etc/rc.d/rc.local",
            "etc/profile.d");

    private final Path root;

    public Persistence() {
        this(Path.of("/"));
    }

    /** @param root where the file system starts (a test's temporary directory) */
    public Persistence(Path root) {
        this.root = root;
    }

    /** Host-wide hiding: a non-empty /etc/ld.so.preload (legitimate preloads are rare). */
    public List<Diagnosis.Finding> hostFindings() {
        List<Diagnosis.Finding> out = new ArrayList<>();
        Path preload = root.resolve("etc/ld.so.preload");
        List<String> lines = lines(preload);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(new Diagnosis.Finding("ld-preload", "/etc/ld.so.preload", i + 1, l, -1));
            }
        }
        return out;
    }

    /** Places that start the executable {@code exe} (or a program called {@code name}), for process {@code pid}. */
    public List<Diagnosis.Finding> findingsFor(int pid, String exe, String name) {
        List<String> needles = new ArrayList<>();
        if (exe != null && !exe.startsWith("/memfd:")) {
            needles.add(exe);
            String base = exe.substring(exe.lastIndexOf('/') + 1);
            if (base.length() >= 4 && !GENERIC.contains(base)) {
                needles.add(base);
            }
        }
        if (name != null && name.length() >= 4 && !GENERIC.contains(name) && !needles.contains(name)) {
            needles.add(name);
        }
        List<Diagnosis.Finding> out = new ArrayList<>();
        if (needles.isEmpty()) {
            return out;
        }
        search(CRON, "cron", needles, pid, out);
        search(SYSTEMD, "systemd-unit", needles, pid, out);
        search(INIT, "init-script", needles, pid, out);
        return out;
    }

    private void search(List<String> places, String key, List<String> needles, int pid, List<Diagnosis.Finding> out) {
        for (String place : places) {
            Path p = root.resolve(place);
            if (Files.isRegularFile(p)) {
                scan(p, key, needles, pid, out);
            } else if (Files.isDirectory(p)) {
                int n = 0;
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(p)) {
                    for (Path f : dir) {
                        if (++n > MAX_ENTRIES) {
                            break;
                        }
                        if (Files.isRegularFile(f)) {
                            scan(f, key, needles, pid, out);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // unreadable directory: nothing found there, and nothing claimed
                }
            }
        }
    }

    private void scan(Path file, String key, List<String> needles, int pid, List<Diagnosis.Finding> out) {
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            for (String needle : needles) {
                if (mentions(line, needle)) {
                    out.add(new Diagnosis.Finding(key, "/" + root.relativize(file), i + 1, trimmed, pid));
                    break;
                }
            }
        }
    }

    /** The needle as a word of the line: "/tmp/x" matches "/tmp/x &", not "/tmp/xy". */
    static boolean mentions(String line, String needle) {
        int at = line.indexOf(needle);
        while (at >= 0) {
            int end = at + needle.length();
            boolean before = at == 0 || !Character.isLetterOrDigit(line.charAt(at - 1)) && line.charAt(at - 1) != '_'
                    && line.charAt(at - 1) != '-' && line.charAt(at - 1) != '.';
            boolean after = end == line.length() || !Character.isLetterOrDigit(line.charAt(end))
                    && line.charAt(end) != '_' && line.charAt(end) != '-' && line.charAt(end) != '.';
            if (before && after) {
                return true;
            }
            at = line.indexOf(needle, at + 1);
        }
        return false;
    }

    private static List<String> lines(Path file) {
        try {
            if (Files.size(file) > MAX_FILE) {
                return List.of();
            }
            return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
