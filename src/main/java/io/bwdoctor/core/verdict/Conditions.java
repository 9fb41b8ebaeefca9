package io.bwdoctor.core.verdict;

import io.bwdoctor.core.intel.AddressClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The vocabulary of rule conditions: each key of a rule's {@code when} table names one test here. A test on a fact
 * that is unknown (null) does not hold, so missing data never convicts and never clears. Names and paths are glob
 * patterns ({@code *}, {@code ?}); on Windows they match without regard to case.
 */
public final class Conditions {
    private Conditions() {}

    /** The condition for one {@code key = value} of a rule; IllegalArgumentException names what is wrong. */
    public static Condition of(String key, Object value) {
        return switch (key) {
            case "name" -> text("name", globs(value), s -> s.process().name(), true);
            case "name_not" -> text("name", globs(value), s -> s.process().name(), false);
            case "exe" -> text("exe", globs(value), s -> s.process().exe(), true);
            case "exe_not" -> text("exe", globs(value), s -> s.process().exe(), false);
            case "parent" -> text("parent", globs(value), s -> s.process().parentName(), true);
            case "parent_not" -> text("parent", globs(value), s -> s.process().parentName(), false);
            case "parent_exe_not" -> text("parent_exe", globs(value), s -> s.process().parentExe(), false);
            case "user" -> text("user", globs(value), s -> s.process().user(), true);
            case "user_not" -> text("user", globs(value), s -> s.process().user(), false);
            case "unit" -> text("unit", globs(value), s -> s.process().unit(), true);
            case "signer" -> text("signer", globs(value), s -> signer(s), true);
            case "company" -> text("company", globs(value), s -> s.process().signature() == null ? null
                    : s.process().signature().company(), true);
            case "signature_status" -> signatureStatus(statuses(value));
            case "pid" -> pid(ints(value));
            case "name_resembles" -> resembles(strings(value));
            case "cmdline_lacks" -> cmdlineLacks(strings(value));
            case "exe_under" -> under(strings(value), true);
            case "exe_not_under" -> under(strings(value), false);
            case "exe_hidden_dir" -> flag(value, "exe", s -> s.process().exe() == null ? null : hiddenDir(s));
            case "exe_known" -> flag(value, "exe", s -> s.process().exe() != null);
            case "exe_deleted" -> flag(value, "exe", s -> s.process().exeDeleted());
            case "name_differs_from_exe" -> flag(value, "exe", Conditions::nameDiffers);
            case "cmdline_bracketed" -> flag(value, "cmdline", Conditions::bracketed);
            case "cmdline_contains" -> cmdlineContains(strings(value));
            case "package_owned" -> flag(value, "package", s -> s.process().packageOwner() == null ? null
                    : !s.process().packageOwner().isEmpty());
            case "signed" -> flag(value, "signer", s -> s.process().signature() == null
                    || s.process().signature().status() == Signature.Status.UNKNOWN ? null
                    : s.process().signature().trusted());
            case "in_container" -> flag(value, "container", s -> s.process().container() != null);
            case "declared_business" -> flag(value, "declared", s -> s.declaredAs() != null);
            case "stratum" -> flag(value, "remote", s -> !s.traffic().stratum().isEmpty(), Conditions::stratumRemote);
            case "remote_class" -> remoteClass(classes(value), false);
            case "remote_only_class" -> remoteClass(classes(value), true);
            case "remote_port" -> remotePort(ports(value));
            case "threat_listed" -> flag(value, "remote", s -> s.traffic().remotes().stream()
                    .anyMatch(r -> !r.threatLists().isEmpty()), Conditions::threatened);
            case "remote_hosts_at_least" -> atLeast("hosts", number(value), s -> s.traffic().remoteHosts());
            case "remote_ports_at_least" -> atLeast("ports", number(value), s -> s.traffic().remotePorts());
            case "unanswered_tcp_at_least" -> atLeast("unanswered", number(value), s -> s.traffic().unansweredTcp());
            case "inbound_served_at_least" -> atLeast("inbound", number(value), s -> s.traffic().inboundServed());
            case "inbound_served_below" -> below("inbound", number(value), s -> s.traffic().inboundServed());
            case "packets_per_second_at_least" -> atLeast("pps", number(value), Conditions::pps);
            case "avg_packet_below" -> below("avg_packet", number(value), Conditions::avgPacket);
            case "tx_rx_ratio_at_least" -> atLeast("ratio", number(value), Conditions::txRxRatio);
            case "public_bytes_at_least" -> atLeast("public_bytes", number(value), Conditions::publicBytes);
            case "public_share_at_least" -> atLeast("public_share", number(value), Conditions::publicShare);
            case "foreign_share_at_least" -> atLeast("foreign_share", number(value), Conditions::foreignShare);
            case "foreign_countries_at_least" -> atLeast("countries", number(value), Conditions::foreignCountries);
            default -> throw new IllegalArgumentException("unknown condition '" + key + "'");
        };
    }

    // ---- identity ----

    private static Condition text(String fact, List<Glob> globs, java.util.function.Function<Subject, String> get,
                                  boolean match) {
        return s -> {
            String v = get.apply(s);
            if (v == null) {
                return null;
            }
            boolean any = globs.stream().anyMatch(g -> g.matches(v, s.windows()));
            return any == match ? Map.of(fact, v) : null;
        };
    }

    /** The executable lies somewhere below one of the directories (which may contain globs). */
    private static Condition under(List<String> dirs, boolean match) {
        return s -> {
            String exe = s.process().exe();
            if (exe == null) {
                return null;
            }
            String path = s.windows() ? exe.replace('/', '\\') : exe;
            boolean any = false;
            for (String dir : dirs) { // on Windows "C:/Program Files" and "C:\\Program Files" are the same
                any |= startsWithDir(path, s.windows() ? dir.replace('/', '\\') : dir, s.windows() ? "\\" : "/",
                        s.windows());
            }
            return any == match ? Map.of("exe", exe) : null;
        };
    }

    /** "/tmpfoo/x" is not under "/tmp": the character after the directory must be a separator. */
    private static boolean startsWithDir(String path, String dir, String sep, boolean ignoreCase) {
        String d = dir.replaceAll("[\\\\/]+$", "");
        if (!d.contains("*") && !d.contains("?")) {
            return path.regionMatches(ignoreCase, 0, d + sep, 0, d.length() + 1);
        }
        return new Glob(d + sep + "*").matches(path, ignoreCase);
    }

    private static Boolean hiddenDir(Subject s) {
        String exe = s.process().exe();
        for (String part : exe.split(s.windows() ? "[\\\\/]" : "/")) {
            if (part.startsWith(".") && !part.equals(".") && !part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** comm is the first 15 bytes of the executable's name unless the process renamed itself. */
    private static Boolean nameDiffers(Subject s) {
        ProcessFacts p = s.process();
        if (p.exe() == null || p.name() == null || p.exe().startsWith("/memfd:")) {
            return null;
        }
        String base = p.exe().substring(Math.max(p.exe().lastIndexOf('/'), p.exe().lastIndexOf('\\')) + 1);
        String name = p.name();
        if (s.windows()) {
            return !base.equalsIgnoreCase(name);
        }
        return !(base.startsWith(name) || name.startsWith(base.length() > 15 ? base.substring(0, 15) : base));
    }

    /** A process whose whole command line is "[something]" pretends to be a kernel thread. */
    private static Boolean bracketed(Subject s) {
        List<String> c = s.process().cmdline();
        if (c.isEmpty()) {
            return null;
        }
        String first = c.get(0).strip();
        return first.startsWith("[") && first.endsWith("]");
    }

    private static String signer(Subject s) {
        return s.process().signature() == null ? null : s.process().signature().signer();
    }

    private static Condition cmdlineContains(List<String> needles) {
        List<String> lower = needles.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        return s -> {
            String line = String.join(" ", s.process().cmdline()).toLowerCase(Locale.ROOT);
            for (int i = 0; i < lower.size(); i++) {
                if (!lower.get(i).isEmpty() && line.contains(lower.get(i))) {
                    return Map.of("match", needles.get(i));
                }
            }
            return null;
        };
    }

    /** The signature check said one of these (signed, unsigned, invalid, unknown); no signature facts: no match. */
    private static Condition signatureStatus(Set<Signature.Status> wanted) {
        return s -> {
            Signature sig = s.process().signature();
            return sig != null && wanted.contains(sig.status())
                    ? Map.of("signature", sig.status().name().toLowerCase(Locale.ROOT)) : null;
        };
    }

    private static Condition pid(Set<Integer> pids) {
        return s -> pids.contains(s.process().pid()) ? Map.of("pid", Integer.toString(s.process().pid())) : null;
    }

    /**
     * The name is one edit (insertion, deletion, substitution or swap of neighbours) away from one of the given
     * names, without being it: a typosquat such as scvhost.exe for svchost.exe. Case-insensitive on Windows.
     */
    private static Condition resembles(List<String> targets) {
        return s -> {
            String name = s.process().name();
            if (name == null) {
                return null;
            }
            for (String t : targets) {
                String a = s.windows() ? name.toLowerCase(Locale.ROOT) : name;
                String b = s.windows() ? t.toLowerCase(Locale.ROOT) : t;
                if (!a.equals(b) && oneEditApart(a, b)) {
                    return Map.of("resembles", t);
                }
            }
            return null;
        };
    }

    /** Optimal-string-alignment distance == 1 (so a swap of two neighbours counts as one edit). */
    static boolean oneEditApart(String a, String b) {
        int la = a.length(), lb = b.length();
        if (Math.abs(la - lb) > 1) {
            return false;
        }
        int i = 0;
        while (i < Math.min(la, lb) && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (la == lb) {
            if (i == la) {
                return false; // equal
            }
            if (a.substring(i + 1).equals(b.substring(i + 1))) {
                return true; // one substitution
            }
            return i + 1 < la && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
                    && a.substring(i + 2).equals(b.substring(i + 2)); // one swap
        }
        String longer = la > lb ? a : b, shorter = la > lb ? b : a;
        return longer.substring(i + 1).equals(shorter.substring(i)); // one insertion or deletion
    }

    /** The command line is known and contains none of the needles (case-insensitive), e.g. svchost without -k. */
    private static Condition cmdlineLacks(List<String> needles) {
        List<String> lower = needles.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        return s -> {
            if (s.process().cmdline().isEmpty()) {
                return null;
            }
            String line = String.join(" ", s.process().cmdline()).toLowerCase(Locale.ROOT);
            return lower.stream().anyMatch(line::contains) ? null : Map.of("cmdline", String.join(" ",
                    s.process().cmdline()));
        };
    }

    private static Condition flag(Object value, String fact, java.util.function.Function<Subject, Boolean> get) {
        return flag(value, fact, get, s -> describe(s, fact));
    }

    /** A yes/no test whose evidence reports {@code fact} as {@code describe} tells it. */
    private static Condition flag(Object value, String fact, java.util.function.Function<Subject, Boolean> get,
                                  java.util.function.Function<Subject, String> describe) {
        boolean want = bool(value);
        return s -> {
            Boolean v = get.apply(s);
            if (v == null || v != want) {
                return null;
            }
            return Map.of(fact, describe.apply(s));
        };
    }

    /** The fact a flag condition reports in its evidence. */
    private static String describe(Subject s, String fact) {
        ProcessFacts p = s.process();
        String v = switch (fact) {
            case "exe" -> p.exe();
            case "cmdline" -> String.join(" ", p.cmdline());
            case "package" -> p.packageOwner();
            case "signer" -> p.signature() == null ? null : String.valueOf(p.signature().signer());
            case "container" -> p.container();
            case "declared" -> s.declaredAs();
            default -> null;
        };
        return v == null ? "" : v;
    }

    private static String stratumRemote(Subject s) {
        List<TrafficFacts.StratumHit> hits = s.traffic().stratum();
        return hits.isEmpty() ? "" : hits.get(0).method() + " to " + hits.get(0).remote();
    }

    private static String threatened(Subject s) {
        for (Remote r : s.traffic().remotes()) {
            if (!r.threatLists().isEmpty()) {
                return r.address() + " (" + String.join(", ", r.threatLists()) + ")";
            }
        }
        return "";
    }

    // ---- destinations and behaviour ----

    private static Condition remoteClass(Set<AddressClass> classes, boolean only) {
        return s -> {
            List<Remote> remotes = s.traffic().remotes();
            if (remotes.isEmpty()) {
                return null;
            }
            Predicate<Remote> in = r -> r.addressClass() != null && classes.contains(r.addressClass());
            if (only) {
                return remotes.stream().allMatch(in) ? Map.of("remote", remotes.get(0).address()) : null;
            }
            return remotes.stream().filter(in).findFirst().map(r -> Map.of("remote", r.address())).orElse(null);
        };
    }

    private static Condition remotePort(Set<Integer> ports) {
        return s -> s.traffic().remotes().stream()
                .filter(r -> r.port() != null && ports.contains(r.port()) && r.addressClass() != null
                        && r.addressClass().reachesInternet())
                .findFirst().map(r -> Map.of("remote", r.address() + ":" + r.port())).orElse(null);
    }

    private static Condition atLeast(String fact, double min, java.util.function.ToDoubleFunction<Subject> get) {
        return s -> {
            double v = get.applyAsDouble(s);
            return !Double.isNaN(v) && v >= min ? Map.of(fact, format(v)) : null;
        };
    }

    private static Condition below(String fact, double max, java.util.function.ToDoubleFunction<Subject> get) {
        return s -> {
            double v = get.applyAsDouble(s);
            return !Double.isNaN(v) && v < max ? Map.of(fact, format(v)) : null;
        };
    }

    private static double pps(Subject s) {
        TrafficFacts t = s.traffic();
        return t.seconds() <= 0 ? Double.NaN : t.packets() / t.seconds();
    }

    private static double avgPacket(Subject s) {
        TrafficFacts t = s.traffic();
        return t.packets() == 0 ? Double.NaN : (double) t.totalBytes() / t.packets();
    }

    private static double txRxRatio(Subject s) {
        TrafficFacts t = s.traffic();
        return t.txBytes() == 0 ? Double.NaN : t.rxBytes() == 0 ? Double.MAX_VALUE : (double) t.txBytes() / t.rxBytes();
    }

    private static double publicBytes(Subject s) {
        return s.traffic().publicBytes();
    }

    /** Share of all bytes exchanged with public addresses; NaN when there was no traffic. */
    private static double publicShare(Subject s) {
        TrafficFacts t = s.traffic();
        return t.totalBytes() == 0 ? Double.NaN : (double) t.publicBytes() / t.totalBytes();
    }

    /** Share of the bytes to public addresses that went to other countries; NaN when nothing went out. */
    private static double foreignShare(Subject s) {
        TrafficFacts t = s.traffic();
        return t.publicBytes() == 0 ? Double.NaN : (double) t.foreignBytes() / t.publicBytes();
    }

    private static double foreignCountries(Subject s) {
        return s.traffic().foreignCountries();
    }

    private static String format(double v) {
        if (v == Double.MAX_VALUE) {
            return "inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    // ---- value parsing ----

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
        } else if (value instanceof String s) {
            out.add(s);
        } else {
            throw new IllegalArgumentException("expected a string or a list of strings, got " + value);
        }
        return out;
    }

    private static List<Glob> globs(Object value) {
        return strings(value).stream().map(Glob::new).toList();
    }

    private static Set<AddressClass> classes(Object value) {
        Set<AddressClass> out = new HashSet<>();
        for (String s : strings(value)) {
            AddressClass found = null;
            for (AddressClass c : AddressClass.values()) {
                if (c.key().equals(s)) {
                    found = c;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown address class '" + s + "'");
            }
            out.add(found);
        }
        return out;
    }

    private static Set<Integer> ports(Object value) {
        Set<Integer> out = new HashSet<>();
        for (String s : value instanceof Number n ? List.of(n.toString()) : strings(value)) {
            try {
                int p = Integer.parseInt(s.strip());
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                out.add(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a port number: '" + s + "'");
            }
        }
        return out;
    }

    private static Set<Integer> ints(Object value) {
        Set<Integer> out = new HashSet<>();
        for (String v : strings(value)) {
            try {
                out.add(Integer.parseInt(v.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number: '" + v + "'");
            }
        }
        return out;
    }

    private static Set<Signature.Status> statuses(Object value) {
        Set<Signature.Status> out = new HashSet<>();
        for (String v : strings(value)) {
            try {
                out.add(Signature.Status.valueOf(v.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown signature status '" + v
                        + "' (expected signed, unsigned, invalid or unknown)");
            }
        }
        return out;
    }

    private static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("expected a number, got " + value);
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("expected true or false, got " + value);
    }

    /** A shell-style pattern: {@code *} any run, {@code ?} one character, everything else literal. */
    record Glob(String pattern, Pattern exact, Pattern folded) {
        Glob(String pattern) {
            this(pattern, compile(pattern, 0), compile(pattern, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        }

        boolean matches(String value, boolean ignoreCase) {
            return (ignoreCase ? folded : exact).matcher(value).matches();
        }

        private static Pattern compile(String glob, int flags) {
            StringBuilder re = new StringBuilder();
            for (String part : glob.split("(?=[*?])|(?<=[*?])")) {
                re.append(switch (part) {
                    case "*" -> ".*";
                    case "?" -> ".";
                    default -> Pattern.quote(part);
                });
            }
            return Pattern.compile(re.toString(), flags | Pattern.DOTALL);
        }
    }
}
