package io.bwdoctor.engine;

import io.bwdoctor.capture.live.CaptureException;
import io.bwdoctor.capture.live.Interfaces;
import io.bwdoctor.capture.live.LiveCapture;
import io.bwdoctor.core.account.Counter;
import io.bwdoctor.core.account.TrafficAccounting;
import io.bwdoctor.core.attribution.SocketTable;
import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.flow.View;
import io.bwdoctor.core.intel.AddressScope;
import io.bwdoctor.core.live.AttributedViews;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Unattributed;
import io.bwdoctor.core.packet.DecodedPacket;
import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;
import io.bwdoctor.platform.linux.Conntrack;
import io.bwdoctor.platform.linux.NamespaceSockets;
import io.bwdoctor.platform.linux.NetlinkException;
import io.bwdoctor.platform.linux.ProcScanner;
import io.bwdoctor.platform.linux.SockDiag;
import io.bwdoctor.platform.linux.SocketOwnerTracer;
import io.bwdoctor.platform.linux.TracingUnavailableException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The live pipeline: packet capture on the chosen interfaces feeds the core's accounting; new conversations are
 * handed to the {@link OwnerResolver}; once a second {@link #snapshot()} applies what was resolved, closes the second
 * and builds a {@link LiveSnapshot}. Whatever cannot run (no libpcap, no root, no netlink) is reported as a coverage
 * gap instead of failing, and the engine works with what it has.
 */
public final class LiveEngine implements AutoCloseable {
    /**
     * @param interfaces  devices to capture on; empty = every interface that is up, except loopback
     * @param filter      BPF filter in libpcap syntax, or null
     * @param capBps      the bandwidth cap for utilisation, or null
     * @param connections how many connections a snapshot lists at most (busiest first)
     */
    public record Config(List<String> interfaces, String filter, Long capBps, int maxFlows, int snapLength,
                         int connections, boolean capture, AddressScope scope) {
        public Config {
            interfaces = List.copyOf(interfaces);
            scope = scope == null ? AddressScope.classes() : scope;
        }

        public static Config defaults() {
            return new Config(List.of(), null, null, 200_000, 256, 200, true, null);
        }
    }

    /** aHi of the interface table rows that count only traffic with public addresses (aLo = interface id). */
    static final long PUBLIC_ROW = 1;

    /** How long a second of traffic may wait for its owner before it is counted as pending. */
    private static final int DEFER_SECONDS = 3;

    private final Object lock = new Object();
    private final Config config;
    private final TrafficAccounting accounting;
    private final AttributedViews attributed;
    private final FlowTable interfaceTable;
    private final List<Interfaces.Device> devices = new ArrayList<>();
    private final List<LiveCapture> captures = new ArrayList<>();
    private final List<String> gaps = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private LocalAddresses local = new LocalAddresses(List.of());
    private SocketTable sockets;
    private ProcessOwners processes;
    private SockDiag linuxSockets;   // Linux only: namespaces, counter fallback
    private io.bwdoctor.platform.windows.WindowsProcessCatalog windowsCatalog; // Windows only
    private ProcScanner linuxScanner;
    private OwnerResolver resolver;
    private CounterSampler counters;
    private SocketOwnerTracer tracer;
    private Conntrack conntrack;
    private NamespaceSockets foreignSockets;
    private final StratumSightings stratum = new StratumSightings();
    private final long[] nonIpSeen = new long[2];   // packets, bytes already moved to unattributed rows
    private final long[] skippedSeen = new long[2];

    private LiveEngine(Config config) {
        this.config = config;
        this.accounting = new TrafficAccounting(EnumSet.of(View.CONVERSATION), config.maxFlows());
        this.attributed = new AttributedViews(config.maxFlows());
        this.accounting.views().add(attributed);
        this.interfaceTable = FlowTable.oneEnded(64);
    }

    /** Starts capturing and resolving. Never throws for a missing capability: see the snapshot's coverage gaps. */
    public static LiveEngine start(Config config) {
        LiveEngine engine = new LiveEngine(Objects.requireNonNull(config));
        engine.open();
        return engine;
    }

    private void open() {
        List<Interfaces.Device> all = List.of();
        try {
            all = Interfaces.list();
        } catch (CaptureException e) {
            gaps.add("no packet capture: " + e.getMessage());
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (Interfaces.Device d : all) {
            d.addresses().forEach(a -> addresses.add(a.address()));
        }
        local = new LocalAddresses(addresses);
        if (Platforms.current() == Platforms.Os.WINDOWS) {
            openWindowsAttribution();
        } else {
            try {
                linuxSockets = SockDiag.open();
                sockets = linuxSockets;
                linuxScanner = new ProcScanner();
                processes = ProcessOwners.linux(linuxScanner);
                tracer = startTracer();
                conntrack = openConntrack();
                foreignSockets = new NamespaceSockets(linuxSockets.netnsInode());
                resolver = new OwnerResolver(sockets, processes, local, tracer, conntrack, foreignSockets);
                accounting.conversations().setRowListener(this::submit);
            } catch (NetlinkException | RuntimeException e) {
                gaps.add("no per-process attribution: cannot read the socket table (" + e.getMessage() + ")");
            }
        }
        List<Interfaces.Device> chosen = chooseDevices(all);
        for (Interfaces.Device d : config.capture() ? chosen : List.<Interfaces.Device>of()) {
            try {
                LiveCapture.Options options = LiveCapture.Options.DEFAULT.withSnapLength(config.snapLength())
                        .withTimeoutMillis(10); // a new flow reaches the resolver within ~10 ms
                if (config.filter() != null) {
                    options = options.withFilter(config.filter());
                }
                LiveCapture capture = LiveCapture.open(d.name(), devices.size(), options);
                devices.add(d);
                captures.add(capture);
            } catch (CaptureException e) {
                gaps.add("no capture on " + d.name() + ": " + e.getMessage());
            }
        }
        if (!config.capture()) {
            gaps.add("no packet capture (--no-capture)");
        } else if (captures.isEmpty() && gaps.stream().noneMatch(g -> g.startsWith("no packet capture"))) {
            gaps.add("no packet capture: no interface could be opened");
        }
        if (captures.isEmpty() && linuxSockets == null) {
            devices.addAll(chosen);
            gaps.add("no traffic figures without packet capture on this platform (the kernel-counter fallback is "
                    + "Linux-only so far)");
        } else if (captures.isEmpty()) { // fall back on the kernel's counters: TCP per process, totals per interface
            devices.addAll(chosen);
            counters = new CounterSampler(linuxSockets, linuxScanner,
                    chosen.stream().map(Interfaces.Device::name).toList());
            gaps.add("per-process figures are TCP payload bytes from the kernel's socket counters (no UDP, no "
                    + "headers); interface totals from /proc/net/dev; the rest shows as not_measured");
        }
        FrameSink sink = new FrameSink() {
            @Override
            public void onFrame(Frame frame) {
                count(frame);
            }

            @Override
            public void onUnreadableRecord(String reason, int wireLength) {
                synchronized (lock) {
                    accounting.onUnreadableRecord(reason, wireLength);
                }
            }
        };
        captures.forEach(c -> c.start(sink));
    }

    /**
     * Windows: IP Helper's socket tables name each socket's process directly; there is no eBPF tracer, no conntrack
     * and no network namespaces to look into.
     */
    private void openWindowsAttribution() {
        try {
            sockets = Platforms.openSocketTable(Platforms.Os.WINDOWS, true);
            windowsCatalog = new io.bwdoctor.platform.windows.WindowsProcessCatalog();
            processes = ProcessOwners.windows(windowsCatalog);
            resolver = new OwnerResolver(sockets, processes, local, null, null, null);
            accounting.conversations().setRowListener(this::submit);
        } catch (java.io.IOException | RuntimeException e) {
            gaps.add("no per-process attribution: cannot read the socket table (" + e.getMessage() + ")");
        }
    }

    /** Kernel-side record of who connected each socket; without it millisecond-lived processes may go unnamed. */
    private SocketOwnerTracer startTracer() {
        try {
            return SocketOwnerTracer.start();
        } catch (TracingUnavailableException e) {
            gaps.add("no eBPF socket tracing: " + e.reason()
                    + "; processes that live only milliseconds may show as no_process");
        } catch (RuntimeException e) {
            gaps.add("no eBPF socket tracing: " + e + "; processes that live only milliseconds may show as no_process");
        }
        return null;
    }

    /** The NAT table: without it, traffic of containers behind this host's NAT stays unattributed. */
    private Conntrack openConntrack() {
        try {
            return Conntrack.open();
        } catch (NetlinkException | RuntimeException e) {
            gaps.add("no connection tracking (" + e.getMessage() + "): traffic of containers behind NAT shows as "
                    + "no_socket");
            return null;
        }
    }

    /** Inode of the network namespace this engine watches (0 when unknown). */
    long netnsInode() {
        return linuxSockets == null ? 0 : linuxSockets.netnsInode();
    }

    private List<Interfaces.Device> chooseDevices(List<Interfaces.Device> all) {
        if (!config.interfaces().isEmpty()) {
            List<Interfaces.Device> chosen = new ArrayList<>();
            for (String name : config.interfaces()) {
                Interfaces.Device found = all.stream().filter(d -> d.name().equals(name)).findFirst()
                        .orElse(new Interfaces.Device(name, "", true, true, false, false, List.of()));
                chosen.add(found);
            }
            return chosen;
        }
        return all.stream().filter(d -> d.up() && d.running() && !d.loopback() && !d.name().equals("any")
                && !d.addresses().isEmpty()).toList();
    }

    private void submit(FlowTable table, int row) {
        if ((table.flags(row) & FlowTable.FLAG_INNER) != 0 || resolver == null) {
            return;
        }
        resolver.submit(new OwnerResolver.Flow(table.version(row), table.protocol(row), table.aHi(row),
                table.aLo(row), table.aPort(row), table.bHi(row), table.bLo(row), table.bPort(row), System.nanoTime()));
    }

    private void count(Frame frame) {
        synchronized (lock) {
            accounting.onFrame(frame);
            DecodedPacket p = accounting.lastPacket();
            if (p.kind == DecodedPacket.Kind.IP && p.outer.protocol == 6 && p.outer.payloadLength > 0 && !p.hasInner()) {
                stratum.inspect(frame, p.outer);
            }
            boolean sent = p.kind == DecodedPacket.Kind.IP
                    ? local.contains(p.outer.version, p.outer.srcHi, p.outer.srcLo)
                    : p.packetType == 4;
            long nanos = frame.timestampNanos;
            long second = Math.floorDiv(nanos, 1_000_000_000L);
            int wire = frame.wireLength;
            interfaceTable.addSample(0, 0, 0, 0, frame.interfaceId, FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT, second,
                    sent ? 1 : 0, sent ? wire : 0, sent ? 0 : 1, sent ? 0 : wire, nanos, nanos);
            if (p.kind == DecodedPacket.Kind.IP && (sent
                    ? config.scope().isPublic(p.outer.version, p.outer.dstHi, p.outer.dstLo)
                    : config.scope().isPublic(p.outer.version, p.outer.srcHi, p.outer.srcLo))) { // the part a provider's cap counts
                interfaceTable.addSample(0, 0, 0, PUBLIC_ROW, frame.interfaceId, FlowTable.NO_PORT, 0, 0,
                        FlowTable.NO_PORT, second, sent ? 1 : 0, sent ? wire : 0, sent ? 0 : 1, sent ? 0 : wire, nanos,
                        nanos);
            }
        }
    }

    /** Applies resolutions, closes the second that ended, and describes the traffic so far. Call once a second. */
    public LiveSnapshot snapshot() throws InterruptedException {
        return snapshot(false);
    }

    /**
     * @param last the run ends: owners still unknown are given up on, so that everything seen is in the snapshot
     */
    public LiveSnapshot snapshot(boolean last) throws InterruptedException {
        long nowMillis = System.currentTimeMillis();
        long second = nowMillis / 1000;
        if (resolver != null) {
            resolver.awaitIdle(50);
        }
        synchronized (lock) {
            applyResolutions();
            countOutsideRows(second);
            if (counters != null) {
                try {
                    counters.sample(second, attributed, interfaceTable);
                } catch (java.io.IOException e) {
                    gaps.add("kernel counters unreadable: " + e.getMessage());
                    counters = null;
                }
            }
            accounting.advanceTo(second);
            if (last) {
                accounting.closeOpenSecond();
            }
            attributed.reattribute(accounting.conversations(), second, last ? 0 : DEFER_SECONDS);
            if (last) {
                attributed.secondClosed(second);
            }
            interfaceTable.advanceTo(second);
            return new SnapshotBuilder(this).build(nowMillis);
        }
    }

    private void applyResolutions() {
        if (resolver == null) {
            return;
        }
        FlowTable conversations = accounting.conversations();
        for (OwnerResolver.Resolved r; (r = resolver.poll()) != null; ) {
            OwnerResolver.Flow f = r.flow();
            int row = conversations.lookup(f.version(), f.protocol(), 0, f.aHi(), f.aLo(), f.aPort(), f.bHi(), f.bLo(),
                    f.bPort());
            if (row >= 0) {
                conversations.setOwner(row, r.owner());
            }
        }
    }

    /** Frames outside the conversation table (non-IP, undecodable) go to their unattributed rows. */
    private void countOutsideRows(long second) {
        long nanos = second * 1_000_000_000L;
        Counter nonIp = accounting.nonIp();
        Counter skipped = accounting.skippedTotal();
        if (nonIp.packets() > nonIpSeen[0]) {
            attributed.addOutsideRows(Unattributed.NON_IP, second, (int) (nonIp.packets() - nonIpSeen[0]),
                    nonIp.bytes() - nonIpSeen[1], nanos);
        }
        if (skipped.packets() > skippedSeen[0]) {
            attributed.addOutsideRows(Unattributed.UNDECODED, second, (int) (skipped.packets() - skippedSeen[0]),
                    skipped.bytes() - skippedSeen[1], nanos);
        }
        nonIpSeen[0] = nonIp.packets();
        nonIpSeen[1] = nonIp.bytes();
        skippedSeen[0] = skipped.packets();
        skippedSeen[1] = skipped.bytes();
    }

    /** Every conversation so far with its owner (call after the last {@link #snapshot(boolean)}). */
    public List<io.bwdoctor.core.live.ConversationSummary> conversationSummaries() {
        synchronized (lock) {
            return new ConversationLister(accounting.conversations(), local, stratum).list();
        }
    }

    // ---- for SnapshotBuilder ----

    Config config() {
        return config;
    }

    FlowTable conversations() {
        return accounting.conversations();
    }

    AttributedViews attributed() {
        return attributed;
    }

    FlowTable interfaceTable() {
        return interfaceTable;
    }

    List<Interfaces.Device> devices() {
        return devices;
    }

    List<LiveCapture> captures() {
        return captures;
    }

    List<String> gaps() {
        return gaps;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    boolean attributing() {
        return resolver != null;
    }

    /** Windows: the classifier's facts (path, parent, user, services, signature) of a running process. */
    java.util.Optional<io.bwdoctor.core.verdict.ProcessFacts> windowsFacts(int pid) {
        return windowsCatalog == null ? java.util.Optional.empty() : windowsCatalog.facts(pid);
    }

    java.util.Optional<io.bwdoctor.core.attribution.ProcessInfo> describe(int pid) {
        if (counters != null) {
            var info = counters.describe(pid);
            if (info.isPresent()) {
                return info;
            }
        }
        return resolver == null ? java.util.Optional.empty() : resolver.describe(pid);
    }

    @Override
    public void close() {
        for (LiveCapture c : captures) {
            try {
                c.stop();
                c.close();
            } catch (CaptureException e) {
                gaps.add("capture on " + c.source() + " did not stop cleanly: " + e.getMessage());
            }
        }
        if (resolver != null) {
            resolver.close();
        }
        if (counters != null) {
            counters.close();
        }
        if (tracer != null) {
            tracer.close();
        }
        if (conntrack != null) {
            conntrack.close();
        }
        if (foreignSockets != null) {
            foreignSockets.close();
        }
        if (sockets != null) {
            sockets.close();
        }
        if (processes != null) {
            processes.close();
        }
    }
}
