package io.bwdoctor.platform.windows;

import io.bwdoctor.core.attribution.ProcessCatalog;
import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.verdict.ProcessFacts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process catalog on Windows: sockets carry their owning PID (IP Helper), so ownership needs no descriptor
 * index; process details come from {@link WindowsProcesses}, re-read at most once per refresh interval.
 */
public final class WindowsProcessCatalog implements ProcessCatalog {
    private static final long REFRESH_NANOS = 1_000_000_000L;
    private static final long RETRY_NANOS = 100_000_000L;

    private final WindowsProcesses reader;
    private Map<Integer, WindowsProcess> byPid = Map.of();
    private List<WindowsProcess> list = List.of();
    private long readAt = Long.MIN_VALUE;

    public WindowsProcessCatalog() {
        this.reader = new WindowsProcesses();
    }

    @Override
    public int ownerPid(SocketRecord socket) {
        return socket.ownerPid();
    }

    @Override
    public synchronized Optional<ProcessInfo> describe(int pid) {
        WindowsProcess p = current().get(pid);
        if (p == null && System.nanoTime() - readAt > RETRY_NANOS) {
            readAt = Long.MIN_VALUE; // a process we have not seen may have just started: read again, at most 10/s
            p = current().get(pid);
        }
        return Optional.ofNullable(p).map(WindowsProcessCatalog::info);
    }

    /** The classifier's facts for every running process. */
    public synchronized List<ProcessFacts> facts() {
        current();
        return WindowsProcessFacts.of(list);
    }

    /** The classifier's facts for one process (parent included), if it runs. */
    public synchronized Optional<ProcessFacts> facts(int pid) {
        Map<Integer, WindowsProcess> now = current();
        WindowsProcess p = now.get(pid);
        if (p == null) return Optional.empty();
        return WindowsProcessFacts.of(list).stream().filter(f -> f.pid() == pid).findFirst();
    }

    static ProcessInfo info(WindowsProcess p) {
        return new ProcessInfo(p.pid(), p.ppid(), -1, p.user(), p.name(), CommandLine.split(p.cmdline()), p.exe(),
                false, false, p.start(), null, p.services().isEmpty() ? null : String.join(",", p.services()),
                null, 0);
    }

    private boolean fresh() {
        return System.nanoTime() - readAt < REFRESH_NANOS;
    }

    private Map<Integer, WindowsProcess> current() {
        if (readAt == Long.MIN_VALUE || !fresh()) {
            try {
                list = reader.list();
                Map<Integer, WindowsProcess> map = new HashMap<>();
                list.forEach(p -> map.put(p.pid(), p));
                byPid = map;
            } catch (WindowsApiException e) {
                // keep the last list; the next call tries again
            }
            readAt = System.nanoTime();
        }
        return byPid;
    }
}
