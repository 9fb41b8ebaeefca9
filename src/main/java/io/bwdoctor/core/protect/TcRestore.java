package io.bwdoctor.core.protect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Turns saved `tc qdisc show` and `tc class show` lines back into `tc ... add` commands, to put a user's egress
 * configuration back after a forced protection. tc prints most options the way it reads them; the few it prints
 * only as statistics are dropped. Ingress/clsact, kernel-made children (handle 0:) and classes that a qdisc makes by
 * itself (tbf, prio, mq) are skipped. Filters are not restorable from text: the caller reports them.
 */
public final class TcRestore {
    private static final Set<String> STAT_ONLY = Set.of("refcnt", "direct_packets_stat", "leaf");
    private static final Set<String> CLASS_KINDS = Set.of("htb", "hfsc", "drr", "qfq");
    private static final Set<String> INGRESS_KINDS = Set.of("ingress", "clsact");
    private static final String TOKEN = "[A-Za-z0-9_.:/%+-]{1,64}";

    private TcRestore() {}

    /** The `tc` argument lists that re-create the qdiscs and classes, root first; lines it cannot use are skipped. */
    public static List<List<String>> commands(String iface, List<String> qdiscLines, List<String> classLines) {
        List<List<String>> root = new ArrayList<>();
        List<List<String>> classes = new ArrayList<>();
        List<List<String>> children = new ArrayList<>();
        for (String line : qdiscLines) {
            List<String> t = tokens(line);
            if (t.size() < 4 || !t.get(0).equals("qdisc") || INGRESS_KINDS.contains(t.get(1))
                    || t.get(2).equals("0:") || !t.stream().allMatch(s -> s.matches(TOKEN))) {
                continue;
            }
            String kind = t.get(1);
            String handle = t.get(2);
            List<String> cmd = new ArrayList<>(List.of("qdisc", "add", "dev", iface));
            int i = 3;
            if (t.get(i).equals("root")) {
                cmd.add("root");
                i++;
            } else if (t.get(i).equals("parent") && t.size() > i + 1) {
                if (t.get(i + 1).startsWith("ffff:")) {
                    continue; // ingress side
                }
                cmd.addAll(List.of("parent", t.get(i + 1)));
                i += 2;
            } else {
                continue;
            }
            cmd.addAll(List.of("handle", handle, kind));
            cmd.addAll(options(t.subList(i, t.size())));
            (cmd.contains("root") ? root : children).add(List.copyOf(cmd));
        }
        for (String line : classLines) {
            List<String> t = tokens(line);
            if (t.size() < 4 || !t.get(0).equals("class") || !CLASS_KINDS.contains(t.get(1))
                    || !t.stream().allMatch(s -> s.matches(TOKEN))) {
                continue;
            }
            String id = t.get(2);
            int colon = id.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String parent;
            int i = 3;
            if (t.get(i).equals("root")) {
                parent = id.substring(0, colon + 1);
                i++;
            } else if (t.get(i).equals("parent") && t.size() > i + 1) {
                parent = t.get(i + 1);
                i += 2;
            } else {
                continue;
            }
            List<String> cmd = new ArrayList<>(List.of("class", "add", "dev", iface, "parent", parent, "classid", id,
                    t.get(1)));
            cmd.addAll(options(t.subList(i, t.size())));
            classes.add(List.copyOf(cmd));
        }
        List<List<String>> all = new ArrayList<>(root);
        all.addAll(classes);
        all.addAll(children);
        return List.copyOf(all);
    }

    private static List<String> tokens(String line) {
        String s = line.strip();
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
    }

    /** Drops statistics-only "name value" pairs (refcnt 2, direct_packets_stat 0, leaf 10:). */
    private static List<String> options(List<String> t) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            if (STAT_ONLY.contains(t.get(i))) {
                i++;
            } else {
                out.add(t.get(i));
            }
        }
        return out;
    }
}
