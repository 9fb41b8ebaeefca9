package io.bwdoctor.core.report;

import io.bwdoctor.core.account.Counter;
import io.bwdoctor.core.account.TrafficAccounting;
import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.flow.View;
import io.bwdoctor.core.packet.LinkType;
import io.bwdoctor.core.packet.SkipReason;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link TrafficReport} of one view from the accounting's tables. Call after closeOpenSecond(). */
public final class ReportBuilder {
    private static final String[] WINDOW_NAMES = {"2s", "10s", "40s"};

    private ReportBuilder() {}

    /** @param top the number of rows to keep (widest first), or 0 for all */
    public static TrafficReport build(TrafficAccounting acc, View view, int top) {
        List<FlowTable> tables = new ArrayList<>();
        for (FlowTable t = acc.table(view); t != null; t = t.overflow()) {
            tables.add(t);
        }
        List<Long> refs = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            for (int r = 0; r < tables.get(i).size(); r++) {
                refs.add(((long) i << 32) | r);
            }
        }
        Comparator<Long> widestFirst = Comparator.comparingLong((Long ref) -> totalBytes(tables, ref)).reversed()
                .thenComparing(Comparator.comparingLong((Long ref) -> totalPackets(tables, ref)).reversed());
        refs.sort(widestFirst);
        int total = refs.size();
        long omittedPackets = 0;
        long omittedBytes = 0;
        if (top > 0 && refs.size() > top) {
            for (long ref : refs.subList(top, refs.size())) {
                FlowTable t = tables.get((int) (ref >>> 32));
                if ((t.flags((int) ref) & FlowTable.FLAG_INNER) == 0) {
                    omittedPackets += totalPackets(tables, ref);
                    omittedBytes += totalBytes(tables, ref);
                }
            }
            refs = refs.subList(0, top);
        }
        List<Long> shown = refs;
        List<ReportRow> rows = new AbstractList<>() { // built on demand: a million rows are never all in memory
            @Override
            public ReportRow get(int i) {
                long ref = shown.get(i);
                return row(view, tables.get((int) (ref >>> 32)), (int) ref);
            }

            @Override
            public int size() {
                return shown.size();
            }
        };
        Map<String, Bucket> reasons = new LinkedHashMap<>();
        for (SkipReason reason : SkipReason.values()) {
            Counter c = acc.skipped(reason);
            if (c.packets() > 0) {
                reasons.put(reason.name().toLowerCase(), bucket(c));
            }
        }
        Map<String, Bucket> nonIp = new LinkedHashMap<>();
        acc.nonIpByEtherType().forEach((type, c) -> nonIp.put(etherTypeName(type), bucket(c)));
        Map<String, Bucket> links = new LinkedHashMap<>();
        acc.byLinkType().forEach((type, c) -> links.put(LinkType.name(type), bucket(c)));
        Map<String, Bucket> unsupported = new LinkedHashMap<>();
        acc.unsupportedLinkTypes().forEach((type, c) -> unsupported.put(LinkType.name(type), bucket(c)));
        Map<String, Bucket> unreadable = new LinkedHashMap<>();
        acc.unreadableRecords().forEach((why, c) -> unreadable.put(why, bucket(c)));
        long first = acc.firstNanos();
        long last = acc.lastNanos();
        boolean timed = first != Long.MAX_VALUE;
        return new TrafficReport(view.label(), acc.total().packets(), acc.total().bytes(),
                timed ? time(first) : null, timed ? time(last) : null, timed ? (last - first) / 1e9 : null,
                bucket(acc.skippedTotal()), reasons, unreadable, bucket(acc.nonIp()), nonIp, bucket(acc.inner()),
                links, unsupported, acc.nonFirstFragments(), acc.nonFirstFragmentsAttributed(),
                foldedRows(acc, view), total, rows, new Bucket(omittedPackets, omittedBytes));
    }

    /** The field names of a view's rows, in order, including the optional inner/aggregate markers (CSV header). */
    public static List<String> columns(View view) {
        FlowTable sample = new FlowTable(16, null);
        sample.add(4, 6, 0, 0, 1, 1, 0, 2, 2, 0, 0, 1, 1);
        sample.closeOpenSecond();
        List<String> names = new ArrayList<>(row(view, sample, 0).fields().keySet());
        names.add("inner");
        names.add("aggregate");
        return names;
    }

    private static long totalBytes(List<FlowTable> tables, long ref) {
        FlowTable t = tables.get((int) (ref >>> 32));
        return t.bytes((int) ref, 0) + t.bytes((int) ref, 1);
    }

    private static long totalPackets(List<FlowTable> tables, long ref) {
        FlowTable t = tables.get((int) (ref >>> 32));
        return t.packets((int) ref, 0) + t.packets((int) ref, 1);
    }

    private static long foldedRows(TrafficAccounting acc, View view) {
        long n = 0;
        for (FlowTable t = acc.table(view); t != null; t = t.overflow()) {
            n += t.foldedRows();
        }
        return n;
    }

    private static Bucket bucket(Counter c) {
        return new Bucket(c.packets(), c.bytes());
    }

    static String time(long nanos) {
        if (nanos == Long.MAX_VALUE || nanos == Long.MIN_VALUE) {
            return null;
        }
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
                .toString();
    }

    static String etherTypeName(int type) {
        String known = switch (type) {
            case 0x0806 -> "arp";
            case 0x8035 -> "rarp";
            case 0x88cc -> "lldp";
            case 0x8863 -> "pppoe-discovery";
            case 0x888e -> "eapol";
            case 0x88f7 -> "ptp";
            case 0x8809 -> "slow-protocols";
            case 0x9000 -> "loopback";
            default -> null;
        };
        if (type < 0) {
            return "unknown";
        }
        String hex = String.format("0x%04x", type);
        return known == null ? hex : hex + " " + known;
    }

    private static ReportRow row(View view, FlowTable t, int r) {
        long packetsAB = t.packets(r, 0);
        long packetsBA = t.packets(r, 1);
        long bytesAB = t.bytes(r, 0);
        long bytesBA = t.bytes(r, 1);
        ReportRow row = new ReportRow();
        int version = t.version(r);
        int flags = t.flags(r);
        boolean folded = (flags & (FlowTable.FLAG_FOLDED_HOST | FlowTable.FLAG_FOLDED_ALL)) != 0;
        String a = (flags & FlowTable.FLAG_FOLDED_ALL) != 0 ? null : Addresses.format(version, t.aHi(r), t.aLo(r));
        String[] dirs;
        switch (view) {
            case CONVERSATION, PAIR -> {
                dirs = new String[] {"ab", "ba"};
                Object protocol = view == View.PAIR ? (version == 4 ? "ipv4" : "ipv6") : protocol(t.protocol(r));
                row.put("protocol", folded ? "any" : protocol);
                row.put("ip_version", version == 0 ? null : version);
                row.put("a_addr", a);
                row.put("a_port", port(t.aPort(r)));
                row.put("b_addr", folded ? null : Addresses.format(version, t.bHi(r), t.bLo(r)));
                row.put("b_port", port(t.bPort(r)));
                row.put("packets_ab", packetsAB).put("bytes_ab", bytesAB);
                row.put("packets_ba", packetsBA).put("bytes_ba", bytesBA);
            }
            case HOST -> {
                dirs = new String[] {"tx", "rx"};
                row.put("addr", a).put("ip_version", version == 0 ? null : version);
                row.put("tx_packets", packetsAB).put("tx_bytes", bytesAB);
                row.put("rx_packets", packetsBA).put("rx_bytes", bytesBA);
            }
            case PORT -> {
                dirs = new String[] {"to", "from"};
                row.put("protocol", protocol(t.protocol(r))).put("port", port(t.aPort(r)));
                row.put("packets_to", packetsAB).put("bytes_to", bytesAB);
                row.put("packets_from", packetsBA).put("bytes_from", bytesBA);
            }
            case PROTOCOL -> {
                dirs = null;
                row.put("protocol", protocol(t.protocol(r))).put("ip_version", version);
            }
            default -> throw new IllegalStateException(view.toString());
        }
        row.put("packets", packetsAB + packetsBA).put("bytes", bytesAB + bytesBA);
        row.put("first_seen", time(t.firstNanos(r))).put("last_seen", time(t.lastNanos(r)));
        putRates(row, t, r, dirs, folded);
        if ((flags & FlowTable.FLAG_INNER) != 0) {
            row.put("inner", true);
        }
        if (folded) {
            row.put("aggregate", (flags & FlowTable.FLAG_FOLDED_ALL) != 0 ? "all" : "host");
        }
        return row;
    }

    /** Bits per second over each window, per direction and in total, then the peak one-second rates. */
    private static void putRates(ReportRow row, FlowTable t, int r, String[] dirs, boolean folded) {
        for (int w = 0; w < FlowTable.windows(); w++) {
            long divisor = t.windowDivisor(w);
            boolean known = !folded && divisor > 0;
            long ab = t.windowBytes(r, w, 0);
            long ba = t.windowBytes(r, w, 1);
            if (dirs != null) {
                row.put(dirs[0] + "_bps_" + WINDOW_NAMES[w], known ? ab * 8 / divisor : null);
                row.put(dirs[1] + "_bps_" + WINDOW_NAMES[w], known ? ba * 8 / divisor : null);
            }
            row.put("bps_" + WINDOW_NAMES[w], known ? (ab + ba) * 8 / divisor : null);
        }
        if (dirs != null) {
            row.put("peak_" + dirs[0] + "_bps", t.peakBytes(r, 0) * 8);
            row.put("peak_" + dirs[1] + "_bps", t.peakBytes(r, 1) * 8);
        }
        row.put("peak_bps", t.peakBytes(r, 2) * 8);
    }

    private static Object protocol(int number) {
        String name = Addresses.protocolName(number);
        return name != null ? name : (Object) number;
    }

    private static Integer port(int port) {
        return port < 0 ? null : port;
    }
}
