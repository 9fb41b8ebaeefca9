package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which distro package owns a file: dpkg's file lists (read once, ~50 ms on a server image), else `rpm -qf` per file
 * (cached). Knows the /usr merge: /bin, /sbin and /lib are the same files as /usr/bin, /usr/sbin and /usr/lib.
 */
public final class PackageOwners {
    private final Path dpkgInfo;
    private Map<String, String> dpkg;
    private final Map<String, String> rpmCache = new HashMap<>();
    private final boolean rpm;

    public PackageOwners() {
        this(Path.of("/var/lib/dpkg/info"), Files.isDirectory(Path.of("/var/lib/rpm"))
                || Files.isDirectory(Path.of("/usr/lib/sysimage/rpm")));
    }

    PackageOwners(Path dpkgInfo, boolean rpm) {
        this.dpkgInfo = dpkgInfo;
        this.rpm = rpm;
    }

    /** Whether any package database can be asked; when not, {@link #owner} returns null (unknown). */
    public boolean available() {
        return Files.isDirectory(dpkgInfo) || rpm;
    }

    /** The owning package, "" when the file belongs to no package, null when no database could tell. */
    public synchronized String owner(String path) {
        if (path == null || !available()) {
            return null;
        }
        if (Files.isDirectory(dpkgInfo)) {
            if (dpkg == null) {
                dpkg = loadDpkg();
            }
            for (String alias : aliases(path)) {
                String p = dpkg.get(alias);
                if (p != null) {
                    return p;
                }
            }
            if (!rpm) {
                return "";
            }
        }
        return rpmCache.computeIfAbsent(path, PackageOwners::askRpm);
    }

    /** The path and its /usr-merge twins, and the real path when it is a symlink. */
    static List<String> aliases(String path) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        out.add(path);
        for (String top : new String[] {"/bin/", "/sbin/", "/lib/", "/lib64/", "/lib32/"}) {
            if (path.startsWith(top)) {
                out.add("/usr" + path);
            } else if (path.startsWith("/usr" + top)) {
                out.add(path.substring(4));
            }
        }
        try {
            Path real = Path.of(path).toRealPath();
            if (!real.toString().equals(path)) {
                out.add(real.toString());
            }
        } catch (IOException | RuntimeException e) {
            // deleted or unreadable: the names above are all we have
        }
        return List.copyOf(out);
    }

    private Map<String, String> loadDpkg() {
        Map<String, String> owners = new HashMap<>(1 << 16);
        try (DirectoryStream<Path> lists = Files.newDirectoryStream(dpkgInfo, "*.list")) {
            for (Path list : lists) {
                String name = list.getFileName().toString();
                String pkg = name.substring(0, name.length() - ".list".length());
                int colon = pkg.indexOf(':'); // multi-arch: "libc6:amd64"
                String shown = colon > 0 ? pkg.substring(0, colon) : pkg;
                try {
                    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                        owners.putIfAbsent(line, shown);
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // one unreadable list only hides that package's files
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return owners;
    }

    private static String askRpm(String path) {
        try {
            Process p = new ProcessBuilder("rpm", "-qf", "--queryformat", "%{NAME}", path).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && !out.contains(" ") ? out : "";
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
