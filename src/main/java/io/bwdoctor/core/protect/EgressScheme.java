package io.bwdoctor.core.protect;

import java.util.ArrayList;
import java.util.List;

/**
 * The tc commands (arguments after `tc`) of the egress priority scheme. One htb tree in both modes, because htb is
 * the one classful qdisc every kernel here has (a Firecracker guest kernel was seen with htb and tbf but no prio):
 *
 * <pre>
 *   bd01: htb default 20
 *     bd01:1  total: 95 % of the cap, or "unlimited" (100 Gbit) without a cap
 *       bd01:10 management, prio 0, 20 % guaranteed, may borrow everything   leaf: fq_codel where the kernel has it
 *       bd01:20 everything else, prio 1                                      leaf: tbf at the same rate (with a cap)
 * </pre>
 *
 * With a cap the total stays under it, so the queue forms here, where the management class goes first, not in the
 * provider's shaper. The bulk leaf is a tbf with a burst of about 1 ms because tbf splits TSO/GSO super-packets
 * (up to 64 KB) into wire-sized ones: htb alone would release them whole, and at 10 Mbit one such burst queues
 * 50 ms in the downstream shaper, in front of the next SSH packet. Without a cap htb never throttles: it is a strict
 * priority scheduler that matters only when the device itself pushes back (its own link is the bottleneck).
 */
public final class EgressScheme {
    public static final String ROOT_HANDLE = "bd01:";
    public static final String TOTAL_CLASS = "bd01:1";
    public static final String HIGH_CLASS = "bd01:10";
    public static final String BULK_CLASS = "bd01:20";
    public static final String HIGH_LEAF = "bd10:";
    public static final String BULK_LEAF = "bd20:";
    /** The share of the provider's cap we shape to, so that our queue, not theirs, is the one that fills. */
    public static final double CAP_FRACTION = 0.95;
    /** Without a cap: a rate no link reaches, so htb never throttles. */
    public static final long UNLIMITED_BPS = 100_000_000_000L;
    public static final long MIN_CAP_BPS = 100_000L;
    private static final long MAX_CAP_BPS = 1_000_000_000_000L;
    private static final int MAX_MTU = 1 << 20; // lo has 65536

    /** What to install: the shaped total (bits/s), whether it shapes, and the commands in order. */
    public record Plan(long totalBps, boolean shaped, List<List<String>> qdiscAndClasses, List<String> highLeaf,
                       List<List<String>> filters) {
        public List<List<String>> all() {
            List<List<String>> all = new ArrayList<>(qdiscAndClasses);
            all.addAll(filters);
            return all;
        }
    }

    private EgressScheme() {}

    /** The plan for IFACE (already validated), its MTU, the management ports, and the cap (null: no cap). */
    public static Plan plan(String iface, int mtu, List<Integer> ports, Long capBps) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("no management ports");
        }
        if (mtu < 68 || mtu > MAX_MTU) {
            throw new IllegalArgumentException("implausible MTU " + mtu + " on " + iface);
        }
        if (capBps != null && (capBps < MIN_CAP_BPS || capBps > MAX_CAP_BPS)) {
            throw new IllegalArgumentException("the cap must be between 100 kbit/s and 1 Tbit/s, not " + capBps
                    + " bit/s");
        }
        boolean shaped = capBps != null;
        long total = shaped ? Math.round(capBps * CAP_FRACTION) : UNLIMITED_BPS;
        long high = total / 5;
        int frame = mtu + 14;
        long msBytes = total / 8 / 1000; // one millisecond at the total rate
        long burst = Math.max(2L * frame, msBytes);
        long quantum = Math.clamp(total / 8 / 10, frame, 200_000); // explicit: htb's default warns at high rates
        List<List<String>> steps = new ArrayList<>();
        steps.add(List.of("qdisc", "add", "dev", iface, "root", "handle", ROOT_HANDLE, "htb", "default", "20"));
        steps.add(htbClass(iface, ROOT_HANDLE, TOTAL_CLASS, total, total, burst, -1, -1));
        steps.add(htbClass(iface, TOTAL_CLASS, HIGH_CLASS, high, total, burst, 0, quantum));
        steps.add(htbClass(iface, TOTAL_CLASS, BULK_CLASS, total - high, total, burst, 1, quantum));
        if (shaped) {
            long tbfBurst = Math.max(3L * frame, msBytes);
            steps.add(List.of("qdisc", "add", "dev", iface, "parent", BULK_CLASS, "handle", BULK_LEAF, "tbf",
                    "rate", total + "bit", "burst", Long.toString(tbfBurst), "latency", "50ms"));
        }
        List<String> highLeaf = List.of("qdisc", "add", "dev", iface, "parent", HIGH_CLASS, "handle", HIGH_LEAF,
                "fq_codel");
        return new Plan(total, shaped, List.copyOf(steps), highLeaf, filters(iface, ports));
    }

    /** The bulk leaf without a cap (fq_codel, where the kernel has it): fair among bulk flows, short queue. */
    public static List<String> unshapedBulkLeaf(String iface) {
        return List.of("qdisc", "add", "dev", iface, "parent", BULK_CLASS, "handle", BULK_LEAF, "fq_codel");
    }

    private static List<String> htbClass(String iface, String parent, String id, long rate, long ceil, long burst,
                                         int prio, long quantum) {
        List<String> c = new ArrayList<>(List.of("class", "add", "dev", iface, "parent", parent, "classid", id,
                "htb", "rate", rate + "bit", "ceil", ceil + "bit", "burst", Long.toString(burst),
                "cburst", Long.toString(burst)));
        if (prio >= 0) {
            c.addAll(List.of("prio", Integer.toString(prio), "quantum", Long.toString(quantum)));
        }
        return List.copyOf(c);
    }

    /**
     * u32 filters (the one classifier every kernel has; flower may be missing): source or destination port at the
     * transport header's place for IPv4 without options (offset 20) and IPv6 without extension headers (offset 40),
     * which is how SSH and RDP packets look. ARP goes first too, so that the gateway stays resolvable.
     */
    private static List<List<String>> filters(String iface, List<Integer> ports) {
        List<List<String>> f = new ArrayList<>();
        for (int port : ports) {
            for (String dir : List.of("sport", "dport")) {
                f.add(List.of("filter", "add", "dev", iface, "parent", ROOT_HANDLE, "protocol", "ip", "prio", "1",
                        "u32", "match", "ip", dir, Integer.toString(port), "0xffff", "flowid", HIGH_CLASS));
                f.add(List.of("filter", "add", "dev", iface, "parent", ROOT_HANDLE, "protocol", "ipv6", "prio",
                        "2", "u32", "match", "ip6", dir, Integer.toString(port), "0xffff", "flowid", HIGH_CLASS));
            }
        }
        f.add(List.of("filter", "add", "dev", iface, "parent", ROOT_HANDLE, "protocol", "arp", "prio", "3", "u32",
                "match", "u32", "0", "0", "flowid", HIGH_CLASS));
        return List.copyOf(f);
    }
}
