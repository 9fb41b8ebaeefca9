package io.bwdoctor.platform.linux;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a /proc/PID/cgroup file says about where a process runs: its cgroup path, its systemd unit and its
 * container id (Docker, containerd/CRI, CRI-O, Podman, Kubernetes pods, both cgroup drivers, cgroup v1 and v2).
 */
final class Cgroups {
    /** A container id alone ("/docker/ID", "/kubepods/…/ID") or in a runtime's scope ("docker-ID.scope"). */
    private static final Pattern CONTAINER = Pattern.compile(
            "(?:(?:docker|cri-containerd|crio|libpod|containerd|nerdctl)-)?([0-9a-f]{64})(?:\\.scope)?");

    /** What a cgroup file says; fields are null when unknown. */
    record Placement(String path, String systemdUnit, String containerId) {}

    private Cgroups() {}

    /**
     * Parses the content of /proc/PID/cgroup ("id:controllers:path" lines). The path reported is the unified (v2)
     * one when it says more than "/", else the name=systemd one, else the longest controller path.
     */
    static Placement parse(String content) {
        if (content == null || content.isEmpty()) return new Placement(null, null, null);
        String unified = null, systemd = null, longest = null, container = null;
        for (String line : content.split("\n")) {
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) continue;
            String controllers = line.substring(first + 1, second);
            String path = line.substring(second + 1);
            if (!path.startsWith("/")) continue;
            if (controllers.isEmpty() && line.startsWith("0:")) unified = path;
            else if (controllers.equals("name=systemd")) systemd = path;
            if (longest == null || path.length() > longest.length()) longest = path;
            if (container == null) container = containerId(path);
        }
        String path = !isRoot(unified) ? unified : !isRoot(systemd) ? systemd : longest;
        String unit = systemdUnit(path);
        if (unit == null && path != unified) unit = systemdUnit(unified);
        if (unit == null && path != systemd) unit = systemdUnit(systemd);
        String inPath = containerId(path);
        return new Placement(path, unit, inPath != null ? inPath : container);
    }

    /** The deepest ".service" or ".scope" component of a cgroup path, or null. */
    static String systemdUnit(String path) {
        if (path == null) return null;
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            String part = parts[i];
            if (part.endsWith(".service") && part.length() > ".service".length()
                    || part.endsWith(".scope") && part.length() > ".scope".length()) {
                return part;
            }
        }
        return null;
    }

    /** The deepest container id in a cgroup path, or null. */
    static String containerId(String path) {
        if (path == null) return null;
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            String part = parts[i];
            int colon = part.lastIndexOf(':'); // "kubepods-…-pod<uid>.slice:cri-containerd:<id>"
            Matcher m = CONTAINER.matcher(colon >= 0 ? part.substring(colon + 1) : part);
            if (m.matches()) return m.group(1);
        }
        return null;
    }

    private static boolean isRoot(String path) {
        return path == null || path.equals("/");
    }
}
