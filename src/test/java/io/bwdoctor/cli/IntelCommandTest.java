package io.bwdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class IntelCommandTest {
    @TempDir
    Path dir;

    @Test
    void updateThenStatus() throws Exception {
        Path csv = Files.writeString(dir.resolve("asn.csv"), "8.8.8.0,8.8.8.255,64500,Example\n");
        Path data = dir.resolve("data");
        AnalyzeCommandTest.Run update = AnalyzeCommandTest.run("intel", "update", "--from", csv.toString(),
                "--data-dir", data.toString());
        assertThat(update.exit()).as(update.err()).isZero();
        assertThat(update.out()).contains("installed asn data", "1 IPv4");
        Path networks = Files.writeString(dir.resolve("networks.txt"), "192.0.2.0/24 lab country=CN\n");
        AnalyzeCommandTest.Run status = AnalyzeCommandTest.run("intel", "status", "--data-dir", data.toString(),
                "--networks", networks.toString());
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("country:", "bundled (ip-location-db 2.3.", "asn:", "installed", "asn.bin.gz", "1 networks",
                "threat lists:   none");
        JsonNode json = JsonMapper.builder().build().readTree(AnalyzeCommandTest.run("intel", "status", "--json",
                "--data-dir", data.toString(), "--networks", networks.toString()).out());
        assertThat(json.get("asn").get("metadata").get("source").asString()).isEqualTo(csv.toString());
        assertThat(json.get("asn").get("ipv4_ranges").asInt()).isEqualTo(1);
        assertThat(json.get("country").get("origin").asString()).isEqualTo("bundled");
    }

    @Test
    void badInputIsExitOneBadUsageExitTwo() throws Exception {
        Path bad = Files.write(dir.resolve("bad.mmdb"), "\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("intel", "update", "--from", bad.toString(), "--data-dir",
                dir.resolve("data").toString());
        assertThat(r.exit()).isEqualTo(1);
        // (Jazzer's agent, attached when a fuzz test ran in the same JVM, logs its own INFO lines to stderr)
        assertThat(r.err().lines().filter(l -> !l.startsWith("INFO: Instrumented")).toList()).singleElement()
                .asString().startsWith("bwdoctor: intel update: ").doesNotContain("Exception", "\tat ");
        assertThat(AnalyzeCommandTest.run("intel", "update", "--from", bad.toString(), "--kind", "city").exit())
                .isEqualTo(2);
        assertThat(AnalyzeCommandTest.run("intel", "update").exit()).isEqualTo(2);
        Path networks = Files.writeString(dir.resolve("n.txt"), "nonsense\n");
        AnalyzeCommandTest.Run s = AnalyzeCommandTest.run("intel", "status", "--data-dir", dir.toString(),
                "--networks", networks.toString());
        assertThat(s.exit()).isEqualTo(1);
        assertThat(s.err()).contains("line 1");
    }
}
