package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.Transport;
import io.bwdoctor.platform.linux.NetlinkException;
import io.bwdoctor.platform.linux.ProcScanner;
import io.bwdoctor.platform.linux.SockDiag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first answer, within a second and before any capture: who has moved the most bytes so far, from the kernel's
 * per-socket TCP counters (bytes acked and received since each open connection started). UDP and closed connections
 * are not in it; the sampled report that follows has them.
 */
public final class QuickLook {
    /** A process and the TCP bytes its open connections have moved since they opened. */
    public record Entry(int pid, String name, long txBytes, long rxBytes, int connections) {}

    private QuickLook() {}

    /** The busiest processes so far, or null when the socket table cannot be read. */
    public static List<Entry> take(int limit) {
        try (SockDiag sockets = SockDiag.open(); ProcScanner processes = new ProcScanner()) {
            processes.refresh();
            Map<Integer, long[]> byPid = new HashMap<>();
            for (SocketRecord s : sockets.dump()) {
                if (s.transport() != Transport.TCP || s.bytesAcked() < 0) {
                    continue;
                }
                int pid = processes.ownerPid(s);
                if (pid <= 0) {
                    continue;
                }
                long[] acc = byPid.computeIfAbsent(pid, p -> new long[3]);
                acc[0] += s.bytesAcked();
                acc[1] += Math.max(0, s.bytesReceived());
                acc[2]++;
            }
            List<Entry> out = new ArrayList<>();
            byPid.forEach((pid, acc) -> out.add(new Entry(pid, processes.describe(pid).map(ProcessInfo::name)
                    .orElse("?"), acc[0], acc[1], (int) acc[2])));
            out.sort(Comparator.comparingLong((Entry e) -> e.txBytes() + e.rxBytes()).reversed());
            return out.subList(0, Math.min(limit, out.size()));
        } catch (NetlinkException | RuntimeException e) {
            return null; // no socket table (no netlink, not root): the sampled report says why
        }
    }
}
