package io.bwdoctor.platform.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Lists pids and their socket descriptors through openat/getdents64/readlinkat/statx, allocating nothing per
 * descriptor. One caller at a time (the owner synchronises).
 */
final class FdScan implements AutoCloseable {
    private static final int DENTS_BUFFER = 32 * 1024;
    /** struct linux_dirent64: d_ino 0, d_off 8, d_reclen 16, d_type 18, d_name 19. */
    private static final int DIRENT_RECLEN = 16, DIRENT_NAME = 19;
    private static final int STATX_SIZE = 0x200, STATX_SIZE_OFFSET = 40, STATX_STRUCT = 256;
    private static final byte[] SOCKET_PREFIX = "socket:[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Libc libc = new Libc();
    private final Arena arena = Arena.ofShared();
    /** Separate listing buffers: fd directories are listed while the /proc listing is being walked. */
    private final MemorySegment procDents = arena.allocate(DENTS_BUFFER, 8);
    private final MemorySegment fdDents = arena.allocate(DENTS_BUFFER, 8);
    private final MemorySegment path = arena.allocate(64);
    private final MemorySegment link = arena.allocate(64);
    private final MemorySegment statx = arena.allocate(STATX_STRUCT, 8);
    private final MemorySegment procPath = arena.allocateFrom("/proc");
    private int procFd = -1;
    /** Descriptors whose link was read during the last {@link #socketInodes} calls (for measurements). */
    long linksRead;

    FdScan() {
        reopenProc();
    }

    /** Calls back with every numeric entry of /proc; returns false when /proc cannot be listed. */
    boolean pids(IntConsumer pidSink) {
        reopenProc();
        if (procFd < 0) return false;
        forEachEntry(procFd, procDents, nameOffset -> {
            int pid = parsePositiveInt(procDents, nameOffset);
            if (pid > 0) pidSink.accept(pid);
        });
        return true;
    }

    /**
     * Number of open descriptors of a pid as the kernel reports it in the size of /proc/PID/fd (Linux 6.2+;
     * 0 on older kernels), or -1 when the pid is gone or not accessible.
     */
    long fdCount(int pid) {
        int len = putPidPath(pid, "/fd");
        if (procFd < 0 || len < 0) return -1;
        if (libc.statx(procFd, path, 0, STATX_SIZE, statx) < 0) return -1;
        return statx.get(ValueLayout.JAVA_LONG, STATX_SIZE_OFFSET);
    }

    /** Calls back with the inode of every socket the pid has open; false when its fd table could not be read. */
    boolean socketInodes(int pid, LongConsumer inodeSink) {
        if (procFd < 0 || putPidPath(pid, "/fd") < 0) return false;
        int dirFd = libc.openat(procFd, path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (dirFd < 0) return false;
        try {
            forEachEntry(dirFd, fdDents, nameOffset -> {
                if (fdDents.get(ValueLayout.JAVA_BYTE, nameOffset) == '.') return;
                linksRead++;
                long n = libc.readlinkat(dirFd, fdDents.asSlice(nameOffset), link, link.byteSize());
                long inode = socketInode(link, n);
                if (inode >= 0) inodeSink.accept(inode);
            });
            return true;
        } finally {
            libc.close(dirFd);
        }
    }

    private void forEachEntry(int dirFd, MemorySegment dents, LongConsumer entryNameOffset) {
        while (true) {
            long n = libc.getdents64(dirFd, dents, DENTS_BUFFER);
            if (n <= 0) return; // end, or the directory vanished (process exited)
            for (long off = 0; off < n; ) {
                int reclen = dents.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + DIRENT_RECLEN) & 0xffff;
                if (reclen == 0) return;
                entryNameOffset.accept(off + DIRENT_NAME);
                off += reclen;
            }
        }
    }

    /** The N in "socket:[N]", or -1 for any other link target. */
    static long socketInode(MemorySegment target, long length) {
        if (length <= SOCKET_PREFIX.length + 1 || length > target.byteSize()) return -1;
        for (int i = 0; i < SOCKET_PREFIX.length; i++) {
            if (target.get(ValueLayout.JAVA_BYTE, i) != SOCKET_PREFIX[i]) return -1;
        }
        long value = 0;
        for (long i = SOCKET_PREFIX.length; i < length - 1; i++) {
            int digit = target.get(ValueLayout.JAVA_BYTE, i) - '0';
            if (digit < 0 || digit > 9 || value > Long.MAX_VALUE / 10) return -1;
            value = value * 10 + digit;
        }
        return target.get(ValueLayout.JAVA_BYTE, length - 1) == ']' ? value : -1;
    }

    /** A NUL-terminated decimal name as a positive int, or -1 when it is not one. */
    private static int parsePositiveInt(MemorySegment s, long off) {
        int value = 0;
        for (int i = 0; i < 11; i++) {
            byte b = s.get(ValueLayout.JAVA_BYTE, off + i);
            if (b == 0) return i == 0 ? -1 : value;
            if (b < '0' || b > '9' || value > (Integer.MAX_VALUE - 9) / 10) return -1;
            value = value * 10 + (b - '0');
        }
        return -1;
    }

    /** Writes "PID" + suffix NUL-terminated into {@link #path}; returns its length. */
    private int putPidPath(int pid, String suffix) {
        if (pid <= 0) return -1;
        int digits = 1;
        for (int v = pid; v >= 10; v /= 10) digits++;
        for (int i = digits - 1, v = pid; i >= 0; i--, v /= 10) path.set(ValueLayout.JAVA_BYTE, i, (byte) ('0' + v % 10));
        int i = digits;
        for (int j = 0; j < suffix.length(); j++, i++) path.set(ValueLayout.JAVA_BYTE, i, (byte) suffix.charAt(j));
        path.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
        return i;
    }

    private void reopenProc() {
        if (procFd >= 0) libc.close(procFd);
        procFd = libc.openat(Libc.AT_FDCWD, procPath, Libc.O_RDONLY | Libc.O_CLOEXEC);
    }

    @Override
    public void close() {
        if (procFd >= 0) libc.close(procFd);
        procFd = -1;
        arena.close();
    }
}
