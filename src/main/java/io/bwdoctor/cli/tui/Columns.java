package io.bwdoctor.cli.tui;

import io.bwdoctor.core.live.LiveSnapshot.ConnectionRow;
import io.bwdoctor.core.live.LiveSnapshot.ProcessRow;
import io.bwdoctor.core.live.LiveSnapshot.RemoteRow;
import io.bwdoctor.core.live.Rates;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The columns of the three views, left to right. Ranks say what goes first on a narrow terminal: the rate window
 * being watched stays, the other windows go first, then peaks and identity details.
 */
final class Columns {
    static final int RATE_WIDTH = 9;
    static final String DEFAULT_SORT = "rate";

    /** Ranks of the rate columns: the watched window, RATE, TOTAL, the window next to it, PEAK, the far window. */
    private record Ranks(int watched, int rate, int total, int near, int peak, int far) {}

    private Columns() {}

    static List<Column<ProcessRow>> processes(Fmt f) {
        List<Column<ProcessRow>> c = new ArrayList<>();
        c.add(Column.number("pid", "PID", 7, 2, ProcessRow::pid, p -> p.pid() < 0 ? "-" : Integer.toString(p.pid())));
        c.add(Column.<ProcessRow>text("user", "USER", 4, 10, 5, p -> Text.clean(p.user())));
        c.add(Column.<ProcessRow>text("name", "NAME", 12, 24, 0, p -> Text.clean(p.name()))
                .flexible(Columns::processDetail, 28, 7));
        c.add(Column.<ProcessRow>text("container", "CONTAINER", 6, 16, 6, p -> Text.clean(p.container()))
                .hiddenWhenEmpty());
        c.add(Column.number("conns", "CONNS", 5, 10, ProcessRow::connections,
                p -> p.pid() < 0 && p.connections() == 0 ? "-" : Integer.toString(p.connections())));
        addRates(c, f, ProcessRow::rates, new Ranks(1, 3, 4, 8, 9, 11));
        return c;
    }

    static List<Column<ConnectionRow>> connections(Fmt f) {
        List<Column<ConnectionRow>> c = new ArrayList<>();
        c.add(Column.<ConnectionRow>text("proto", "PROTO", 3, 6, 8, r -> Text.clean(r.protocol())));
        c.add(Column.<ConnectionRow>text("local", "LOCAL", 9, 47, 6, r -> endpoint(r.localAddr(), r.localPort()))
                .croppedInMiddle());
        c.add(Column.<ConnectionRow>text("dir", "DIR", 3, 3, 1, r -> f.arrow(r.rates())));
        c.add(Column.<ConnectionRow>text("remote", "REMOTE", 9, 47, 0, r -> endpoint(r.remoteAddr(), r.remotePort()))
                .croppedInMiddle());
        c.add(Column.number("pid", "PID", 7, 10, ConnectionRow::pid,
                r -> r.pid() < 0 ? "-" : Integer.toString(r.pid())));
        c.add(Column.<ConnectionRow>text("process", "PROCESS", 8, 24, 2,
                r -> r.pid() < 0 && isBlank(r.process()) ? "(unattributed)" : Text.clean(r.process()))
                .flexible(r -> "", 16, 7));
        addRates(c, f, ConnectionRow::rates, new Ranks(3, 4, 5, 9, 11, 12));
        return c;
    }

    static List<Column<RemoteRow>> remotes(Fmt f) {
        List<Column<RemoteRow>> c = new ArrayList<>();
        c.add(Column.<RemoteRow>text("addr", "REMOTE HOST", 12, 39, 0, r -> Text.clean(r.addr())).croppedInMiddle());
        c.add(Column.<RemoteRow>text("dir", "DIR", 3, 3, 4, r -> f.arrow(r.rates())));
        c.add(Column.number("conns", "CONNS", 5, 6, RemoteRow::connections, r -> Integer.toString(r.connections())));
        c.add(Column.<RemoteRow>text("procs", "PROCESSES", 9, 30, 2, Columns::processList).flexible(r -> "", 20, 7));
        addRates(c, f, RemoteRow::rates, new Ranks(1, 3, 5, 8, 9, 10));
        return c;
    }

    /**
     * SENT and RECV at 2/10/40 s as iftop shows them, RATE (both directions over the watched window, the default
     * sort), cumulative TOTAL bytes and the busiest second (PEAK).
     */
    private static <T> void addRates(List<Column<T>> c, Fmt f, Function<T, Rates> rates, Ranks ranks) {
        for (int dir = 0; dir < 2; dir++) {
            boolean tx = dir == 0;
            for (int w = 0; w < 3; w++) {
                int window = w;
                int rank = w == f.window() ? ranks.watched() : Math.abs(w - f.window()) == 1 ? ranks.near() : ranks.far();
                c.add(Column.number((tx ? "tx" : "rx") + w, (tx ? "SENT " : "RECV ") + Fmt.WINDOWS[w], RATE_WIDTH,
                        rank, row -> Fmt.orZero(tx ? Fmt.tx(rates.apply(row), window) : Fmt.rx(rates.apply(row), window)),
                        row -> f.rate(tx ? Fmt.tx(rates.apply(row), window) : Fmt.rx(rates.apply(row), window))));
            }
        }
        c.add(Column.number(DEFAULT_SORT, "RATE " + f.windowName(), RATE_WIDTH, ranks.rate(),
                row -> Fmt.orZero(Fmt.sum(rates.apply(row), f.window())),
                row -> f.rate(Fmt.sum(rates.apply(row), f.window()))));
        c.add(Column.number("total", "TOTAL", 8, ranks.total(), row -> totalBytes(rates.apply(row)),
                row -> rates.apply(row) == null ? "-" : f.size(totalBytes(rates.apply(row)))));
        c.add(Column.number("peak", "PEAK", RATE_WIDTH, ranks.peak(), row -> peak(rates.apply(row)),
                row -> rates.apply(row) == null ? "-" : f.rate(peak(rates.apply(row)))));
    }

    private static long totalBytes(Rates r) {
        return r == null ? 0 : r.totalBytes();
    }

    private static long peak(Rates r) {
        return r == null ? 0 : r.peakBps();
    }

    private static String processDetail(ProcessRow p) {
        String cmd = Text.clean(isBlank(p.cmdline()) ? p.exe() : p.cmdline());
        return p.exited() ? ("(exited) " + cmd).strip() : cmd;
    }

    private static String processList(RemoteRow r) {
        Set<String> names = new LinkedHashSet<>();
        if (r.processes() != null) {
            for (String name : r.processes()) {
                names.add(isBlank(name) ? "?" : Text.clean(name));
            }
        }
        return names.isEmpty() ? "-" : String.join(", ", names);
    }

    /** addr:port, IPv6 in brackets; the port is left out when there is none (ICMP). */
    static String endpoint(String addr, Integer port) {
        String a = Text.clean(addr);
        if (port == null) {
            return a;
        }
        return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + port;
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
