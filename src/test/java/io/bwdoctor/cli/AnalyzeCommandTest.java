package io.bwdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.capture.file.SharedPcaps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line as a user meets it: exit codes, one-line errors, output formats. */
class AnalyzeCommandTest {
    private static final Path SAMPLE = Path.of("samples/saturated-uplink.pcap.gz");

    record Run(int exit, String out, String err) {}

    static Run run(InputStream stdin, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(stdin);
            int exit = Main.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    static Run run(String... args) {
        return run(InputStream.nullInputStream(), args);
    }

    @Test
    void helpAndVersionAnswer() {
        Run help = run("analyze", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--by", "--top", "--format", "Exit codes", "standard input");
        assertThat(run("--version").out()).startsWith("bwdoctor ");
        assertThat(run("generate-completion").out()).contains("complete");
    }

    @Test
    void badUsageIsOneLineAndExitTwo() {
        Run r = run("analyze", "--by", "planet", SAMPLE.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'planet' is not one of").doesNotContain("Exception", "\tat ");
        assertThat(run("analyze").exit()).isEqualTo(2);
    }

    @Test
    void unreadableFileIsOneLineAndExitOne(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("capture.pcap");
        Files.writeString(html, "<html>not a capture</html>");
        Run r = run("analyze", html.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("capture.pcap").doesNotContain("Exception");
        Run missing = run("analyze", dir.resolve("nope.pcap").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.pcap").contains("no such file");
    }

    @Test
    void partlyReadableFileStillReportsWhatWasRead(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.pcap");
        Files.writeString(bad, "garbage!");
        Run r = run("analyze", "--format", "json", SAMPLE.toString(), bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        JsonNode json = JsonMapper.builder().build().readTree(r.out());
        assertThat(json.get("packets").asLong()).isEqualTo(65304);
        assertThat(json.get("inputs").get(1).get("error").asString()).contains("bad.pcap");
    }

    @Test
    void jsonAccountsForEveryByteOfTheSample() throws Exception {
        Run r = run("analyze", "--format", "json", "--by", "pair", SAMPLE.toString());
        assertThat(r.exit()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(r.out());
        assertThat(json.get("packets").asLong()).isEqualTo(65304);
        assertThat(json.get("bytes").asLong()).isEqualTo(82045488);
        long rowBytes = 0;
        for (JsonNode row : json.get("rows")) {
            rowBytes += row.get("bytes").asLong();
            assertThat(row.get("protocol").asString()).isEqualTo("ipv4");
        }
        assertThat(rowBytes + json.get("skipped").get("bytes").asLong() + json.get("non_ip").get("bytes").asLong())
                .isEqualTo(82045488);
        JsonNode top = json.get("rows").get(0);
        assertThat(top.get("a_addr").asString()).isEqualTo("198.51.100.10");
        assertThat(top.get("b_addr").asString()).isEqualTo("203.0.113.77");
        assertThat(top.get("peak_ab_bps").asLong()).isEqualTo(900L * 1242 * 8); // 900 datagrams of 1,242 bytes
    }

    @Test
    void tableAndCsvAndStandardInput() throws Exception {
        Run table = run("analyze", "--by", "host", "--top", "3", SAMPLE.toString());
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("HOST", "198.51.100.10", "more rows");
        Run csv = run("analyze", "--format", "csv", "--by", "port", SAMPLE.toString());
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("protocol,port,packets_to,bytes_to");
        byte[] bytes = Files.readAllBytes(SAMPLE);
        Run stdin = run(new ByteArrayInputStream(bytes), "analyze", "--format", "json", "-");
        assertThat(stdin.exit()).isZero();
        assertThat(JsonMapper.builder().build().readTree(stdin.out()).get("packets").asLong()).isEqualTo(65304);
    }

    @Test
    void severalFilesAddUp() {
        Path root = SharedPcaps.root();
        Run r = run("analyze", "--format", "json", root.resolve("large/ssh.pcap").toString(),
                root.resolve("large/ip-frag.pcap").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"packets\":4797"); // 1,797 + 3,000
    }
}
