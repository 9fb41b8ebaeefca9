package io.bwdoctor.platform.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One netlink socket with a reusable request and receive buffer, plus helpers to walk nlmsghdr and rtattr chains.
 * Netlink headers and attributes are in host byte order. Not thread-safe, except that a thread blocked in
 * {@link #receive()} returns within the receive timeout.
 */
final class Netlink implements AutoCloseable {
    static final int NETLINK_SOCK_DIAG = 4;
    static final int NETLINK_CONNECTOR = 11;

    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_DUMP = 0x300;
    static final int RTA_HDRLEN = 4;

    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1, SO_RCVBUF = 8, SO_RCVTIMEO = 20, SO_RCVBUFFORCE = 33;
    private static final int SOL_NETLINK = 270, NETLINK_ADD_MEMBERSHIP = 1;
    private static final int SOCKADDR_NL_SIZE = 12;
    /** Big enough for any dump batch: the kernel fills at most ~32 KiB per dump message batch. */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    private static final int REQUEST_BUFFER = 1024;
    private static final ValueLayout.OfInt INT = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfShort SHORT = JAVA_SHORT.withByteAlignment(1);
    private static final ValueLayout.OfLong LONG = JAVA_LONG.withByteAlignment(1);

    private final String name;
    private final Libc libc = new Libc();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment request = arena.allocate(REQUEST_BUFFER, 8);
    private final MemorySegment received = arena.allocate(RECEIVE_BUFFER, 8);
    private final MemorySegment scratch = arena.allocate(16, 8);
    private final int fd;
    private int sequence = (int) (System.nanoTime() & 0x3fffffff);
    private boolean closed;

    /** Handed each reply message of a {@link #transact} exchange. */
    @FunctionalInterface
    interface MessageHandler {
        void message(MemorySegment buffer, long offset, int length) throws NetlinkException;
    }

    private Netlink(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Opens and binds a netlink socket.
     *
     * @param protocol netlink family, e.g. {@link #NETLINK_SOCK_DIAG}
     * @param name     what it is for, used in error messages (e.g. "NETLINK_SOCK_DIAG")
     * @param groups   legacy group bitmask to bind to (0 for none)
     */
    static Netlink open(int protocol, String name, int groups) throws NetlinkException {
        Libc libc = new Libc();
        int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) throw new NetlinkException("cannot open netlink socket " + name, libc.errno());
        Netlink netlink = new Netlink(name, fd);
        try {
            MemorySegment addr = netlink.scratch.asSlice(0, SOCKADDR_NL_SIZE).fill((byte) 0);
            addr.set(SHORT, 0, (short) AF_NETLINK);
            addr.set(INT, 8, groups);
            if (netlink.libc.bind(fd, addr, SOCKADDR_NL_SIZE) < 0) {
                throw new NetlinkException("cannot bind netlink socket " + name, netlink.libc.errno());
            }
            netlink.receiveTimeout(5_000);
            return netlink;
        } catch (NetlinkException | RuntimeException e) {
            netlink.close();
            throw e;
        }
    }

    /** Joins a multicast group (e.g. a socket-destroy notification group). */
    void joinGroup(int group) throws NetlinkException {
        scratch.set(INT, 0, group);
        if (libc.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, scratch, 4) < 0) {
            throw new NetlinkException(name + ": cannot join multicast group " + group, libc.errno());
        }
    }

    /** Bounds how long {@link #receive()} blocks. */
    void receiveTimeout(int millis) throws NetlinkException {
        scratch.set(LONG, 0, millis / 1000);
        scratch.set(LONG, 8, (millis % 1000) * 1000L);
        if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, scratch, 16) < 0) {
            throw new NetlinkException(name + ": cannot set receive timeout", libc.errno());
        }
    }

    /** Enlarges the kernel-side receive queue, beyond rmem_max when privileged; best effort. */
    void receiveQueueBytes(int bytes) {
        scratch.set(INT, 0, bytes);
        if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, scratch, 4) < 0) {
            libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, scratch, 4);
        }
    }

    /** The request buffer to fill before {@link #send}; bytes past the header are the caller's. */
    MemorySegment request() {
        return request;
    }

    /** The receive buffer, valid after {@link #receive()} up to the returned length. */
    MemorySegment received() {
        return received;
    }

    /** Writes an nlmsghdr at the start of the request buffer and returns the sequence number used. */
    int putHeader(int length, int type, int flags) {
        int seq = ++sequence;
        request.set(INT, 0, length);
        request.set(SHORT, 4, (short) type);
        request.set(SHORT, 6, (short) flags);
        request.set(INT, 8, seq);
        request.set(INT, 12, 0);
        return seq;
    }

    /** Sends the first {@code length} bytes of the request buffer to the kernel. */
    void send(int length) throws NetlinkException {
        MemorySegment kernel = scratch.asSlice(0, SOCKADDR_NL_SIZE).fill((byte) 0);
        kernel.set(SHORT, 0, (short) AF_NETLINK);
        while (true) {
            long sent = libc.sendto(fd, request, length, 0, kernel, SOCKADDR_NL_SIZE);
            if (sent == length) return;
            int errno = libc.errno();
            if (sent < 0 && errno == Libc.EINTR) continue;
            throw sent < 0 ? new NetlinkException(name + ": send failed", errno)
                    : new NetlinkException(name + ": short send (" + sent + " of " + length + " bytes)");
        }
    }

    /**
     * Receives one datagram into {@link #received()}.
     *
     * @return its length, or -1 when the receive timeout passed without data
     * @throws NetlinkException on errors, including ENOBUFS when multicast messages were dropped
     */
    int receive() throws NetlinkException {
        while (true) {
            long n = libc.recv(fd, received, RECEIVE_BUFFER, 0);
            if (n >= 0) return (int) n;
            int errno = libc.errno();
            if (errno == Libc.EINTR) continue;
            if (errno == Libc.EAGAIN) return -1;
            throw new NetlinkException(name + ": receive failed", errno);
        }
    }

    /**
     * Sends the request (header already written with {@link #putHeader}) and hands each reply message to the handler
     * until the reply is complete: NLMSG_DONE for dumps, the single reply otherwise, or an ACK.
     *
     * @throws NetlinkException with the kernel's errno when it answers with an error
     */
    void transact(int requestLength, MessageHandler handler) throws NetlinkException {
        int seq = request.get(INT, 8);
        send(requestLength);
        boolean complete = false;
        while (!complete) {
            int n = receive();
            if (n < 0) throw new NetlinkException(name + ": no reply from the kernel within the timeout");
            for (long off = 0; off + NLMSG_HDRLEN <= n; ) {
                int len = messageLength(received, off);
                if (len < NLMSG_HDRLEN || off + len > n) {
                    throw new NetlinkException(name + ": malformed reply (message length " + len + ")");
                }
                if (messageSeq(received, off) == seq) { // anything else is left over from an abandoned exchange
                    int type = messageType(received, off);
                    if (type == NLMSG_DONE || type == NLMSG_ERROR) {
                        int error = len >= NLMSG_HDRLEN + 4 ? received.get(INT, off + NLMSG_HDRLEN) : 0;
                        if (error < 0) throw new NetlinkException(name + ": request failed", -error);
                        return; // end of dump, or ACK
                    }
                    handler.message(received, off, len);
                    complete = (messageFlags(received, off) & NLM_F_MULTI) == 0; // a single reply
                }
                off += align4(len);
            }
        }
    }

    static int align4(int length) {
        return (length + 3) & ~3;
    }

    static int messageLength(MemorySegment s, long off) {
        return s.get(INT, off);
    }

    static int messageType(MemorySegment s, long off) {
        return s.get(SHORT, off + 4) & 0xffff;
    }

    static int messageFlags(MemorySegment s, long off) {
        return s.get(SHORT, off + 6) & 0xffff;
    }

    static int messageSeq(MemorySegment s, long off) {
        return s.get(INT, off + 8);
    }

    /** Length of the rtattr at {@code off} including its 4-byte header (host order). */
    static int attrLength(MemorySegment s, long off) {
        return s.get(SHORT, off) & 0xffff;
    }

    /** Type of the rtattr at {@code off}, without the NLA_F_NESTED / NLA_F_NET_BYTEORDER flag bits. */
    static int attrType(MemorySegment s, long off) {
        return s.get(SHORT, off + 2) & 0x3fff;
    }

    static int hostInt(MemorySegment s, long off) {
        return s.get(INT, off);
    }

    static long hostLong(MemorySegment s, long off) {
        return s.get(LONG, off);
    }

    static int u8(MemorySegment s, long off) {
        return s.get(JAVA_BYTE, off) & 0xff;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        libc.close(fd);
        arena.close();
    }
}
