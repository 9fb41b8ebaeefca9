package io.bwdoctor.platform.linux;

import java.lang.foreign.MemorySegment;

/**
 * A netlink socket subscribed to kernel notifications, read on its own daemon thread that polls a stop flag every
 * {@link #POLL_MILLIS}. Subclasses decode the datagrams.
 */
abstract class NetlinkSubscription implements AutoCloseable {
    static final int POLL_MILLIS = 200;

    final Netlink netlink;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    NetlinkSubscription(Netlink netlink, String threadName) throws NetlinkException {
        this.netlink = netlink;
        netlink.receiveTimeout(POLL_MILLIS);
        netlink.receiveQueueBytes(4 << 20); // bursts (a server restart, a build) must not overflow the queue
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
    }

    final void startThread() {
        thread.start();
    }

    /** Decodes one received datagram of {@code length} bytes. */
    abstract void deliver(MemorySegment datagram, int length);

    /** The kernel dropped notifications because the queue was full. */
    abstract void lost();

    /** Called after the thread stopped, before the socket closes. */
    void unsubscribe() {}

    /** Why the receiving thread stopped early (a receive error or a listener exception), or null. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            while (!stopping) {
                int n;
                try {
                    n = netlink.receive();
                } catch (NetlinkException e) {
                    if (e.errno() != Libc.ENOBUFS) throw e;
                    lost();
                    continue;
                }
                if (n > 0) deliver(netlink.received(), n);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Stops the thread (within the poll interval) and closes the socket. */
    @Override
    public void close() {
        stopping = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            unsubscribe();
        } finally {
            netlink.close();
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
