package io.bwdoctor.core.live;

import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.flow.SampleListener;

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

    @Override
    public void onSample(FlowTable c, int row, long second, int pAB, long bAB, int pBA, long bBA) {
        int code = c.owner(row);
        int side = Owner.side(code);
        boolean localIsA = side != Owner.SIDE_B;
        int pTx = localIsA ? pAB : pBA;
        int pRx = localIsA ? pBA : pAB;
        long bTx = localIsA ? bAB : bBA;
        long bRx = localIsA ? bBA : bAB;
        long key = Owner.isProcess(code) ? Owner.pid(code) : -1L - Owner.reason(code).ordinal();
        long first = c.firstNanos(row);
        long last = c.lastNanos(row);
        processes.addSample(0, 0, 0, 0, key, FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT, second, pTx, bTx, pRx, bRx,
                first, last);
        if (side != Owner.SIDE_UNKNOWN) {
            long hi = localIsA ? c.bHi(row) : c.aHi(row);
            long lo = localIsA ? c.bLo(row) : c.aLo(row);
            remotes.addSample(c.version(row), 0, 0, hi, lo, FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT, second,
                    pTx, bTx, pRx, bRx, first, last);
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
}
