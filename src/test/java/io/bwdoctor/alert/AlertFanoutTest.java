package io.bwdoctor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.incident.Incident;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertFanoutTest {
    @Test
    void aFailingSinkIsReportedAndDoesNotSilenceTheOthers() {
        List<String> seen = new ArrayList<>();
        AlertSink broken = new AlertSink() {
            @Override
            public void opened(Incident incident) {
                throw new IllegalStateException("boom\nsecond line");
            }

            @Override
            public void closed(Incident incident) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void close() {
                throw new IllegalStateException("close failed");
            }
        };
        AlertSink recording = new AlertSink() {
            @Override
            public void opened(Incident incident) {
                seen.add("opened " + incident.id());
            }

            @Override
            public void closed(Incident incident) {
                seen.add("closed " + incident.id());
            }

            @Override
            public void close() {
                seen.add("close");
            }
        };
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try (AlertFanout fanout = new AlertFanout(List.of(broken, recording),
                new PrintStream(errors, true, StandardCharsets.UTF_8))) {
            fanout.opened(Incidents.open(1));
            fanout.closed(Incidents.closed(1));
        }

        assertThat(seen).containsExactly("opened 1", "closed 1", "close");
        assertThat(errors.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(3)
                .first().asString().endsWith("failed: boom\\x0asecond line");
    }
}
