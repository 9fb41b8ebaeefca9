package io.bwdoctor.cli.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.live.LiveSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.LineDisciplineTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Drives the real loop through JLine's in-memory terminal: keys in, state and screen bytes out. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TopScreenTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final AtomicReference<LiveSnapshot> latest = new AtomicReference<>(Fixtures.snapshot());
    private final AtomicInteger polls = new AtomicInteger();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private LineDisciplineTerminal terminal;
    private TopScreen screen;
    private Future<?> running;

    @BeforeEach
    void start() throws IOException {
        terminal = new LineDisciplineTerminal("test", "xterm-256color", output, StandardCharsets.UTF_8);
        terminal.setSize(new Size(120, 40));
        screen = new TopScreen(terminal, () -> {
            polls.incrementAndGet();
            return latest.get();
        }, Duration.ofMillis(50));
        running = executor.submit(() -> {
            screen.run((Long) null);
            return null;
        });
        awaitState(s -> screen.lastFrame() != null);
    }

    @AfterEach
    void stop() throws Exception {
        screen.stop();
        executor.shutdown();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        terminal.close();
    }

    @Test
    void quitsOnQAndRestoresTheTerminal() throws Exception {
        type("q");
        running.get(5, TimeUnit.SECONDS);
        String out = output.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\u001b[?1049h").contains("\u001b[?25l");   // alternate screen, cursor hidden
        assertThat(out.substring(out.lastIndexOf("\u001b[?25l"))).contains("\u001b[?1049l").contains("\u001b[?25h");
    }

    private void type(String keys) throws IOException {
        terminal.processInputBytes(keys.getBytes(StandardCharsets.UTF_8));
    }

    private void awaitState(Predicate<UiState> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.test(screen.state())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached; state view=" + screen.state().view());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
