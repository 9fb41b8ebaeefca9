package io.bwdoctor.platform.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A non-blocking AF_UNIX datagram socket (what syslog's /dev/log is), through FFM: Java's channels do not offer unix
 * datagrams. Sends never block: a full receiver queue answers EAGAIN, which the caller may count and drop. Calls are
 * synchronized: a socket has one errno buffer and one native send buffer.
 */
public final class UnixDatagramSocket implements AutoCloseable {
    /** Results of {@link #send}: 0 = sent, else the errno. */
    public static final int ENOENT = Libc.ENOENT, EAGAIN = Libc.EAGAIN, ECONNREFUSED = 111;

    private static final int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SUN_PATH_OFFSET = 2, SUN_PATH_SIZE = 108, SOCKADDR_UN_SIZE = SUN_PATH_OFFSET + SUN_PATH_SIZE;
    /** Larger than any syslog line we send; the kernel's datagram limit is far above it. */
    public static final int MAX_DATAGRAM = 8192;

    private final Libc libc = new Libc();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE, 2);
    private final MemorySegment buffer = arena.allocate(MAX_DATAGRAM, 8);
    private int fd;

    private UnixDatagramSocket(int fd) {
        this.fd = fd;
    }

    /** An unbound socket for sending to paths. */
    public static UnixDatagramSocket open() throws NetlinkException {
        Libc libc = new Libc();
        int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new NetlinkException("socket(AF_UNIX, SOCK_DGRAM)", libc.errno());
        }
        return new UnixDatagramSocket(fd);
    }

    /** A socket bound to {@code path} (which must not exist yet), to receive datagrams sent there. */
    public static UnixDatagramSocket bind(String path) throws NetlinkException {
        UnixDatagramSocket socket = open();
        synchronized (socket) {
            socket.fillAddress(path);
            if (socket.libc.bind(socket.fd, socket.address, SOCKADDR_UN_SIZE) != 0) {
                int errno = socket.libc.errno();
                socket.close();
                throw new NetlinkException("bind(" + path + ")", errno);
            }
        }
        return socket;
    }

    /**
     * Sends one datagram to the socket at {@code path} without blocking.
     *
     * @return 0 when the kernel took it, else the errno: {@link #ENOENT} (no socket there), {@link #ECONNREFUSED}
     *         (a stale socket file nobody reads), {@link #EAGAIN} (receiver's queue is full), or another one
     */
    public synchronized int send(byte[] data, int length, String path) {
        if (length > MAX_DATAGRAM) {
            throw new IllegalArgumentException("datagram of " + length + " bytes is over " + MAX_DATAGRAM);
        }
        ensureOpen();
        fillAddress(path);
        MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, length);
        long sent = libc.sendto(fd, buffer, length, MSG_DONTWAIT, address, SOCKADDR_UN_SIZE);
        return sent < 0 ? libc.errno() : 0;
    }

    /** Receives one pending datagram into {@code into} without blocking; -1 when none is queued. */
    public synchronized int receive(byte[] into) throws NetlinkException {
        ensureOpen();
        long n = libc.recv(fd, buffer, Math.min(into.length, MAX_DATAGRAM), MSG_DONTWAIT);
        if (n < 0) {
            int errno = libc.errno();
            if (errno == Libc.EAGAIN) {
                return -1;
            }
            throw new NetlinkException("recv(AF_UNIX)", errno);
        }
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, into, 0, (int) n);
        return (int) n;
    }

    /** errno name for a {@link #send} result, for one-line messages. */
    public static String errnoName(int errno) {
        return errno == ECONNREFUSED ? "ECONNREFUSED" : Libc.errnoName(errno);
    }

    private void fillAddress(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= SUN_PATH_SIZE || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("unix socket path must be 1.." + (SUN_PATH_SIZE - 1)
                    + " bytes without NUL: " + path.length() + " characters given");
        }
        address.fill((byte) 0);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, bytes.length);
    }

    private void ensureOpen() {
        if (fd < 0) {
            throw new IllegalStateException("unix datagram socket is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            libc.close(fd);
            fd = -1;
            arena.close();
        }
    }
}
