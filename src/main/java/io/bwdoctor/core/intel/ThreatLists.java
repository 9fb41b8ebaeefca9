package io.bwdoctor.core.intel;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several block lists merged into one range table whose labels are the sets of list names containing each range, so
 * a lookup is one binary search whatever the number of lists. Special-use space (private, loopback, link-local,
 * CGNAT, documentation, benchmarking, multicast, reserved: shared intel section D plus {@link SpecialPurpose}) is cut
 * out of every list first, because aggregates such as FireHOL level1 include the bogons and would otherwise flag
 * every private address. Ranges in {@code keep} (the user's networks declared public) are not cut out.
 */
public final class ThreatLists {
    private static final ThreatLists NONE = new ThreatLists(List.of(), new Ipv4Ranges(new int[0], new int[0],
            new int[0], 0), new Ipv6Ranges(new long[0], new long[0], new long[0], new long[0], new int[0], 0),
            new ArrayList<>());

    private final List<ThreatList> lists;
    private final Ipv4Ranges ipv4;
    private final Ipv6Ranges ipv6;
    private final List<List<String>> names;

    private ThreatLists(List<ThreatList> lists, Ipv4Ranges ipv4, Ipv6Ranges ipv6, List<List<String>> names) {
        this.lists = lists;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.names = names;
    }

    public static ThreatLists none() {
        return NONE;
    }

    public static ThreatLists of(List<ThreatList> lists, List<IpRange> keep) {
        if (lists.isEmpty()) return NONE;
        FlatRanges remove4 = specialUse(4, keep), remove6 = specialUse(6, keep);
        List<ThreatList> cleaned = new ArrayList<>();
        for (ThreatList l : lists)
            cleaned.add(new ThreatList(l.name(), l.date(), l.entries(), l.ipv4().minus(remove4), l.ipv6().minus(remove6)));
        Map<BitSet, Integer> labelOf = new HashMap<>();
        List<List<String>> names = new ArrayList<>();
        FlatRanges v4 = sweep(cleaned, true, 0L, 0xffff_ffffL, labelOf, names, lists);
        FlatRanges v6 = sweep(cleaned, false, -1L, -1L, labelOf, names, lists);
        return new ThreatLists(List.copyOf(cleaned), v4.toIpv4(names.size()), v6.toIpv6(names.size()), names);
    }

    /** Names of the lists containing the address (IPv4-mapped IPv6 is looked up as IPv4); empty if none. */
    public List<String> find(int version, long hi, long lo) {
        int label;
        if (version == 4) label = ipv4.find(lo & 0xffff_ffffL);
        else if (hi == 0 && (lo >>> 32) == 0xffffL) label = ipv4.find(lo & 0xffff_ffffL);
        else label = ipv6.find(hi, lo);
        return label < 0 ? List.of() : names.get(label);
    }

    /** The lists as loaded, with special-use space removed. */
    public List<ThreatList> lists() {
        return lists;
    }

    public int ipv4Ranges() {
        return ipv4.size();
    }

    public int ipv6Ranges() {
        return ipv6.size();
    }

    private record Event(long hi, long lo, int list, boolean opens) {}

    /** Cuts the address line at every range boundary and labels each piece with the set of lists covering it. */
    private static FlatRanges sweep(List<ThreatList> lists, boolean v4, long maxHi, long maxLo,
                                    Map<BitSet, Integer> labelOf, List<List<String>> names, List<ThreatList> original) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            FlatRanges r = v4 ? lists.get(i).ipv4() : lists.get(i).ipv6();
            for (int k = 0; k < r.size(); k++) {
                events.add(new Event(r.startHi(k), r.startLo(k), i, true));
                if (r.endHi(k) != maxHi || r.endLo(k) != maxLo) {
                    long[] after = Words.increment(r.endHi(k), r.endLo(k));
                    events.add(new Event(after[0], after[1], i, false));
                }
            }
        }
        events.sort(Comparator.comparing((Event e) -> e.hi, Long::compareUnsigned)
                .thenComparing(e -> e.lo, Long::compareUnsigned));
        FlatRanges.Appender out = new FlatRanges.Appender();
        BitSet active = new BitSet();
        long fromHi = 0, fromLo = 0;
        int i = 0;
        while (i < events.size()) {
            Event e = events.get(i);
            if (!active.isEmpty() && IpRange.compare(e.hi, e.lo, fromHi, fromLo) > 0) {
                long[] before = Words.decrement(e.hi, e.lo);
                out.add(fromHi, fromLo, before[0], before[1], label(active, labelOf, names, original), true);
            }
            for (; i < events.size() && events.get(i).hi == e.hi && events.get(i).lo == e.lo; i++) {
                Event same = events.get(i);
                active.set(same.list, same.opens);
            }
            fromHi = e.hi;
            fromLo = e.lo;
        }
        if (!active.isEmpty()) out.add(fromHi, fromLo, maxHi, maxLo, label(active, labelOf, names, original), true);
        return out.build();
    }

    private static int label(BitSet active, Map<BitSet, Integer> labelOf, List<List<String>> names,
                             List<ThreatList> lists) {
        return labelOf.computeIfAbsent((BitSet) active.clone(), set -> {
            names.add(set.stream().mapToObj(k -> lists.get(k).name()).toList());
            return names.size() - 1;
        });
    }

    // Section D's exclusion list, plus the special-purpose registry ranges the geo lookup also skips.
    private static final String[] SPECIAL_V4 = {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"};
    private static final String[] SPECIAL_V6 = {"::/64", "100::/64", "2001:db8::/32", "3fff::/20", "fc00::/7",
            "fe80::/10", "ff00::/8"};

    private static FlatRanges specialUse(int version, List<IpRange> keep) {
        RangeBuilder special = new RangeBuilder(), kept = new RangeBuilder();
        for (String cidr : version == 4 ? SPECIAL_V4 : SPECIAL_V6) special.add(IpRange.parse(cidr), 0);
        for (IpRange k : keep) if (k.version() == version) kept.add(k, 0);
        return special.build().minus(kept.build());
    }
}
