package io.bwdoctor.core.live;

import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.flow.SampleListener;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Live views that depend on who owns each conversation: traffic per process (or per unattributed reason) and per
 * remote address, fed one closed second at a time from the conversation table, with tx/rx from this host's side.
 * Rows of the process table are keyed by the owner code's pid (or reason) in the A address.
 */
public final class AttributedViews implements SampleListener {
    private final FlowTable processes;
    private final FlowTable remotes;

    public AttributedViews(int maxRows) {
        this.processes = FlowTable.oneEnded(maxRows);
        this.remotes = FlowTable.oneEnded(maxRows);
    }

    public FlowTable processes() {
        return processes;
    }

    public FlowTable remotes() {
        return remotes;
    }

    /** A closed second of a conversation whose owner was not known yet when it closed. */
    private record Deferred(int version, int protocol, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort,
                            long second, int pAB, long bAB, int pBA, long bBA, long first, long last) {}

    private final List<Deferred> deferred = new ArrayList<>();

    @Override
    public void onSample(FlowTable c, int row, long second, int pAB, long bAB, int pBA, long bBA) {
        if ((c.flags(row) & FlowTable.FLAG_INNER) != 0) {
            return; // a tunnelled conversation: its frames are counted on the outer one
        }
        int code = c.owner(row);
        if (code == FlowTable.OWNER_UNKNOWN) { // wait a little for the resolver rather than call it unattributed
            deferred.add(new Deferred(c.version(row), c.protocol(row), c.aHi(row), c.aLo(row), c.aPort(row),
                    c.bHi(row), c.bLo(row), c.bPort(row), second, pAB, bAB, pBA, bBA, c.firstNanos(row),
                    c.lastNanos(row)));
            return;
        }
        count(code, c.version(row), c.aHi(row), c.aLo(row), c.bHi(row), c.bLo(row), second, pAB, bAB, pBA, bBA,
                c.firstNanos(row), c.lastNanos(row));
    }

    /**
     * Counts the seconds held back for want of an owner: those whose conversation has one now, and all older than
     * {@code maxAgeSeconds} (as pending). Their bytes land in the given (open) second: totals stay exact, the time
     * they are shown in shifts by the wait.
     */
    public void reattribute(FlowTable c, long second, int maxAgeSeconds) {
        for (Iterator<Deferred> it = deferred.iterator(); it.hasNext(); ) {
            Deferred d = it.next();
            int row = c.lookup(d.version(), d.protocol(), 0, d.aHi(), d.aLo(), d.aPort(), d.bHi(), d.bLo(), d.bPort());
            int code = row >= 0 ? c.owner(row) : FlowTable.OWNER_UNKNOWN;
            if (code != FlowTable.OWNER_UNKNOWN || second - d.second() >= maxAgeSeconds) {
                count(code, d.version(), d.aHi(), d.aLo(), d.bHi(), d.bLo(), second, d.pAB(), d.bAB(), d.pBA(),
                        d.bBA(), d.first(), d.last());
                it.remove();
            }
        }
    }

    private void count(int code, int version, long aHi, long aLo, long bHi, long bLo, long second, int pAB, long bAB,
                       int pBA, long bBA, long first, long last) {
        int side = Owner.side(code);
        boolean localIsA = side != Owner.SIDE_B;
        int pTx = localIsA ? pAB : pBA;
        int pRx = localIsA ? pBA : pAB;
        long bTx = localIsA ? bAB : bBA;
        long bRx = localIsA ? bBA : bAB;
        long key = Owner.isProcess(code) ? Owner.pid(code) : -1L - Owner.reason(code).ordinal();
        processes.addSample(0, 0, 0, 0, key, FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT, second, pTx, bTx, pRx, bRx,
                first, last);
        if (side != Owner.SIDE_UNKNOWN) {
            remotes.addSample(version, 0, 0, localIsA ? bHi : aHi, localIsA ? bLo : aLo, FlowTable.NO_PORT, 0, 0,
                    FlowTable.NO_PORT, second, pTx, bTx, pRx, bRx, first, last);
        }
    }

    @Override
    public void secondClosed(long second) {
        processes.closeOpenSecond();
        remotes.closeOpenSecond();
    }

    /** Counts frames outside the conversation table (non-IP, undecodable) on their unattributed row. */
    public void addOutsideRows(Unattributed reason, long second, int packets, long bytes, long nanos) {
        processes.addSample(0, 0, 0, 0, -1L - reason.ordinal(), FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT, second,
                0, 0, packets, bytes, nanos, nanos);
    }

    /** Counts bytes measured without packets (kernel counters) on the unattributed row of a reason. */
    public void addOutsideRows(Unattributed reason, long second, long txBytes, long rxBytes, long nanos) {
        processes.addSample(0, 0, 0, 0, -1L - reason.ordinal(), FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT, second,
                0, txBytes, 0, rxBytes, nanos, nanos);
    }

    /**
     * Counts bytes of one socket measured by the kernel's counters (no packets seen) for the owner given by its code,
     * with A as the local end.
     */
    public void addCounted(int code, int version, long localHi, long localLo, long remoteHi, long remoteLo,
                           long second, long txBytes, long rxBytes, long nanos) {
        count(code, version, localHi, localLo, remoteHi, remoteLo, second, 0, txBytes, 0, rxBytes, nanos, nanos);
    }
}
