package io.bwdoctor.capture.live;

import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.bwdoctor.capture.live.LibPcap.EVERYTHING;

/**
 * Live capture on one network interface through libpcap/Npcap, delivering each packet to a {@link FrameSink}.
 *
 * <p>Life cycle: {@link #open} (opens, activates, sets the filter) → {@link #start} (starts the capture thread) →
 * {@link #stop} (or {@link #close}). Buffered mode with a short timeout, not immediate mode: a monitor that refreshes
 * once a second does not need per-packet wake-ups, which cost three times the CPU.
 *
 * <p><b>Threading:</b> the sink is called on this capture's own platform thread ("bwdoctor-capture-&lt;device&gt;"),
 * one frame at a time; the consumer synchronizes or hands the data off. The {@link Frame} and the memory it points
 * to (libpcap's ring buffer, not copied) are only valid during {@code onFrame}. If the sink throws, capturing stops
 * and {@link #failure()} returns the exception. {@link #stats()}, {@link #stop()} and {@link #close()} may be called
 * from any thread, but {@code stop()} not from within the sink.
 */
public final class LiveCapture implements AutoCloseable {
    /**
     * @param snapLength     bytes kept per packet: headers and the first payload bytes; wire length is always known
     * @param timeoutMillis  how long libpcap may hold packets back to deliver them in batches
     * @param bufferBytes    kernel ring/buffer size; large so that bursts are not dropped
     * @param immediateMode  deliver each packet at once (about 3x the CPU; off by default)
     * @param filter         BPF filter expression (pcap-filter syntax), or null for everything
     * @param rawView        false (default): {@link Frame#data} is a view bounded to the packet (one small object
     *                       per packet); true: a segment spanning the whole address space with {@link Frame#offset}
     *                       = the packet's address, which allocates nothing (measured about 25 % less capture-thread
     *                       CPU) but lets a consumer that ignores {@link Frame#capturedLength} read foreign memory
     *                       and crash the JVM instead of getting an IndexOutOfBoundsException
     */
    public record Options(int snapLength, boolean promiscuous, int timeoutMillis, int bufferBytes,
                          boolean immediateMode, String filter, boolean rawView) {
        public static final Options DEFAULT = new Options(256, false, 200, 32 << 20, false, null, false);

        public Options {
            if (snapLength < 64 || snapLength > 262_144) {
                throw new IllegalArgumentException("snap length must be 64..262144 bytes, not " + snapLength);
            }
            if (timeoutMillis < 1 || timeoutMillis > 10_000) {
                throw new IllegalArgumentException("capture timeout must be 1..10000 ms, not " + timeoutMillis);
            }
            if (bufferBytes < (64 << 10) || bufferBytes > (1 << 30)) {
                throw new IllegalArgumentException("capture buffer must be 64 KiB..1 GiB, not " + bufferBytes);
            }
        }

        public Options withFilter(String bpf) {
            return new Options(snapLength, promiscuous, timeoutMillis, bufferBytes, immediateMode, bpf, rawView);
        }

        public Options withSnapLength(int bytes) {
            return new Options(bytes, promiscuous, timeoutMillis, bufferBytes, immediateMode, filter, rawView);
        }

        public Options withPromiscuous(boolean on) {
            return new Options(snapLength, on, timeoutMillis, bufferBytes, immediateMode, filter, rawView);
        }

        public Options withBufferBytes(int bytes) {
            return new Options(snapLength, promiscuous, timeoutMillis, bytes, immediateMode, filter, rawView);
        }

        public Options withImmediateMode(boolean on) {
            return new Options(snapLength, promiscuous, timeoutMillis, bufferBytes, on, filter, rawView);
        }

        public Options withTimeoutMillis(int millis) {
            return new Options(snapLength, promiscuous, millis, bufferBytes, immediateMode, filter, rawView);
        }

        public Options withRawView(boolean on) {
            return new Options(snapLength, promiscuous, timeoutMillis, bufferBytes, immediateMode, filter, on);
        }
    }

    /**
     * Counters since the capture opened, from pcap_stats, widened to 64 bits. On Linux {@code received} counts the
     * packets that passed the filter (including dropped ones), {@code dropped} those lost because the buffer was
     * full, {@code interfaceDropped} those the interface/driver dropped (promiscuous mode only). Exact meanings
     * differ by platform (see pcap_stats(3PCAP)).
     */
    public record Stats(long received, long dropped, long interfaceDropped) {}

    private enum State { OPEN, RUNNING, CLOSED }

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String source;
    private final int interfaceId;
    private final boolean offline;
    private final boolean rawView;
    private final MemorySegment handle;
    private final int linkType;
    private final List<String> warnings;
    private final Object lock = new Object();
    private State state = State.OPEN;
    private Thread thread;
    private volatile boolean stopRequested;
    private volatile Throwable failure;
    private long framesDelivered; // written by the capture thread only; read after join
    // 64-bit totals built from libpcap's wrapping 32-bit counters; guarded by lock
    private final long[] lastRaw = new long[3];
    private final long[] totals = new long[3];

    private LiveCapture(String source, int interfaceId, boolean offline, boolean rawView, MemorySegment handle,
                        int linkType, List<String> warnings) {
        this.source = source;
        this.interfaceId = interfaceId;
        this.offline = offline;
        this.rawView = rawView;
        this.handle = handle;
        this.linkType = linkType;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Opens and activates a capture on {@code device} (a name from {@link Interfaces#list()}; "any" on Linux for all
     * interfaces, with link type Linux SLL2/SLL). Nothing is delivered before {@link #start}, but the kernel already
     * buffers matching packets.
     *
     * @param interfaceId the value every frame carries in {@link Frame#interfaceId}
     * @throws CaptureUnavailableException libpcap missing, or no permission (needs root or CAP_NET_RAW)
     * @throws CaptureException            no such device, device down, invalid filter, other libpcap errors
     */
    public static LiveCapture open(String device, int interfaceId, Options options) throws CaptureException {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(options, "options");
        LibPcap.ensureLoaded();
        MemorySegment p;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errbuf = arena.allocate(LibPcap.ERRBUF_SIZE);
            p = LibPcap.create(LibPcap.toCString(arena, device, "interface name"), errbuf);
            if (p.address() == 0) {
                throw new CaptureException("cannot capture on " + quoted(device) + ": "
                        + LibPcap.printable(LibPcap.cString(errbuf)));
            }
        }
        try {
            check(p, LibPcap.setSnaplen(p, options.snapLength()), "snap length", device);
            check(p, LibPcap.setPromisc(p, options.promiscuous()), "promiscuous mode", device);
            check(p, LibPcap.setTimeout(p, options.timeoutMillis()), "timeout", device);
            check(p, LibPcap.setBufferSize(p, options.bufferBytes()), "buffer size", device);
            if (options.immediateMode()) {
                check(p, LibPcap.setImmediateMode(p, true), "immediate mode", device);
            }
            List<String> warnings = new ArrayList<>();
            int status = LibPcap.activate(p);
            if (status < 0) {
                throw activationError(p, status, device, options.promiscuous());
            }
            if (status > 0) {
                warnings.add(LibPcap.printable(LibPcap.statusToString(status) + ": " + LibPcap.getErr(p)));
            }
            if (options.filter() != null) {
                setFilter(p, options.filter());
            }
            return new LiveCapture(device, interfaceId, false, options.rawView(), p, LibPcap.datalink(p), warnings);
        } catch (CaptureException | RuntimeException e) {
            LibPcap.close(p);
            throw e;
        }
    }

    /**
     * Reads a capture file through libpcap with the same delivery path as a live capture (the thread ends at the end
     * of the file). For differential tests against the pure-Java reader and tshark; not the normal way to read files.
     */
    public static LiveCapture openOffline(Path file, int interfaceId, String filter) throws CaptureException {
        Objects.requireNonNull(file, "file");
        LibPcap.ensureLoaded();
        MemorySegment p;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errbuf = arena.allocate(LibPcap.ERRBUF_SIZE);
            p = LibPcap.openOffline(LibPcap.toCString(arena, file.toString(), "file name"), errbuf);
            if (p.address() == 0) {
                throw new CaptureException("cannot read " + file + ": " + LibPcap.printable(LibPcap.cString(errbuf)));
            }
        }
        try {
            if (filter != null) {
                setFilter(p, filter);
            }
            return new LiveCapture(file.toString(), interfaceId, true, false, p, LibPcap.datalink(p), List.of());
        } catch (CaptureException | RuntimeException e) {
            LibPcap.close(p);
            throw e;
        }
    }

    private static void check(MemorySegment p, int status, String what, String device) throws CaptureException {
        if (status != 0) {
            throw new CaptureException("cannot set " + what + " on " + quoted(device) + ": "
                    + LibPcap.printable(LibPcap.statusToString(status)));
        }
    }

    static CaptureException activationError(MemorySegment p, int status, String device, boolean promiscuous) {
        String detail = LibPcap.getErr(p);
        if (detail.isBlank()) {
            detail = LibPcap.statusToString(status);
        }
        return activationError(status, device, detail, promiscuous);
    }

    /** Maps a negative pcap_activate status to the exception a user can act upon. */
    static CaptureException activationError(int status, String device, String libpcapText, boolean promiscuous) {
        String detail = LibPcap.printable(libpcapText);
        return switch (status) {
            case LibPcap.PCAP_ERROR_PERM_DENIED, LibPcap.PCAP_ERROR_PROMISC_PERM_DENIED ->
                    new CaptureUnavailableException(permissionMessage(device, promiscuous) + " (libpcap: " + detail + ")");
            case LibPcap.PCAP_ERROR_NO_SUCH_DEVICE ->
                    new CaptureException("no such network interface: " + quoted(device) + " (libpcap: " + detail + ")");
            case LibPcap.PCAP_ERROR_IFACE_NOT_UP ->
                    new CaptureException("network interface " + quoted(device) + " is down");
            default -> new CaptureException("cannot capture on " + quoted(device) + ": " + detail);
        };
    }

    static String permissionMessage(String device, boolean promiscuous) {
        if (LibPcap.WINDOWS) {
            return "no permission to capture on " + quoted(device) + ": run as Administrator, or reinstall Npcap"
                    + " without \"Restrict Npcap driver's access to Administrators only\"";
        }
        if (LibPcap.MAC) {
            return "no permission to capture on " + quoted(device) + ": run as root (sudo) or give your user"
                    + " read access to /dev/bpf*";
        }
        return "no permission to capture on " + quoted(device) + ": run as root, or give the java binary the"
                + " capabilities CAP_NET_RAW" + (promiscuous ? " and CAP_NET_ADMIN" : "")
                + " (sudo setcap cap_net_raw,cap_net_admin=eip \"$(readlink -f \"$JAVA_HOME/bin/java\")\")";
    }

    private static void setFilter(MemorySegment p, String filter) throws CaptureException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = arena.allocate(LibPcap.BPF_PROGRAM);
            synchronized (LibPcap.class) { // pcap_compile was not thread-safe before libpcap 1.8
                if (LibPcap.compile(p, program, LibPcap.toCString(arena, filter, "capture filter")) != 0) {
                    throw new CaptureException("invalid capture filter " + quoted(filter) + ": "
                            + LibPcap.printable(LibPcap.getErr(p)));
                }
            }
            try {
                if (LibPcap.setFilter(p, program) != 0) {
                    throw new CaptureException("cannot set capture filter " + quoted(filter) + ": "
                            + LibPcap.printable(LibPcap.getErr(p)));
                }
            } finally {
                LibPcap.freeCode(program);
            }
        }
    }

    private static String quoted(String s) {
        return "\"" + LibPcap.printable(s) + "\"";
    }

    /** The device name (or file name for {@link #openOffline}). */
    public String source() {
        return source;
    }

    public int interfaceId() {
        return interfaceId;
    }

    /** pcap_datalink: the DLT value, equal to the LINKTYPE value for the types bwdoctor decodes. */
    public int linkType() {
        return linkType;
    }

    /** The pcap_t, for tests that inject frames through the same handle (pcap_inject). */
    MemorySegment handle() {
        return handle;
    }

    /** Warnings from pcap_activate (for example promiscuous mode not supported), already printable. */
    public List<String> warnings() {
        return warnings;
    }

    /** Starts the capture thread; frames go to {@code sink} on that thread. Only once per capture. */
    public void start(FrameSink sink) {
        Objects.requireNonNull(sink, "sink");
        synchronized (lock) {
            if (state != State.OPEN) {
                throw new IllegalStateException("capture on " + source + " was already started or closed");
            }
            thread = Thread.ofPlatform().name("bwdoctor-capture-" + LibPcap.printable(source)).daemon(true)
                    .unstarted(() -> loop(sink));
            state = State.RUNNING;
            thread.start();
        }
    }

    private void loop(FrameSink sink) {
        Frame frame = new Frame();
        long delivered = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment headerOut = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment dataOut = arena.allocate(ValueLayout.ADDRESS);
            while (!stopRequested) {
                int rc = LibPcap.nextEx(handle, headerOut, dataOut);
                if (rc == 1) {
                    long h = LibPcap.pointerAt(headerOut, 0);
                    long data = LibPcap.pointerAt(dataOut, 0);
                    long nanos = LibPcap.cLongAt(EVERYTHING, h + LibPcap.HDR_TS_SEC) * 1_000_000_000L
                            + LibPcap.usecAt(EVERYTHING, h + LibPcap.HDR_TS_USEC) * 1_000L;
                    int capLen = EVERYTHING.get(ValueLayout.JAVA_INT_UNALIGNED, h + LibPcap.HDR_CAPLEN);
                    int wireLen = EVERYTHING.get(ValueLayout.JAVA_INT_UNALIGNED, h + LibPcap.HDR_LEN);
                    if (capLen < 0 || (data == 0 && capLen > 0)) {
                        sink.onUnreadableRecord("libpcap returned an impossible captured length", Math.max(wireLen, 0));
                        continue;
                    }
                    // zero copy: a view of libpcap's buffer, bounded to the packet unless rawView (see Options)
                    MemorySegment view = rawView ? EVERYTHING : EVERYTHING.asSlice(data, capLen);
                    frame.set(linkType, nanos, view, rawView ? data : 0, capLen,
                            wireLen < 0 ? Integer.MAX_VALUE : wireLen, interfaceId);
                    sink.onFrame(frame);
                    delivered++;
                } else if (rc == LibPcap.PCAP_ERROR_BREAK) {
                    break; // pcap_breakloop, or the end of a file
                } else if (rc < 0) {
                    failure = new CaptureException("capture on " + quoted(source) + " failed: "
                            + LibPcap.printable(LibPcap.getErr(handle)));
                    break;
                }
                // rc == 0: buffer timeout without packets; loop to check stopRequested
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            framesDelivered = delivered;
        }
    }

    /**
     * Waits for the capture thread to end by itself (end of file, error, sink exception) for at most {@code timeout}.
     *
     * @return true if it has ended
     */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        Thread t;
        synchronized (lock) {
            t = thread;
        }
        return t == null || t.join(timeout);
    }

    /** Counters so far (see {@link Stats}); after {@link #stop()}, the final ones. */
    public Stats stats() throws CaptureException {
        synchronized (lock) {
            if (state != State.CLOSED) {
                readStats();
            }
            return new Stats(totals[0], totals[1], totals[2]);
        }
    }

    private void readStats() throws CaptureException {
        if (offline) {
            return; // pcap_stats is not defined on files
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stat = arena.allocate(LibPcap.PCAP_STAT_SIZE, 8);
            if (LibPcap.stats(handle, stat) != 0) {
                throw new CaptureException("cannot read capture statistics of " + quoted(source) + ": "
                        + LibPcap.printable(LibPcap.getErr(handle)));
            }
            for (int i = 0; i < 3; i++) {
                long raw = stat.get(ValueLayout.JAVA_INT, 4L * i) & 0xffffffffL;
                totals[i] += (raw - lastRaw[i]) & 0xffffffffL; // libpcap's u_int counters wrap at 2^32
                lastRaw[i] = raw;
            }
        }
    }

    /**
     * Stops capturing: wakes the capture thread with pcap_breakloop (without it, a Linux TPACKET_V3 capture with no
     * traffic would block forever), waits for it, reads the final counters and closes the handle. Idempotent.
     *
     * @return the final counters
     * @throws CaptureException if the thread does not stop within 5 s (the handle is then left open, not freed
     *                          under the thread's feet)
     */
    public Stats stop() throws CaptureException {
        Thread t;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return new Stats(totals[0], totals[1], totals[2]);
            }
            t = thread;
            if (t == Thread.currentThread()) {
                throw new IllegalStateException("stop() was called from the FrameSink, on the capture thread");
            }
            stopRequested = true;
            if (t != null) {
                LibPcap.breakLoop(handle);
            }
        }
        if (t != null) {
            boolean interrupted = false;
            boolean ended;
            while (true) {
                try {
                    ended = t.join(STOP_GRACE);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (!ended) {
                throw new CaptureException("the capture thread on " + quoted(source) + " did not stop within "
                        + STOP_GRACE.toSeconds() + " s");
            }
        }
        synchronized (lock) {
            if (state != State.CLOSED) {
                try {
                    readStats();
                } finally {
                    state = State.CLOSED;
                    LibPcap.close(handle);
                }
            }
            return new Stats(totals[0], totals[1], totals[2]);
        }
    }

    @Override
    public void close() throws CaptureException {
        stop();
    }

    /** Why the capture thread ended early (libpcap error such as the interface vanishing, or the sink's exception). */
    public Throwable failure() {
        return failure;
    }

    /** Frames handed to the sink; final once the thread has ended ({@link #stop()} or {@link #awaitEnd}). */
    public long framesDelivered() {
        return framesDelivered;
    }
}
