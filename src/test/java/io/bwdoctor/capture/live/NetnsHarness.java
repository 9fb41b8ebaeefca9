package io.bwdoctor.capture.live;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A throw-away test network built with iproute2 (needs root): network namespaces named {@code bwd-<id>-a}/{@code -b}
 * joined by a veth pair, addresses from 198.51.100.0/24 and 2001:db8::/32 only, no default route, static neighbour
 * entries (no ARP/ND exchange, so the traffic on the link is exactly what a test sends). Everything is deleted in
 * {@link #close()} (and by a shutdown hook if the test JVM exits without closing).
 *
 * <p>Each harness takes a random /30 of 198.51.100.0/24 and a random /64 of 2001:db8::/32, so that harnesses of tests
 * running at the same time on one machine do not share a subnet in the root namespace.
 *
 * <ul>
 *   <li>{@link #hostLinked()}: namespace A; the veth's other end stays in the root namespace ({@link #host()}), where
 *       the test JVM itself can capture on it.</li>
 *   <li>{@link #twoNamespaces()}: namespaces A and B joined by the veth ({@link #a()}, {@link #b()}).</li>
 * </ul>
 */
public final class NetnsHarness implements AutoCloseable {
    /** One end of the veth: its namespace (null for the root namespace), device, MAC and addresses. */
    public record Endpoint(String namespace, String device, String mac, Inet4Address ipv4, Inet6Address ipv6) {}

    /** Exit code and combined stdout/stderr of a command. */
    public record Result(int exitCode, String output) {}

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String id;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();
    private final Thread shutdownHook;
    private Endpoint host;
    private Endpoint a;
    private Endpoint b;
    private boolean closed;

    private NetnsHarness() {
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        id = HexFormat.of().formatHex(random);
        shutdownHook = new Thread(this::deleteAll, "netns-harness-cleanup-" + id);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Namespace A, and the veth's other end in the root namespace (see {@link #host()}). */
    public static NetnsHarness hostLinked() {
        NetnsHarness h = new NetnsHarness();
        try {
            String nsA = h.addNamespace("a");
            Subnet net = Subnet.random();
            h.host = new Endpoint(null, "bwd" + h.id + "h", mac(), net.v4(1), net.v6(1));
            h.a = new Endpoint(nsA, "bwd" + h.id + "a", mac(), net.v4(2), net.v6(2));
            h.link(h.host, h.a);
            return h;
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    /** Namespaces A and B joined by a veth. */
    public static NetnsHarness twoNamespaces() {
        NetnsHarness h = new NetnsHarness();
        try {
            String nsA = h.addNamespace("a");
            String nsB = h.addNamespace("b");
            Subnet net = Subnet.random();
            h.a = new Endpoint(nsA, "bwd" + h.id + "a", mac(), net.v4(1), net.v6(1));
            h.b = new Endpoint(nsB, "bwd" + h.id + "b", mac(), net.v4(2), net.v6(2));
            h.link(h.a, h.b);
            return h;
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    /** Skips the test where network namespaces do not exist (not Linux); fails in CI when not run as root. */
    public static void assumeUsable() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Assumptions.assumeTrue(os.startsWith("linux"), "network namespaces exist only on Linux");
        if (!isRoot()) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("the capture tests need root (CI must run them as root)");
            }
            Assumptions.abort("needs root to create network namespaces and capture (run the tests as root)");
        }
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    public String id() {
        return id;
    }

    /** The root-namespace end ({@link #hostLinked()} only). */
    public Endpoint host() {
        return require(host, "host()", "hostLinked()");
    }

    public Endpoint a() {
        return a;
    }

    /** The end in namespace B ({@link #twoNamespaces()} only). */
    public Endpoint b() {
        return require(b, "b()", "twoNamespaces()");
    }

    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    private static Endpoint require(Endpoint e, String what, String factory) {
        if (e == null) {
            throw new IllegalStateException(what + " exists only in a harness made by " + factory);
        }
        return e;
    }

    private String addNamespace(String suffix) {
        String ns = "bwd-" + id + "-" + suffix;
        namespaces.add(ns); // before creation: a half-made namespace is still deleted
        runOk(null, "ip", "netns", "add", ns);
        runOk(ns, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Creates the veth with one end per endpoint, addresses, and static neighbour entries both ways. */
    private void link(Endpoint x, Endpoint y) {
        if (x.namespace() == null) {
            rootLinks.add(x.device());
        }
        List<String> add = new ArrayList<>(List.of("ip", "link", "add", x.device(), "address", x.mac(), "mtu", "9000"));
        if (x.namespace() != null) {
            add.addAll(List.of("netns", x.namespace()));
        }
        add.addAll(List.of("type", "veth", "peer", "name", y.device(), "address", y.mac(), "mtu", "9000",
                "netns", y.namespace()));
        runOk(null, add.toArray(String[]::new));
        for (Endpoint[] pair : new Endpoint[][] {{x, y}, {y, x}}) {
            Endpoint me = pair[0];
            Endpoint peer = pair[1];
            String ns = me.namespace();
            // no IPv6 link-local address: no router solicitations or MLD chatter on the link
            runOk(ns, "ip", "link", "set", me.device(), "addrgenmode", "none");
            runOk(ns, "ip", "addr", "add", me.ipv4().getHostAddress() + "/30", "dev", me.device());
            runOk(ns, "ip", "-6", "addr", "add", me.ipv6().getHostAddress() + "/64", "dev", me.device(), "nodad");
            runOk(ns, "ip", "link", "set", me.device(), "up");
            for (InetAddress address : List.of(peer.ipv4(), peer.ipv6())) {
                runOk(ns, "ip", "neigh", "replace", address.getHostAddress(), "lladdr", peer.mac(),
                        "dev", me.device(), "nud", "permanent");
            }
        }
    }

    /** Runs a command in {@code namespace} (null: the root namespace) and waits for it (at most 30 s). */
    public static Result run(String namespace, String... command) {
        Process p = start(namespace, command);
        CompletableFuture<String> output = readAllAsync(p);
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + COMMAND_TIMEOUT.toSeconds() + " s: "
                        + String.join(" ", command));
            }
            String text;
            try { // a grandchild that inherited the pipe could keep it open: do not wait for it forever
                text = output.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                text = "(output not available: " + e + ")";
            }
            return new Result(p.exitValue(), text);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Like {@link #run} but fails with the command's output unless it exits with 0. */
    public static String runOk(String namespace, String... command) {
        Result r = run(namespace, command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("exit " + r.exitCode() + " from " + String.join(" ", command)
                    + (namespace == null ? "" : " in " + namespace) + ": " + r.output().strip());
        }
        return r.output();
    }

    /** Starts a command in {@code namespace} (null: root) without waiting; stderr is merged into stdout. */
    public static Process start(String namespace, String... command) {
        List<String> full = new ArrayList<>();
        if (namespace != null) {
            full.addAll(List.of("ip", "netns", "exec", namespace));
        }
        full.addAll(List.of(command));
        try {
            return new ProcessBuilder(full).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", full), e);
        }
    }

    /** Reads a process's whole output in the background (so that a full pipe never blocks it). */
    public static CompletableFuture<String> readAllAsync(Process p) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        }, task -> Thread.ofVirtual().start(task));
    }

    /**
     * A command line that runs {@code main} in a fresh JVM (same JDK, this build's main and test classes), for
     * traffic generators that must run inside a namespace via {@code ip netns exec}.
     */
    public static String[] java(Class<?> main, String... args) {
        String javaBin = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED", "-cp",
                location(LibPcap.class) + java.io.File.pathSeparator + location(main), main.getName()));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the namespaces (which takes their veth ends, and so the pairs, along) and root-namespace links. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook does the work
        }
        deleteAll();
    }

    private void deleteAll() {
        List<String> failures = new ArrayList<>();
        for (String link : rootLinks) {
            Result r = run(null, "ip", "link", "del", link);
            if (r.exitCode() != 0 && !r.output().contains("Cannot find device")) {
                failures.add(link + ": " + r.output().strip());
            }
        }
        for (String ns : namespaces) {
            Result r = run(null, "ip", "netns", "del", ns);
            if (r.exitCode() != 0 && !r.output().contains("No such file")) {
                failures.add(ns + ": " + r.output().strip());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("test network cleanup failed: " + String.join("; ", failures));
        }
    }

    private static String mac() {
        byte[] m = new byte[6];
        ThreadLocalRandom.current().nextBytes(m);
        m[0] = 0x02; // locally administered, unicast
        return HexFormat.ofDelimiter(":").formatHex(m);
    }

    /** A random 198.51.100.x/30 and 2001:db8:r:r::/64. */
    private record Subnet(int v4Base, int v6Word2, int v6Word3) {
        static Subnet random() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return new Subnet(4 * r.nextInt(64), r.nextInt(0x10000), r.nextInt(0x10000));
        }

        Inet4Address v4(int host) {
            return (Inet4Address) address(new byte[] {(byte) 198, 51, 100, (byte) (v4Base + host)});
        }

        Inet6Address v6(int host) {
            byte[] b = new byte[16];
            b[0] = 0x20;
            b[1] = 0x01;
            b[2] = 0x0d;
            b[3] = (byte) 0xb8;
            b[4] = (byte) (v6Word2 >> 8);
            b[5] = (byte) v6Word2;
            b[6] = (byte) (v6Word3 >> 8);
            b[7] = (byte) v6Word3;
            b[15] = (byte) host;
            return (Inet6Address) address(b);
        }

        private static InetAddress address(byte[] b) {
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
