package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.ProcessCatalog;
import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.attribution.SocketRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Linux process catalog from /proc: an index socket inode → owning pid built from /proc/PID/fd, kept fresh
 * incrementally, and process facts from /proc/PID/{stat,status,cmdline,exe,cgroup,ns/net}.
 *
 * <p>Incremental refresh rescans only pids that are new or whose descriptor count changed (the kernel reports the
 * count as the size of /proc/PID/fd since Linux 6.2; on older kernels every refresh is a full rescan). A socket
 * swapped for another with the count unchanged is caught by {@link #ownerPid(SocketRecord)}, which rescans
 * everything on a miss, at most every {@link #FULL_RESCAN_INTERVAL_NANOS}.
 *
 * <p>A socket shared by several processes (inherited across fork) is attributed to the lowest pid, normally the
 * parent that created it. Thread-safe.
 */
public final class ProcScanner implements ProcessCatalog, AutoCloseable {
    static final long FULL_RESCAN_INTERVAL_NANOS = 200_000_000L;
    private static final long REFRESH_ON_MISS_INTERVAL_NANOS = 20_000_000L;
    private static final int MAX_CMDLINE = 32 * 1024, MAX_SMALL_FILE = 64 * 1024, RECENT_EXECS = 1024;
    private static final long[] NO_INODES = {};

    /** Counters of one scan, for measurements and logs. */
    public record ScanStats(int pids, int pidsRescanned, long linksRead, int sockets, long nanos) {}

    private record PidFds(long fdCount, long[] socketInodes) {}

    private final FdScan fdScan = new FdScan();
    private final Map<Long, Integer> ownerByInode = new HashMap<>();
    private final Map<Integer, PidFds> scanned = new HashMap<>();
    private final boolean kernelCountsFds;
    private final long bootMillis;
    private final long ticksPerSecond;
    private final Passwd passwd = new Passwd(Path.of("/etc/passwd"));
    private final Map<Integer, ProcessInfo> recentExecs = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ProcessInfo> eldest) {
            return size() > RECENT_EXECS;
        }
    };
    private long lastRefreshNanos = Long.MIN_VALUE / 2, lastFullNanos = Long.MIN_VALUE / 2;
    /** Reused by a pid rescan. */
    private long[] inodeBuffer = new long[256];
    private int inodeCount;

    public ProcScanner() {
        this.kernelCountsFds = fdScan.fdCount((int) ProcessHandle.current().pid()) > 0;
        this.bootMillis = ProcFs.bootTimeSeconds() * 1000;
        long hz = Libc.sysconf(2 /* _SC_CLK_TCK */);
        this.ticksPerSecond = hz > 0 ? hz : 100;
    }

    /** Whether the kernel reports descriptor counts, making {@link #refresh()} incremental. */
    public boolean incremental() {
        return kernelCountsFds;
    }

    /** Rescans the fd tables of new pids and of pids whose descriptor count changed; forgets exited pids. */
    public synchronized ScanStats refresh() {
        return scan(!kernelCountsFds);
    }

    /** Rescans every pid's fd table. */
    public synchronized ScanStats rescanAll() {
        return scan(true);
    }

    private ScanStats scan(boolean full) {
        long start = System.nanoTime();
        fdScan.linksRead = 0;
        Map<Integer, PidFds> seen = new HashMap<>(Math.max(16, scanned.size() * 2));
        int[] rescanned = {0};
        fdScan.pids(pid -> {
            PidFds before = scanned.get(pid);
            long count = fdScan.fdCount(pid);
            if (count < 0) return; // exited or not ours to read
            if (!full && before != null && before.fdCount == count) {
                seen.put(pid, before);
                return;
            }
            rescanned[0]++;
            inodeCount = 0;
            if (!fdScan.socketInodes(pid, this::collectInode)) return;
            long[] inodes = inodeCount == 0 ? NO_INODES : Arrays.copyOf(inodeBuffer, inodeCount);
            if (before != null) forget(pid, before);
            for (long inode : inodes) ownerByInode.merge(inode, pid, Math::min);
            seen.put(pid, new PidFds(count, inodes));
        });
        for (Map.Entry<Integer, PidFds> e : scanned.entrySet()) {
            if (!seen.containsKey(e.getKey())) forget(e.getKey(), e.getValue());
        }
        scanned.clear();
        scanned.putAll(seen);
        long now = System.nanoTime();
        lastRefreshNanos = now;
        if (full) lastFullNanos = now;
        return new ScanStats(seen.size(), rescanned[0], fdScan.linksRead, ownerByInode.size(), now - start);
    }

    private void collectInode(long inode) {
        if (inodeCount == inodeBuffer.length) inodeBuffer = Arrays.copyOf(inodeBuffer, inodeCount * 2);
        inodeBuffer[inodeCount++] = inode;
    }

    private void forget(int pid, PidFds fds) {
        for (long inode : fds.socketInodes) ownerByInode.remove(inode, pid);
    }

    /** The pid owning a socket inode per the last scan, or -1. */
    public synchronized int ownerOfInode(long inode) {
        Integer pid = ownerByInode.get(inode);
        return pid == null ? -1 : pid;
    }

    @Override
    public synchronized int ownerPid(SocketRecord socket) {
        if (socket.ownerPid() >= 0) return socket.ownerPid();
        if (socket.inode() == 0) return -1;
        int pid = ownerOfInode(socket.inode());
        long now = System.nanoTime();
        if (pid < 0 && kernelCountsFds && now - lastRefreshNanos > REFRESH_ON_MISS_INTERVAL_NANOS) {
            refresh();
            pid = ownerOfInode(socket.inode());
        }
        if (pid < 0 && now - lastFullNanos > FULL_RESCAN_INTERVAL_NANOS) {
            rescanAll();
            pid = ownerOfInode(socket.inode());
        }
        return pid;
    }

    /**
     * The owner of a socket first seen at {@code seenNanos} (System.nanoTime): on a miss, rescans unless a scan
     * already ran after that moment, so a socket of a process that lives only milliseconds is still found in time.
     */
    public synchronized int ownerPid(SocketRecord socket, long seenNanos) {
        if (socket.ownerPid() >= 0) return socket.ownerPid();
        if (socket.inode() == 0) return -1;
        int pid = ownerOfInode(socket.inode());
        if (pid < 0 && kernelCountsFds && lastRefreshNanos < seenNanos) {
            refresh();
            pid = ownerOfInode(socket.inode());
        }
        if (pid < 0 && lastFullNanos < seenNanos) {
            rescanAll();
            pid = ownerOfInode(socket.inode());
        }
        return pid;
    }

    /**
     * Reads the facts of a running process, or returns what was captured at its exec if it has exited since
     * ({@link #captureExec}). Never throws: a process exiting mid-read yields the fields read so far.
     */
    @Override
    public Optional<ProcessInfo> describe(int pid) {
        ProcessInfo live = read(pid);
        if (live != null) return Optional.of(live);
        synchronized (recentExecs) {
            return Optional.ofNullable(recentExecs.get(pid));
        }
    }

    /** Reads and keeps a process's facts now, so that they survive its exit (called on exec notifications). */
    public void captureExec(int pid) {
        ProcessInfo info = read(pid);
        if (info == null) return;
        synchronized (recentExecs) {
            recentExecs.put(pid, info);
        }
    }

    /**
     * Starts listening to the process connector and captures each process's facts at its exec, so that a process
     * that exits milliseconds later is still described. Close the returned handle to stop.
     */
    public ProcEvents captureExecs() throws NetlinkException {
        return ProcEvents.start(new ProcEvents.Listener() {
            @Override
            public void executed(int pid) {
                captureExec(pid);
            }
        });
    }

    private ProcessInfo read(int pid) {
        if (pid <= 0) return null;
        Path dir = ProcFs.PROC.resolve(Integer.toString(pid));
        Stat stat = Stat.parse(ProcFs.read(dir.resolve("stat"), MAX_SMALL_FILE));
        if (stat == null) return null;
        Instant start = bootMillis > 0 ? Instant.ofEpochMilli(bootMillis + stat.startTicks * 1000 / ticksPerSecond) : null;
        int uid = realUid(ProcFs.read(dir.resolve("status"), MAX_SMALL_FILE));
        List<String> args = arguments(ProcFs.read(dir.resolve("cmdline"), MAX_CMDLINE));
        String exe = ProcFs.readLink(dir.resolve("exe"));
        boolean deleted = exe != null && exe.endsWith(" (deleted)");
        if (deleted) exe = exe.substring(0, exe.length() - " (deleted)".length());
        boolean memfd = exe != null && exe.startsWith("/memfd:");
        byte[] cgroupFile = ProcFs.read(dir.resolve("cgroup"), MAX_SMALL_FILE);
        Cgroups.Placement placement = Cgroups.parse(cgroupFile == null ? null
                : new String(cgroupFile, StandardCharsets.UTF_8));
        long netns = ProcFs.namespaceInode(Integer.toString(pid), "net");
        return new ProcessInfo(pid, stat.ppid, uid, passwd.name(uid), stat.comm, args, exe, deleted, memfd, start,
                placement.path(), placement.systemdUnit(), placement.containerId(), netns);
    }

    /** The fields of /proc/PID/stat this catalog uses. */
    record Stat(String comm, int ppid, long startTicks) {
        /** Parses "pid (comm) state ppid … starttime(22) …"; comm may contain spaces and parentheses. */
        static Stat parse(byte[] content) {
            if (content == null) return null;
            String text = new String(content, StandardCharsets.UTF_8);
            int open = text.indexOf('('), close = text.lastIndexOf(')');
            if (open < 0 || close < open) return null;
            String[] fields = text.substring(close + 1).trim().split(" ");
            // fields[0] is field 3 (state), so field n is fields[n - 3]
            if (fields.length < 20) return null;
            try {
                return new Stat(text.substring(open + 1, close), Integer.parseInt(fields[1]),
                        Long.parseLong(fields[19]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** The real uid from the "Uid:" line of /proc/PID/status, or -1. */
    static int realUid(byte[] status) {
        if (status == null) return -1;
        String text = new String(status, StandardCharsets.UTF_8);
        int at = text.startsWith("Uid:") ? 0 : text.indexOf("\nUid:");
        if (at < 0) return -1;
        int start = text.indexOf("Uid:", at) + 4;
        while (start < text.length() && (text.charAt(start) == '\t' || text.charAt(start) == ' ')) start++;
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
        try {
            return end > start ? Integer.parseInt(text, start, end, 10) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** NUL-separated arguments; empty when unreadable. */
    static List<String> arguments(byte[] cmdline) {
        if (cmdline == null || cmdline.length == 0) return List.of();
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cmdline.length; i++) {
            if (i == cmdline.length || cmdline[i] == 0) {
                if (i > start || i < cmdline.length) args.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return args;
    }

    @Override
    public synchronized void close() {
        fdScan.close();
    }
}
