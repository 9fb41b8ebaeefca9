package io.bwdoctor.metrics;

import static io.bwdoctor.metrics.Snapshots.iface;
import static io.bwdoctor.metrics.Snapshots.process;
import static io.bwdoctor.metrics.Snapshots.rates;
import static io.bwdoctor.metrics.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Rates;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Feeds snapshots as the guard would and scrapes the real endpoint on 127.0.0.1. */
class GuardMetricsTest {
    private static final long T0 = 1_796_040_000_000L;
    private GuardMetrics metrics;
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        metrics = new GuardMetrics("1.2.3-test", 10);
        server = MetricsServer.start(new InetSocketAddress(MetricsServer.parseListen("127.0.0.1:0").getAddress(), 0),
                metrics.registry());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Scrape scrape() throws Exception {
        return Scrape.of(server.address());
    }

    @Test
    void interfaceCountersFollowTheCumulativeTotalsAndUtilisationUsesThePublicRate() throws Exception {
        metrics.update(snapshot(T0, 1_000_000_000L, List.of(iface("eth0", 1000, 2000, 50, 0, 0)), List.of(),
                Map.of()), Map.of(), Map.of("eth0", new LinkScope(900, 100, 250_000_000L)));
        metrics.update(snapshot(T0 + 1000, 1_000_000_000L, List.of(iface("eth0", 1500, 2600, 80, 3, 1)), List.of(),
                Map.of()), Map.of(), Map.of("eth0", new LinkScope(1400, 150, 970_000_000L)));

        Scrape s = scrape();
        assertThat(s.value("bwdoctor_interface_bytes_total", "interface", "eth0", "direction", "tx")).isEqualTo(1500);
        assertThat(s.value("bwdoctor_interface_bytes_total", "interface", "eth0", "direction", "rx")).isEqualTo(2600);
        assertThat(s.value("bwdoctor_interface_scope_bytes_total", "interface", "eth0", "scope", "public"))
                .isEqualTo(1400);
        assertThat(s.value("bwdoctor_interface_scope_bytes_total", "interface", "eth0", "scope", "private"))
                .isEqualTo(150);
        assertThat(s.value("bwdoctor_interface_utilisation_ratio", "interface", "eth0")).isEqualTo(0.97);
        assertThat(s.value("bwdoctor_interface_cap_bytes_per_second", "interface", "eth0")).isEqualTo(125e6);
        assertThat(s.value("bwdoctor_capture_received_packets_total", "interface", "eth0")).isEqualTo(80);
        assertThat(s.value("bwdoctor_capture_dropped_packets_total", "interface", "eth0", "stage", "capture"))
                .isEqualTo(3);
        assertThat(s.value("bwdoctor_capture_dropped_packets_total", "interface", "eth0", "stage", "interface"))
                .isEqualTo(1);
        assertThat(s.value("bwdoctor_guard_last_update_timestamp_seconds")).isEqualTo((T0 + 1000) / 1000.0);
        assertThat(s.value("bwdoctor_info", "version", "1.2.3-test")).isEqualTo(1);
        assertThat(s.text()).contains("# TYPE bwdoctor_interface_bytes_total counter",
                "# TYPE bwdoctor_interface_utilisation_ratio gauge");
    }

    @Test
    void withoutScopeTheBusierDirectionCountsAndWithoutCapThereIsNoRatio() throws Exception {
        metrics.update(snapshot(T0, 100_000_000L, List.of(iface("eth0", 1000, 5_000_000, 0, 0, 0)), List.of(),
                Map.of()), Map.of(), Map.of());
        Scrape s = scrape();
        assertThat(s.value("bwdoctor_interface_utilisation_ratio", "interface", "eth0")).isEqualTo(0.4); // 40 Mb/s rx
        assertThat(s.value("bwdoctor_interface_scope_bytes_total", "interface", "eth0", "scope", "public")).isZero();

        metrics.update(snapshot(T0 + 1000, null, List.of(iface("eth0", 2000, 6_000_000, 0, 0, 0)), List.of(),
                Map.of()), Map.of(), Map.of());
        s = scrape();
        assertThat(s.named("bwdoctor_interface_utilisation_ratio")).isEmpty();
        assertThat(s.named("bwdoctor_interface_cap_bytes_per_second")).isEmpty();
        assertThat(s.value("bwdoctor_interface_bytes_total", "interface", "eth0", "direction", "rx"))
                .isEqualTo(6_000_000);
    }

    @Test
    void aSourceThatRestartsFromZeroDoesNotMakeCountersGoBackwards() throws Exception {
        metrics.update(snapshot(T0, null, List.of(iface("eth0", 1000, 1000, 0, 0, 0)), List.of(), Map.of()),
                Map.of(), Map.of());
        metrics.update(snapshot(T0 + 1000, null, List.of(iface("eth0", 300, 200, 0, 0, 0)), List.of(), Map.of()),
                Map.of(), Map.of());
        assertThat(scrape().value("bwdoctor_interface_bytes_total", "interface", "eth0", "direction", "tx"))
                .isEqualTo(1300);
    }

    @Test
    void hundredProcessesGiveAtMostTopNPlusOtherSeriesAndNoByteIsLost() throws Exception {
        List<LiveSnapshot.ProcessRow> rows = new ArrayList<>();
        Map<Integer, String> verdicts = new HashMap<>();
        long totalTx = 0, totalRx = 0;
        for (int i = 1; i <= 100; i++) {
            rows.add(process(1000 + i, "proc" + i, i * 1000L, i * 10L));
            verdicts.put(1000 + i, i % 2 == 0 ? "expected" : "backup");
            totalTx += i * 1000L;
            totalRx += i * 10L;
        }
        metrics.update(snapshot(T0, null, List.of(), rows, Map.of()), verdicts, Map.of());

        Scrape s = scrape();
        List<Scrape.Series> tx = s.named("bwdoctor_process_bytes_total").stream()
                .filter(x -> x.label("direction").equals("tx")).toList();
        assertThat(tx).hasSize(11);
        Set<String> named = tx.stream().map(x -> x.label("process")).collect(Collectors.toSet());
        assertThat(named).containsExactlyInAnyOrder("proc91", "proc92", "proc93", "proc94", "proc95", "proc96",
                "proc97", "proc98", "proc99", "proc100", "other");
        assertThat(s.value("bwdoctor_process_bytes_total", "process", "proc100", "verdict", "expected",
                "direction", "tx")).isEqualTo(100_000);
        assertThat(s.value("bwdoctor_process_bytes_total", "process", "proc99", "verdict", "backup",
                "direction", "rx")).isEqualTo(990);
        assertThat(tx.stream().mapToDouble(Scrape.Series::value).sum()).isEqualTo(totalTx);
        assertThat(s.named("bwdoctor_process_bytes_total").stream().filter(x -> x.label("direction").equals("rx"))
                .mapToDouble(Scrape.Series::value).sum()).isEqualTo(totalRx);
        assertThat(s.value("bwdoctor_processes", "verdict", "expected")).isEqualTo(50);
        assertThat(s.value("bwdoctor_processes", "verdict", "backup")).isEqualTo(50);

        // Each second a new busy process appears: the set of series stays bounded while the top changes.
        for (int second = 1; second <= 30; second++) {
            List<LiveSnapshot.ProcessRow> next = new ArrayList<>();
            for (LiveSnapshot.ProcessRow r : rows) {
                next.add(process(r.pid(), r.name(), r.rates().txBytes() + 100, r.rates().rxBytes()));
            }
            next.add(process(5000 + second, "burst" + second, 10_000_000L, 0));
            rows = next;
            metrics.update(snapshot(T0 + second * 1000L, null, List.of(), rows, Map.of()), verdicts, Map.of());
            assertThat(scrape().named("bwdoctor_process_bytes_total").stream()
                    .filter(x -> x.label("direction").equals("tx"))).hasSizeLessThanOrEqualTo(11);
        }
        Scrape last = scrape();
        assertThat(last.value("bwdoctor_process_bytes_total", "process", "burst30", "verdict", "unclassified",
                "direction", "tx")).isEqualTo(10_000_000);
        assertThat(last.value("bwdoctor_processes", "verdict", "unclassified")).isEqualTo(30);
    }

    @Test
    void processAndVerdictLabelsAreSanitizedAndBounded() throws Exception {
        List<LiveSnapshot.ProcessRow> rows = new ArrayList<>();
        Map<Integer, String> verdicts = new HashMap<>();
        rows.add(process(1, "evil\"\n\u001b[31m" + "x".repeat(100), 5, 5));
        verdicts.put(1, "Mal ware\"}");
        for (int i = 0; i < 40; i++) { // forty distinct verdict words: only 16 become label values
            rows.add(process(100 + i, "p", 1, 0));
            verdicts.put(100 + i, "v" + i);
        }
        metrics.update(snapshot(T0, null, List.of(), rows, Map.of()), verdicts, Map.of());

        Scrape s = scrape();
        Scrape.Series evil = s.named("bwdoctor_process_bytes_total").stream()
                .filter(x -> x.label("process").startsWith("evil")).findFirst().orElseThrow();
        assertThat(evil.label("process")).startsWith("evil\"\\x0a\\x1b[31mxxx").hasSize(Labels.MAX_NAME).endsWith("~");
        assertThat(evil.label("verdict")).isEqualTo("malware");
        assertThat(s.named("bwdoctor_processes")).hasSize(TopProcesses.MAX_VERDICTS + 1); // + "other"
        assertThat(s.value("bwdoctor_processes", "verdict", "other")).isEqualTo(40 - 15);
    }

    @Test
    void incidentsAndUnattributedReasons() throws Exception {
        Incident incident = new Incident(1, T0, null, "eth0", 1_000_000_000L, 0.97, 970_000_000L, List.of(),
                List.of(), List.of(), "{}");
        metrics.incidentOpened(incident);
        Map<String, Rates> reasons = Map.of("no_socket", rates(100, 200), "icmp", rates(5, 6));
        metrics.update(snapshot(T0, null, List.of(), List.of(), reasons), Map.of(), Map.of());

        Scrape s = scrape();
        assertThat(s.value("bwdoctor_incidents_total", "interface", "eth0")).isEqualTo(1);
        assertThat(s.value("bwdoctor_incident_open", "interface", "eth0")).isEqualTo(1);
        assertThat(s.value("bwdoctor_unattributed_bytes_total", "reason", "no_socket", "direction", "rx"))
                .isEqualTo(200);
        assertThat(s.value("bwdoctor_unattributed_bytes_total", "reason", "icmp", "direction", "tx")).isEqualTo(5);

        metrics.incidentClosed(incident);
        metrics.incidentClosed(incident); // a duplicate close must not go negative
        s = scrape();
        assertThat(s.value("bwdoctor_incident_open", "interface", "eth0")).isZero();
        assertThat(s.value("bwdoctor_incidents_total", "interface", "eth0")).isEqualTo(1);
    }
}
