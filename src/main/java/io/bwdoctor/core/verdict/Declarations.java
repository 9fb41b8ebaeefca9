package io.bwdoctor.core.verdict;

import java.util.List;

/**
 * The user's own business processes, from the configuration: by name, systemd unit / service, user or executable
 * path (globs). A declared process is still checked for abnormal signs; the declaration is only one piece of evidence.
 */
public record Declarations(List<String> names, List<String> units, List<String> users, List<String> paths) {
    public static final Declarations NONE = new Declarations(List.of(), List.of(), List.of(), List.of());

    public Declarations {
        names = List.copyOf(names);
        units = List.copyOf(units);
        users = List.copyOf(users);
        paths = List.copyOf(paths);
    }

    /** Which declaration matches the process ("unit nginx.service"), or null when none does. */
    public String match(ProcessFacts p) {
        boolean windows = p.platform() == Platform.WINDOWS;
        String m = first("name", names, p.name(), windows);
        m = m != null ? m : first("unit", units, p.unit(), windows);
        m = m != null ? m : first("user", users, p.user(), windows);
        return m != null ? m : first("path", paths, p.exe(), windows);
    }

    private static String first(String what, List<String> globs, String value, boolean ignoreCase) {
        if (value == null) {
            return null;
        }
        for (String g : globs) {
            if (new Conditions.Glob(g).matches(value, ignoreCase)) {
                return what + " " + value;
            }
        }
        return null;
    }
}
