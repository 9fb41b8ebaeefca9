package io.bwdoctor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
        LiveRun run = LiveRun.start(LiveAttributionTest.bwdoctor("top", "--raw", "--no-capture"));
        List<String> lines = run.stop(signal); // asserts exit code 0
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        for (String line : lines) {
            assertThat(JsonMapper.builder().build().readTree(line).has("processes")).isTrue();
        }
    }
}
