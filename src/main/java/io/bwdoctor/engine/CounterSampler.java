package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.Transport;
import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.live.AttributedViews;
import io.bwdoctor.core.live.Owner;
import io.bwdoctor.core.live.Unattributed;
import io.bwdoctor.platform.linux.InterfaceCounters;
import io.bwdoctor.platform.linux.ProcScanner;
import io.bwdoctor.platform.linux.SockDiag;
import io.bwdoctor.platform.linux.NetlinkException;
import io.bwdoctor.platform.linux.SocketCloseMonitor;
import io.bwdoctor.core.attribution.ProcessInfo;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Live figures without packet capture (no libpcap, no root, or --no-capture): interface totals from /proc/net/dev,
 * and per process the TCP payload bytes the kernel counted on each socket (tcp_info bytes_acked/bytes_received),
 * sampled once a second. What the counters cannot see (UDP, headers, other protocols, sockets of other namespaces)
 * is the rest of the interface total, shown as unattributed {@code not_measured}.
 */
final class CounterSampler implements AutoCloseable {
    private record Seen(long acked, long received, int owner) {}

    private final SockDiag sockets;
    private final ProcScanner processes;
    private final List<String> interfaces;
    private final Map<Long, Seen> byCookie = new HashMap<>();
    private final Map<String, InterfaceCounters.Counters> lastInterfaces = new HashMap<>();
    private final ConcurrentLinkedQueue<SocketRecord> closed = new ConcurrentLinkedQueue<>();
    private SocketCloseMonitor closeMonitor;
    private final Map<Integer, ProcessInfo> known = new HashMap<>();
    private long interfaceTx;
    private long interfaceRx;
    private long countedTx;
    private long countedRx;
    private long notMeasuredTx;
    private long notMeasuredRx;
    private boolean first = true;

    CounterSampler(SockDiag sockets, ProcScanner processes, List<String> interfaces) {
        this.sockets = sockets;
        this.processes = processes;
        this.interfaces = interfaces;
        if (sockets != null) {
            try { // the final counters of sockets closed between two samples
                closeMonitor = SocketCloseMonitor.start(sockets, closed::add);
            } catch (NetlinkException e) {
                closeMonitor = null; // then traffic of a socket after its last sample is not measured
            }
        }
    }

    @Override
    public void close() {
        if (closeMonitor != null) {
            closeMonitor.close();
        }
    }

    /** Counts what a TCP socket moved since it was last seen; returns {tx, rx}. */
    private long[] count(SocketRecord s, boolean final_, long second, AttributedViews views, long nanos) {
        if (s.transport() != Transport.TCP || s.bytesAcked() < 0 || s.cookie() == 0) {
            return new long[2];
        }
        Seen before = final_ ? byCookie.remove(s.cookie()) : byCookie.get(s.cookie());
        int owner = before != null ? before.owner() : ownerCode(s);
        if (!final_) {
            byCookie.put(s.cookie(), new Seen(s.bytesAcked(), s.bytesReceived(), owner));
        }
        if (first) {
            return new long[2]; // the first dump is the baseline: only traffic from now on is shown
        }
        // a new socket's counters started at its handshake: acked counts the SYN (and FIN) as one byte each
        long tx = Math.max(0, s.bytesAcked() - (before == null ? 1 : before.acked()) - (final_ ? 1 : 0));
        long rx = Math.max(0, s.bytesReceived() - (before == null ? 0 : before.received()) - (final_ ? 1 : 0));
        if (tx > 0 || rx > 0) {
            views.addCounted(owner, s.ipVersion(), s.localHi(), s.localLo(), s.remoteHi(), s.remoteLo(), second, tx,
                    rx, nanos);
        }
        return new long[] {tx, rx};
    }

    private int ownerCode(SocketRecord s) {
        int pid = processes.ownerPid(s);
        if (pid >= 0) {
            processes.describe(pid).ifPresent(info -> known.put(pid, info)); // kept for after the process exits
        }
        return pid >= 0 ? Owner.process(pid, Owner.SIDE_A) : Owner.unattributed(Unattributed.NO_PROCESS, Owner.SIDE_A);
    }

    Optional<ProcessInfo> describe(int pid) {
        return Optional.ofNullable(known.get(pid));
    }

    /** Adds the last second's counter deltas to the views; the interface rows are keyed by position in the list. */
    void sample(long second, AttributedViews views, FlowTable interfaceTable) throws IOException {
        long nanos = second * 1_000_000_000L;
        long attributedTx = 0;
        long attributedRx = 0;
        if (sockets != null) {
            processes.refresh();
            List<SocketRecord> live = sockets.dump();
            for (SocketRecord s; (s = closed.poll()) != null; ) {
                long[] moved = count(s, true, second, views, nanos);
                attributedTx += moved[0];
                attributedRx += moved[1];
            }
            for (SocketRecord s : live) {
                long[] moved = count(s, false, second, views, nanos);
                attributedTx += moved[0];
                attributedRx += moved[1];
            }
        }
        long ifTx = 0;
        long ifRx = 0;
        Map<String, InterfaceCounters.Counters> counters = InterfaceCounters.read();
        for (int id = 0; id < interfaces.size(); id++) {
            InterfaceCounters.Counters c = counters.get(interfaces.get(id));
            InterfaceCounters.Counters before = lastInterfaces.get(interfaces.get(id));
            if (c == null) {
                continue;
            }
            lastInterfaces.put(interfaces.get(id), c);
            if (before == null || first) {
                continue;
            }
            long tx = Math.max(0, c.txBytes() - before.txBytes());
            long rx = Math.max(0, c.rxBytes() - before.rxBytes());
            int pTx = (int) Math.max(0, c.txPackets() - before.txPackets());
            int pRx = (int) Math.max(0, c.rxPackets() - before.rxPackets());
            ifTx += tx;
            ifRx += rx;
            interfaceTable.addSample(0, 0, 0, 0, id, FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT, second, pTx, tx, pRx,
                    rx, nanos, nanos);
        }
        // what the interface carried beyond what the sockets accounted for, cumulatively: a socket's bytes may be
        // counted a second or more after the interface saw them (at its close), so per-second differences would lie
        interfaceTx += ifTx;
        interfaceRx += ifRx;
        countedTx += attributedTx;
        countedRx += attributedRx;
        long moreTx = Math.max(0, interfaceTx - countedTx) - notMeasuredTx;
        long moreRx = Math.max(0, interfaceRx - countedRx) - notMeasuredRx;
        if (moreTx > 0 || moreRx > 0) {
            views.addOutsideRows(Unattributed.NOT_MEASURED, second, Math.max(0, moreTx), Math.max(0, moreRx), nanos);
            notMeasuredTx += Math.max(0, moreTx);
            notMeasuredRx += Math.max(0, moreRx);
        }
        first = false;
    }
}
