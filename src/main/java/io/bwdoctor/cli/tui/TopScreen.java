package io.bwdoctor.cli.tui;

import io.bwdoctor.core.live.LiveSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The full-screen {@code bwdoctor top}: owns the terminal while it runs (raw mode, alternate screen, hidden cursor),
 * redraws once per refresh or key press with JLine's diffing {@link Display} (only changed cells are sent, which
 * matters on a slow console), and puts the terminal back on quit, on an exception, and on SIGTERM.
 */
public final class TopScreen {
    /** Upper bound on how long a resize or Ctrl-C signal waits to be noticed. */
    private static final long POLL_MILLIS = 100;

    private final Terminal terminal;
    private final LiveSource source;
    private final long refreshNanos;
    private final UiState state = new UiState();
    private final ReentrantLock drawing = new ReentrantLock();
    private volatile boolean quit;
    private volatile boolean resized;
    private volatile boolean resumed;
    private volatile boolean restored;
    private volatile UiState published = state.copy();
    private volatile Frame lastFrame;
    private Display display;
    private Size size = new Size(0, 0);
    private Attributes original;
    private Attributes raw;

    public TopScreen(Terminal terminal, LiveSource source, Duration refresh) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.source = Objects.requireNonNull(source, "source");
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("refresh interval must be positive, got " + refresh);
        }
        this.refreshNanos = refresh.toNanos();
        state.unicode = StandardCharsets.UTF_8.equals(terminal.outputEncoding());
    }

    /** The terminal cannot do full-screen output (TERM=dumb, output not a terminal); nothing was drawn. */
    public static final class NotFullScreenException extends IllegalStateException {
        NotFullScreenException(String message) {
            super(message);
        }
    }

    /**
     * Runs the screen until the user quits, the terminal closes, or {@code maxSeconds} (null: no limit) elapse.
     * The source is polled every {@code refresh}; the screen is redrawn when it returns a different snapshot, on a
     * key or a resize, and at least once a second (for the "no new data" warning). A short refresh (200 ms) costs
     * little and shows a new snapshot sooner.
     *
     * @throws NotFullScreenException when the terminal cannot do full-screen output
     */
    public static void run(Terminal terminal, LiveSource source, Duration refresh, Long maxSeconds)
            throws IOException {
        new TopScreen(terminal, source, refresh).run(maxSeconds);
    }

    /** The process's own terminal (FFM provider where available); pair with {@link #run}, then close it. */
    public static Terminal systemTerminal() throws IOException {
        return TerminalBuilder.builder().name("bwdoctor").system(true).nativeSignals(true).dumb(true).build();
    }

    /** A copy of the UI state after the last key or frame (for tests and for a caller that wants to report it). */
    public UiState state() {
        return published;
    }

    /** The frame last drawn, or null before the first. */
    public Frame lastFrame() {
        return lastFrame;
    }

    /** Asks the loop to end (from any thread); the terminal is restored by the loop. */
    public void stop() {
        quit = true;
    }

    public void run(Long maxSeconds) throws IOException {
        if (terminal.getStringCapability(Capability.cursor_address) == null) {
            throw new NotFullScreenException("bwdoctor top needs a full-screen terminal, and this one (TERM="
                    + terminal.getType() + ") cannot move the cursor; use a non-interactive output instead");
        }
        original = terminal.enterRawMode();
        raw = new Attributes(terminal.getAttributes());
        // Ctrl-C and Ctrl-Z arrive as keys: Ctrl-C quits cleanly, and the screen is never suspended half-drawn.
        raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(raw);
        SignalHandler oldInt = terminal.handle(Signal.INT, s -> quit = true);
        SignalHandler oldWinch = terminal.handle(Signal.WINCH, s -> resized = true);
        SignalHandler oldCont = terminal.handle(Signal.CONT, s -> resumed = true);
        Thread hook = new Thread(this::restoreFromHook, "bwdoctor-top-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            enterScreen();
            loop(maxSeconds);
        } finally {
            restore();
            terminal.handle(Signal.INT, oldInt);
            terminal.handle(Signal.WINCH, oldWinch);
            terminal.handle(Signal.CONT, oldCont);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting (SIGTERM): the hook restores the terminal, nothing left to do here.
            }
        }
    }

    private void loop(Long maxSeconds) throws IOException {
        BindingReader keys = new BindingReader(terminal.reader());
        KeyMap<Action> browsing = Keys.browsing(terminal);
        KeyMap<Action> editing = Keys.editing(terminal);
        long start = System.nanoTime();
        long deadline = maxSeconds == null ? Long.MAX_VALUE : start + TimeUnit.SECONDS.toNanos(maxSeconds);
        long nextTick = start;
        LiveSnapshot latest = null;
        LiveSnapshot shown = null;
        boolean dirty = true;
        long lastDraw = start;
        while (!quit) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return;
            }
            if (now - nextTick >= 0) {
                latest = source.latest();
                if (!state.paused && latest != shown) {
                    shown = latest;
                    dirty = true;
                }
                nextTick = now + refreshNanos;
                dirty |= now - lastDraw >= TimeUnit.SECONDS.toNanos(1);
            }
            if (resumed) {
                resumed = false;
                terminal.setAttributes(raw);
                enterScreen();
                dirty = true;
            }
            if (resized) {
                resized = false;
                dirty = true;
            }
            if (dirty) {
                draw(shown);
                lastDraw = System.nanoTime();
                dirty = false;
            }
            long waitMillis = Math.clamp(TimeUnit.NANOSECONDS.toMillis(Math.min(nextTick, deadline) - System.nanoTime()),
                    1, POLL_MILLIS);
            int c = keys.peekCharacter(waitMillis);
            if (c == NonBlockingReader.READ_EXPIRED) {
                continue;
            }
            Action action = c == NonBlockingReader.EOF ? null : keys.readBinding(state.editing ? editing : browsing);
            if (action == null) {
                return;         // the terminal's input closed
            }
            boolean wasPaused = state.paused;
            if (!state.apply(action, keys.getLastBinding(), lastFrame)) {
                return;
            }
            if (wasPaused && !state.paused) {
                shown = latest;
            }
            dirty = true;
        }
    }

    private void draw(LiveSnapshot snapshot) {
        Size now = terminal.getSize();
        int rows = now.getRows() > 0 ? now.getRows() : 24;
        int cols = now.getColumns() > 0 ? now.getColumns() : 80;
        state.nowMillis = System.currentTimeMillis();
        Frame frame = TopRenderer.render(snapshot, state, cols, rows);
        state.settle(frame);
        drawing.lock();
        try {
            if (restored) {
                return;
            }
            if (rows != size.getRows() || cols != size.getColumns()) {
                size = new Size(cols, rows);
                display.resize(rows, cols);
                display.clear();            // repaint everything: the terminal may have reflowed the old screen
            }
            display.update(frame.lines(), 0);
        } finally {
            drawing.unlock();
        }
        lastFrame = frame;
        published = state.copy();
    }

    private void enterScreen() {
        drawing.lock();
        try {
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.keypad_xmit);
            terminal.puts(Capability.cursor_invisible);
            terminal.puts(Capability.clear_screen);
            terminal.flush();
            display = new Display(terminal, true);
            size = new Size(0, 0);
        } finally {
            drawing.unlock();
        }
    }

    /** Idempotent: the first of quit, exception or SIGTERM restores, later calls do nothing. */
    private void restore() {
        drawing.lock();
        try {
            restoreTerminal();
        } finally {
            drawing.unlock();
        }
    }

    /** On SIGTERM the UI thread may be stuck writing; restore anyway after a short wait rather than hang the exit. */
    private void restoreFromHook() {
        boolean locked = false;
        try {
            locked = drawing.tryLock(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            restoreTerminal();
        } finally {
            if (locked) {
                drawing.unlock();
            }
        }
    }

    private void restoreTerminal() {
        if (restored) {
            return;
        }
        restored = true;
        terminal.puts(Capability.exit_attribute_mode);
        terminal.puts(Capability.cursor_normal);
        terminal.puts(Capability.keypad_local);
        terminal.puts(Capability.exit_ca_mode);
        terminal.flush();
        if (original != null) {
            terminal.setAttributes(original);
        }
    }
}
