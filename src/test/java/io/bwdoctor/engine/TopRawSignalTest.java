package io.bwdoctor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** `top --raw` stopped by SIGINT or SIGTERM prints a final object and exits 0, as scripts expect. */
class TopRawSignalTest {
    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalEndsTheRunWithAFinalObjectAndExitZero(String signal) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().startsWith("linux"), "POSIX signals");
        Process p = new ProcessBuilder(LiveAttributionTest.bwdoctor("top", "--raw", "--no-capture"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            lines.add(out.readLine()); // the first refresh: the run is up
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        } finally {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(p.exitValue()).isZero();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        for (String line : lines) {
            assertThat(JsonMapper.builder().build().readTree(line).has("processes")).isTrue();
        }
    }
}
