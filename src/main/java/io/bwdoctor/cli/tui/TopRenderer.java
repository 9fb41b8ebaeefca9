package io.bwdoctor.cli.tui;

import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.LiveSnapshot.ConnectionRow;
import io.bwdoctor.core.live.LiveSnapshot.InterfaceRow;
import io.bwdoctor.core.live.LiveSnapshot.ProcessRow;
import io.bwdoctor.core.live.LiveSnapshot.RemoteRow;
import io.bwdoctor.core.live.Rates;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The whole screen as a pure function of (snapshot, UI state, width, height): header with interface totals, cap
 * utilisation, capture drops and coverage gaps; the table of the current view; a footer with keys or the filter
 * being typed. Every string that came from the system or the wire goes through {@link Text#clean}.
 */
public final class TopRenderer {
    static final AttributedStyle BOLD = AttributedStyle.BOLD;
    static final AttributedStyle WARN = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle ALERT = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
    static final AttributedStyle OK = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    private static final int MAX_INTERFACES = 3;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private TopRenderer() {}

    public static Frame render(LiveSnapshot snapshot, UiState state, int width, int height) {
        Fmt f = state.fmt();
        if (width < 20 || height < 5) {
            AttributedString msg = new AttributedString(Text.crop("terminal too small: " + width + "x" + height,
                    Math.max(1, width), f.ellipsis()));
            return new Frame(List.of(msg), state.view, List.of(), List.of(), -1, 0, 0);
        }
        List<AttributedString> lines = new ArrayList<>();
        lines.add(title(snapshot, state, f, width));
        if (snapshot == null) {
            lines.add(new AttributedString("waiting for the first sample" + f.ellipsis(), Table.DIM));
            return finish(lines, state, f, width, height, null);
        }
        List<AttributedString> ifaces = interfaces(snapshot, f, width);
        List<AttributedString> status = new ArrayList<>(capBars(snapshot, f, width));
        status.add(capture(snapshot, width));
        List<AttributedString> gaps = gaps(snapshot, width);
        // On a short screen the header gives way so that a few table rows stay: interface lines first, then (when
        // even the header does not fit) the cap bar and the capture line. Coverage gaps go last of all.
        int minTable = state.help ? 0 : 5;
        int room = height - 1 - lines.size() - gaps.size();
        while (!ifaces.isEmpty() && ifaces.size() + status.size() + minTable > room) {
            ifaces.removeLast();
        }
        while (!status.isEmpty() && status.size() > room) {
            status.removeFirst();
        }
        lines.addAll(ifaces);
        lines.addAll(status);
        lines.addAll(gaps);
        if (state.help) {
            lines.addAll(help(width));
            return finish(lines, state, f, width, height, null);
        }
        int tableHeight = Math.max(0, height - 1 - lines.size());
        Table.Result table = table(snapshot, state, f, width, tableHeight);
        lines.addAll(table.lines());
        return finish(lines, state, f, width, height, table);
    }

    private static Frame finish(List<AttributedString> lines, UiState state, Fmt f, int width, int height,
                                Table.Result table) {
        while (lines.size() > height - 1) {
            lines.removeLast();
        }
        while (lines.size() < height - 1) {
            lines.add(AttributedString.EMPTY);
        }
        // The last line stays one column short so that no terminal scrolls when it is drawn.
        lines.add(footer(state, f, width - 1, table));
        if (table == null) {
            return new Frame(lines, state.view, List.of(), List.of(), -1, 0, 0);
        }
        return new Frame(lines, state.view, table.columnIds(), table.rowKeys(), table.selected(), table.top(),
                table.bodyRows());
    }

    // ---- header ----------------------------------------------------------------------------------------------

    private static AttributedString title(LiveSnapshot s, UiState st, Fmt f, int width) {
        Line line = new Line().add("bwdoctor top", BOLD, 0);
        for (View v : View.values()) {
            boolean current = v == st.view;
            line.add("  ", current ? 0 : 4)
                    .add((v.ordinal() + 1) + " " + v.label(), current ? BOLD.inverse() : AttributedStyle.DEFAULT,
                            current ? 0 : 4);
        }
        line.add("  sort " + sortLabel(st, f), 2);
        if (st.paused) {
            line.add("  ", 0).add(" PAUSED ", AttributedStyle.BOLD.inverse().foreground(AttributedStyle.YELLOW), 0);
        }
        if (!st.filter.isEmpty()) {
            line.add("  filter \"" + st.filter + "\"", WARN, 1);
        }
        if (s != null) {
            long age = (st.nowMillis - s.timestampMillis()) / 1000;
            if (!st.paused && st.nowMillis > 0 && age >= 3) {
                line.right("no new data for " + age + " s ", ALERT, 0);
            }
            line.right("up " + duration(s.elapsedSeconds()), AttributedStyle.DEFAULT, 3);
            line.right(" " + CLOCK.format(Instant.ofEpochMilli(s.timestampMillis()).atZone(st.zone)),
                    AttributedStyle.DEFAULT, 5);
        }
        return line.fit(width);
    }

    private static String sortLabel(UiState st, Fmt f) {
        String id = st.sortColumn();
        String header = switch (st.view) {
            case PROCESSES -> header(Columns.processes(f), id);
            case CONNECTIONS -> header(Columns.connections(f), id);
            case REMOTES -> header(Columns.remotes(f), id);
        };
        return header + (st.reversed() ? (f.unicode() ? " \u25b2" : " ^") : "");
    }

    private static String header(List<? extends Column<?>> columns, String id) {
        return columns.stream().filter(c -> c.id().equals(id)).map(Column::header).findFirst().orElse(id);
    }

    private static List<AttributedString> interfaces(LiveSnapshot s, Fmt f, int width) {
        List<AttributedString> out = new ArrayList<>();
        List<InterfaceRow> rows = s.interfaces() == null ? List.of() : s.interfaces();
        if (rows.isEmpty()) {
            out.add(new AttributedString("no capture interface", WARN));
            return out;
        }
        int nameWidth = 0;
        for (InterfaceRow r : rows) {
            nameWidth = Math.max(nameWidth, Math.min(16, Text.width(Text.clean(r.name()))));
        }
        for (InterfaceRow r : rows.subList(0, Math.min(MAX_INTERFACES, rows.size()))) {
            String name = Text.fit(Text.clean(r.name()), nameWidth, false, f.ellipsis());
            out.add(direction(name, "TX", r.rates(), true, f).add("  " + addresses(r), AttributedStyle.DEFAULT, 6)
                    .fit(width));
            out.add(direction(" ".repeat(nameWidth), "RX", r.rates(), false, f).fit(width));
        }
        if (rows.size() > MAX_INTERFACES) {
            out.add(new AttributedString("+" + (rows.size() - MAX_INTERFACES) + " more interfaces", Table.DIM));
        }
        return out;
    }

    private static Line direction(String name, String label, Rates r, boolean tx, Fmt f) {
        Line line = new Line().add(name, BOLD, 0).add(" " + label, BOLD, 0);
        for (int w = 0; w < 3; w++) {
            Long bps = tx ? Fmt.tx(r, w) : Fmt.rx(r, w);
            int rank = w == f.window() ? 0 : Math.abs(w - f.window()) == 1 ? 3 : 4;
            line.add(Text.fit(" " + Fmt.WINDOWS[w], 5, true, "~") + " ", rank)
                    .add(Text.fit(f.rate(bps), Columns.RATE_WIDTH, true, "~"),
                            w == f.window() ? BOLD : AttributedStyle.DEFAULT, rank);
        }
        long bytes = r == null ? 0 : tx ? r.txBytes() : r.rxBytes();
        long peak = r == null ? 0 : tx ? r.txPeakBps() : r.rxPeakBps();
        line.add("  total " + Text.fit(f.size(bytes), 8, true, "~"), 1);
        line.add("  peak " + Text.fit(f.rate(peak), Columns.RATE_WIDTH, true, "~"), 2);
        return line;
    }

    private static String addresses(InterfaceRow r) {
        if (r.addresses() == null || r.addresses().isEmpty()) {
            return "";
        }
        return String.join(", ", r.addresses().stream().map(Text::clean).toList());
    }

    /** "uplink [#####.....] 87% of 5 Mb/s" for each direction, against the configured cap. */
    private static List<AttributedString> capBars(LiveSnapshot s, Fmt f, int width) {
        Long cap = s.capBps();
        if (cap == null || cap <= 0) {
            return List.of();
        }
        long tx = 0;
        long rx = 0;
        for (InterfaceRow r : s.interfaces() == null ? List.<InterfaceRow>of() : s.interfaces()) {
            tx += Fmt.orZero(Fmt.tx(r.rates(), f.window()));
            rx += Fmt.orZero(Fmt.rx(r.rates(), f.window()));
        }
        // Widest variant whose bars still get a useful length: long labels and the window name go first.
        String[][] variants = {{"uplink   ", "downlink ", " of " + f.rate(cap) + " (" + f.windowName() + ")"},
                {"up ", "down ", " of " + f.rate(cap) + " (" + f.windowName() + ")"},
                {"up ", "down ", " of " + f.rate(cap)}, {"up ", "down ", ""}};
        int[] minBar = {8, 8, 4, 0};
        String[] v = variants[0];
        int bar = 0;
        for (int i = 0; i < variants.length; i++) {
            v = variants[i];
            int fixed = Text.width(v[0]) + Text.width(v[1]) + 2 * (3 + 4 + Text.width(v[2])) + 3;
            bar = Math.clamp((width - fixed) / 2, 0, 40);
            if (bar >= minBar[i]) {
                break;
            }
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        gauge(b, v[0], tx, cap, bar, v[2], f);
        b.append("   ");
        gauge(b, v[1], rx, cap, bar, v[2], f);
        return List.of(Table.limit(b.toAttributedString(), width));
    }

    private static void gauge(AttributedStringBuilder b, String label, long bps, long cap, int bar, String capText,
                              Fmt f) {
        double ratio = (double) bps / cap;
        AttributedStyle level = ratio >= 0.9 ? ALERT : ratio >= 0.7 ? WARN : OK;
        b.append(label, BOLD);
        if (bar >= 3) {
            int filled = (int) Math.round(Math.min(1.0, ratio) * bar);
            b.append("[");
            b.append((f.unicode() ? "\u2588" : "#").repeat(filled), level);
            b.append((f.unicode() ? "\u2591" : ".").repeat(bar - filled), Table.DIM);
            b.append("] ");
        }
        b.append(String.format(Locale.ROOT, "%3d%%", Math.round(ratio * 100)), level);
        b.append(capText);
    }

    private static AttributedString capture(LiveSnapshot s, int width) {
        long received = 0;
        long dropped = 0;
        long ifDropped = 0;
        for (InterfaceRow r : s.interfaces() == null ? List.<InterfaceRow>of() : s.interfaces()) {
            received += r.captureReceived();
            dropped += r.captureDropped();
            ifDropped += r.interfaceDropped();
        }
        Line line = new Line();
        if (dropped + ifDropped > 0) {
            double pct = 100.0 * (dropped + ifDropped) / Math.max(1, received + dropped + ifDropped);
            line.add(String.format(Locale.ROOT, "! capture lost %,d packets (%.2f%%): rates undercount", dropped
                    + ifDropped, pct), ALERT, 0)
                    .add(String.format(Locale.ROOT, "  (%,d by the capture buffer, %,d by the interface)", dropped,
                            ifDropped), ALERT, 2);
        } else {
            line.add("capture: ", 0).add(String.format(Locale.ROOT, "%,d packets, ", received), 2)
                    .add("no drops", OK, 0);
        }
        return line.fit(width);
    }

    /** Coverage gaps are wrapped, never cropped or hidden: they say what the numbers do not include. */
    private static List<AttributedString> gaps(LiveSnapshot s, int width) {
        List<AttributedString> out = new ArrayList<>();
        if (s.coverage() == null || s.coverage().gaps() == null) {
            return out;
        }
        for (String gap : s.coverage().gaps()) {
            List<String> wrapped = Text.wrap(Text.clean(gap), width - 2, width - 2);
            for (int i = 0; i < wrapped.size(); i++) {
                out.add(new AttributedString((i == 0 ? "! " : "  ") + wrapped.get(i), WARN));
            }
        }
        return out;
    }

    // ---- table -----------------------------------------------------------------------------------------------

    private static Table.Result table(LiveSnapshot s, UiState st, Fmt f, int width, int height) {
        String sort = st.sort.get(st.view);
        boolean reverse = st.reverse.get(st.view);
        UiState.Cursor cursor = st.cursor.get(st.view);
        return switch (st.view) {
            case PROCESSES -> {
                List<Table.Item<ProcessRow>> items = new ArrayList<>();
                for (ProcessRow p : nonNull(s.processes())) {
                    items.add(new Table.Item<>("p:" + p.pid() + ":" + p.exited() + ":" + p.name(), p, p.exited()));
                }
                yield Table.render(Columns.processes(f), items, List.of(unattributedRow(s)), reasons(s, f), sort,
                        reverse, st.filter, cursor, f, width, height);
            }
            case CONNECTIONS -> {
                List<Table.Item<ConnectionRow>> items = new ArrayList<>();
                for (ConnectionRow c : nonNull(s.connections())) {
                    items.add(new Table.Item<>("c:" + c.protocol() + "|" + c.localAddr() + "|" + c.localPort() + "|"
                            + c.remoteAddr() + "|" + c.remotePort() + "|" + c.pid(), c, false));
                }
                yield Table.render(Columns.connections(f), items, List.of(), List.of(), sort, reverse, st.filter,
                        cursor, f, width, height);
            }
            case REMOTES -> {
                List<Table.Item<RemoteRow>> items = new ArrayList<>();
                for (RemoteRow r : nonNull(s.remotes())) {
                    items.add(new Table.Item<>("r:" + r.addr(), r, false));
                }
                yield Table.render(Columns.remotes(f), items, List.of(), List.of(), sort, reverse, st.filter,
                        cursor, f, width, height);
            }
        };
    }

    /** The pinned row for traffic no process owns, so that the interface total = processes + this row. */
    private static Table.Item<ProcessRow> unattributedRow(LiveSnapshot s) {
        LiveSnapshot.Unattributed u = s.unattributed();
        int conns = (int) nonNull(s.connections()).stream().filter(c -> c.pid() < 0).count();
        ProcessRow row = new ProcessRow(-1, -1, "unattributed", null, null, null, null, false, conns,
                u == null ? null : u.rates());
        return new Table.Item<>("unattributed", row, false);
    }

    /** The line under the unattributed row: why that traffic has no process, largest part first. */
    private static List<AttributedString> reasons(LiveSnapshot s, Fmt f) {
        LiveSnapshot.Unattributed u = s.unattributed();
        if (u == null || u.reasons() == null || u.reasons().isEmpty()) {
            return List.of();
        }
        List<String> parts = u.reasons().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Rates> e) -> total(e.getValue())).reversed())
                .map(e -> Text.clean(e.getKey()) + " " + f.rate(Fmt.sum(e.getValue(), f.window())) + " ("
                        + f.size(total(e.getValue())) + ")")
                .toList();
        return List.of(new AttributedString("        unattributed because: " + String.join(", ", parts),
                Table.PINNED.faint()));
    }

    private static long total(Rates r) {
        return r == null ? 0 : r.totalBytes();
    }

    // ---- footer and help -------------------------------------------------------------------------------------

    private static AttributedString footer(UiState st, Fmt f, int width, Table.Result table) {
        if (st.editing) {
            AttributedStringBuilder b = new AttributedStringBuilder();
            b.append("filter: ", WARN);
            String typed = Text.clean(st.edit.toString());
            String hint = "  Enter apply, Esc clear";
            int room = Math.max(1, width - 8 - 1 - Text.width(hint));
            // Show the end of a long filter: that is where the user is typing.
            int w = Text.width(typed);
            if (w > room) {
                typed = new AttributedString(typed).columnSubSequence(w - room, w).toString();
            }
            b.append(typed).append(" ", AttributedStyle.DEFAULT.inverse()).append(hint, Table.DIM);
            return Table.limit(b.toAttributedString(), width);
        }
        Line line = new Line();
        key(line, "q", "quit", 0);
        key(line, "h", "help", 0);
        key(line, "1-3", "view", 1);
        key(line, "s", "sort", 2);
        key(line, "r", "reverse", 4);
        key(line, "p", st.paused ? "resume" : "pause", 2);
        key(line, "/", "filter", 2);
        key(line, "b", st.bytes ? "bits" : "bytes", 3);
        key(line, "t", "window " + f.windowName(), 3);
        if (table != null && !table.rowKeys().isEmpty()) {
            int first = table.top() + 1;
            int last = Math.min(table.rowKeys().size(), table.top() + table.bodyRows());
            line.right(first + "-" + last + "/" + table.rowKeys().size(), Table.DIM, 1);
        }
        return line.fit(width);
    }

    private static void key(Line line, String key, String label, int rank) {
        line.add(key, AttributedStyle.BOLD.inverse(), rank).add(" " + label + " ", rank);
    }

    static final List<String[]> KEYS = List.of(
            new String[] {"1 2 3, Tab", "processes, connections, remote hosts"},
            new String[] {"s or >, <", "sort by the next / previous column"},
            new String[] {"r", "reverse the sort order"},
            new String[] {"t", "rate window 2s / 10s / 40s (RATE, sort, arrows, cap bar)"},
            new String[] {"b", "rates in bits or bytes per second"},
            new String[] {"/", "filter rows by text (Enter apply, Esc clear)"},
            new String[] {"Esc", "clear the filter"},
            new String[] {"p", "pause the display (data keeps being collected)"},
            new String[] {"Up Down j k", "move the selection"},
            new String[] {"PgUp PgDn Home End", "scroll by page, to the top, to the end"},
            new String[] {"h ?", "this help (any key closes it)"},
            new String[] {"q Ctrl-C", "quit"});

    private static List<AttributedString> help(int width) {
        List<AttributedString> out = new ArrayList<>();
        out.add(AttributedString.EMPTY);
        out.add(new AttributedString("Keys", BOLD));
        for (String[] k : KEYS) {
            AttributedStringBuilder b = new AttributedStringBuilder();
            b.append("  ").append(Text.fit(k[0], 20, false, "~"), BOLD).append(" ").append(k[1]);
            out.add(Table.limit(b.toAttributedString(), width));
        }
        out.add(AttributedString.EMPTY);
        for (String note : List.of(
                "SENT/RECV: bits per second averaged over the last 2, 10 and 40 seconds (as iftop). "
                        + "TOTAL: bytes since the start. PEAK: busiest second.",
                "=> sending, <= receiving, <=> both. unattributed: traffic no process owns, with the reasons; "
                        + "the interface total is the processes plus this row.",
                "Exited processes stay, dimmed, with their final totals.")) {
            for (String l : Text.wrap(note, width - 2, width - 2)) {
                out.add(new AttributedString("  " + l));
            }
        }
        return out;
    }

    // ---- small helpers ---------------------------------------------------------------------------------------

    static String duration(double seconds) {
        long s = Math.max(0, (long) seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
