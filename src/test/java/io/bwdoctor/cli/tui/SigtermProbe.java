package io.bwdoctor.cli.tui;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jline.terminal.Size;
import org.jline.terminal.impl.LineDisciplineTerminal;

/** A JVM that runs the screen on an in-memory terminal writing to stdout, until it is killed (see the test). */
public final class SigtermProbe {
    private SigtermProbe() {}

    public static void main(String[] args) throws Exception {
        LineDisciplineTerminal t = new LineDisciplineTerminal("probe", "xterm-256color", System.out,
                StandardCharsets.UTF_8);
        t.setSize(new Size(100, 30));
        TopScreen.run(t, () -> TopScreenTest.stamped(Fixtures.snapshot(), System.currentTimeMillis()),
                Duration.ofMillis(100), 20L);
    }
}
