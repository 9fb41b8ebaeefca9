package io.bwdoctor.metrics;

import static io.bwdoctor.metrics.Snapshots.iface;
import static io.bwdoctor.metrics.Snapshots.process;
import static io.bwdoctor.metrics.Snapshots.rates;
import static io.bwdoctor.metrics.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.incident.Incident;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alert rules (packaging/prometheus) must only use metrics the guard exports, and each alert must have a
 * promtool unit test. The structure is checked here without a YAML library (the project has none); promtool itself
 * checks and unit-tests the rules, and lints a real scrape, where it is installed (Debian: package prometheus).
 */
class PrometheusRulesTest {
    private static final Path RULES = Path.of("packaging/prometheus/bwdoctor-rules.yml");
    private static final Path RULE_TESTS = Path.of("packaging/prometheus/bwdoctor-rules.test.yml");
    private static final Pattern METRIC = Pattern.compile("\\bbwdoctor_[a-z_]+\\b");

    @TempDir
    Path dir;

    /** A scrape with every metric present (each labelled metric has at least one series). */
    private static String fullScrape() {
        GuardMetrics metrics = new GuardMetrics("0.1.0-test");
        metrics.update(snapshot(1_000, 1_000_000_000L, List.of(iface("eth0", 10, 20, 30, 1, 2)),
                        List.of(process(7, "rsync", 100, 1)), Map.of("no_socket", rates(3, 4))),
                Map.of(7, "backup"), Map.of("eth0", new LinkScope(5, 5, 1_000)));
        metrics.incidentOpened(new Incident(1, 0, null, "eth0", null, 0, 0, List.of(), List.of(), List.of(), "{}"));
        var out = new java.io.ByteArrayOutputStream();
        try {
            io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
                    .write(out, metrics.registry().scrape());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> alerts(List<String> lines) {
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            Matcher m = Pattern.compile("^ {6}- alert: (\\w+)$").matcher(line);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void rulesHaveTheExpectedShapeAndUseOnlyExportedMetrics() throws Exception {
        List<String> lines = Files.readAllLines(RULES);
        assertThat(lines).contains("groups:", "  - name: bwdoctor", "    rules:");
        assertThat(lines).noneMatch(l -> l.contains("\t"));
        List<String> alerts = alerts(lines);
        assertThat(alerts).containsExactly("BwdoctorLinkSaturated", "BwdoctorIncidentOpen", "BwdoctorAbnormalProcess",
                "BwdoctorCaptureDropsRising", "BwdoctorGuardStalled", "BwdoctorDown");
        // each rule: its expr on the next non-comment line, a severity label, a summary
        String text = String.join("\n", lines);
        String[] rules = text.split("\n {6}- alert: ");
        for (int i = 1; i < rules.length; i++) {
            assertThat(rules[i]).as(alerts.get(i - 1)).containsPattern("\n {8}expr: \\S")
                    .containsPattern("\n {10}severity: (critical|warning|info)\n")
                    .containsPattern("\n {10}summary: \".+\"");
        }

        String scrape = fullScrape();
        Set<String> exported = METRIC.matcher(scrape).results().map(java.util.regex.MatchResult::group)
                .filter(n -> scrape.contains("\n" + n + "{") || scrape.contains("\n" + n + " "))
                .collect(Collectors.toSet());
        Set<String> used = new LinkedHashSet<>();
        for (String line : lines) {
            if (line.strip().startsWith("expr:")) {
                METRIC.matcher(line).results().map(java.util.regex.MatchResult::group).forEach(used::add);
            }
        }
        assertThat(used).hasSizeGreaterThanOrEqualTo(6);
        assertThat(exported).containsAll(used);
    }

    @Test
    void everyAlertHasAPromtoolUnitTest() throws Exception {
        String tests = Files.readString(RULE_TESTS);
        for (String alert : alerts(Files.readAllLines(RULES))) {
            assertThat(tests).as(alert).contains("alertname: " + alert + "\n");
        }
        assertThat(tests).contains("  - bwdoctor-rules.yml");
    }

    @Test
    void promtoolChecksAndUnitTestsTheRulesAndLintsAScrape() throws Exception {
        String promtool = promtool();
        Assumptions.assumeTrue(promtool != null,
                "promtool not installed (Debian package prometheus, or set BWDOCTOR_PROMTOOL): checked structurally only");
        run(promtool, "check", "rules", RULES.toString());
        run(promtool, "test", "rules", RULE_TESTS.toString());
        Path scrape = dir.resolve("scrape.txt");
        Files.writeString(scrape, fullScrape());
        ProcessBuilder lint = new ProcessBuilder(promtool, "check", "metrics").redirectInput(scrape.toFile());
        assertThat(run(lint)).isEmpty();
    }

    private static String promtool() {
        String configured = System.getenv("BWDOCTOR_PROMTOOL");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "promtool"))) {
                return Path.of(d, "promtool").toString();
            }
        }
        return null;
    }

    private static String run(String... command) throws Exception {
        return run(new ProcessBuilder(command));
    }

    private static String run(ProcessBuilder builder) throws Exception {
        Path output = Files.createTempFile("promtool", ".txt");
        try {
            Process p = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not finish within 60 s: " + builder.command());
            }
            String out = Files.readString(output);
            assertThat(p.exitValue()).as("%s:\n%s", builder.command(), out).isZero();
            return out.strip();
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
