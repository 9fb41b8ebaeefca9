package io.bwdoctor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.capture.live.NetnsHarness;
import io.bwdoctor.cli.Main;
import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.storage.IncidentStore;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end, as root: `bwdoctor guard` watches namespace A's uplink with a 20 Mbit/s cap while a process in A
 * uploads 40 Mbit/s to B for a few seconds. The guard must open one incident, name the uploader as its top culprit,
 * post incident_opened and incident_closed to a webhook in B, and close the incident once the upload ends. Then a
 * second guard on the same database is killed with SIGKILL mid-run: the database must pass SQLite's integrity check
 * and hold every second the killed guard recorded up to its last one.
 */
class GuardScenarioTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    void saturationOpensAnIncidentWithTheCulpritAlertsAndSurvivesAKill() throws Exception {
        NetnsHarness.assumeUsable();
        Path script = dir.resolve("scenarios.py");
        try (InputStream in = getClass().getResourceAsStream("/io/bwdoctor/diagnose/scenarios.py")) {
            Files.copy(in, script);
        }
        Path db = dir.resolve("guard.db");
        Path hooks = dir.resolve("hooks.ndjson");
        List<Process> actors = new ArrayList<>();
        try (NetnsHarness h = NetnsHarness.twoNamespaces()) {
            String nsA = h.a().namespace();
            String nsB = h.b().namespace();
            String b4 = h.b().ipv4().getHostAddress();
            String u = Double.toString(System.currentTimeMillis() / 1000.0 + 50);
            actors.add(NetnsHarness.start(nsB, PYTHON, script.toString(), "sink", "9002", u));
            actors.add(NetnsHarness.start(nsB, PYTHON, script.toString(), "hooks", "8099", hooks.toString(), u));
            for (Process p : actors) {
                assertThat(firstLine(p)).contains("pid");
            }

            Process guard = startGuard(nsA, h.a().device(), db, "--seconds", "24", "--webhook",
                    "http://" + b4 + ":8099/hook");
            StringBuilder log = new StringBuilder();
            CountDownLatch watching = readLog(guard, log, "watching");
            assertThat(watching.await(60, TimeUnit.SECONDS)).as("guard started: %s", log).isTrue();
            Thread.sleep(2000); // a few calm seconds first
            Process upload = NetnsHarness.start(nsA, PYTHON, script.toString(), "paced", b4, "9002", "5000000", "8", u);
            actors.add(upload);
            long uploader = JSON.readTree(firstLine(upload)).get("pid").asLong();
            assertThat(guard.waitFor(90, TimeUnit.SECONDS)).as("guard ended after --seconds: %s", log).isTrue();
            assertThat(guard.exitValue()).as("guard exit; log: %s", log).isZero();

            List<IncidentStore.Summary> list;
            Incident incident;
            try (IncidentStore store = IncidentStore.openExisting(db)) {
                list = store.list(10);
                assertThat(list).as("incidents; guard log: %s", log).hasSize(1);
                incident = store.get(list.get(0).id()).orElseThrow();
            }
            assertThat(incident.endMillis()).as("closed once the upload ended; log: %s", log).isNotNull();
            assertThat(incident.peakUtilisation()).isGreaterThan(0.9);
            assertThat(incident.culprits()).as("culprits; log: %s", log).isNotEmpty();
            assertThat(incident.culprits().get(0).pid()).isEqualTo(uploader);
            assertThat(incident.culprits().get(0).txBytes()).isGreaterThan(1_000_000);
            assertThat(incident.reportJson()).contains("\"processes\"");
            assertThat(incident.timeline()).hasSizeGreaterThanOrEqualTo(5);

            List<String> posted = Files.readAllLines(hooks);
            assertThat(posted).as("webhook posts").hasSize(2);
            JsonNode opened = JSON.readTree(posted.get(0));
            assertThat(opened.get("event").asString()).isEqualTo("incident_opened");
            assertThat(opened.get("incident").get("culprits").get(0).get("pid").asLong()).isEqualTo(uploader);
            assertThat(JSON.readTree(posted.get(1)).get("event").asString()).isEqualTo("incident_closed");

            String shown = cli("incidents", "show", Long.toString(incident.id()), "--format", "json", "--db",
                    db.toString());
            assertThat(JSON.readTree(shown).get("culprits").get(0).get("pid").asLong()).isEqualTo(uploader);

            // crash safety: a second guard on the same database, killed with SIGKILL while recording
            long before;
            try (IncidentStore store = IncidentStore.openExisting(db)) {
                before = store.seconds(h.a().device(), 0, Long.MAX_VALUE).size();
            }
            Process second = startGuard(nsA, h.a().device(), db, "--seconds", "60");
            StringBuilder log2 = new StringBuilder();
            assertThat(readLog(second, log2, "watching").await(60, TimeUnit.SECONDS)).isTrue();
            long startedAt = System.currentTimeMillis();
            Thread.sleep(4500);
            new ProcessBuilder("kill", "-KILL", Long.toString(second.pid())).start().waitFor(); // SIGKILL
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long killedAt = System.currentTimeMillis();
            try (IncidentStore store = IncidentStore.openExisting(db)) {
                assertThat(store.integrityCheck()).isEqualTo("ok");
                List<Incident.Sample> all = store.seconds(h.a().device(), 0, Long.MAX_VALUE);
                long recorded = all.size() - before;
                long lastSecond = all.getLast().epochSecond();
                assertThat(recorded).as("seconds the killed guard recorded").isGreaterThanOrEqualTo(3);
                assertThat(lastSecond).as("its last recorded second is within a second or two of the kill")
                        .isGreaterThanOrEqualTo(killedAt / 1000 - 2).isLessThanOrEqualTo(killedAt / 1000);
                assertThat(lastSecond).isGreaterThanOrEqualTo(startedAt / 1000);
            }
        } finally {
            for (Process p : actors) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private Process startGuard(String ns, String device, Path db, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(LiveAttributionTest.bwdoctor("guard", "--netns", ns, "-i", device,
                "--cap", "20Mbps", "--for", "2s", "--close-after", "3s", "--deep", "4s", "--db", db.toString(),
                "--no-syslog", "--metrics-listen", "off"));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("BWDOCTOR_DEBUG", "1");
        return pb.start();
    }

    private static CountDownLatch readLog(Process p, StringBuilder log, String marker) {
        CountDownLatch seen = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.contains(marker)) {
                        seen.countDown();
                    }
                }
            } catch (IOException e) {
                seen.countDown();
            }
        });
        NetnsHarness.readAllAsync(p);
        return seen;
    }

    private static String firstLine(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        NetnsHarness.readAllAsync(p);
        return line;
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Main.execute(args);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
