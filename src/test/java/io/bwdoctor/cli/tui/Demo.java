package io.bwdoctor.cli.tui;

import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.LiveSnapshot.ProcessRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Terminal;

/**
 * Runs the screen on the real terminal with the fixture data, rates wobbling over time (manual look and the tmux
 * check in the report; not a test). Arguments: optional max seconds.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        long start = System.currentTimeMillis();
        Long max = args.length > 0 ? Long.valueOf(args[0]) : null;
        try (Terminal t = TopScreen.systemTerminal()) {
            TopScreen.run(t, () -> wobble(Fixtures.snapshot(), (System.currentTimeMillis() - start) / 1000.0),
                    Duration.ofSeconds(1), max);
        }
    }

    static LiveSnapshot wobble(LiveSnapshot s, double seconds) {
        List<ProcessRow> rows = new ArrayList<>();
        int i = 0;
        for (ProcessRow p : s.processes()) {
            double f = 1 + 0.5 * Math.sin(seconds / 3 + i++);
            var r = p.rates();
            rows.add(new ProcessRow(p.pid(), p.ppid(), p.name(), p.exe(), p.cmdline(), p.user(), p.container(),
                    p.exited(), p.connections(), Fixtures.rates((long) (r.txBps2s() * f), (long) (r.rxBps2s() * f),
                            r.txBytes() + (long) (seconds * r.txBps2s() / 8), r.rxBytes() + (long) (seconds * r.rxBps2s() / 8))));
        }
        return new LiveSnapshot(System.currentTimeMillis(), s.elapsedSeconds() + seconds, s.capBps(),
                s.interfaces(), s.coverage(), rows, s.connections(), s.remotes(), s.unattributed());
    }
}
