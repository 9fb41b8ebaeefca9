package io.bwdoctor.guard;

import io.bwdoctor.alert.AlertSink;
import io.bwdoctor.cli.diagnose.Reports;
import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.guard.SaturationTracker;
import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Rates;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.core.verdict.Evidence;
import io.bwdoctor.engine.DiagnoseSession;
import io.bwdoctor.engine.LinkCounters;
import io.bwdoctor.engine.Platforms;
import io.bwdoctor.engine.QuickLook;
import io.bwdoctor.metrics.GuardMetrics;
import io.bwdoctor.metrics.LinkScope;
import io.bwdoctor.storage.IncidentStore;
import io.bwdoctor.storage.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The watchdog: once a second it reads the interface's kernel counters (no capture while the link is healthy),
 * records the second, and tracks utilisation of the cap (public traffic only). When the link stays saturated it
 * opens an incident, takes a deep look (capture + attribution + verdicts, as diagnose does) for a bounded time,
 * records the culprits and tells the alert sinks; it closes the incident once the link has recovered.
 */
public final class Guard {
    /** Samples of the incident's timeline kept in memory (an hour); the store keeps every second anyway. */
    private static final int TIMELINE_MAX = 3600;

    /**
     * @param threshold   utilisation (of the cap) from which a second counts as saturated
     * @param openAfter   saturated seconds in a row that open an incident
     * @param closeAfter  calm seconds in a row that close it
     * @param deepSeconds how long the deep look samples
     * @param policy      what to do to an abnormal process on its own: none, dry-run, stop
     * @param maxSeconds  stop after this many seconds (tests), or 0 to run until stopped
     */
    public record Settings(String iface, long capBps, double threshold, int openAfter, int closeAfter,
                           int deepSeconds, String policy, int maxSeconds) {}

    private final Settings settings;
    private final IncidentStore store;
    private final AlertSink alerts;
    private final GuardMetrics metrics;
    private final DiagnoseSession.Options diagnose;
    private final PrintStream log;
    private final SaturationTracker tracker;
    private final Deque<Incident.Sample> recent = new ArrayDeque<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private LinkCounters counters;
    private Incident open;
    private Thread deepLook;
    private String lastStoreError;

    public Guard(Settings settings, IncidentStore store, AlertSink alerts, GuardMetrics metrics,
                 DiagnoseSession.Options diagnose, PrintStream log) {
        this.settings = settings;
        this.store = store;
        this.alerts = alerts;
        this.metrics = metrics;
        this.diagnose = diagnose;
        this.log = log;
        this.tracker = new SaturationTracker(settings.threshold(), settings.openAfter(), settings.closeAfter());
    }

    /** Asks the loop to end (signal handlers call this). */
    public void stop() {
        stop.countDown();
    }

    public void run() throws InterruptedException {
        try {
            List<Long> stale = store.closeStale("the guard stopped before the link recovered");
            if (!stale.isEmpty()) {
                log.println("bwdoctor guard: closed incident(s) " + stale + " left open by a previous run");
            }
        } catch (StoreException e) {
            storeProblem(e);
        }
        try {
            counters = Platforms.openLinkCounters(Platforms.current(), settings.iface());
        } catch (IOException e) {
            log.println("bwdoctor guard: cannot read counters: " + Safe.terminal(e.getMessage()));
            return;
        }
        if (counters.scopeGap() != null) {
            log.println("bwdoctor guard: no public/private split (" + Safe.terminal(counters.scopeGap())
                    + "): all traffic counts against the cap");
        }
        log.printf("bwdoctor guard: watching %s, cap %d bit/s, incident after %d s above %.0f%%%n",
                Safe.terminal(settings.iface()), settings.capBps(), settings.openAfter(), settings.threshold() * 100);
        long[] last = null;
        long started = System.nanoTime();
        try {
            while (!stop.await(1000 - System.currentTimeMillis() % 1000, TimeUnit.MILLISECONDS)) {
                long second = System.currentTimeMillis() / 1000;
                long[] now = read();
                if (now != null && last != null) {
                    tick(second, now, last);
                }
                last = now;
                if (settings.maxSeconds() > 0 && System.nanoTime() - started >= settings.maxSeconds() * 1_000_000_000L) {
                    break;
                }
            }
        } finally {
            if (deepLook != null) {
                deepLook.join(TimeUnit.SECONDS.toMillis(settings.deepSeconds() + 30));
            }
            if (open != null) {
                finish(System.currentTimeMillis(), "the guard stopped while the link was still saturated");
            }
            counters.close();
        }
    }

    /** {device tx, device rx, kernel-counted all tx, all rx, private tx, private rx}, or null when unreadable. */
    private long[] read() {
        try {
            LinkCounters.Reading r = counters.read().orElse(null);
            if (r == null) {
                log.println("bwdoctor guard: interface " + Safe.terminal(settings.iface()) + " is gone; waiting");
                return null;
            }
            return new long[] {r.deviceTx(), r.deviceRx(), r.allTx(), r.allRx(), r.privateTx(), r.privateRx()};
        } catch (IOException e) {
            log.println("bwdoctor guard: cannot read counters: " + Safe.terminal(e.getMessage()));
            return null;
        }
    }

    private void tick(long second, long[] now, long[] last) {
        long tx = Math.max(0, now[0] - last[0]);
        long rx = Math.max(0, now[1] - last[1]);
        long pubTx = tx - privatePart(tx, now[2] - last[2], now[4] - last[4]);
        long pubRx = rx - privatePart(rx, now[3] - last[3], now[5] - last[5]);
        long publicBps = Math.max(pubTx, pubRx) * 8;
        Incident.Sample sample = new Incident.Sample(second, tx * 8, rx * 8, publicBps);
        recent.addLast(sample);
        while (recent.size() > TIMELINE_MAX) {
            recent.removeFirst();
        }
        try {
            store.recordSecond(settings.iface(), sample);
            if (lastStoreError != null) {
                log.println("bwdoctor guard: recording again (" + lastStoreError + " is over)");
                lastStoreError = null;
            }
        } catch (StoreException e) {
            storeProblem(e);
        }
        double utilisation = (double) publicBps / settings.capBps();
        if (metrics != null) {
            metrics.updateLink(snapshot(second, now), Map.of(settings.iface(),
                    new LinkScope(now[0] + now[1] - privateTotal(now), privateTotal(now), publicBps)));
        }
        switch (tracker.feed(utilisation)) {
            case OPEN -> openIncident(second);
            case CLOSE -> finish(second * 1000, null);
            case NONE -> {
                if (open != null) {
                    Incident current;
                    synchronized (this) { // the deep look thread reads and completes it too
                        open = open.plus(sample, TIMELINE_MAX);
                        current = open;
                    }
                    if (second % 10 == 0) {
                        persist(current);
                    }
                }
            }
        }
    }

    /** The device's bytes that went to private addresses, from the kernel counters' share (L3 bytes). */
    private static long privatePart(long deviceBytes, long allL3, long privateL3) {
        if (allL3 <= 0 || privateL3 <= 0) {
            return 0;
        }
        return Math.min(deviceBytes, Math.round(deviceBytes * Math.min(1.0, (double) privateL3 / allL3)));
    }

    private long privateTotal(long[] now) {
        if (now[2] + now[3] == 0) {
            return 0;
        }
        return Math.round((now[0] + now[1]) * Math.min(1.0, (double) (now[4] + now[5]) / (now[2] + now[3])));
    }

    private void openIncident(long second) {
        long start = (second - settings.openAfter() + 1) * 1000;
        List<Incident.Sample> timeline = recent.stream().filter(s -> s.epochSecond() * 1000 >= start).toList();
        long peak = timeline.stream().mapToLong(Incident.Sample::publicBps).max().orElse(0);
        open = new Incident(0, start, null, settings.iface(), settings.capBps(),
                Incident.utilisation(peak, settings.capBps()), peak, timeline, List.of(), List.of(), null);
        try {
            open = open.withId(store.open(open));
        } catch (StoreException e) {
            storeProblem(e);
        }
        if (metrics != null) {
            metrics.incidentOpened(open);
        }
        log.printf("bwdoctor guard: incident %d opened: %s at %.0f%% of the cap; taking a deep look for %d s%n",
                open.id(), Safe.terminal(settings.iface()), open.peakUtilisation() * 100, settings.deepSeconds());
        long id = open.id();
        deepLook = Thread.ofPlatform().name("bwdoctor-deep-look").daemon().start(() -> deepLook(id));
    }

    /** The week before, from our own store: did the traffic jump or grow? Null when there is too little history. */
    private io.bwdoctor.core.diagnose.Baseline baseline() {
        try {
            return History.baseline(store, settings.iface(), System.currentTimeMillis());
        } catch (StoreException e) {
            return null;
        }
    }

    /** Capture and verdicts while the incident is open; then the incident has its culprits and the alert goes out. */
    private void deepLook(long id) {
        Diagnosis d;
        try {
            d = DiagnoseSession.run(new DiagnoseSession.Options(diagnose.interfaces(), settings.capBps(),
                    settings.deepSeconds(), diagnose.country(), diagnose.capture(), diagnose.classifier(),
                    diagnose.declarations(), diagnose.intel(), diagnose.scope(), diagnose.persistence(), baseline()),
                    SILENT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            log.println("bwdoctor guard: the deep look failed: " + Safe.terminal(String.valueOf(e)));
            return;
        }
        List<Incident.Culprit> culprits = new ArrayList<>();
        for (Diagnosis.ProcessReport p : d.processes().subList(0, Math.min(10, d.processes().size()))) {
            culprits.add(new Incident.Culprit(p.facts().pid(), p.facts().name(), p.facts().exe(),
                    p.classification().verdict().key(), p.classification().confidence(),
                    p.classification().evidence().stream().map(Evidence::text).toList(), p.rates().txBytes(),
                    p.rates().rxBytes()));
        }
        if (metrics != null) { // the per-process series come from deep looks (no capture in between)
            metrics.update(processSnapshot(d), verdicts(d), Map.of());
        }
        List<String> actions = new ArrayList<>();
        d.actions().forEach(a -> actions.add(a.key() + (a.pid() >= 0 ? " pid " + a.pid() : "")
                + (a.commands().isEmpty() ? "" : ": " + String.join("; ", a.commands()))));
        actions.addAll(Policy.apply(settings.policy(), d, log));
        String report = Reports.json(d);
        Incident withCulprits;
        synchronized (this) {
            if (open == null || open.id() != id) { // closed meanwhile: complete the stored one
                withCulprits = null;
            } else {
                open = open.withFindings(culprits, actions, report);
                withCulprits = open;
            }
        }
        if (withCulprits != null) {
            persist(withCulprits);
            alerts.opened(withCulprits);
        } else {
            try {
                store.get(id).ifPresent(stored -> {
                    Incident done = stored.withFindings(culprits, actions, report);
                    persist(done);
                    alerts.opened(done);
                });
            } catch (StoreException e) {
                storeProblem(e);
            }
        }
        String top = culprits.isEmpty() ? "no process" : culprits.get(0).name() + " (pid " + culprits.get(0).pid()
                + ", " + culprits.get(0).verdict() + ")";
        log.println("bwdoctor guard: incident " + id + ": top user " + Safe.terminal(top));
    }

    private synchronized void finish(long endMillis, String note) {
        if (open == null) {
            return;
        }
        Incident closed = open.closedAt(endMillis);
        persist(closed);
        try {
            store.close(closed.id(), endMillis, note);
        } catch (StoreException e) {
            storeProblem(e);
        }
        if (metrics != null) {
            metrics.incidentClosed(closed);
        }
        alerts.closed(closed);
        log.printf("bwdoctor guard: incident %d closed after %d s, peak %.0f%% of the cap%n", closed.id(),
                (endMillis - closed.startMillis()) / 1000, closed.peakUtilisation() * 100);
        open = null;
    }


    private void persist(Incident i) {
        if (i.id() == 0) {
            return; // the store refused to open it (disk full...): the log and the alert still tell
        }
        try {
            store.update(i);
        } catch (StoreException e) {
            storeProblem(e);
        }
    }

    /** Says once what is wrong with the store (disk full...) and keeps watching. */
    private void storeProblem(StoreException e) {
        String what = e.kind() + ": " + e.getMessage();
        if (!what.equals(lastStoreError)) {
            log.println("bwdoctor guard: cannot record (" + Safe.terminal(what) + "); still watching");
            lastStoreError = what;
        }
    }

    /** A counters-only snapshot for the metrics (the deep look's captures are not kept between incidents). */
    private LiveSnapshot snapshot(long second, long[] now) {
        Incident.Sample s = recent.peekLast();
        long txBps = s == null ? 0 : s.txBps();
        long rxBps = s == null ? 0 : s.rxBps();
        Rates rates = new Rates(now[0], now[1], 0, 0, txBps, rxBps, null, null, null, null, txBps, rxBps,
                txBps + rxBps);
        return new LiveSnapshot(second * 1000, 0, settings.capBps(), List.of(new LiveSnapshot.InterfaceRow(
                settings.iface(), List.of(), rates, 0, 0, 0, null)), new LiveSnapshot.Coverage(false, false, false,
                false, List.of()), List.of(), List.of(), List.of(), new LiveSnapshot.Unattributed(rates0(), Map.of()));
    }

    /** The deep look's processes as a snapshot without interfaces (those are counted from the kernel counters). */
    private LiveSnapshot processSnapshot(Diagnosis d) {
        List<LiveSnapshot.ProcessRow> rows = new ArrayList<>();
        for (Diagnosis.ProcessReport p : d.processes()) {
            rows.add(new LiveSnapshot.ProcessRow(p.facts().pid(), p.facts().ppid(), p.facts().name(), p.facts().exe(),
                    String.join(" ", p.facts().cmdline()), p.facts().user(), p.facts().container(), p.exited(),
                    p.traffic().conversations(), p.rates()));
        }
        return new LiveSnapshot(System.currentTimeMillis(), d.seconds(), settings.capBps(), List.of(),
                new LiveSnapshot.Coverage(true, true, true, true, d.coverage()), rows, List.of(), List.of(),
                new LiveSnapshot.Unattributed(rates0(), Map.of()));
    }

    private static Map<Integer, String> verdicts(Diagnosis d) {
        Map<Integer, String> out = new java.util.HashMap<>();
        d.processes().forEach(p -> out.put(p.facts().pid(), p.classification().verdict().key()));
        return out;
    }

    private static Rates rates0() {
        return new Rates(0, 0, 0, 0, 0L, 0L, 0L, 0L, 0L, 0L, 0, 0, 0);
    }

    private static final DiagnoseSession.Progress SILENT = new DiagnoseSession.Progress() {
        @Override
        public void firstLook(List<QuickLook.Entry> top) {}

        @Override
        public void second(int done, int total, LiveSnapshot snapshot) {}
    };
}
