package io.bwdoctor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.platform.linux.UnixDatagramSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink writes to a unix datagram socket this test binds itself, as journald/rsyslog bind /dev/log. */
class SyslogSinkTest {
    private static final long NOW = Incidents.START + 5_000;
    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private final PrintStream warn = new PrintStream(warnings, true, StandardCharsets.UTF_8);
    private final byte[] buffer = new byte[UnixDatagramSocket.MAX_DATAGRAM];

    @TempDir
    Path dir;

    private String receive(UnixDatagramSocket receiver) throws Exception {
        int n = receiver.receive(buffer);
        assertThat(n).as("a datagram was queued").isPositive();
        return new String(buffer, 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void rfc3164LikeGlibcWarningOnOpenNoticeOnClose() throws Exception {
        String path = dir.resolve("log").toString();
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(path);
             SyslogSink sink = new SyslogSink(path, SyslogSink.Format.RFC3164, warn, () -> NOW, "web-1")) {
            sink.opened(Incidents.open(7));
            sink.closed(Incidents.closed(7));

            String stamp = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT)
                    .format(Instant.ofEpochMilli(NOW).atZone(ZoneId.systemDefault()));
            String pid = Long.toString(ProcessHandle.current().pid());
            assertThat(receive(receiver)).isEqualTo("<28>" + stamp + " bwdoctor[" + pid + "]: "
                    + IncidentText.line(Incidents.open(7), true));
            assertThat(receive(receiver)).startsWith("<29>" + stamp + " bwdoctor[" + pid + "]: incident 7 closed");
            assertThat(receiver.receive(buffer)).isEqualTo(-1);
            assertThat(sink.sent()).isEqualTo(2);
            assertThat(warnings.size()).isZero();
        }
    }

    /** The backslashes of the sanitized escapes are themselves escaped inside an SD-PARAM value (RFC 5424 6.3.3). */
    @Test
    void rfc5424WithStructuredDataAndMessageId() throws Exception {
        String path = dir.resolve("log").toString();
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(path);
             SyslogSink sink = new SyslogSink(path, SyslogSink.Format.RFC5424, warn, () -> NOW, "web 1")) {
            sink.opened(Incidents.hostile(9));

            String pid = Long.toString(ProcessHandle.current().pid());
            String message = receive(receiver);
            assertThat(message).startsWith("<28>1 2026-11-30T12:00:05Z web1 bwdoctor " + pid
                    + " incident_opened [bwdoctor@32473 id=\"9\" iface=\"eth0\\\\x0a\\\\x1b[2J\"] incident 9 opened")
                    .doesNotContain("\n", "\u001b");
        }
    }

    @Test
    void longMessagesAreCutWithinTheLimitOnACharacterBoundary() throws Exception {
        try (SyslogSink sink = new SyslogSink(dir.resolve("log").toString(), SyslogSink.Format.RFC3164, warn,
                () -> NOW, "h")) {
            byte[] datagram = sink.format(SyslogSink.SEVERITY_WARNING, "incident_opened", Incidents.open(1),
                    "é".repeat(3000));
            assertThat(datagram.length).isBetween(SyslogSink.MAX_MESSAGE_BYTES - 1, SyslogSink.MAX_MESSAGE_BYTES);
            assertThat(new String(datagram, StandardCharsets.UTF_8)).doesNotContain("\ufffd").endsWith("é");
        }
    }

    @Test
    void missingSocketIsReportedOnceAndTheGuardCarriesOn() {
        String path = dir.resolve("absent").toString();
        try (SyslogSink sink = new SyslogSink(path, SyslogSink.Format.RFC3164, warn, () -> NOW, "h")) {
            sink.opened(Incidents.open(1));
            sink.closed(Incidents.closed(1));
            sink.opened(Incidents.open(2));

            assertThat(sink.dropped()).isEqualTo(3);
            assertThat(warnings.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
                    .contains("no syslog daemon listens on " + path, "ENOENT");
        }
    }

    @Test
    void staleSocketFileNobodyReadsIsTreatedAsMissingAndRecoveryIsNoticed() throws Exception {
        String path = dir.resolve("log").toString();
        try (SyslogSink sink = new SyslogSink(path, SyslogSink.Format.RFC3164, warn, () -> NOW, "h")) {
            UnixDatagramSocket.bind(path).close(); // leaves the socket file behind, like a stopped daemon
            sink.opened(Incidents.open(1));
            assertThat(warnings.toString(StandardCharsets.UTF_8)).contains("ECONNREFUSED");

            java.nio.file.Files.delete(Path.of(path));
            try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(path)) {
                sink.closed(Incidents.closed(1));
                assertThat(receive(receiver)).startsWith("<29>");
            }
            assertThat(sink.sent()).isEqualTo(1);
            assertThat(sink.dropped()).isEqualTo(1);
        }
    }

    @Test
    void fullReceiverQueueDropsInsteadOfBlocking() throws Exception {
        String path = dir.resolve("log").toString();
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(path);
             SyslogSink sink = new SyslogSink(path, SyslogSink.Format.RFC3164, warn, () -> NOW, "h")) {
            long start = System.nanoTime();
            for (int i = 0; i < 2000 && sink.dropped() == 0; i++) { // the receive queue holds a few hundred
                sink.opened(Incidents.open(i));
            }
            assertThat(sink.dropped()).isPositive();
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
            assertThat(warnings.toString(StandardCharsets.UTF_8)).contains("EAGAIN");
            assertThat(receive(receiver)).startsWith("<28>"); // what was queued before the drop is intact
        }
    }
}
