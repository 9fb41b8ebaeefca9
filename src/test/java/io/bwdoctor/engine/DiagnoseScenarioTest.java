package io.bwdoctor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.capture.live.NetnsHarness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end, as root: `bwdoctor diagnose --format json --netns A` while, in namespace A, five actors move known
 * traffic to namespace B (documentation addresses only, every actor bounded in count and time):
 * a package-owned web server downloaded from by many clients; a "miner" (a copy of the Python interpreter placed in a
 * hidden /tmp directory under a kernel-thread-like miner name, which deletes its own executable and speaks Stratum to
 * a pool in B); a UDP-flood "bot" spraying 254 hosts; a process named and placed like Tencent Cloud's monitoring agent
 * fetching from an address the configuration declares as the provider's internal service; and a process the
 * configuration declares as business. Each must get its verdict with the expected evidence, the flood (the biggest
 * user) must rank first, and the runbook must hold the matching actions.
 */
class DiagnoseScenarioTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PYTHON = "/usr/bin/python3";
    private static final Map<Long, CompletableFuture<String>> OUTPUT = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @Test
    void eachActorGetsItsVerdictAndTheCulpritRanksFirst() throws Exception {
        NetnsHarness.assumeUsable();
        Path script = dir.resolve("scenarios.py");
        try (InputStream in = getClass().getResourceAsStream("/io/bwdoctor/diagnose/scenarios.py")) {
            Files.copy(in, script);
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path minerDir = Path.of("/tmp/.bwdoctor-test-" + id);
        Path qcloud = Path.of("/usr/local/qcloud");
        boolean qcloudExisted = Files.exists(qcloud);
        Path agentDir = qcloud.resolve("bwdoctor-test-" + id + "/monitor/barad/bin");
        Path appDir = Path.of("/opt/bwdoctor-test-" + id);
        List<Process> actors = new ArrayList<>();
        try (NetnsHarness h = NetnsHarness.twoNamespaces()) {
            String nsA = h.a().namespace();
            String nsB = h.b().namespace();
            String a4 = h.a().ipv4().getHostAddress();
            String b4 = h.b().ipv4().getHostAddress();
            // B answers for two whole documentation ranges; A reaches them through B (inside the test's namespaces)
            for (String range : List.of("203.0.113.0/24", "192.0.2.0/24")) {
                NetnsHarness.runOk(nsB, "ip", "route", "add", "local", range, "dev", "lo");
                NetnsHarness.runOk(nsA, "ip", "route", "add", range, "via", b4);
            }
            Path python = Path.of(PYTHON).toRealPath();
            Files.createDirectories(minerDir);
            Path miner = Files.copy(python, minerDir.resolve("kworkerds"));
            Files.createDirectories(agentDir);
            Path agent = Files.copy(python, agentDir.resolve("barad_agent"));
            Files.createDirectories(appDir);
            Path uploader = Files.copy(python, appDir.resolve("acme-uploader"));
            Path networks = dir.resolve("networks.txt"); // countries for the documentation ranges, as if public
            Files.writeString(networks, """
                    198.51.100.0/24  partner-dc     country=KR scope=public
                    203.0.113.0/24   flood-targets  country=CN scope=public
                    192.0.2.0/24     pool-hosting   country=NL scope=public
                    """);
            Path config = dir.resolve("bwdoctor.toml");
            Files.writeString(config, """
                    [link]
                    country = "KR"
                    [business]
                    paths = ["%s/*"]
                    [intel]
                    provider_internal = ["192.0.2.254/32"]
                    networks = "%s"
                    """.formatted(appDir, networks));

            double until = System.currentTimeMillis() / 1000.0 + 40;
            String u = Double.toString(until);
            actors.add(start(nsB, PYTHON, script, "pool", "3333", u)); // listens on B's whole 192.0.2.0/24 too
            actors.add(start(nsB, PYTHON, script, "sink", "9002", u));
            actors.add(start(nsB, PYTHON, script, "serve", "80", "1500000", u)); // the "metadata service"
            Process web = start(nsA, PYTHON, script, "serve", "8080", "30000", u);
            actors.add(web);
            long webPid = pid(web);
            for (Process p : actors.subList(0, 3)) {
                pid(p); // each server has started (printed its pid)
            }

            List<String> command = new ArrayList<>(LiveAttributionTest.bwdoctor("diagnose", "--netns", nsA, "-i",
                    h.a().device(), "--seconds", "14", "--format", "json", "--config", config.toString()));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("BWDOCTOR_DEBUG", "1"); // an internal error's trace goes into the failure message
            Process diagnose = pb.start();
            CompletableFuture<String> report = NetnsHarness.readAllAsync(diagnose);
            CountDownLatch sampling = new CountDownLatch(1);
            StringBuilder stderr = new StringBuilder();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(diagnose.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = err.readLine()) != null; ) {
                        stderr.append(line).append('\n');
                        if (line.startsWith("sampling")) { // capturing (the first look comes before the capture)
                            sampling.countDown();
                        }
                    }
                } catch (IOException e) {
                    sampling.countDown();
                }
            });
            assertThat(sampling.await(60, TimeUnit.SECONDS)).as("diagnose started sampling").isTrue();

            Process minerProc = start(nsA, miner.toString(), script, "miner", "192.0.2.77", "3333", u);
            Process flood = start(nsA, PYTHON, script, "flood", "203.0.113", "254", "60000", "22", u);
            Process agentProc = start(nsA, agent.toString(), script, "fetch", "192.0.2.254", "80", "1", u);
            Process upload = start(nsA, uploader.toString(), script, "upload", b4, "9002", "1000000", u);
            Process clients = start(nsB, PYTHON, script, "fetch", a4, "8080", "30", u);
            actors.addAll(List.of(minerProc, flood, agentProc, upload, clients));
            Map<String, Long> pids = new HashMap<>();
            pids.put("miner", pid(minerProc));
            pids.put("flood", pid(flood));
            pids.put("agent", pid(agentProc));
            pids.put("uploader", pid(upload));
            pids.put("web", webPid);

            assertThat(diagnose.waitFor(90, TimeUnit.SECONDS)).as("diagnose finished").isTrue();
            String json = report.get(10, TimeUnit.SECONDS);
            Files.writeString(Path.of("target/diagnose-scenario-last.json"), json); // for a failure's reader
            assertThat(diagnose.exitValue()).as("exit code (5 = abnormal found); stderr: %s", stderr).isEqualTo(5);
            JsonNode doc = JSON.readTree(json);
            Map<Long, JsonNode> byPid = new HashMap<>();
            for (JsonNode p : doc.get("processes")) {
                byPid.put(p.get("pid").asLong(), p);
            }

            assertThat(doc.get("processes").get(0).get("pid").asLong()).as("the flood ranks first")
                    .isEqualTo(pids.get("flood"));
            expect(byPid, pids.get("flood"), "abnormal", "small-packet-flood", "fan-out");
            assertThat(byPid.get(pids.get("flood")).get("kind").asString()).isIn("ddos-bot", "scanner");
            expect(byPid, pids.get("miner"), "abnormal", "stratum-traffic", "exe-deleted", "exe-in-temp",
                    "known-malware-name", "exe-hidden-dir", "exe-deleted-public-egress");
            assertThat(byPid.get(pids.get("miner")).get("kind").asString()).isEqualTo("miner");
            assertThat(byPid.get(pids.get("miner")).get("confidence").asDouble()).isGreaterThanOrEqualTo(0.9);
            expect(byPid, pids.get("agent"), "cloud-agent", "tencent-agent", "talks-to-provider-service");
            expect(byPid, pids.get("uploader"), "business", "declared-business");
            expect(byPid, pids.get("web"), "business", "serves-clients", "package-owned-application");

            List<JsonNode> actions = new ArrayList<>();
            doc.get("actions").forEach(actions::add);
            assertThat(actions.get(0).get("action").asString()).isEqualTo("stop-abnormal");
            assertThat(actions.get(0).get("pid").asLong()).isEqualTo(pids.get("flood"));
            assertThat(actions).anySatisfy(a -> {
                assertThat(a.get("action").asString()).isEqualTo("stop-abnormal");
                assertThat(a.get("pid").asLong()).isEqualTo(pids.get("miner"));
                assertThat(a.get("commands").toString()).contains("kill -STOP " + pids.get("miner"));
            });
            assertThat(actions).anySatisfy(a -> {
                assertThat(a.get("action").asString()).isEqualTo("ticket");
                assertThat(a.get("pid").asLong()).isEqualTo(pids.get("agent"));
            });
            assertThat(actions).anySatisfy(a -> assertThat(a.get("action").asString()).isEqualTo("reinstall"));
            for (JsonNode a : actions) { // business processes are never to be stopped
                if (!a.get("pid").isNull() && List.of(pids.get("uploader"), pids.get("web"))
                        .contains(a.get("pid").asLong())) {
                    assertThat(a.get("action").asString()).doesNotStartWith("stop");
                }
            }
            JsonNode pool = byPid.get(pids.get("miner")).get("remotes").get(0);
            assertThat(pool.get("address").asString()).isEqualTo("192.0.2.77");
            assertThat(pool.get("port").asInt()).isEqualTo(3333);
            assertThat(pool.get("country").asString()).isEqualTo("NL");
            assertThat(pool.get("network").asString()).isEqualTo("pool-hosting");
            assertThat(pool.get("foreign").asBoolean()).as("NL seen from a KR server").isTrue();
            JsonNode floodRemote = byPid.get(pids.get("flood")).get("remotes").get(0);
            assertThat(floodRemote.get("country").asString()).isEqualTo("CN");
            assertThat(byPid.get(pids.get("flood")).get("foreign_share").asDouble()).isEqualTo(1.0);
            JsonNode partner = byPid.get(pids.get("uploader")).get("remotes").get(0);
            assertThat(partner.get("country").asString()).isEqualTo("KR");
            assertThat(partner.get("foreign").asBoolean()).as("same country as the server").isFalse();
            assertThat(doc.get("home_country").asString()).isEqualTo("KR");
            assertThat(doc.get("link").get("public_tx_bytes").asLong()).as("public traffic counted")
                    .isGreaterThan(3_000_000L);
            assertThat(doc.get("link").get("public_peak_bps").asLong()).as("public peak").isGreaterThan(1_000_000L);
            assertThat(actions).anySatisfy(a -> assertThat(a.get("text").asString()).contains("Tencent Cloud"));
        } finally {
            for (Process p : actors) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            deleteTree(minerDir);
            deleteTree(appDir);
            deleteTree(qcloudExisted ? qcloud.resolve("bwdoctor-test-" + id) : qcloud);
        }
    }

    private static void expect(Map<Long, JsonNode> byPid, long pid, String verdict, String... rules) {
        JsonNode p = byPid.get(pid);
        assertThat(p).as("process %d is in the report (its output: %s)", pid,
                OUTPUT.containsKey(pid) ? OUTPUT.get(pid).getNow("(still running)") : "?").isNotNull();
        List<String> fired = new ArrayList<>();
        p.get("evidence").forEach(e -> fired.add(e.get("rule").asString()));
        assertThat(p.get("verdict").asString()).as("verdict of %s (pid %d), evidence %s", p.get("name"), pid, fired)
                .isEqualTo(verdict);
        assertThat(fired).as("evidence of %s", p.get("name")).contains(rules);
        p.get("evidence").forEach(e -> assertThat(e.get("text").asString()).doesNotContain("{"));
    }

    private static Process start(String ns, String program, Path script, String... args) {
        List<String> cmd = new ArrayList<>(List.of(program, script.toString()));
        cmd.addAll(List.of(args));
        return NetnsHarness.start(ns, cmd.toArray(String[]::new));
    }

    /** The pid an actor printed as its first line (its own pid, not the `ip netns exec` wrapper's). */
    private static long pid(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertThat(line).as("an actor's first line").isNotNull().contains("pid");
        long pid = JSON.readTree(line).get("pid").asLong();
        OUTPUT.put(pid, NetnsHarness.readAllAsync(p)); // keep draining; shown when an assertion fails
        return pid;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
