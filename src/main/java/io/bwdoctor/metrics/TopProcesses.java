package io.bwdoctor.metrics;

import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Rates;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-process byte counters with bounded cardinality. Processes are grouped by (name, verdict), never by pid (pids are
 * unbounded over time). At most {@code limit} groups own a series at a time; the bytes of every other group go to
 * process="other". A group that is not tracked takes a free slot, or evicts the tracked group with the lowest recent
 * traffic when its own recent traffic (bytes with a ~30 s half-life) is at least 25 % higher; the evicted series is
 * removed, so Prometheus sees it end (and, should it come back, restart from 0, which rate() treats as a reset).
 * A group's series starts with the bytes of the second it was admitted; earlier bytes were counted under "other", so
 * the sum over all series always equals the bytes seen.
 */
final class TopProcesses {
    static final String OTHER = "other", MIXED = "mixed", UNCLASSIFIED = "unclassified";
    static final int MAX_VERDICTS = 16;
    private static final double DECAY = 0.977; // per update (1 s): half-life ~30 s
    private static final double HYSTERESIS = 1.25;
    private static final Comparator<Group> BUSIEST_FIRST = Comparator.comparingDouble((Group g) -> g.score).reversed();

    private static final class PidState {
        String rawName, rawVerdict;
        Group group;
        long tx, rx, seen;
    }

    private static final class Group {
        final String process, verdict;
        double score;
        long pendingTx, pendingRx, seen;
        CounterDataPoint tx, rx; // non-null while tracked

        Group(String process, String verdict) {
            this.process = process;
            this.verdict = verdict;
        }
    }

    private final int limit;
    private final Counter bytes;
    private final CounterDataPoint otherTx, otherRx;
    private final Map<Integer, PidState> pids = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final List<Group> tracked = new ArrayList<>();
    private final List<Group> candidates = new ArrayList<>();
    private final Labels.Bounded verdicts = new Labels.Bounded(MAX_VERDICTS, OTHER);
    private final Map<String, Integer> activeByVerdict = new HashMap<>();
    private long generation;

    TopProcesses(int limit, Counter bytes) {
        if (limit < 1) {
            throw new IllegalArgumentException("top process count must be at least 1");
        }
        this.limit = limit;
        this.bytes = bytes;
        this.otherTx = bytes.labelValues(OTHER, MIXED, "tx");
        this.otherRx = bytes.labelValues(OTHER, MIXED, "rx");
    }

    /** Verdict label of each process still running in the last update, counted (for the processes gauge). */
    Map<String, Integer> activeByVerdict() {
        return activeByVerdict;
    }

    void update(List<LiveSnapshot.ProcessRow> rows, Map<Integer, String> verdictByPid) {
        generation++;
        activeByVerdict.replaceAll((k, v) -> 0);
        for (LiveSnapshot.ProcessRow row : rows) {
            Rates rates = row.rates();
            if (rates == null) {
                continue;
            }
            PidState p = pids.get(row.pid());
            if (p == null) {
                p = new PidState();
                pids.put(row.pid(), p);
            }
            String rawVerdict = verdictByPid.get(row.pid());
            if (p.group == null || !Objects.equals(p.rawName, row.name()) || !Objects.equals(p.rawVerdict, rawVerdict)) {
                p.rawName = row.name();
                p.rawVerdict = rawVerdict;
                p.group = group(row.name(), rawVerdict);
            }
            Group g = p.group;
            g.pendingTx += MetricsMath.delta(rates.txBytes(), p.tx);
            g.pendingRx += MetricsMath.delta(rates.rxBytes(), p.rx);
            p.tx = rates.txBytes();
            p.rx = rates.rxBytes();
            p.seen = generation;
            g.seen = generation;
            if (!row.exited()) {
                activeByVerdict.merge(g.verdict, 1, Integer::sum);
            }
        }
        pids.values().removeIf(p -> p.seen != generation);
        admit();
        for (Group g : groups.values()) {
            if (g.pendingTx + g.pendingRx == 0) {
                continue;
            }
            if (g.tx != null) {
                g.tx.inc(g.pendingTx);
                g.rx.inc(g.pendingRx);
            } else {
                otherTx.inc(g.pendingTx);
                otherRx.inc(g.pendingRx);
            }
            g.pendingTx = 0;
            g.pendingRx = 0;
        }
        for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
            Group g = it.next();
            if (g.tx == null && g.seen != generation) {
                it.remove();
            }
        }
    }

    /** Scores every group, then lets the busiest untracked ones take free or weaker slots. */
    private void admit() {
        candidates.clear();
        for (Group g : groups.values()) {
            long fresh = g.pendingTx + g.pendingRx;
            g.score = g.score * DECAY + fresh;
            if (g.tx == null && fresh > 0) {
                candidates.add(g);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        candidates.sort(BUSIEST_FIRST);
        for (Group c : candidates) {
            if (tracked.size() < limit) {
                track(c);
                continue;
            }
            Group weakest = tracked.getFirst();
            for (Group t : tracked) {
                if (t.score < weakest.score) {
                    weakest = t;
                }
            }
            if (c.score <= weakest.score * HYSTERESIS) {
                break; // candidates are sorted: no later one wins either
            }
            untrack(weakest);
            track(c);
        }
    }

    private void track(Group g) {
        g.tx = bytes.labelValues(g.process, g.verdict, "tx");
        g.rx = bytes.labelValues(g.process, g.verdict, "rx");
        tracked.add(g);
    }

    private void untrack(Group g) {
        bytes.remove(g.process, g.verdict, "tx");
        bytes.remove(g.process, g.verdict, "rx");
        g.tx = null;
        g.rx = null;
        tracked.remove(g);
    }

    private Group group(String rawName, String rawVerdict) {
        String process = Labels.name(rawName);
        String verdict = verdicts.admit(Labels.word(rawVerdict, UNCLASSIFIED));
        if (process.equals(OTHER) && verdict.equals(MIXED)) {
            process = "other~"; // keep a process really named "other" apart from the bucket
        }
        String key = process + '\0' + verdict;
        Group g = groups.get(key);
        if (g == null) {
            g = new Group(process, verdict);
            groups.put(key, g);
        }
        return g;
    }
}
