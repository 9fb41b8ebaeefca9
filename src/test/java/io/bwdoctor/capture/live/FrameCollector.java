package io.bwdoctor.capture.live;

import io.bwdoctor.core.packet.Bytes;
import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Test sink: counts frames and wire bytes per source MAC, checks each frame's invariants and keeps a hash of each
 * frame's bytes from offset 6 on (the destination MAC left out: the replay test rewrites it). Called on the capture
 * thread; the totals are read after the capture has stopped (thread join), the live count through an atomic.
 */
class FrameCollector implements FrameSink {
    private final int snapLength;
    private final AtomicLong frames = new AtomicLong();
    private long wireBytes;
    private long capturedBytes;
    private long truncated;
    private final List<String> problems = new ArrayList<>();
    private final List<Long> hashes = new ArrayList<>();
    private final Map<String, long[]> bySourceMac = new HashMap<>();
    private final MessageDigest sha;
    private long minTimestamp = Long.MAX_VALUE;
    private long maxTimestamp = Long.MIN_VALUE;
    private int expectedLinkType = -1;
    int unreadable;

    /** @param snapLength the live capture's snap length, or 0 for files (whose frames may be cut at any length) */
    FrameCollector(int snapLength) {
        this.snapLength = snapLength;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onFrame(Frame f) {
        if (snapLength > 0 ? f.capturedLength != Math.min(f.wireLength, snapLength) : f.capturedLength > f.wireLength) {
            problem("captured " + f.capturedLength + " of " + f.wireLength + " with snaplen " + snapLength);
        }
        if (f.data.byteSize() - f.offset < f.capturedLength) {
            problem("view shorter than the captured length");
        }
        if (expectedLinkType == -1) {
            expectedLinkType = f.linkType;
        } else if (f.linkType != expectedLinkType) {
            problem("link type changed");
        }
        wireBytes += f.wireLength;
        capturedBytes += f.capturedLength;
        if (f.capturedLength < f.wireLength) {
            truncated++;
        }
        if (f.capturedLength >= 14) {
            String src = HexFormat.ofDelimiter(":").formatHex(f.data.asSlice(f.offset + 6, 6).toArray(ValueLayout.JAVA_BYTE));
            long[] c = bySourceMac.computeIfAbsent(src, k -> new long[2]);
            c[0]++;
            c[1] += f.wireLength;
        }
        MemorySegment tail = f.data.asSlice(f.offset + Math.min(6, f.capturedLength), Math.max(0, f.capturedLength - 6));
        sha.update(tail.asByteBuffer());
        hashes.add(Bytes.i64(MemorySegment.ofArray(sha.digest()), 0) ^ f.wireLength);
        minTimestamp = Math.min(minTimestamp, f.timestampNanos);
        maxTimestamp = Math.max(maxTimestamp, f.timestampNanos);
        frames.incrementAndGet();
        check(f);
    }

    /** Hook for subclasses' per-frame checks. */
    void check(Frame f) {}

    @Override
    public void onUnreadableRecord(String reason, int wireLength) {
        unreadable++;
    }

    void problem(String p) {
        if (problems.size() < 10) {
            problems.add(p);
        }
    }

    long frames() {
        return frames.get();
    }

    long wireBytes() {
        return wireBytes;
    }

    long capturedBytes() {
        return capturedBytes;
    }

    long truncated() {
        return truncated;
    }

    List<String> problems() {
        return problems;
    }

    long minTimestamp() {
        return minTimestamp;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /** {frames, wire bytes} sent from {@code mac}. */
    long[] fromMac(String mac) {
        return bySourceMac.getOrDefault(mac, new long[2]).clone();
    }

    /** Per-frame hashes, sorted (order-independent comparison). */
    long[] sortedHashes() {
        long[] h = hashes.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(h);
        return h;
    }

    /** Waits until {@code frames() >= n} or the timeout passes. */
    boolean awaitFrames(long n, Duration timeout) throws InterruptedException {
        return await(() -> frames() >= n, timeout);
    }

    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
