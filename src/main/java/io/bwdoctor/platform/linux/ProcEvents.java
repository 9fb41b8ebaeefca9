package io.bwdoctor.platform.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The kernel's process connector (NETLINK_CONNECTOR, CN_IDX_PROC): fork, exec and exit of every process the moment
 * they happen, so that a process that lives only milliseconds can still be described. Works for any user on Linux
 * 6.18 (verified as uid 65534); older kernels refuse non-root listeners and user namespaces refuse everyone (EPERM).
 */
public final class ProcEvents extends NetlinkSubscription {
    private static final int CN_IDX_PROC = 1, CN_VAL_PROC = 1, PROC_CN_MCAST_LISTEN = 1, PROC_CN_MCAST_IGNORE = 2;
    private static final int CN_MSG_SIZE = 20;
    /** struct proc_event after nlmsghdr + cn_msg: what, cpu, timestamp_ns, then the event union. */
    private static final int EVENT = Netlink.NLMSG_HDRLEN + CN_MSG_SIZE, EVENT_WHAT = EVENT, EVENT_DATA = EVENT + 16;
    private static final int PROC_EVENT_FORK = 0x1, PROC_EVENT_EXEC = 0x2, PROC_EVENT_EXIT = 0x80000000;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    /** Told about process events on the connector's thread; must be quick and must not throw. */
    public interface Listener {
        /** A new process (not thread) was forked. */
        default void forked(int parentPid, int childPid) {}

        /** A process replaced its program (execve). */
        default void executed(int pid) {}

        /** A process (its last thread) exited with this wait status. */
        default void exited(int pid, int exitStatus) {}

        /** Some events were dropped because the receiver fell behind. */
        default void eventsLost() {}
    }

    private final Listener listener;

    private ProcEvents(Netlink netlink, Listener listener) throws NetlinkException {
        super(netlink, "bwdoctor-proc-events");
        this.listener = listener;
    }

    /** Subscribes and starts the receiving thread; fails with EPERM when not permitted. */
    public static ProcEvents start(Listener listener) throws NetlinkException {
        Netlink netlink = Netlink.open(Netlink.NETLINK_CONNECTOR, "NETLINK_CONNECTOR proc events", CN_IDX_PROC);
        ProcEvents events;
        try {
            events = new ProcEvents(netlink, listener);
            events.control(PROC_CN_MCAST_LISTEN);
        } catch (NetlinkException | RuntimeException e) {
            netlink.close();
            throw e;
        }
        events.startThread();
        return events;
    }

    /** Tells the kernel to start or stop sending events (it keeps a count of listeners). */
    private void control(int operation) throws NetlinkException {
        int length = Netlink.NLMSG_HDRLEN + CN_MSG_SIZE + 4;
        int seq = netlink.putHeader(length, Netlink.NLMSG_DONE, 0);
        MemorySegment msg = netlink.request().asSlice(Netlink.NLMSG_HDRLEN, CN_MSG_SIZE + 4).fill((byte) 0);
        msg.set(INT, 0, CN_IDX_PROC);
        msg.set(INT, 4, CN_VAL_PROC);
        msg.set(INT, 8, seq);
        msg.set(ValueLayout.JAVA_SHORT_UNALIGNED, 16, (short) 4);
        msg.set(INT, CN_MSG_SIZE, operation);
        netlink.send(length);
    }

    @Override
    void unsubscribe() {
        try {
            control(PROC_CN_MCAST_IGNORE);
        } catch (NetlinkException e) {
            // closing anyway; newer kernels also drop the listener when the socket closes
        }
    }

    @Override
    void deliver(MemorySegment buffer, int n) {
        for (long off = 0; off + Netlink.NLMSG_HDRLEN <= n; ) {
            int len = Netlink.messageLength(buffer, off);
            if (len < Netlink.NLMSG_HDRLEN || off + len > n) return;
            if (len >= EVENT_DATA + 16) event(buffer, off);
            off += Netlink.align4(len);
        }
    }

    private void event(MemorySegment s, long off) {
        int what = s.get(INT, off + EVENT_WHAT);
        long data = off + EVENT_DATA;
        switch (what) {
            case PROC_EVENT_FORK -> {
                int childPid = s.get(INT, data + 8), childTgid = s.get(INT, data + 12);
                if (childPid == childTgid) listener.forked(s.get(INT, data + 4), childTgid);
            }
            case PROC_EVENT_EXEC -> listener.executed(s.get(INT, data + 4));
            case PROC_EVENT_EXIT -> {
                int pid = s.get(INT, data), tgid = s.get(INT, data + 4);
                if (pid == tgid) listener.exited(tgid, s.get(INT, data + 8));
            }
            default -> { }
        }
    }

    @Override
    void lost() {
        listener.eventsLost();
    }
}
