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
import org.jline.terminal.Attributes;
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
            return stamped(latest.get(), System.currentTimeMillis());
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
        assertRestored();
    }

    @Test
    void quitsOnCtrlC() throws Exception {
        type("\u0003");
        running.get(5, TimeUnit.SECONDS);
        assertRestored();
    }

    @Test
    void quitsOnInterruptSignal() throws Exception {
        terminal.raise(Terminal.Signal.INT);
        running.get(5, TimeUnit.SECONDS);
        assertRestored();
    }

    @Test
    void numberKeysAndTabSwitchViews() throws Exception {
        type("2");
        awaitState(s -> s.view() == View.CONNECTIONS);
        awaitFrame(f -> f.text().contains("PROTO") && f.text().contains("198.51.100.7:51234"));
        type("3");
        awaitState(s -> s.view() == View.REMOTES);
        awaitFrame(f -> f.text().contains("REMOTE HOST"));
        type("\t");
        awaitState(s -> s.view() == View.PROCESSES);
        type("\t");
        awaitState(s -> s.view() == View.CONNECTIONS);
        type("1");
        awaitState(s -> s.view() == View.PROCESSES);
    }

    @Test
    void sortKeysCycleThroughEveryColumnAndReverse() throws Exception {
        type("s");
        awaitState(s -> s.sortColumn().equals("total"));        // the column after RATE
        type(">");
        awaitState(s -> s.sortColumn().equals("peak"));
        type(">");
        awaitState(s -> s.sortColumn().equals("pid"));          // wraps around to the first column
        type("<<");
        awaitState(s -> s.sortColumn().equals("total"));
        awaitFrame(f -> f.text().contains("TOTAL\u25bc") && f.rowKeys().getFirst().startsWith("p:6789:"));
        type("r");
        awaitState(UiState::reversed);
        awaitFrame(f -> f.text().contains("TOTAL\u25b2") && f.rowKeys().getFirst().startsWith("p:5678:"));
        int columns = screen.lastFrame().columnIds().size();
        assertThat(columns).isEqualTo(14);
        type("s".repeat(columns));
        awaitState(s -> s.sortColumn().equals("total"));        // a full cycle visits all and comes back
    }

    @Test
    void windowKeyMovesTheRateSortAndUnitsToggle() throws Exception {
        type("t");
        awaitState(s -> s.window() == 1);
        awaitFrame(f -> f.text().contains("RATE 10s\u25bc"));
        type("b");
        awaitState(UiState::bytes);
        awaitFrame(f -> f.text().contains("KB/s") && !lineWith(f, "nginx").contains("Mb/s"));
        type("b");
        awaitState(s -> !s.bytes());
        awaitFrame(f -> lineWith(f, "nginx").contains("Mb/s"));
        type("tt");
        awaitState(s -> s.window() == 0);
    }

    @Test
    void filterIsTypedAppliedAndCleared() throws Exception {
        type("/ngi");
        awaitState(s -> s.editing());
        awaitFrame(f -> f.lines().getLast().toString().startsWith("filter: ngi"));
        assertThat(screen.state().filter()).isEmpty();           // applied only on Enter
        type("nx\u007f\r");                                        // typo, backspace, Enter
        awaitState(s -> !s.editing() && s.filter().equals("ngin"));
        awaitFrame(f -> f.rowKeys().equals(java.util.List.of("p:1234:false:nginx")));
        type("\u001b");                                            // Esc in browsing clears the filter
        awaitState(s -> s.filter().isEmpty());
        awaitFrame(f -> f.rowKeys().size() == 6);
        type("/微信\r");
        awaitState(s -> s.filter().equals("微信"));
        awaitFrame(f -> f.rowKeys().size() == 1);
        type("/abc\u001b");                                       // Esc while typing cancels and clears
        awaitState(s -> !s.editing() && s.filter().isEmpty());
        type("/q");                                              // q is text while typing, not quit
        awaitState(s -> s.editing());
        awaitFrame(f -> f.lines().getLast().toString().startsWith("filter: q"));
        assertThat(running).isNotDone();
    }

    @Test
    void pauseFreezesTheScreenWhileDataKeepsComing() throws Exception {
        type("p");
        awaitState(UiState::paused);
        awaitFrame(f -> f.text().contains("PAUSED"));
        LiveSnapshot s = Fixtures.snapshot();
        latest.set(new LiveSnapshot(s.timestampMillis(), 99, s.capBps(), s.interfaces(), s.coverage(),
                s.processes(), s.connections(), s.remotes(), s.unattributed()));
        int before = polls.get();
        awaitState(st -> polls.get() > before + 3);                // the source is still read
        assertThat(screen.lastFrame().text()).contains("up 0:01:23").doesNotContain("up 0:01:39");
        type("p");
        awaitState(st -> !st.paused());
        awaitFrame(f -> f.text().contains("up 0:01:39") && !f.text().contains("PAUSED"));
    }

    @Test
    void arrowsAndVimKeysMoveTheSelection() throws Exception {
        type("\u001b[B");                                         // Down (normal cursor mode)
        awaitState(s -> s.selectedKey() != null && s.selectedKey().startsWith("p:2345:"));
        type("j");
        awaitState(s -> s.selectedKey().startsWith("p:3456:"));
        type("\u001bOA");                                         // Up (application cursor mode, as keypad_xmit asks)
        awaitState(s -> s.selectedKey().startsWith("p:2345:"));
        type("k");
        awaitState(s -> s.selectedKey().startsWith("p:1234:"));
        type("\u001b[6~");                                        // PgDn: to the end of this short list
        awaitState(s -> s.selectedKey().startsWith("p:6789:"));
        type("\u001b[5~");
        awaitState(s -> s.selectedKey().startsWith("p:1234:"));
    }

    @Test
    void helpOpensAndAnyKeyClosesIt() throws Exception {
        type("h");
        awaitState(UiState::help);
        awaitFrame(f -> f.text().contains("Keys") && f.text().contains("filter rows by text"));
        type("x");
        awaitState(s -> !s.help());
        type("?");
        awaitState(UiState::help);
        type("2");                                                // closes help, does not switch
        awaitState(s -> !s.help());
        assertThat(screen.state().view()).isEqualTo(View.PROCESSES);
    }

    @Test
    void resizeRelaysOutToTheNewSize() throws Exception {
        terminal.setSize(new Size(60, 20));
        terminal.raise(Terminal.Signal.WINCH);
        awaitFrame(f -> f.lines().size() == 20 && f.lines().stream().allMatch(l -> l.columnLength() <= 60)
                && !f.text().contains("SENT 10s"));
        terminal.setSize(new Size(170, 45));
        terminal.raise(Terminal.Signal.WINCH);
        awaitFrame(f -> f.lines().size() == 45 && f.text().contains("SENT 40s"));
    }

    @Test
    void redrawsOnlyWhatChanged() throws Exception {
        awaitState(s -> polls.get() > 3);
        int size = output.size();
        Thread.sleep(300);                                          // several refreshes of identical data
        assertThat(output.size() - size).as("bytes sent for unchanged frames").isLessThan(200);
    }

    private void assertRestored() {
        String out = output.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\u001b[?1049h").contains("\u001b[?25l");   // alternate screen, cursor hidden
        String tail = out.substring(out.lastIndexOf("\u001b[?25l"));
        assertThat(tail).contains("\u001b[?1049l", "\u001b[?25h");         // and both undone at the end
        assertThat(terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ICANON)).isTrue();
        assertThat(terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ISIG)).isTrue();
    }

    static LiveSnapshot stamped(LiveSnapshot s, long millis) {
        return new LiveSnapshot(millis, s.elapsedSeconds(), s.capBps(), s.interfaces(), s.coverage(), s.processes(),
                s.connections(), s.remotes(), s.unattributed());
    }

    private static String lineWith(Frame f, String text) {
        return f.lines().stream().map(Object::toString).filter(l -> l.contains(text)).findFirst().orElse("");
    }

    private void awaitFrame(Predicate<Frame> condition) {
        awaitState(s -> screen.lastFrame() != null && condition.test(screen.lastFrame()));
    }

    private void type(String keys) throws IOException {
        terminal.processInputBytes(keys.getBytes(StandardCharsets.UTF_8));
    }

    private void awaitState(Predicate<UiState> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.test(screen.state())) {
            if (System.nanoTime() > deadline) {
                Frame f = screen.lastFrame();
                throw new AssertionError("condition not reached; screen:\n" + (f == null ? "none" : f.text()));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
