package io.bwdoctor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogSinkTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LogSink sink = new LogSink(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            () -> Incidents.START + 5_000);

    private String[] lines() {
        return bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
    }

    @Test
    void oneLinePerEventWithTheFactsAPersonNeeds() {
        sink.opened(Incidents.open(7));
        sink.closed(Incidents.closed(7));

        String[] lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        assertThat(lines[0]).isEqualTo("2026-11-30T12:00:05Z bwdoctor: incident 7 opened on eth0: peak 970 Mb/s"
                + " = 97% of the 1.00 Gb/s cap, started 2026-11-30T12:00:00Z;"
                + " top: rsync (pid 4242, backup, 90.0 GB), nginx (pid 77, web_server, 5.20 GB);"
                + " do: rate-limit rsync with --bwlimit");
        assertThat(lines[1]).startsWith("2026-11-30T12:00:05Z bwdoctor: incident 7 closed on eth0 after 5m12s: peak");
    }

    @Test
    void hostileStringsCannotBreakTheLineOrDriveTheTerminal() {
        sink.opened(Incidents.hostile(9));

        String[] lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).doesNotContain("\u001b", "\r", "\u0007", "\u202e")
                .contains("eth0\\x0a\\x1b[2J", "x\\x1b]0;pwned\\x07\\x0aFAKE LINE", "kill it\\x0d\\x0aNEXT")
                .doesNotContain("% of the"); // no cap configured: no ratio invented
    }
}
