package io.bwdoctor.engine;

import io.bwdoctor.capture.live.CaptureException;
import io.bwdoctor.capture.live.Interfaces;
import io.bwdoctor.capture.live.LiveCapture;
import io.bwdoctor.core.attribution.IpWords;
import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Owner;
import io.bwdoctor.core.live.Rates;
import io.bwdoctor.core.live.Unattributed;
import io.bwdoctor.core.report.Addresses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Turns the engine's tables into an immutable {@link LiveSnapshot}. Runs under the engine's lock. */
final class SnapshotBuilder {
    private final LiveEngine engine;

    SnapshotBuilder(LiveEngine engine) {
        this.engine = engine;
    }

    LiveSnapshot build(long nowMillis) {
        FlowTable conversations = engine.conversations();
        Map<Integer, Integer> connectionsByPid = new HashMap<>();
        Map<String, TreeSet<Integer>> pidsByRemote = new HashMap<>();
        Map<String, Integer> connectionsByRemote = new HashMap<>();
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < conversations.size(); r++) {
            if ((conversations.flags(r) & FlowTable.FLAG_INNER) != 0) {
                continue;
            }
            rows.add(r);
            int code = conversations.owner(r);
            int side = Owner.side(code);
            if (side != Owner.SIDE_UNKNOWN) {
                String remote = side == Owner.SIDE_A ? addr(conversations, r, false) : addr(conversations, r, true);
                connectionsByRemote.merge(remote, 1, Integer::sum);
                if (Owner.isProcess(code)) {
                    pidsByRemote.computeIfAbsent(remote, k -> new TreeSet<>()).add(Owner.pid(code));
                }
            }
            if (Owner.isProcess(code)) {
                connectionsByPid.merge(Owner.pid(code), 1, Integer::sum);
            }
        }
        rows.sort(Comparator.comparingLong((Integer r) -> conversations.windowBytes(r, 1, 0)
                + conversations.windowBytes(r, 1, 1)).thenComparingLong(r -> conversations.bytes(r, 0)
                + conversations.bytes(r, 1)).reversed());
        List<LiveSnapshot.ConnectionRow> connections = new ArrayList<>();
        for (int r : rows.subList(0, Math.min(rows.size(), engine.config().connections()))) {
            connections.add(connection(conversations, r));
        }
        List<LiveSnapshot.ProcessRow> processes = new ArrayList<>();
        Rates unattributedTotal = null;
        Map<String, Rates> reasons = new LinkedHashMap<>();
        FlowTable byOwner = engine.attributed().processes();
        for (int r = 0; r < byOwner.size(); r++) {
            long key = byOwner.aLo(r);
            Rates rates = rates(byOwner, r, true);
            if (key >= 0) {
                processes.add(process((int) key, connectionsByPid.getOrDefault((int) key, 0), rates));
            } else {
                Unattributed reason = Unattributed.values()[(int) (-1 - key)];
                reasons.put(reason.key(), rates);
                unattributedTotal = unattributedTotal == null ? rates : sum(unattributedTotal, rates);
            }
        }
        processes.sort(Comparator.comparingLong((LiveSnapshot.ProcessRow p) -> p.rates().totalBps(1))
                .thenComparingLong(p -> p.rates().totalBytes()).reversed());
        List<LiveSnapshot.RemoteRow> remotes = new ArrayList<>();
        FlowTable byRemote = engine.attributed().remotes();
        for (int r = 0; r < byRemote.size(); r++) {
            String addr = Addresses.format(byRemote.version(r), byRemote.aHi(r), byRemote.aLo(r));
            TreeSet<Integer> pids = pidsByRemote.getOrDefault(addr, new TreeSet<>());
            List<String> names = pids.stream().map(pid -> engine.describe(pid).map(ProcessInfo::name).orElse("?"))
                    .toList();
            remotes.add(new LiveSnapshot.RemoteRow(addr, List.copyOf(pids), names,
                    connectionsByRemote.getOrDefault(addr, 0), rates(byRemote, r, true)));
        }
        remotes.sort(Comparator.comparingLong((LiveSnapshot.RemoteRow x) -> x.rates().totalBps(1))
                .thenComparingLong(x -> x.rates().totalBytes()).reversed());
        return new LiveSnapshot(nowMillis, engine.elapsedSeconds(), engine.config().capBps(), interfaces(),
                coverage(), processes, connections, remotes,
                new LiveSnapshot.Unattributed(unattributedTotal == null ? empty() : unattributedTotal, reasons));
    }

    private List<LiveSnapshot.InterfaceRow> interfaces() {
        List<LiveSnapshot.InterfaceRow> list = new ArrayList<>();
        FlowTable t = engine.interfaceTable();
        List<Interfaces.Device> devices = engine.devices();
        List<LiveCapture> captures = engine.captures();
        for (int id = 0; id < devices.size(); id++) {
            Rates rates = empty();
            Rates publicRates = engine.captures().isEmpty() ? null : empty();
            for (int r = 0; r < t.size(); r++) {
                if (t.aLo(r) == id && t.aHi(r) == 0) {
                    rates = rates(t, r, true);
                } else if (t.aLo(r) == id && t.aHi(r) == LiveEngine.PUBLIC_ROW && publicRates != null) {
                    publicRates = rates(t, r, true);
                }
            }
            long received = 0;
            long dropped = 0;
            long ifDropped = 0;
            try {
                if (id < captures.size()) { // no captures at all when running on kernel counters
                    LiveCapture.Stats s = captures.get(id).stats();
                    received = s.received();
                    dropped = s.dropped();
                    ifDropped = s.interfaceDropped();
                }
            } catch (CaptureException e) {
                // a capture that failed is reported through its failure and the gaps; its counters stay 0
            }
            Interfaces.Device d = devices.get(id);
            list.add(new LiveSnapshot.InterfaceRow(d.name(),
                    d.addresses().stream().map(a -> text(a.address()) + "/" + a.prefixLength()).toList(),
                    rates, received, dropped, ifDropped, publicRates));
        }
        return list;
    }

    private LiveSnapshot.Coverage coverage() {
        List<String> gaps = new ArrayList<>(engine.gaps());
        for (LiveCapture c : engine.captures()) {
            if (c.failure() != null) {
                gaps.add("capture on " + c.source() + " stopped: " + c.failure().getMessage());
            }
        }
        return new LiveSnapshot.Coverage(!engine.captures().isEmpty(), engine.attributing(), engine.attributing(),
                engine.attributing(), gaps);
    }

    private LiveSnapshot.ProcessRow process(int pid, int connections, Rates rates) {
        Optional<ProcessInfo> info = engine.describe(pid);
        boolean exited = ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        return new LiveSnapshot.ProcessRow(pid, info.map(ProcessInfo::ppid).orElse(-1),
                info.map(ProcessInfo::name).orElse(null),
                info.map(i -> i.exe() == null ? null : i.exe() + (i.exeDeleted() ? " (deleted)" : "")).orElse(null),
                info.map(i -> String.join(" ", i.cmdline())).orElse(null), info.map(ProcessInfo::user).orElse(null),
                info.map(this::placement).orElse(null), exited, connections, rates);
    }

    /** Container id, else the network namespace when it is not the watched one, else the systemd unit. */
    private String placement(ProcessInfo i) {
        if (i.containerId() != null) {
            return i.containerId().substring(0, Math.min(12, i.containerId().length()));
        }
        if (i.netnsInode() != 0 && engine.netnsInode() != 0 && i.netnsInode() != engine.netnsInode()) {
            return io.bwdoctor.platform.linux.NetworkNamespace.describe(i.netnsInode());
        }
        return i.systemdUnit();
    }

    private LiveSnapshot.ConnectionRow connection(FlowTable c, int r) {
        int code = c.owner(r);
        boolean localIsA = Owner.side(code) != Owner.SIDE_B;
        Object proto = Addresses.protocolName(c.protocol(r));
        int pid = Owner.isProcess(code) ? Owner.pid(code) : -1;
        String name = pid >= 0 ? engine.describe(pid).map(ProcessInfo::name).orElse(null)
                : "(" + Owner.reason(code).key() + ")";
        return new LiveSnapshot.ConnectionRow(proto != null ? proto.toString() : Integer.toString(c.protocol(r)),
                addr(c, r, localIsA), port(localIsA ? c.aPort(r) : c.bPort(r)), addr(c, r, !localIsA),
                port(localIsA ? c.bPort(r) : c.aPort(r)), pid, name, rates(c, r, localIsA));
    }

    private static String text(java.net.InetAddress a) {
        return Addresses.format(IpWords.version(a), IpWords.hi(a), IpWords.lo(a));
    }

    private static String addr(FlowTable t, int r, boolean a) {
        return a ? Addresses.format(t.version(r), t.aHi(r), t.aLo(r)) : Addresses.format(t.version(r), t.bHi(r),
                t.bLo(r));
    }

    private static Integer port(int p) {
        return p < 0 ? null : p;
    }

    /** A row's rates with tx = direction 0 when {@code txIsA}, else direction 1. */
    static Rates rates(FlowTable t, int r, boolean txIsA) {
        int tx = txIsA ? 0 : 1;
        int rx = 1 - tx;
        Long[] bps = new Long[6];
        boolean folded = (t.flags(r) & (FlowTable.FLAG_FOLDED_ALL | FlowTable.FLAG_FOLDED_HOST)) != 0;
        for (int w = 0; w < 3; w++) {
            long d = t.windowDivisor(w);
            bps[w * 2] = folded || d == 0 ? null : t.windowBytes(r, w, tx) * 8 / d;
            bps[w * 2 + 1] = folded || d == 0 ? null : t.windowBytes(r, w, rx) * 8 / d;
        }
        return new Rates(t.bytes(r, tx), t.bytes(r, rx), t.packets(r, tx), t.packets(r, rx), bps[0], bps[1], bps[2],
                bps[3], bps[4], bps[5], t.peakBytes(r, tx) * 8, t.peakBytes(r, rx) * 8, t.peakBytes(r, 2) * 8);
    }

    static Rates empty() {
        return new Rates(0, 0, 0, 0, 0L, 0L, 0L, 0L, 0L, 0L, 0, 0, 0);
    }

    private static Long add(Long a, Long b) {
        return a == null || b == null ? null : a + b;
    }

    static Rates sum(Rates a, Rates b) {
        return new Rates(a.txBytes() + b.txBytes(), a.rxBytes() + b.rxBytes(), a.txPackets() + b.txPackets(),
                a.rxPackets() + b.rxPackets(), add(a.txBps2s(), b.txBps2s()), add(a.rxBps2s(), b.rxBps2s()),
                add(a.txBps10s(), b.txBps10s()), add(a.rxBps10s(), b.rxBps10s()), add(a.txBps40s(), b.txBps40s()),
                add(a.rxBps40s(), b.rxBps40s()), Math.max(a.txPeakBps(), b.txPeakBps()),
                Math.max(a.rxPeakBps(), b.rxPeakBps()), Math.max(a.peakBps(), b.peakBps()));
    }
}
