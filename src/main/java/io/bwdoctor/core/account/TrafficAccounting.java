package io.bwdoctor.core.account;

import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.flow.View;
import io.bwdoctor.core.flow.ViewTables;
import io.bwdoctor.core.packet.DecodedPacket;
import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;
import io.bwdoctor.core.packet.IpLayer;
import io.bwdoctor.core.packet.PacketDecoder;
import io.bwdoctor.core.packet.SkipReason;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns frames into counted rows: decodes each frame, counts it once on its outermost IP conversation (and, labelled
 * inner, on its tunnelled one), or in the non-IP or skipped buckets, so that every frame is accounted for exactly
 * once: total = conversations + non-IP + skipped. Pure: frames in, counters out. One thread.
 */
public final class TrafficAccounting implements FrameSink {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final PacketDecoder decoder = new PacketDecoder();
    private final DecodedPacket packet = new DecodedPacket();
    private final FlowTable conversations;
    private final ViewTables views;

    private final Counter total = new Counter();
    private final Counter nonIp = new Counter();
    private final Counter inner = new Counter();
    private final Counter[] skipped = new Counter[SkipReason.values().length];
    private final Map<Integer, Counter> nonIpByEtherType = new TreeMap<>();
    private final Map<Integer, Counter> byLinkType = new TreeMap<>();
    private final Map<Integer, Counter> unsupportedLinkTypes = new TreeMap<>();
    private final Map<String, Counter> unreadable = new TreeMap<>();
    private long firstNanos = Long.MAX_VALUE;
    private long lastNanos = Long.MIN_VALUE;
    private long currentSecond;
    private int lastLinkType = -1;
    private Counter lastLinkCounter;

    public TrafficAccounting(Iterable<View> views, int maxFlows) {
        this.views = new ViewTables(views, maxFlows);
        this.conversations = new FlowTable(maxFlows, this.views);
        for (int i = 0; i < skipped.length; i++) {
            skipped[i] = new Counter();
        }
    }

    @Override
    public void onFrame(Frame f) {
        int wire = f.wireLength;
        total.add(wire);
        linkCounter(f.linkType).add(wire);
        long nanos = f.timestampNanos;
        if (nanos != Long.MIN_VALUE) {
            firstNanos = Math.min(firstNanos, nanos);
            lastNanos = Math.max(lastNanos, nanos);
            currentSecond = Math.max(currentSecond, Math.floorDiv(nanos, NANOS_PER_SECOND));
        }
        decoder.decode(f, packet);
        switch (packet.kind) {
            case IP -> {
                count(packet.outer, 0, currentSecond, nanos, wire);
                if (packet.hasInner()) {
                    inner.add(wire);
                    for (int i = 0; i < packet.innerCount; i++) {
                        count(packet.inner[i], FlowTable.FLAG_INNER, currentSecond, nanos, wire);
                    }
                }
            }
            case NON_IP -> {
                nonIp.add(wire);
                nonIpByEtherType.computeIfAbsent(packet.etherType, k -> new Counter()).add(wire);
            }
            case SKIPPED -> {
                skipped[packet.skipReason.ordinal()].add(wire);
                if (packet.skipReason == SkipReason.LINK_UNSUPPORTED) {
                    unsupportedLinkTypes.computeIfAbsent(f.linkType, k -> new Counter()).add(wire);
                }
            }
        }
    }

    private Counter linkCounter(int linkType) {
        if (linkType != lastLinkType) {
            lastLinkType = linkType;
            lastLinkCounter = byLinkType.computeIfAbsent(linkType, k -> new Counter());
        }
        return lastLinkCounter;
    }

    private void count(IpLayer ip, int flags, long second, long nanos, int wire) {
        conversations.add(ip.version, ip.protocol, flags, ip.srcHi, ip.srcLo, ip.srcPort, ip.dstHi, ip.dstLo,
                ip.dstPort, second, nanos, 1, wire);
    }

    @Override
    public void onUnreadableRecord(String reason, int wireLength) {
        total.add(wireLength);
        skipped[SkipReason.UNREADABLE_RECORD.ordinal()].add(wireLength);
        unreadable.computeIfAbsent(reason, k -> new Counter()).add(wireLength);
    }

    /** Closes the open second so that windows and peaks include it (end of input, or a live refresh). */
    public void closeOpenSecond() {
        conversations.closeOpenSecond(); // the views close their second when told by the conversation table
    }

    /** Moves time to the given second (live: the wall clock), closing the open one when it is older. */
    public void advanceTo(long second) {
        currentSecond = Math.max(currentSecond, second);
        conversations.advanceTo(second);
    }

    /** The aggregate views, to which live attribution adds its own. */
    public ViewTables views() {
        return views;
    }

    /** The frame decoded by the last {@link #onFrame} call (reused: valid until the next one). */
    public DecodedPacket lastPacket() {
        return packet;
    }

    public FlowTable conversations() {
        return conversations;
    }

    /** The table of an aggregate view, or the conversation table; null if the view was not requested. */
    public FlowTable table(View view) {
        return view == View.CONVERSATION ? conversations : views.table(view);
    }

    public Counter total() {
        return total;
    }

    public Counter nonIp() {
        return nonIp;
    }

    /** Frames also counted on an inner (tunnelled) conversation; not part of any total. */
    public Counter inner() {
        return inner;
    }

    public Counter skipped(SkipReason reason) {
        return skipped[reason.ordinal()];
    }

    public Counter skippedTotal() {
        Counter sum = new Counter();
        for (Counter c : skipped) {
            sum.add(c);
        }
        return sum;
    }

    public Map<Integer, Counter> nonIpByEtherType() {
        return nonIpByEtherType;
    }

    public Map<Integer, Counter> byLinkType() {
        return byLinkType;
    }

    public Map<Integer, Counter> unsupportedLinkTypes() {
        return unsupportedLinkTypes;
    }

    public Map<String, Counter> unreadableRecords() {
        return unreadable;
    }

    public long nonFirstFragments() {
        return decoder.nonFirstFragments();
    }

    public long nonFirstFragmentsAttributed() {
        return decoder.nonFirstFragmentsMatched();
    }

    /** Capture time of the first and last frame with a timestamp (Long.MAX_VALUE / MIN_VALUE if none). */
    public long firstNanos() {
        return firstNanos;
    }

    public long lastNanos() {
        return lastNanos;
    }
}
