package io.bwdoctor.core.protect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The management ports to keep reachable: `ssh,rdp,2222` becomes [22, 3389, 2222] (order kept, duplicates dropped). */
public final class ManagementPorts {
    /** Names people write for the usual remote-administration services. */
    public static final Map<String, Integer> NAMES = Map.of("ssh", 22, "rdp", 3389);
    /** The default: what an operator needs to get back in on Linux or Windows. */
    public static final List<Integer> DEFAULT = List.of(22, 3389);
    private static final int MAX_PORTS = 64;

    private ManagementPorts() {}

    /** Parses a comma-separated list of names (ssh, rdp) and port numbers 1-65535; throws with a one-line reason. */
    public static List<Integer> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no management ports given (for example ssh,rdp,2222)");
        }
        Set<Integer> ports = new LinkedHashSet<>();
        for (String raw : text.split(",", -1)) {
            String item = raw.strip().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                throw new IllegalArgumentException("empty entry in the port list '" + shorten(text) + "'");
            }
            ports.add(port(item));
            if (ports.size() > MAX_PORTS) {
                throw new IllegalArgumentException("more than " + MAX_PORTS + " management ports");
            }
        }
        return List.copyOf(new ArrayList<>(ports));
    }

    private static int port(String item) {
        Integer named = NAMES.get(item);
        if (named != null) {
            return named;
        }
        if (!item.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("'" + shorten(item) + "' is not a port: use ssh, rdp or a number "
                    + "from 1 to 65535");
        }
        int port = Integer.parseInt(item);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
        return port;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
