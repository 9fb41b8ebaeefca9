package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.SocketTable;
import io.bwdoctor.core.attribution.Transport;
import io.bwdoctor.core.live.Owner;
import io.bwdoctor.core.live.Unattributed;
import io.bwdoctor.platform.linux.Conntrack;
import io.bwdoctor.platform.linux.IcmpSockets;
import io.bwdoctor.platform.linux.NamespaceSockets;
import io.bwdoctor.platform.linux.SockDiag;
import io.bwdoctor.platform.linux.SocketOwnerTracer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the process behind each new conversation, on its own thread, the moment the capture sees its first packet:
 * a targeted socket query for the exact address/port pair, else a listening or unconnected socket on the local port,
 * then the socket's owner from the process table. A conversation no local socket explains may belong to a process in
 * another network namespace (a container) behind this host's NAT or routing: the connection tracking table gives the
 * address/port pair before translation, looked up in the other namespaces' socket tables. Results are queued for the engine to apply under its lock; facts
 * about each owner are read at once so that a process that exits a moment later is still named.
 */
final class OwnerResolver implements AutoCloseable {
    /** A conversation to resolve, copied out of the flow table (row ids move; keys do not). */
    record Flow(int version, int protocol, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort,
                long seenNanos) {
        /** An end of the conversation: A when {@code a}, else B. */
        long hi(boolean a) {
            return a ? aHi : bHi;
        }

        long lo(boolean a) {
            return a ? aLo : bLo;
        }

        int port(boolean a) {
            return a ? aPort : bPort;
        }
    }

    record Resolved(Flow flow, int owner) {}

    private static final long LISTENER_CACHE_NANOS = 250_000_000L;
    private static final boolean TRACE = System.getenv("BWDOCTOR_TRACE_RESOLVER") != null;

    private final SocketTable sockets;
    private final ProcessOwners processes;
    private final LocalAddresses local;
    private final SocketOwnerTracer tracer; // null when eBPF tracing is unavailable
    private final Conntrack conntrack; // null when connection tracking cannot be read
    private final NamespaceSockets foreign; // null when other namespaces are not looked into
    private final BlockingQueue<Flow> pending = new ArrayBlockingQueue<>(1 << 16);
    private final ConcurrentLinkedQueue<Resolved> done = new ConcurrentLinkedQueue<>();
    private final Map<Integer, ProcessInfo> known = new ConcurrentHashMap<>();
    /** Network namespace of processes found through another namespace's socket table (containers behind NAT). */
    private final Map<Integer, Long> foreignNetns = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private List<SocketRecord> listeners = List.of();
    /**
     * Owners of unconnected UDP sockets by local address and port, so that a sender fanning out to a thousand
     * destinations (a thousand conversations) costs one resolution, not a thousand socket dumps.
     */
    private final Map<List<Long>, long[]> udpOwners = new java.util.HashMap<>();
    private static final long UDP_OWNER_TTL_NANOS = 5_000_000_000L;
    private long listenersAt;

    OwnerResolver(SocketTable sockets, ProcessOwners processes, LocalAddresses local, SocketOwnerTracer tracer,
                  Conntrack conntrack, NamespaceSockets foreign) {
        this.sockets = sockets;
        this.processes = processes;
        this.local = local;
        this.tracer = tracer;
        this.conntrack = conntrack;
        this.foreign = foreign;
        this.thread = Thread.ofPlatform().daemon().name("bwdoctor-resolver").start(this::loop);
    }

    /** Called under the engine's lock when a conversation row is created; never blocks. */
    void submit(Flow flow) {
        if (pending.offer(flow)) {
            inFlight.incrementAndGet();
        } else {
            dropped.incrementAndGet();
            done.add(new Resolved(flow, Owner.unattributed(Unattributed.PENDING, Owner.SIDE_UNKNOWN)));
        }
    }

    /** Waits up to the given time for submitted flows to be resolved (called before a second is closed). */
    void awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /** Resolutions not yet applied, oldest first. */
    Resolved poll() {
        return done.poll();
    }

    Optional<ProcessInfo> describe(int pid) {
        ProcessInfo info = known.get(pid);
        Optional<ProcessInfo> found = info != null ? Optional.of(info) : processes.describe(pid);
        Long netns = foreignNetns.get(pid);
        if (netns != null && found.isPresent() && found.get().netnsInode() == 0) { // exited before /proc was read
            ProcessInfo i = found.get();
            return Optional.of(new ProcessInfo(i.pid(), i.ppid(), i.uid(), i.user(), i.name(), i.cmdline(), i.exe(),
                    i.exeDeleted(), i.exeIsMemfd(), i.startTime(), i.cgroup(), i.systemdUnit(), i.containerId(),
                    netns));
        }
        return found;
    }

    long dropped() {
        return dropped.get();
    }

    private void loop() {
        warmUp();
        while (running) {
            Flow flow;
            try {
                flow = pending.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (flow == null) {
                if (foreign != null) {
                    foreign.discover(0); // keep the list of namespaces fresh while idle, off the conversations' path
                }
                continue;
            }
            int owner;
            try {
                owner = resolve(flow);
            } catch (IOException | RuntimeException e) {
                if (TRACE) {
                    System.err.printf("resolver: %s failed: %s%n", flow, e);
                }
                owner = Owner.unattributed(Unattributed.NO_SOCKET, localSide(flow));
            }
            done.add(new Resolved(flow, owner));
            inFlight.decrementAndGet();
        }
    }

    /**
     * The first socket query and /proc scan in a fresh JVM are slow (native linkage, JIT): pay for them now, not on
     * the first conversation, whose process may live only a moment.
     */
    private void warmUp() {
        try {
            sockets.dump();
            sockets.lookup(Transport.TCP, 4, 0, 0x7f000001L, 1, 0, 0x7f000001L, 1);
            processes.rescanAll();
            listenersAt = 0;
            if (foreign != null) {
                foreign.discover(0);
            }
        } catch (IOException | RuntimeException e) {
            // resolution will report its own failures per conversation
        }
    }

    private int localSide(Flow f) {
        if (local.contains(f.version(), f.aHi(), f.aLo())) {
            return Owner.SIDE_A;
        }
        return local.contains(f.version(), f.bHi(), f.bLo()) ? Owner.SIDE_B : Owner.SIDE_UNKNOWN;
    }

    int resolve(Flow f) throws IOException {
        boolean aLocal = local.contains(f.version(), f.aHi(), f.aLo());
        boolean bLocal = local.contains(f.version(), f.bHi(), f.bLo());
        int side = aLocal ? Owner.SIDE_A : bLocal ? Owner.SIDE_B : Owner.SIDE_UNKNOWN;
        if (f.protocol() == 1 || f.protocol() == 58) {
            return icmpOwner(f, side);
        }
        Transport transport = f.protocol() == 6 ? Transport.TCP : f.protocol() == 17 ? Transport.UDP : null;
        if (transport == null || f.aPort() < 0) {
            return Owner.unattributed(Unattributed.OTHER_PROTOCOL, side);
        }
        if (!aLocal && !bLocal) {
            int behind = foreignOwner(f, transport, true);
            return behind != NONE ? behind : Owner.unattributed(Unattributed.NOT_LOCAL, side);
        }
        List<Integer> sides = new ArrayList<>(2);
        if (aLocal) {
            sides.add(Owner.SIDE_A);
        }
        if (bLocal) {
            sides.add(Owner.SIDE_B);
        }
        if (transport == Transport.TCP && tracer != null) {
            for (int s : sides) {
                int pid = tracedOwner(f, s == Owner.SIDE_A);
                if (pid >= 0) {
                    return Owner.process(pid, s);
                }
            }
        }
        boolean sawSocket = false;
        for (int s : sides) {
            boolean a = s == Owner.SIDE_A;
            List<Long> localKey = List.of((long) f.version(), f.hi(a), f.lo(a), (long) f.port(a));
            if (transport == Transport.UDP) { // an unconnected socket seen moments ago: no query per destination
                long[] cached = udpOwners.get(localKey);
                if (cached != null && f.seenNanos() - cached[1] < UDP_OWNER_TTL_NANOS) {
                    return Owner.process((int) cached[0], s);
                }
            }
            Optional<SocketRecord> exact = sockets.lookup(transport, f.version(),
                    f.hi(a), f.lo(a), f.port(a),
                    f.hi(!a), f.lo(!a), f.port(!a));
            Optional<SocketRecord> socket = exact.isPresent() ? exact
                    : listener(transport, f.version(), f.hi(a), f.lo(a), f.port(a), f.seenNanos());
            if (socket.isEmpty()) {
                continue;
            }
            sawSocket = true;
            int pid = processes.ownerPid(socket.get(), f.seenNanos());
            if (pid < 0 && exact.isPresent() && transport == Transport.TCP) {
                // an accepted connection already closed and gone from /proc: the listener's owner accepted it
                Optional<SocketRecord> listening = listener(transport, f.version(), f.hi(a), f.lo(a), f.port(a),
                        f.seenNanos());
                if (listening.isPresent() && listening.get().inode() != socket.get().inode()) {
                    pid = processes.ownerPid(listening.get(), f.seenNanos());
                }
            }
            if (TRACE) {
                System.err.printf("resolver: %s exact=%s socket=%s pid=%d after %.1f ms%n", f, exact.isPresent(),
                        socket.get(), pid, (System.nanoTime() - f.seenNanos()) / 1e6);
            }
            if (pid >= 0) {
                int owner = pid;
                describe(owner).ifPresent(info -> known.put(owner, info));
                if (transport == Transport.UDP && socket.get().remotePort() == 0) { // unconnected: one per port
                    if (udpOwners.size() >= 65_536) {
                        udpOwners.clear(); // bounded: the cache only saves work
                    }
                    udpOwners.put(localKey, new long[] {pid, f.seenNanos()});
                }
                return Owner.process(pid, s);
            }
        }
        if (!sawSocket) {
            int behind = foreignOwner(f, transport, false);
            if (behind != NONE) {
                return behind;
            }
        }
        if (TRACE) {
            System.err.printf("resolver: %s unresolved (socket seen: %s) after %.1f ms%n", f, sawSocket,
                    (System.nanoTime() - f.seenNanos()) / 1e6);
        }
        return Owner.unattributed(sawSocket ? Unattributed.NO_PROCESS : Unattributed.NO_SOCKET, side);
    }

    /** No owner found (an owner code is never this: codes of processes are positive, unattributed ones small). */
    private static final int NONE = Integer.MIN_VALUE;

    /**
     * The owner of a conversation of a process in another network namespace (a container): the connection tracking
     * table undoes this host's NAT, else (only when {@code routed}: neither end is this host's) either end may be the
     * container's; a conversation of this host's own address is never given to the peer's process. The tuple
     * before translation is looked up in the eBPF tracer (kernel-wide), then in each other namespace's socket table;
     * socket inodes are global, so the process table names the owner. {@link #NONE} when nothing matches.
     */
    private int foreignOwner(Flow f, Transport transport, boolean routed) throws IOException {
        if (foreign == null) {
            return NONE;
        }
        Optional<Conntrack.Translation> nat = conntrack == null ? Optional.empty()
                : conntrack.translation(f.protocol(), f.version(), f.aHi(), f.aLo(), f.aPort(), f.bHi(), f.bLo(),
                        f.bPort());
        List<Conntrack.Translation> candidates = new ArrayList<>(2);
        List<Integer> sides = new ArrayList<>(2);
        if (nat.isPresent()) {
            Conntrack.Translation t = nat.get();
            boolean peerIsB = t.peerHi() == f.bHi() && t.peerLo() == f.bLo() && t.peerPort() == f.bPort();
            candidates.add(t);
            sides.add(peerIsB ? Owner.SIDE_A : Owner.SIDE_B);
        } else if (routed) {
            candidates.add(new Conntrack.Translation(f.version(), f.aHi(), f.aLo(), f.aPort(), f.bHi(), f.bLo(),
                    f.bPort()));
            sides.add(Owner.SIDE_A);
            candidates.add(new Conntrack.Translation(f.version(), f.bHi(), f.bLo(), f.bPort(), f.aHi(), f.aLo(),
                    f.aPort()));
            sides.add(Owner.SIDE_B);
        }
        for (int i = 0; i < candidates.size(); i++) {
            Conntrack.Translation c = candidates.get(i);
            int side = sides.get(i);
            if (transport == Transport.TCP && tracer != null) {
                int pid = tracedOwner(f, c);
                if (pid >= 0) {
                    return Owner.process(pid, side);
                }
            }
            List<Long> insideKey = List.of((long) c.version(), c.insideHi(), c.insideLo(), (long) c.insidePort());
            long[] cached = transport == Transport.UDP ? udpOwners.get(insideKey) : null;
            if (cached != null && f.seenNanos() - cached[1] < UDP_OWNER_TTL_NANOS) {
                return Owner.process((int) cached[0], side);
            }
            int found = ownerIn(foreign.tables(), f, transport, c);
            int pid = found >= 0 ? found // else perhaps a container that started since the last look:
                    : ownerIn(foreign.discover(f.seenNanos()), f, transport, c);
            if (pid >= 0) {
                int owner = pid;
                describe(owner).ifPresent(info -> known.put(owner, info));
                return Owner.process(pid, side);
            }
        }
        return NONE;
    }

    /**
     * The owner of the inside end's socket in one of these namespaces, or -1. Every namespace has its own sockets on
     * the same ports, so only what ties a socket to the inside address counts: first a connected socket with exactly
     * this pair (the kernel's one-socket query also answers with a listener or an unconnected socket on the port,
     * which any namespace may have: ignored here), then a socket bound to the inside address itself, and only then
     * one bound to the port on any address (the first namespace that has one: ambiguous if several do).
     */
    private int ownerIn(List<SockDiag> tables, Flow f, Transport transport, Conntrack.Translation c)
            throws IOException {
        SocketRecord wildcard = null;
        for (SockDiag table : tables) {
            Optional<SocketRecord> exact = table.lookup(transport, c.version(), c.insideHi(), c.insideLo(),
                    c.insidePort(), c.peerHi(), c.peerLo(), c.peerPort());
            if (exact.isPresent() && exact.get().remotePort() == c.peerPort()) {
                return foreignPid(exact.get(), f, c);
            }
        }
        for (SockDiag table : tables) {
            Optional<SocketRecord> bound = bound(dump(table, transport, c.version()), transport, c.version(),
                    c.insideHi(), c.insideLo(), c.insidePort());
            if (bound.isEmpty()) {
                continue;
            }
            if (bound.get().localHi() != 0 || bound.get().localLo() != 0) {
                return foreignPid(bound.get(), f, c);
            }
            if (wildcard == null) {
                wildcard = bound.get();
            }
        }
        return wildcard == null ? -1 : foreignPid(wildcard, f, c);
    }

    private int foreignPid(SocketRecord socket, Flow f, Conntrack.Translation c) {
        int pid = processes.ownerPid(socket, f.seenNanos());
        if (pid >= 0 && socket.netnsInode() != 0 && foreignNetns.size() < 65_536) {
            foreignNetns.put(pid, socket.netnsInode());
        }
        if (TRACE) {
            System.err.printf("resolver: %s inside %s in netns %d: socket=%s pid=%d after %.1f ms%n", f, c,
                    socket.netnsInode(), socket, pid, (System.nanoTime() - f.seenNanos()) / 1e6);
        }
        if (pid >= 0 && socket.transport() == Transport.UDP && socket.remotePort() == 0) {
            if (udpOwners.size() >= 65_536) {
                udpOwners.clear();
            }
            udpOwners.put(List.of((long) c.version(), c.insideHi(), c.insideLo(), (long) c.insidePort()),
                    new long[] {pid, f.seenNanos()});
        }
        return pid;
    }

    /** The sockets of one transport that can carry this IP version (IPv6 sockets may be dual-stack). */
    private static List<SocketRecord> dump(SockDiag table, Transport transport, int version) throws IOException {
        List<SocketRecord> all = new ArrayList<>();
        if (version == 4) {
            table.dump(transport, 4, all::add);
        }
        table.dump(transport, 6, all::add);
        return all;
    }

    private int tracedOwner(Flow f, Conntrack.Translation c) {
        Optional<SocketOwnerTracer.Owner> owner = tracer.lookup(c.version(), c.insideHi(), c.insideLo(),
                c.insidePort(), c.peerHi(), c.peerLo(), c.peerPort());
        if (owner.isEmpty()) {
            return -1;
        }
        int pid = owner.get().pid();
        remember(pid, owner.get().comm());
        if (TRACE) {
            System.err.printf("resolver: %s traced inside %s pid=%d%n", f, c, pid);
        }
        return pid;
    }

    private void remember(int pid, String comm) {
        if (!known.containsKey(pid)) {
            ProcessInfo info = processes.describe(pid).orElseGet(() -> new ProcessInfo(pid, -1, -1, null,
                    comm, List.of(), null, false, false, null, null, null, null, 0));
            known.put(pid, info);
        }
    }

    /**
     * The process that connected this side's TCP socket, as the kernel tracer recorded it at connect time: it names
     * processes that have exited before /proc could be read. Facts come from /proc while the process lives, else
     * only the command name the tracer kept.
     */
    private int tracedOwner(Flow f, boolean aSide) {
        Optional<SocketOwnerTracer.Owner> owner = tracer.lookup(f.version(),
                f.hi(aSide), f.lo(aSide), f.port(aSide),
                f.hi(!aSide), f.lo(!aSide), f.port(!aSide));
        if (owner.isEmpty()) {
            return -1;
        }
        int pid = owner.get().pid();
        remember(pid, owner.get().comm());
        if (TRACE) {
            System.err.printf("resolver: %s traced pid=%d comm=%s after %.1f ms%n", f, pid, owner.get().comm(),
                    (System.nanoTime() - f.seenNanos()) / 1e6);
        }
        return pid;
    }

    /**
     * ICMP has no ports to look up: when exactly one process holds sockets that can send it (raw ICMP or ping
     * sockets) and the conversation is this host's, that process is pinging. Echo replies the kernel sends for others
     * and ambiguous cases stay unattributed (icmp).
     */
    private int icmpOwner(Flow f, int side) throws IOException {
        if (side == Owner.SIDE_UNKNOWN) {
            return Owner.unattributed(Unattributed.NOT_LOCAL, side);
        }
        int owner = -1;
        for (long inode : IcmpSockets.inodes(f.version())) {
            int pid = processes.ownerOfInode(inode);
            if (pid < 0) {
                processes.refresh();
                pid = processes.ownerOfInode(inode);
            }
            if (pid >= 0 && owner >= 0 && pid != owner) {
                return Owner.unattributed(Unattributed.ICMP, side); // two pingers: cannot tell which
            }
            owner = pid >= 0 ? pid : owner;
        }
        if (owner < 0) {
            return Owner.unattributed(Unattributed.ICMP, side);
        }
        int pid = owner;
        describe(pid).ifPresent(info -> known.put(pid, info));
        return Owner.process(pid, side);
    }

    /** A TCP listener or an unconnected UDP socket bound to the local port (on this address or any). */
    private Optional<SocketRecord> listener(Transport transport, int version, long hi, long lo, int port,
                                            long seenNanos) throws IOException {
        long now = System.nanoTime();
        if (now - listenersAt > LISTENER_CACHE_NANOS || listenersAt < seenNanos) {
            List<SocketRecord> fresh = new ArrayList<>();
            for (SocketRecord r : sockets.dump()) {
                boolean tcpListen = r.transport() == Transport.TCP && r.state() == SocketState.LISTEN;
                boolean udpUnconnected = r.transport() == Transport.UDP && r.remotePort() == 0;
                if (tcpListen || udpUnconnected) {
                    fresh.add(r);
                }
            }
            listeners = fresh;
            listenersAt = now;
        }
        return bound(listeners, transport, version, hi, lo, port);
    }

    /** Among these sockets, a TCP listener or unconnected UDP socket bound to the port on this address or any. */
    private static Optional<SocketRecord> bound(List<SocketRecord> sockets, Transport transport, int version, long hi,
                                                long lo, int port) {
        SocketRecord wildcard = null;
        for (SocketRecord r : sockets) {
            boolean tcpListen = r.transport() == Transport.TCP && r.state() == SocketState.LISTEN;
            boolean udpUnconnected = r.transport() == Transport.UDP && r.remotePort() == 0;
            if (!tcpListen && !udpUnconnected) {
                continue;
            }
            if (r.transport() != transport || r.localPort() != port) {
                continue;
            }
            boolean sameAddress = r.ipVersion() == version && r.localHi() == hi && r.localLo() == lo;
            if (sameAddress) {
                return Optional.of(r);
            }
            if (r.localHi() == 0 && r.localLo() == 0 && (r.ipVersion() == version || r.dualStack()
                    || r.ipVersion() == 6)) {
                wildcard = r;
            }
        }
        return Optional.ofNullable(wildcard);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try { // the thread must be out of its netlink and /proc calls before their memory is freed
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
