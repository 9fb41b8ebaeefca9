package io.bwdoctor.platform.linux;

import io.bwdoctor.core.protect.EgressScheme;
import io.bwdoctor.core.protect.TcRestore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps SSH/RDP usable on a saturated uplink: installs {@link EgressScheme} (strict priority for the management
 * ports, optionally shaped under the provider's cap) on an interface's egress with iproute2's `tc`, and takes it
 * away again. Before changing anything it saves what was there to a state file, refuses to replace a configuration
 * that is not a kernel default unless forced, and on removal puts the saved one back. A crash leaves the state file,
 * from which {@link #removeLeftover} (`bwdoctor unprotect`) undoes the change later.
 */
public final class Protection {
    public static final Path DEFAULT_STATE_DIR = Path.of("/run/bwdoctor");
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> DEFAULT_KINDS = Set.of("noqueue", "pfifo_fast", "fq_codel", "mq");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_STATE_BYTES = 4 << 20;

    /** What to protect. capBps null: no cap (priority only); netns null: this process's network namespace. */
    public record Request(String iface, List<Integer> ports, Long capBps, boolean force, Path stateDir,
                          String netns) {
        public Request {
            ports = List.copyOf(ports);
            stateDir = stateDir == null ? DEFAULT_STATE_DIR : stateDir;
        }
    }

    /** One qdisc as `tc -j qdisc show` describes it. */
    private record Qdisc(String kind, String handle, boolean root, String parent) {
        boolean ingress() {
            return kind.equals("ingress") || kind.equals("clsact") || (parent != null && parent.startsWith("ffff:"));
        }

        @Override
        public String toString() {
            return kind + " " + handle;
        }
    }

    /** The egress configuration of an interface at one moment. */
    private record Snapshot(List<Qdisc> egress, String json, String qdiscText, String classText, String filterText) {
        boolean isDefault() {
            Set<String> defaults = defaultKinds();
            return egress.stream().allMatch(q -> q.handle().equals("0:") && defaults.contains(q.kind()));
        }

        boolean isOurs() {
            return egress.stream().anyMatch(q -> q.root() && q.kind().equals("htb")
                    && q.handle().equals(EgressScheme.ROOT_HANDLE));
        }

        String summary() {
            return egress.isEmpty() ? "no qdisc" : String.join(", ", egress.stream().map(Qdisc::toString).toList());
        }
    }

    private final Tc tc;
    private final String iface;
    private final Path stateFile;
    private final List<String> installed;
    private boolean removed;

    private Protection(Tc tc, String iface, Path stateFile, List<String> installed) {
        this.tc = tc;
        this.iface = iface;
        this.stateFile = stateFile;
        this.installed = List.copyOf(installed);
    }

    /** Protects PORTS on IFACE's egress in this namespace, state under /run/bwdoctor, without force. */
    public static Protection apply(String iface, List<Integer> ports, Long capBps) throws ProtectionException {
        return apply(new Request(iface, ports, capBps, false, DEFAULT_STATE_DIR, null));
    }

    public static Protection apply(Request r) throws ProtectionException {
        validate(r.iface(), r.netns());
        Tc tc = new Tc(r.netns());
        Path state = stateFile(r.stateDir(), r.netns(), r.iface());
        if (Files.exists(state)) {
            throw new ProtectionException(r.iface() + " is already protected, or a protection was left over ("
                    + state + "): run `bwdoctor unprotect --iface " + r.iface() + "` first");
        }
        EgressScheme.Plan plan;
        try {
            plan = EgressScheme.plan(r.iface(), mtu(tc, r.iface()), r.ports(), r.capBps());
        } catch (IllegalArgumentException e) {
            throw new ProtectionException(e.getMessage());
        }
        Snapshot before = snapshot(tc, r.iface());
        boolean wasDefault = before.isDefault();
        if (before.isOurs()) {
            throw new ProtectionException(r.iface() + " already has bwdoctor's priority scheme but no state file ("
                    + state + "); remove it with `tc qdisc del dev " + r.iface() + " root`");
        }
        if (!wasDefault && !r.force()) {
            throw new ProtectionException(r.iface() + " already has an egress configuration (" + before.summary()
                    + "); bwdoctor replaces it only when forced (--force), and then puts it back on exit");
        }
        List<String> lines = new ArrayList<>();
        lines.add(describe(r, plan));
        if (!wasDefault) {
            int filters = filterCount(before.filterText().lines().toList());
            lines.add("replacing " + before.summary() + ": put back on exit" + (filters == 0 ? "" : ", except its "
                    + filters + " filter(s), which tc cannot read back (they are in the state file)"));
        }
        writeState(state, r, plan, before, wasDefault, lines);
        try {
            if (!wasDefault) {
                tc.tcOk(List.of("qdisc", "del", "dev", r.iface(), "root"));
            }
            for (List<String> step : plan.qdiscAndClasses()) {
                tc.tcOk(step);
            }
            lines.add(leaf(tc, plan.highLeaf(), "management"));
            if (!plan.shaped()) {
                lines.add(leaf(tc, EgressScheme.unshapedBulkLeaf(r.iface()), "other traffic"));
            } else {
                lines.add("other traffic: tbf at " + rate(plan.totalBps()) + " (splits TSO/GSO bursts)");
            }
            for (List<String> filter : plan.filters()) {
                tc.tcOk(filter);
            }
        } catch (ProtectionException e) {
            String undo;
            try {
                undo = String.join("; ", restore(tc, r.iface(), state));
            } catch (ProtectionException again) {
                undo = "and undoing it failed too: " + again.getMessage();
            }
            throw new ProtectionException("could not install the protection on " + r.iface() + ": "
                    + e.getMessage() + " (" + undo + ")");
        }
        return new Protection(tc, r.iface(), state, lines);
    }

    /** What was installed, one line each, for the user. */
    public List<String> installed() {
        return installed;
    }

    public String iface() {
        return iface;
    }

    public Path stateFile() {
        return stateFile;
    }

    /** Takes the scheme away and puts back what was there; says what it did. Idempotent. */
    public synchronized List<String> remove() throws ProtectionException {
        if (removed) {
            return List.of();
        }
        List<String> lines = restore(tc, iface, stateFile);
        removed = true;
        return lines;
    }

    /**
     * Registers a shutdown hook (Ctrl-C, SIGTERM, normal exit) that removes the protection and hands what it did to
     * REPORT. Returns the hook, for {@link #cancelRemoveOnExit} after a normal {@link #remove()}.
     */
    public Thread removeOnExit(Consumer<String> report) {
        Thread hook = new Thread(() -> {
            try {
                remove().forEach(report);
            } catch (ProtectionException e) {
                report.accept("could not undo the protection: " + e.getMessage() + " (run `bwdoctor unprotect`)");
            }
        }, "bwdoctor-unprotect-" + iface);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    public static void cancelRemoveOnExit(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs, and remove() is idempotent
        }
    }

    /** Undoes a protection left by a process that died (this namespace). Says what it did; empty if none. */
    public static List<String> removeLeftover(String iface, Path stateDir) throws ProtectionException {
        return removeLeftover(iface, stateDir, null);
    }

    public static List<String> removeLeftover(String iface, Path stateDir, String netns) throws ProtectionException {
        validate(iface, netns);
        Path state = stateFile(stateDir, netns, iface);
        return Files.exists(state) ? restore(new Tc(netns), iface, state) : List.of();
    }

    /** Undoes every protection recorded in STATE_DIR (each in the namespace it was made in). */
    public static List<String> removeAllLeftovers(Path stateDir) throws ProtectionException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) {
            return lines;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(stateDir, "protect-*.json")) {
            dir.forEach(files::add);
        } catch (IOException e) {
            throw new ProtectionException("cannot list " + stateDir + ": " + e.getMessage());
        }
        for (Path file : files) {
            JsonNode state = readState(file);
            String iface = state.path("iface").asString("");
            String netns = state.path("netns").isString() ? state.path("netns").asString() : null;
            if (!file.equals(stateFile(stateDir, netns, iface))) {
                lines.add(file + ": does not match the interface it names; left alone");
                continue;
            }
            lines.addAll(restore(new Tc(netns), iface, file));
        }
        return lines;
    }

    static Path stateFile(Path stateDir, String netns, String iface) {
        return stateDir.resolve("protect-" + (netns == null ? "" : netns + "@") + iface + ".json");
    }

    private static void validate(String iface, String netns) throws ProtectionException {
        if (iface == null || !IFACE.matcher(iface).matches() || iface.equals(".") || iface.equals("..")) {
            throw new ProtectionException("'" + iface + "' is not an interface name");
        }
        if (netns != null && !NETNS.matcher(netns).matches()) {
            throw new ProtectionException("'" + netns + "' is not a network namespace name");
        }
    }

    private static String leaf(Tc tc, List<String> add, String what) throws ProtectionException {
        Tc.Result r = tc.tc(add);
        String kind = add.getLast();
        if (r.ok()) {
            return what + ": " + kind;
        }
        if (r.why().contains("unknown") || r.why().contains("not found")) {
            return what + ": htb's default fifo (this kernel has no " + kind + ")";
        }
        throw new ProtectionException("tc " + String.join(" ", add) + ": " + r.why());
    }

    private static String describe(Request r, EgressScheme.Plan plan) {
        String ports = String.join(",", r.ports().stream().map(String::valueOf).toList());
        return r.iface() + ": TCP/UDP ports " + ports + " (source or destination, IPv4 and IPv6) and ARP leave first; "
                + (plan.shaped() ? "all egress shaped to " + rate(plan.totalBps()) + " (95 % of the "
                + rate(r.capBps()) + " cap), so the queue forms here" : "no cap: priority applies only where this "
                + "interface itself is the bottleneck");
    }

    static String rate(long bps) {
        if (bps >= 1_000_000_000L) {
            return String.format("%.2f Gbit/s", bps / 1e9);
        }
        return bps >= 1_000_000L ? String.format("%.2f Mbit/s", bps / 1e6) : String.format("%.0f kbit/s", bps / 1e3);
    }

    private static int mtu(Tc tc, String iface) throws ProtectionException {
        Tc.Result r = tc.ip(List.of("-j", "link", "show", "dev", iface));
        if (!r.ok()) {
            throw new ProtectionException("no interface " + iface + (tc.netns() == null ? "" : " in network namespace "
                    + tc.netns()) + ": " + r.why());
        }
        try {
            JsonNode link = JSON.readTree(r.out()).path(0);
            int mtu = link.path("mtu").asInt(-1);
            if (mtu <= 0) {
                throw new ProtectionException("ip did not report the MTU of " + iface);
            }
            return mtu;
        } catch (JacksonException e) {
            throw new ProtectionException("unreadable output from `ip -j link show dev " + iface + "`");
        }
    }

    private static Snapshot snapshot(Tc tc, String iface) throws ProtectionException {
        String json = tc.tcOk(List.of("-j", "qdisc", "show", "dev", iface));
        List<Qdisc> egress = new ArrayList<>();
        try {
            for (JsonNode q : JSON.readTree(json.isBlank() ? "[]" : json)) {
                Qdisc qdisc = new Qdisc(q.path("kind").asString("?"), q.path("handle").asString("?"),
                        q.path("root").asBoolean(false), q.path("parent").isString() ? q.path("parent").asString()
                        : null);
                if (!qdisc.ingress()) {
                    egress.add(qdisc);
                }
            }
        } catch (JacksonException e) {
            throw new ProtectionException("unreadable output from `tc -j qdisc show dev " + iface + "`");
        }
        return new Snapshot(List.copyOf(egress), json, tc.tcOk(List.of("qdisc", "show", "dev", iface)),
                tc.tcOk(List.of("class", "show", "dev", iface)), tc.tcOk(List.of("filter", "show", "dev", iface)));
    }

    private static Set<String> defaultKinds() {
        try {
            String configured = Files.readString(Path.of("/proc/sys/net/core/default_qdisc")).strip();
            if (configured.matches("[a-z_]{1,32}")) {
                Set<String> kinds = new java.util.HashSet<>(DEFAULT_KINDS);
                kinds.add(configured);
                return kinds;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no such sysctl: the built-in defaults
        }
        return DEFAULT_KINDS;
    }

    private static void writeState(Path file, Request r, EgressScheme.Plan plan, Snapshot before, boolean wasDefault,
                                   List<String> lines) throws ProtectionException {
        Map<String, Object> previous = new LinkedHashMap<>();
        previous.put("default", wasDefault);
        previous.put("summary", before.summary());
        previous.put("qdisc", before.qdiscText().lines().toList());
        previous.put("class", before.classText().lines().toList());
        previous.put("filter", before.filterText().lines().toList());
        previous.put("qdisc_json", before.json().strip());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("version", 1);
        state.put("iface", r.iface());
        state.put("netns", r.netns());
        state.put("pid", ProcessHandle.current().pid());
        state.put("created", Instant.now().toString());
        state.put("ports", r.ports());
        state.put("cap_bps", r.capBps());
        state.put("installed", lines);
        state.put("commands", plan.all());
        state.put("previous", previous);
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, ".protect-", ".tmp");
            try {
                Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
                Files.createLink(file, tmp); // complete or absent, and never over another run's file
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ProtectionException(r.iface() + " is being protected by another run (" + file + ")");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ProtectionException("cannot save the current configuration to " + file + ": permission denied "
                    + "(run as root; nothing was changed)");
        } catch (IOException | JacksonException | UnsupportedOperationException e) {
            throw new ProtectionException("cannot save the current configuration to " + file + " (nothing was "
                    + "changed): " + e.getMessage());
        }
    }

    private static JsonNode readState(Path file) throws ProtectionException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_STATE_BYTES + 1);
            if (bytes.length > MAX_STATE_BYTES) {
                throw new ProtectionException(file + " is too large to be a bwdoctor state file");
            }
            JsonNode state = JSON.readTree(bytes);
            if (state.path("version").asInt(0) != 1 || !state.path("previous").isObject()) {
                throw new ProtectionException(file + " is not a bwdoctor protection state file");
            }
            return state;
        } catch (IOException | JacksonException e) {
            throw new ProtectionException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Takes our scheme off IFACE (if it is still ours), re-creates the saved configuration, deletes the file. */
    private static List<String> restore(Tc tc, String iface, Path file) throws ProtectionException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode state = readState(file);
        JsonNode previous = state.path("previous");
        List<String> lines = new ArrayList<>();
        long pid = state.path("pid").asLong(-1);
        if (pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isPresent()) {
            lines.add("note: the process that installed it (pid " + pid + ") still runs; it will find nothing to undo");
        }
        Tc.Result link = tc.ip(List.of("link", "show", "dev", iface));
        if (!link.ok()) {
            lines.add(iface + " no longer exists: nothing to restore");
            delete(file);
            return lines;
        }
        Snapshot now = snapshot(tc, iface);
        String before = previous.path("summary").asString("?");
        boolean incomplete = false;
        boolean previousDefault = previous.path("default").asBoolean(false);
        if (now.isOurs()) {
            tc.tcOk(List.of("qdisc", "del", "dev", iface, "root"));
        } else if (!now.isDefault() || previousDefault) {
            lines.add(iface + ": the priority scheme is gone already (now: " + now.summary() + "); left as it is");
        }
        if (now.isOurs() || now.isDefault()) { // a kernel default here (also after a failed install) is replaceable
            if (previousDefault) {
                if (now.isOurs()) {
                    lines.add(iface + ": priority scheme removed; back to the kernel's default (" + before + ")");
                }
            } else {
                incomplete = !replay(tc, iface, previous, lines);
                lines.add(iface + ": priority scheme removed; " + (incomplete ? "partly " : "") + "restored "
                        + before);
            }
        }
        if (incomplete) {
            Path kept = file.resolveSibling(file.getFileName() + ".incomplete");
            try {
                Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING);
                lines.add("the saved configuration is in " + kept);
            } catch (IOException e) {
                throw new ProtectionException("cannot move " + file + " aside: " + e.getMessage());
            }
        } else {
            delete(file);
        }
        return lines;
    }

    /** Re-creates the saved qdiscs and classes (in passes, so that a parent exists before its child); true if all. */
    private static boolean replay(Tc tc, String iface, JsonNode previous, List<String> lines)
            throws ProtectionException {
        List<List<String>> pending = new ArrayList<>(TcRestore.commands(iface, strings(previous.path("qdisc")),
                strings(previous.path("class"))));
        Map<List<String>, String> failures = new LinkedHashMap<>();
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            failures.clear();
            for (var it = pending.iterator(); it.hasNext(); ) {
                List<String> cmd = it.next();
                Tc.Result r = tc.tc(cmd);
                if (r.ok()) {
                    it.remove();
                    progress = true;
                } else {
                    failures.put(cmd, r.why());
                }
            }
        }
        failures.forEach((cmd, why) -> lines.add("could not re-create: tc " + String.join(" ", cmd) + ": " + why));
        int filters = filterCount(strings(previous.path("filter")));
        if (filters > 0) {
            lines.add(filters + " filter(s) not re-created (tc cannot read back its own filter listing): re-add "
                    + "them by hand");
        }
        return pending.isEmpty() && filters == 0;
    }

    /** Distinct filters in `tc filter show` output: one per parent, protocol, preference and kind. */
    static int filterCount(List<String> lines) {
        Set<String> filters = new java.util.HashSet<>();
        for (String line : lines) {
            if (line.startsWith("filter ")) {
                String[] t = line.strip().split("\\s+");
                int pref = List.of(t).indexOf("pref");
                filters.add(pref > 0 && pref + 2 < t.length ? String.join(" ", List.of(t).subList(0, pref + 3)) : line);
            }
        }
        return filters.size();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asString(""));
        }
        return out;
    }

    private static void delete(Path file) throws ProtectionException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ProtectionException("cannot delete " + file + ": " + e.getMessage());
        }
    }
}
