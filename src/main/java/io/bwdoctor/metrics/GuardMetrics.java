package io.bwdoctor.metrics;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Rates;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.HashMap;
import java.util.Map;

/**
 * The guard's Prometheus metrics (all named bwdoctor_*, listed in docs/FLEET.md). The guard calls {@link #update} once
 * a second from its loop and {@link #incidentOpened}/{@link #incidentClosed} on incidents; a scrape reads the
 * registry from the HTTP server's thread. Counters are fed with the growth of the snapshot's cumulative totals;
 * label data points are cached, so a steady-state update allocates little (map lookups of boxed pids).
 * Not thread-safe for updates: call from one thread.
 */
public final class GuardMetrics {
    public static final int DEFAULT_TOP_PROCESSES = 10;
    static final int MAX_INTERFACES = 64, MAX_REASONS = 16;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter interfaceBytes = counter("bwdoctor_interface_bytes_total",
            "Bytes that crossed the interface, by direction (tx = sent by this host).", "interface", "direction");
    private final Counter scopeBytes = counter("bwdoctor_interface_scope_bytes_total",
            "Bytes by where the other end is: public (internet) or private address space.", "interface", "scope");
    private final Gauge utilisation = gauge("bwdoctor_interface_utilisation_ratio",
            "Public bits per second (busier direction) divided by the configured cap; 1 = at the cap.", "interface");
    private final Gauge cap = gauge("bwdoctor_interface_cap_bytes_per_second",
            "The configured bandwidth cap (bits per second / 8: Prometheus' base unit is bytes).", "interface");
    private final Counter captureReceived = counter("bwdoctor_capture_received_packets_total",
            "Packets the capture saw.", "interface");
    private final Counter captureDropped = counter("bwdoctor_capture_dropped_packets_total",
            "Packets lost before bwdoctor counted them: by the capture buffer or by the interface/driver.",
            "interface", "stage");
    private final Counter processBytes = counter("bwdoctor_process_bytes_total",
            "Bytes by process name and verdict (top N names; the rest under process=\"other\").",
            "process", "verdict", "direction");
    private final Gauge processes = gauge("bwdoctor_processes",
            "Running processes with traffic in the last refresh, by verdict.", "verdict");
    private final Counter unattributedBytes = counter("bwdoctor_unattributed_bytes_total",
            "Bytes not tied to a process, by reason.", "reason", "direction");
    private final Counter incidents = counter("bwdoctor_incidents_total",
            "Incidents opened (link above the threshold).", "interface");
    private final Gauge incidentOpen = gauge("bwdoctor_incident_open",
            "Incidents open now (1 while the link is saturated).", "interface");
    private final Gauge lastUpdate = gauge("bwdoctor_guard_last_update_timestamp_seconds",
            "When the guard loop last refreshed these metrics (a stalled loop stops moving it).");

    private final TopProcesses top;
    private final Map<String, Iface> interfaces = new HashMap<>();
    private final Map<String, Reason> reasons = new HashMap<>();
    private final Labels.Bounded interfaceNames = new Labels.Bounded(MAX_INTERFACES, "other");
    private final Map<String, Integer> openByInterface = new HashMap<>();
    private final Map<String, GaugeDataPoint> processesByVerdict = new HashMap<>();

    /** Cached data points and last cumulative values of one interface. */
    private final class Iface {
        final String label;
        final CounterDataPoint tx, rx, pub, priv, received, droppedCapture, droppedInterface;
        long lastTx, lastRx, lastPub, lastPriv, lastReceived, lastDropCapture, lastDropInterface;
        boolean capShown;

        Iface(String label) {
            this.label = label;
            tx = interfaceBytes.labelValues(label, "tx");
            rx = interfaceBytes.labelValues(label, "rx");
            pub = scopeBytes.labelValues(label, "public");
            priv = scopeBytes.labelValues(label, "private");
            received = captureReceived.labelValues(label);
            droppedCapture = captureDropped.labelValues(label, "capture");
            droppedInterface = captureDropped.labelValues(label, "interface");
        }
    }

    private final class Reason {
        final CounterDataPoint tx, rx;
        long lastTx, lastRx;

        Reason(String label) {
            tx = unattributedBytes.labelValues(label, "tx");
            rx = unattributedBytes.labelValues(label, "rx");
        }
    }

    public GuardMetrics(String version) {
        this(version, DEFAULT_TOP_PROCESSES);
    }

    public GuardMetrics(String version, int topProcesses) {
        top = new TopProcesses(topProcesses, processBytes);
        Info info = Info.builder().name("bwdoctor_info").help("The bwdoctor version that runs the guard.")
                .labelNames("version").register(registry);
        info.setLabelValues(Labels.name(version));
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Feeds one refresh.
     *
     * @param verdictByPid     the classifier's verdict key for each pid it judged (others are "unclassified")
     * @param scopeByInterface the guard's public/private split per interface name (may lack interfaces)
     */
    public void update(LiveSnapshot snapshot, Map<Integer, String> verdictByPid,
                       Map<String, LinkScope> scopeByInterface) {
        Long capBps = snapshot.capBps();
        for (LiveSnapshot.InterfaceRow row : snapshot.interfaces()) {
            updateInterface(row, capBps, scopeByInterface.get(row.name()));
        }
        top.update(snapshot.processes(), verdictByPid);
        for (Map.Entry<String, Integer> e : top.activeByVerdict().entrySet()) {
            processesByVerdict.computeIfAbsent(e.getKey(), processes::labelValues).set(e.getValue());
        }
        LiveSnapshot.Unattributed unattributed = snapshot.unattributed();
        if (unattributed != null && unattributed.reasons() != null) {
            for (Map.Entry<String, Rates> e : unattributed.reasons().entrySet()) {
                updateReason(e.getKey(), e.getValue());
            }
        }
        lastUpdate.set(snapshot.timestampMillis() / 1000.0);
    }

    /**
     * Interface figures only: the guard between deep looks, when no capture runs and there are no per-process
     * figures (the process series keep what the last deep look gave).
     */
    public void updateLink(LiveSnapshot snapshot, Map<String, LinkScope> scopeByInterface) {
        for (LiveSnapshot.InterfaceRow row : snapshot.interfaces()) {
            updateInterface(row, snapshot.capBps(), scopeByInterface.get(row.name()));
        }
        lastUpdate.set(snapshot.timestampMillis() / 1000.0);
    }

    private void updateInterface(LiveSnapshot.InterfaceRow row, Long capBps, LinkScope scope) {
        Iface f = interfaces.get(row.name());
        if (f == null) {
            f = new Iface(interfaceLabel(row.name()));
            interfaces.put(row.name(), f);
        }
        Rates r = row.rates();
        if (r != null) {
            f.tx.inc(MetricsMath.delta(r.txBytes(), f.lastTx));
            f.rx.inc(MetricsMath.delta(r.rxBytes(), f.lastRx));
            f.lastTx = r.txBytes();
            f.lastRx = r.rxBytes();
        }
        f.received.inc(MetricsMath.delta(row.captureReceived(), f.lastReceived));
        f.droppedCapture.inc(MetricsMath.delta(row.captureDropped(), f.lastDropCapture));
        f.droppedInterface.inc(MetricsMath.delta(row.interfaceDropped(), f.lastDropInterface));
        f.lastReceived = row.captureReceived();
        f.lastDropCapture = row.captureDropped();
        f.lastDropInterface = row.interfaceDropped();
        if (scope != null) {
            f.pub.inc(MetricsMath.delta(scope.publicBytes(), f.lastPub));
            f.priv.inc(MetricsMath.delta(scope.privateBytes(), f.lastPriv));
            f.lastPub = scope.publicBytes();
            f.lastPriv = scope.privateBytes();
        }
        if (capBps == null || capBps <= 0) {
            if (f.capShown) { // no cap, no ratio: show neither rather than a made-up value
                utilisation.remove(f.label);
                cap.remove(f.label);
                f.capShown = false;
            }
            return;
        }
        f.capShown = true;
        long bps = scope != null ? scope.publicBps() : busier2s(r);
        utilisation.labelValues(f.label).set((double) bps / capBps);
        cap.labelValues(f.label).set(capBps / 8.0);
    }

    private static long busier2s(Rates r) {
        if (r == null) {
            return 0;
        }
        long tx = r.txBps2s() == null ? 0 : r.txBps2s(), rx = r.rxBps2s() == null ? 0 : r.rxBps2s();
        return Math.max(tx, rx);
    }

    private void updateReason(String key, Rates rates) {
        if (rates == null) {
            return;
        }
        Reason reason = reasons.get(key);
        if (reason == null) {
            String label = reasons.size() < MAX_REASONS ? Labels.word(key, "other") : "other";
            reason = new Reason(label);
            reasons.put(key, reason);
        }
        reason.tx.inc(MetricsMath.delta(rates.txBytes(), reason.lastTx));
        reason.rx.inc(MetricsMath.delta(rates.rxBytes(), reason.lastRx));
        reason.lastTx = rates.txBytes();
        reason.lastRx = rates.rxBytes();
    }

    public synchronized void incidentOpened(Incident incident) {
        String label = interfaceLabel(incident.iface());
        incidents.labelValues(label).inc();
        int open = openByInterface.merge(label, 1, Integer::sum);
        incidentOpen.labelValues(label).set(open);
    }

    public synchronized void incidentClosed(Incident incident) {
        String label = interfaceLabel(incident.iface());
        int open = Math.max(0, openByInterface.getOrDefault(label, 0) - 1);
        openByInterface.put(label, open);
        incidentOpen.labelValues(label).set(open);
    }

    private String interfaceLabel(String raw) {
        synchronized (interfaceNames) {
            return interfaceNames.admit(Labels.name(raw));
        }
    }

    /** Without exemplars: they would look for a tracing span on every increment, and the guard has none. */
    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    private Gauge gauge(String name, String help, String... labels) {
        return Gauge.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }
}
