package io.bwdoctor.metrics;

import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Rates;

import java.util.List;
import java.util.Map;

/** LiveSnapshot fixtures: only the fields the metrics read carry meaning. */
final class Snapshots {
    private Snapshots() {}

    static Rates rates(long tx, long rx) {
        return rates(tx, rx, null, null);
    }

    static Rates rates(long tx, long rx, Long txBps2s, Long rxBps2s) {
        return new Rates(tx, rx, tx / 1000, rx / 1000, txBps2s, rxBps2s, null, null, null, null, 0, 0, 0);
    }

    static LiveSnapshot.InterfaceRow iface(String name, long tx, long rx, long received, long dropped,
                                           long ifDropped) {
        return new LiveSnapshot.InterfaceRow(name, List.of("192.0.2.10"), rates(tx, rx, 8 * tx, 8 * rx), received,
                dropped, ifDropped, null);
    }

    static LiveSnapshot.ProcessRow process(int pid, String name, long tx, long rx) {
        return new LiveSnapshot.ProcessRow(pid, 1, name, "/usr/bin/" + name, name, "root", null, false, 1,
                rates(tx, rx));
    }

    static LiveSnapshot snapshot(long millis, Long capBps, List<LiveSnapshot.InterfaceRow> interfaces,
                                 List<LiveSnapshot.ProcessRow> processes, Map<String, Rates> unattributed) {
        return new LiveSnapshot(millis, 1, capBps, interfaces,
                new LiveSnapshot.Coverage(true, true, true, true, List.of()), processes, List.of(), List.of(),
                new LiveSnapshot.Unattributed(rates(0, 0), unattributed));
    }
}
