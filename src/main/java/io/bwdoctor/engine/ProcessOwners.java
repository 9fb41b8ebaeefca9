package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.platform.linux.ProcScanner;
import io.bwdoctor.platform.windows.WindowsProcessCatalog;

import java.util.Optional;

/**
 * What the owner resolver asks of the platform's process side. Linux: the /proc scanner (sockets are matched to
 * processes through descriptor inodes). Windows: sockets carry their owning PID, there are no socket inodes.
 */
interface ProcessOwners extends AutoCloseable {
    Optional<ProcessInfo> describe(int pid);

    /** The process owning this socket when the flow was seen, or -1. */
    int ownerPid(SocketRecord socket, long seenNanos);

    /** The process holding a socket inode (Linux), or -1. */
    int ownerOfInode(long inode);

    /** Re-reads what changed since the last look. */
    void refresh();

    /** Re-reads everything (warm-up). */
    void rescanAll();

    @Override
    void close();

    static ProcessOwners linux(ProcScanner scanner) {
        return new ProcessOwners() {
            public Optional<ProcessInfo> describe(int pid) { return scanner.describe(pid); }
            public int ownerPid(SocketRecord socket, long seenNanos) { return scanner.ownerPid(socket, seenNanos); }
            public int ownerOfInode(long inode) { return scanner.ownerOfInode(inode); }
            public void refresh() { scanner.refresh(); }
            public void rescanAll() { scanner.rescanAll(); }
            public void close() { scanner.close(); }
        };
    }

    static ProcessOwners windows(WindowsProcessCatalog catalog) {
        return new ProcessOwners() {
            public Optional<ProcessInfo> describe(int pid) { return catalog.describe(pid); }
            public int ownerPid(SocketRecord socket, long seenNanos) { return catalog.ownerPid(socket); }
            public int ownerOfInode(long inode) { return -1; }
            public void refresh() { }
            public void rescanAll() { catalog.facts(); }
            public void close() { }
        };
    }
}
