package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Socket tables of the other network namespaces in use on this machine (containers, `ip netns`), one
 * {@link SockDiag} each: a sock_diag socket sees only the namespace it was opened in, so each is opened on a
 * short-lived thread that first enters the namespace through a member process's /proc/PID/ns/net. Not thread-safe.
 */
public final class NamespaceSockets implements AutoCloseable {
    /** At most this many foreign namespaces are watched (each costs one netlink socket). */
    private static final int MAX_NAMESPACES = 256;
    private static final long RESCAN_NANOS = 1_000_000_000L;
    /** A conversation newer than the last look triggers another, but not more often than this. */
    private static final long MIN_RESCAN_NANOS = 100_000_000L;
    /** Where `ip netns` and Docker keep their namespaces (bind mounts): found even before a process is in them. */
    private static final List<Path> NAMED = List.of(Path.of("/var/run/netns"), Path.of("/var/run/docker/netns"));

    private final long ownInode;
    private final Map<Long, SockDiag> tables = new HashMap<>();
    private final Set<Long> unopenable = new HashSet<>();
    private long scannedAt = Long.MIN_VALUE / 2;

    /** @param ownInode the namespace already covered by the caller's own socket table (skipped) */
    public NamespaceSockets(long ownInode) {
        this.ownInode = ownInode;
    }

    /** The socket tables of the foreign namespaces known so far. */
    public List<SockDiag> tables() {
        return new ArrayList<>(tables.values());
    }

    /**
     * Looks for namespaces that appeared (and forgets those gone) if the last look is older than a second, or
     * older than {@code seenNanos} (a conversation seen after the look may come from a new container) and 100 ms.
     *
     * @return the tables of the namespaces found by this look (empty when it did not look)
     */
    public List<SockDiag> discover(long seenNanos) {
        long now = System.nanoTime();
        if (now - scannedAt > RESCAN_NANOS || (scannedAt < seenNanos && now - scannedAt > MIN_RESCAN_NANOS)) {
            scannedAt = now;
            return discover();
        }
        return List.of();
    }

    private List<SockDiag> discover() {
        List<SockDiag> found = new ArrayList<>();
        Map<Long, String> members = new HashMap<>(); // namespace inode -> a path to enter it by
        Set<Long> live = new HashSet<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(ProcFs.PROC)) {
            for (Path p : pids) {
                String pid = p.getFileName().toString();
                if (pid.isEmpty() || !Character.isDigit(pid.charAt(0))) continue;
                long inode = ProcFs.namespaceInode(pid, "net");
                live.add(inode);
                if (inode != 0 && inode != ownInode && !tables.containsKey(inode) && !unopenable.contains(inode)) {
                    members.putIfAbsent(inode, "/proc/" + pid + "/ns/net");
                }
            }
        } catch (IOException | RuntimeException e) {
            return found; // /proc unreadable: only the own namespace is covered
        }
        for (Path dir : NAMED) {
            try (DirectoryStream<Path> names = Files.newDirectoryStream(dir)) {
                for (Path p : names) {
                    if (Files.getAttribute(p, "unix:ino") instanceof Long inode && inode != ownInode) {
                        live.add(inode);
                        if (!tables.containsKey(inode) && !unopenable.contains(inode)) {
                            members.putIfAbsent(inode, p.toString());
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such directory: nothing named there
            }
        }
        // a namespace no process is in any more: let it go (an open socket would keep it alive)
        tables.entrySet().removeIf(e -> {
            boolean gone = !live.contains(e.getKey());
            if (gone) e.getValue().close();
            return gone;
        });
        unopenable.retainAll(live);
        for (Map.Entry<Long, String> m : members.entrySet()) {
            if (tables.size() >= MAX_NAMESPACES) break;
            SockDiag table = openIn(m.getValue(), m.getKey());
            if (table != null) {
                tables.put(m.getKey(), table);
                found.add(table);
            } else {
                unopenable.add(m.getKey());
            }
        }
        return found;
    }

    /** Opens a SockDiag inside the namespace at this path on a throw-away thread; null when that fails. */
    private static SockDiag openIn(String path, long inode) {
        SockDiag[] opened = new SockDiag[1];
        Thread t = Thread.ofPlatform().daemon().name("bwdoctor-netns-" + inode).start(() -> {
            try {
                NetworkNamespace.enter(path);
                SockDiag table = SockDiag.open();
                if (table.netnsInode() == inode) {
                    opened[0] = table;
                } else {
                    table.close(); // the process exited, its pid was reused, or the mount changed: not the namespace asked for
                }
            } catch (NetlinkException | RuntimeException e) {
                // the process exited or the namespace cannot be entered: skip it
            }
        });
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return t.isAlive() ? null : opened[0];
    }

    @Override
    public void close() {
        tables.values().forEach(SockDiag::close);
        tables.clear();
    }
}
