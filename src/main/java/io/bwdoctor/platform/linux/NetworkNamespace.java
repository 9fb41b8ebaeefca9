package io.bwdoctor.platform.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Moves the calling thread into a named network namespace (as `ip netns exec` does), so that the sockets it opens
 * afterwards (capture, netlink) see that namespace's interfaces and socket table. setns(2) acts per thread.
 */
public final class NetworkNamespace {
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement(
            "errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.findOrThrow("open"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE);
    private static final MethodHandle SETNS = LINKER.downcallHandle(LIBC.findOrThrow("setns"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.findOrThrow("close"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private NetworkNamespace() {}

    /** Enters /var/run/netns/NAME (or a path) on this thread. */
    public static void enter(String nameOrPath) throws NetlinkException {
        Path path = nameOrPath.contains("/") ? Path.of(nameOrPath) : Path.of("/var/run/netns", nameOrPath);
        if (!Files.exists(path)) {
            throw new NetlinkException("no network namespace " + nameOrPath + " (" + path + " does not exist)");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new NetlinkException("open " + path, (int) ERRNO.get(state, 0L));
            }
            try {
                int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
                if (rc != 0) {
                    throw new NetlinkException("enter network namespace " + nameOrPath, (int) ERRNO.get(state, 0L));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (NetlinkException e) {
            throw e;
        } catch (Throwable t) {
            throw new NetlinkException("cannot enter network namespace " + nameOrPath + ": " + t);
        }
    }

    /**
     * How to call the network namespace with this inode: its name under /var/run/netns (as `ip netns` names it) or
     * "netns:[INODE]" when it has none (e.g. a container runtime's namespace).
     */
    public static String describe(long inode) {
        try (var names = Files.newDirectoryStream(Path.of("/var/run/netns"))) {
            for (Path p : names) {
                Object ino = Files.getAttribute(p, "unix:ino");
                if (ino instanceof Long l && l == inode) {
                    return "netns:" + p.getFileName();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no named namespaces: fall back on the inode
        }
        return "netns:[" + inode + "]";
    }
}
