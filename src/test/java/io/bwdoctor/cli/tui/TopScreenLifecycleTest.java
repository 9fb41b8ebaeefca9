package io.bwdoctor.cli.tui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import io.bwdoctor.core.live.LiveSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.impl.LineDisciplineTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How the screen ends: time limit, engine failure, unusable terminal, SIGTERM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopScreenLifecycleTest {
    private static final String ENTER = "\u001b[?1049h";
    private static final String LEAVE = "\u001b[?1049l";
    private static final String CURSOR_SHOWN = "\u001b[?25h";

    private static LineDisciplineTerminal terminal(String type, ByteArrayOutputStream out) throws IOException {
        LineDisciplineTerminal t = new LineDisciplineTerminal("test", type, out, StandardCharsets.UTF_8);
        t.setSize(new Size(80, 24));
        return t;
    }

    @Test
    void stopsAfterMaxSecondsAndRestores() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LineDisciplineTerminal t = terminal("xterm-256color", out)) {
            long start = System.nanoTime();
            TopScreen.run(t, Fixtures::snapshot, Duration.ofMillis(100), 1L);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(millis).isBetween(900L, 3000L);
            String s = out.toString(StandardCharsets.UTF_8);
            assertThat(s).contains(ENTER, "bwdoctor top", "nginx");
            assertThat(s.substring(s.lastIndexOf(ENTER))).contains(LEAVE, CURSOR_SHOWN);
        }
    }

    /** Polling the source often is cheap: an unchanged snapshot is not redrawn, a new one shows at once. */
    @Test
    void redrawsWhenTheSnapshotChangesNotOnEveryPoll() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LineDisciplineTerminal t = terminal("xterm-256color", out)) {
            LiveSnapshot first = TopScreenTest.stamped(Fixtures.snapshot(), System.currentTimeMillis());
            AtomicReference<LiveSnapshot> latest = new AtomicReference<>(first);
            TopScreen screen = new TopScreen(t, latest::get, Duration.ofMillis(10));
            Thread ui = Thread.ofPlatform().start(() -> {
                try {
                    screen.run(3L);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Set<Frame> frames = Collections.newSetFromMap(new IdentityHashMap<>());
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
            while (System.nanoTime() < end) {
                Frame f = screen.lastFrame();
                if (f != null) {
                    frames.add(f);
                }
                Thread.sleep(2);
            }
            assertThat(frames).as("70 polls of the same snapshot").hasSizeBetween(1, 2);
            LiveSnapshot s = first;
            latest.set(new LiveSnapshot(s.timestampMillis(), 99, s.capBps(), s.interfaces(), s.coverage(),
                    s.processes(), s.connections(), s.remotes(), s.unattributed()));
            long shownBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (!screen.lastFrame().text().contains("up 0:01:39")) {
                assertThat(System.nanoTime()).as("new snapshot drawn within 500 ms").isLessThan(shownBy);
                Thread.sleep(2);
            }
            screen.stop();
            ui.join(5000);
        }
    }

    @Test
    void engineFailureRestoresTheTerminalAndPropagates() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LineDisciplineTerminal t = terminal("xterm-256color", out)) {
            Attributes before = new Attributes(t.getAttributes());
            int[] calls = {0};
            LiveSource failing = () -> {
                if (++calls[0] > 2) {
                    throw new IllegalStateException("capture on eth0 failed: device went down");
                }
                return Fixtures.snapshot();
            };
            assertThatThrownBy(() -> TopScreen.run(t, failing, Duration.ofMillis(20), 10L))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("device went down")
                    .isNotInstanceOf(TopScreen.NotFullScreenException.class);
            String s = out.toString(StandardCharsets.UTF_8);
            assertThat(s.substring(s.lastIndexOf(ENTER))).contains(LEAVE, CURSOR_SHOWN);
            assertThat(t.getAttributes().getLocalFlags()).isEqualTo(before.getLocalFlags());
        }
    }

    @Test
    void dumbTerminalIsRefusedWithoutTouchingIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LineDisciplineTerminal t = terminal("dumb", out)) {
            assertThatThrownBy(() -> TopScreen.run(t, Fixtures::snapshot, Duration.ofSeconds(1), 1L))
                    .isInstanceOf(TopScreen.NotFullScreenException.class).hasMessageContaining("full-screen terminal")
                    .hasMessageContaining("TERM=dumb");
            assertThat(out.size()).isZero();
        }
    }

    @Test
    void rejectsANonPositiveRefresh() throws Exception {
        try (LineDisciplineTerminal t = terminal("xterm-256color", new ByteArrayOutputStream())) {
            assertThatThrownBy(() -> new TopScreen(t, Fixtures::snapshot, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refresh");
        }
    }

    /** A real JVM killed with SIGTERM: the shutdown hook leaves the alternate screen and shows the cursor. */
    @Test
    void sigtermRestoresTheTerminal(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = dir.resolve("screen.out");
        Process p = new ProcessBuilder(java, "-cp", cp, "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                SigtermProbe.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(log, StandardCharsets.ISO_8859_1).contains("1-6/6")) {
                assertThat(System.nanoTime()).as("probe drew its first frame").isLessThan(deadline);
                assertThat(p.isAlive()).as("probe alive: %s", Files.readString(log)).isTrue();
                Thread.sleep(20);
            }
            p.destroy();                                     // SIGTERM
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String s = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(s).contains(ENTER);
        assertThat(s.substring(s.lastIndexOf("1-6/6"))).as("end of output: %s", s.substring(s.length() - 200))
                .contains(LEAVE, CURSOR_SHOWN);
        assertThat(p.exitValue()).isEqualTo(143);            // 128 + SIGTERM: killed, not a normal end
    }
}
