package io.bwdoctor.cli.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.LiveSnapshot.ProcessRow;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The screen as a pure function of (snapshot, state, width, height), checked on its text and styles. */
class TopRendererTest {
    private static final String GAP_ROOT = "no root: sockets of other users' processes cannot be attributed";

    static UiState state() {
        UiState s = new UiState();
        s.zone = ZoneOffset.UTC;
        return s;
    }

    static Frame render(LiveSnapshot s, UiState st, int w, int h) {
        Frame f = TopRenderer.render(s, st, w, h);
        assertThat(f.lines()).as("one line per terminal row").hasSize(h);
        for (AttributedString line : f.lines()) {
            assertThat(line.columnLength()).as("never wider than the screen: %s", line).isLessThanOrEqualTo(w);
            assertThat(line.toString()).doesNotContain("\n");
        }
        assertThat(f.lines().getLast().columnLength()).as("last line leaves the bottom-right cell free")
                .isLessThan(w);
        return f;
    }

    static String line(Frame f, String containing) {
        return f.lines().stream().map(AttributedString::toString).filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + f.text()));
    }

    static int lineIndex(Frame f, String containing) {
        for (int i = 0; i < f.lines().size(); i++) {
            if (f.lines().get(i).toString().contains(containing)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + containing + " in\n" + f.text());
    }

    @Test
    void processesAt120x40ShowTotalsCapDropsGapsAndEveryRow() {
        Frame f = render(Fixtures.snapshot(), state(), 120, 40);
        String text = f.text();
        assertThat(line(f, "eth0")).contains(" TX ", "2s 4.32 Mb/s", "10s 3.88 Mb/s", "40s 3.45 Mb/s",
                "total  54.0 MB", "peak 6.47 Mb/s", "192.0.2.10, 2001:db8::10");
        assertThat(line(f, " RX ")).contains("2s 1.46 Mb/s", "total   718 MB");
        assertThat(line(f, "uplink")).contains("86% of 5.00 Mb/s (2s)", "downlink", "29% of 5.00 Mb/s");
        assertThat(text).contains("capture: 1,234,567 packets, no drops");
        assertThat(text).contains("! " + GAP_ROOT,
                "! TCP byte counters unavailable: per-connection totals come from the capture only");
        String header = line(f, "PID");
        assertThat(header).contains("USER", "NAME", "CONTAINER", "SENT 2s", "SENT 10s", "RECV 2s", "RECV 10s",
                "RATE 2s\u25bc", "TOTAL");
        // Unattributed is pinned right under the header with its reasons, then rows by rate, largest first.
        int h = lineIndex(f, "PID");
        assertThat(f.lines().get(h + 1).toString()).contains(" unattributed ", "40.0 Kb/s", "26.0 Kb/s", "830 KB");
        assertThat(f.lines().get(h + 2).toString())
                .contains("no socket owner 60.0 Kb/s (750 KB), broadcast 6.00 Kb/s (80.0 KB)");
        List<String> order = List.of("nginx", "微信服务", "카카오톡", "\\x1b]0;pwned\\x07", "\\x1b[2Jrm", "curl");
        for (int i = 0; i < order.size(); i++) {
            assertThat(f.lines().get(h + 3 + i).toString()).contains(order.get(i));
        }
        assertThat(line(f, "nginx")).contains("1234", "www-data", "nginx: worker process", "web-1", "3.90 Mb/s",
                "4.05 Mb/s", "50.0 MB");
        assertThat(f.rowKeys()).hasSize(6);
        assertThat(f.lines().getLast().toString()).startsWith("q quit h help").endsWith("1-6/6");
    }

    @Test
    void exitedProcessIsDimWithItsFinalTotals() {
        Frame f = render(Fixtures.snapshot(), state(), 120, 40);
        int i = lineIndex(f, "curl");
        AttributedString row = f.lines().get(i);
        assertThat(row.toString()).contains("6789", "(exited)", "701 MB");
        assertThat(row.styleAt(row.toString().indexOf("6789"))).isEqualTo(AttributedStyle.DEFAULT.faint());
        AttributedString live = f.lines().get(lineIndex(f, "nginx"));
        assertThat(live.styleAt(live.toString().indexOf("1234"))).isNotEqualTo(AttributedStyle.DEFAULT.faint());
    }

    @Test
    void processesAt60x20DropColumnsAndWrapGapsInsteadOfCutting() {
        Frame f = render(Fixtures.snapshot(), state(), 60, 20);
        String header = line(f, "PID");
        assertThat(header).contains("NAME", "SENT 2s", "RECV 2s", "RATE 2s\u25bc").doesNotContain("SENT 10s",
                "USER", "CONTAINER", "PEAK");
        // Every word of every gap is on screen, in order, wrapped with an indent.
        String joined = f.lines().stream().map(AttributedString::toString)
                .filter(l -> l.startsWith("! ") || l.startsWith("  ") && !l.startsWith("   "))
                .map(String::strip).reduce("", (a, b) -> a + " " + b);
        assertThat(joined).contains(GAP_ROOT.replace("! ", ""));
        assertThat(joined).contains("TCP byte counters unavailable: per-connection totals come from the capture only");
        assertThat(line(f, "PID").length()).isLessThanOrEqualTo(60);
        assertThat(f.lines().get(lineIndex(f, "PID") + 1).toString()).contains("- unattributed ", "66.0 Kb/s");
        assertThat(f.text()).contains("nginx");
        assertThat(line(f, "down")).contains("86% of 5.00 Mb/s");
    }

    @Test
    void connectionsShowIftopArrowsPerDirectionAndAddresses() {
        UiState st = state();
        st.view = View.CONNECTIONS;
        Frame f = render(Fixtures.snapshot(), st, 120, 40);
        assertThat(line(f, "PROTO")).contains("LOCAL", "DIR", "REMOTE", "PID", "PROCESS", "SENT 2s", "RECV 2s");
        assertThat(line(f, "198.51.100.7:51234")).contains("tcp", "192.0.2.10:443", "=> ", "nginx", "3.00 Mb/s")
                .doesNotContain("<=");
        assertThat(line(f, "203.0.113.5:5353")).contains("udp", "<= ", "(unattributed)", "6.00 Kb/s")
                .doesNotContain("=>");
        assertThat(line(f, "198.51.100.8:40000")).contains("<=>");
        assertThat(line(f, "[2001:db8::10]:22")).contains("<=>", "微信服务", "]:60000");
        assertThat(f.rowKeys()).hasSize(5);

        Frame narrow = render(Fixtures.snapshot(), st, 60, 20);
        assertThat(line(narrow, "REMOTE")).contains("DIR", "PROCESS", "RATE 2s");
        assertThat(line(narrow, "198.51.100.7:51234")).contains("=>", "nginx", "3.00 Mb/s");
        assertThat(line(narrow, "]:60000")).contains("[2001:db8:", "\u2026");   // cropped in the middle, port kept
    }

    @Test
    void remoteHostsShowProcessesConnectionsAndRates() {
        UiState st = state();
        st.view = View.REMOTES;
        Frame f = render(Fixtures.snapshot(), st, 120, 40);
        assertThat(line(f, "REMOTE HOST")).contains("CONNS", "PROCESSES", "SENT 2s", "RATE 2s");
        assertThat(line(f, "198.51.100.7 ")).contains("=>", "nginx", "3.00 Mb/s", "40.1 MB");
        assertThat(line(f, "203.0.113.5 ")).contains("<=", " - ");
        assertThat(f.rowKeys()).hasSize(5).first().isEqualTo("r:198.51.100.7");
        Frame narrow = render(Fixtures.snapshot(), st, 60, 20);
        assertThat(line(narrow, "198.51.100.7")).contains("3.00 Mb/s");
    }

    @Test
    void unattributedRowStaysWhateverTheFilterOrData() {
        UiState st = state();
        st.filter = "no-such-process";
        Frame f = render(Fixtures.snapshot(), st, 100, 30);
        assertThat(f.text()).contains(" unattributed ", "no row matches the filter \"no-such-process\"");
        assertThat(f.rowKeys()).isEmpty();

        LiveSnapshot empty = new LiveSnapshot(Fixtures.T0, 1, null, List.of(), Fixtures.snapshot().coverage(),
                List.of(), List.of(), List.of(), null);
        Frame e = render(empty, state(), 100, 30);
        assertThat(line(e, " unattributed ")).contains(" - ");
        assertThat(e.text()).contains("no capture interface", "(no rows yet)").doesNotContain("uplink");
    }

    @Test
    void capBarShowsUtilisationAndSaturation() {
        LiveSnapshot s = Fixtures.snapshot();
        LiveSnapshot capped = new LiveSnapshot(s.timestampMillis(), s.elapsedSeconds(), 4_000_000L, s.interfaces(),
                s.coverage(), s.processes(), s.connections(), s.remotes(), s.unattributed());
        Frame f = render(capped, state(), 120, 40);
        String bar = line(f, "uplink");
        assertThat(bar).contains("108% of 4.00 Mb/s", "36% of 4.00 Mb/s");
        String up = bar.substring(bar.indexOf('['), bar.indexOf(']'));
        assertThat(up).doesNotContain("\u2591");       // saturated: the bar is full
        AttributedString styled = f.lines().get(lineIndex(f, "uplink"));
        assertThat(styled.styleAt(bar.indexOf("108%"))).isEqualTo(TopRenderer.ALERT);

        UiState ascii = state();
        ascii.unicode = false;
        assertThat(line(render(capped, ascii, 120, 40), "uplink")).contains("[####", "] 108%");
    }

    @Test
    void captureDropsAreAnAlert() {
        Frame f = render(Fixtures.snapshot(1_000, 234, List.of()), state(), 100, 30);
        String l = line(f, "capture lost");
        assertThat(l).contains("! capture lost 1,234 packets (0.10%): rates undercount");
        assertThat(f.text()).doesNotContain("no drops").doesNotContain("! no root");
    }

    @Test
    void unitsWindowAndSortAreVisible() {
        UiState st = state();
        st.bytes = true;
        st.window = 1;
        st.sort.put(View.PROCESSES, "rx1");
        Frame f = render(Fixtures.snapshot(), st, 140, 40);
        assertThat(line(f, "PID")).contains("RECV 10s\u25bc", "RATE 10s");
        assertThat(line(f, "nginx")).contains("439 KB/s", "16.9 KB/s").doesNotContain("Mb/s", "Kb/s");
        assertThat(f.lines().get(0).toString()).contains("sort RECV 10s");
        // Sorted by received bytes/s over 10 s: the WeChat service (1.08 Mb/s) is first.
        assertThat(f.rowKeys().getFirst()).startsWith("p:2345:");
        st.reverse.put(View.PROCESSES, true);
        Frame r = render(Fixtures.snapshot(), st, 140, 40);
        assertThat(line(r, "PID")).contains("RECV 10s\u25b2");
        assertThat(r.rowKeys().getFirst()).startsWith("p:6789:");
    }

    @Test
    void textColumnsSortAlphabetically() {
        UiState st = state();
        st.sort.put(View.PROCESSES, "name");
        Frame f = render(Fixtures.snapshot(), st, 120, 40);
        assertThat(line(f, "PID")).contains("NAME\u25b2");
        assertThat(f.rowKeys().getFirst()).startsWith("p:5678:");    // "\x1b[2Jrm" < "\x1b]0;..." < "curl" ...
        assertThat(f.rowKeys().getLast()).startsWith("p:3456:");     // Hangul sorts after Han ideographs
    }

    @Test
    void filterMatchesAnyShownTextCaseInsensitively() {
        UiState st = state();
        st.filter = "WORKER";
        assertThat(render(Fixtures.snapshot(), st, 120, 40).rowKeys()).containsExactly("p:1234:false:nginx");
        st.filter = "微信";
        assertThat(render(Fixtures.snapshot(), st, 120, 40).rowKeys()).containsExactly("p:2345:false:微信服务");
        st.view = View.CONNECTIONS;
        st.filter = "203.0.113";
        assertThat(render(Fixtures.snapshot(), st, 120, 40).rowKeys()).hasSize(2);
        assertThat(render(Fixtures.snapshot(), st, 120, 40).lines().getFirst().toString()).contains("filter \"203.0.113\"");
    }

    @Test
    void selectionIsHighlightedAndScrollsIntoView() {
        List<ProcessRow> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(new ProcessRow(1000 + i, 1, "worker-" + i, null, null, "u", null, false, 1,
                    Fixtures.rates(1_000_000 - i * 1000L, 0, 1, 1)));
        }
        LiveSnapshot s = Fixtures.snapshot();
        LiveSnapshot big = new LiveSnapshot(s.timestampMillis(), s.elapsedSeconds(), s.capBps(), s.interfaces(),
                s.coverage(), many, s.connections(), s.remotes(), s.unattributed());
        UiState st = state();
        Frame f = render(big, st, 60, 20);
        assertThat(f.selected()).isZero();
        AttributedString first = f.lines().get(lineIndex(f, "worker-0 "));
        assertThat(first.styleAt(0)).isEqualTo(Table.SELECTED);
        assertThat(first.columnLength()).as("selection bar spans the width").isEqualTo(60);

        st.apply(Action.PAGE_DOWN, null, f);
        Frame g = render(big, st, 60, 20);
        st.settle(g);
        assertThat(g.selected()).isEqualTo(f.bodyRows() - 1);
        st.apply(Action.DOWN, null, g);
        Frame h = render(big, st, 60, 20);
        st.settle(h);
        assertThat(h.selected()).isEqualTo(f.bodyRows());
        assertThat(h.top()).isEqualTo(1);
        assertThat(h.text()).contains("worker-" + f.bodyRows() + " ").doesNotContain("worker-0 ");
        assertThat(h.lines().getLast().toString()).endsWith("2-" + (f.bodyRows() + 1) + "/200");

        st.apply(Action.END, null, h);
        Frame end = render(big, st, 60, 20);
        assertThat(end.selected()).isEqualTo(199);
        assertThat(end.text()).contains("worker-199");
        st.settle(end);
        st.apply(Action.HOME, null, end);
        assertThat(render(big, st, 60, 20).text()).contains("worker-0 ");
    }

    @Test
    void selectionFollowsItsRowWhenTheOrderChanges() {
        UiState st = state();
        Frame f = render(Fixtures.snapshot(), st, 120, 40);
        st.apply(Action.DOWN, null, f);                      // 微信服务, second by rate
        assertThat(st.selectedKey()).startsWith("p:2345:");
        st.sort.put(View.PROCESSES, "name");                 // now fifth, A to Z
        Frame g = render(Fixtures.snapshot(), st, 120, 40);
        assertThat(g.selected()).isEqualTo(4);
        assertThat(g.rowKeys().get(g.selected())).startsWith("p:2345:");
    }

    @Test
    void onAShortScreenCoverageGapsAreTheLastToGo() {
        List<String> gaps = List.of("gap one: no root", "gap two: no TCP counters", "gap three: no containers");
        Frame f = render(Fixtures.snapshot(0, 0, gaps), state(), 80, 7);
        assertThat(f.text()).contains("bwdoctor top", "! gap one", "! gap two", "! gap three")
                .doesNotContain("uplink", " TX ");
        Frame g = render(Fixtures.snapshot(0, 0, gaps), state(), 80, 12);
        assertThat(g.text()).contains("86% of 5.00 Mb/s", "! gap three", " unattributed ", "nginx", "微信服务")
                .doesNotContain(" TX ");
        Frame h = render(Fixtures.snapshot(0, 0, gaps), state(), 80, 17);
        assertThat(h.text()).contains(" TX ", " RX ", "86% of 5.00 Mb/s", "! gap three", "nginx");
    }

    @Test
    void staleDataIsFlaggedUnlessPaused() {
        UiState st = state();
        st.nowMillis = Fixtures.T0 + 7_400;
        assertThat(render(Fixtures.snapshot(), st, 120, 40).lines().getFirst().toString())
                .contains("no new data for 7 s");
        st.nowMillis = Fixtures.T0 + 2_000;
        assertThat(render(Fixtures.snapshot(), st, 120, 40).text()).doesNotContain("no new data");
        st.nowMillis = Fixtures.T0 + 60_000;
        st.paused = true;
        assertThat(render(Fixtures.snapshot(), st, 120, 40).lines().getFirst().toString())
                .contains("PAUSED").doesNotContain("no new data");
    }

    @Test
    void helpScreenListsTheKeys() {
        UiState st = state();
        st.help = true;
        Frame f = render(Fixtures.snapshot(), st, 100, 30);
        assertThat(f.text()).contains("Keys", "1 2 3, Tab", "s or >, <", "filter rows by text", "quit",
                "! " + GAP_ROOT);
        assertThat(f.text()).doesNotContain("nginx");
    }

    @Test
    void waitingAndTooSmallScreens() {
        assertThat(render(null, state(), 80, 24).text()).contains("bwdoctor top", "waiting for the first sample");
        Frame tiny = TopRenderer.render(Fixtures.snapshot(), state(), 15, 4);
        assertThat(tiny.text()).startsWith("terminal too");
        assertThat(tiny.lines().getFirst().columnLength()).isLessThanOrEqualTo(15);
    }

    @Test
    void filterBeingTypedIsShownInTheFooter() {
        UiState st = state();
        st.apply(Action.FILTER, "/", null);
        st.apply(Action.EDIT_INSERT, "ngi", null);
        Frame f = render(Fixtures.snapshot(), st, 100, 30);
        assertThat(f.lines().getLast().toString()).startsWith("filter: ngi ").contains("Enter apply, Esc clear");
    }

    /** Every width from tiny to wide, every view: no line is ever wider than the screen (no wrapping). */
    @ParameterizedTest
    @CsvSource({"PROCESSES", "CONNECTIONS", "REMOTES"})
    void noWidthWraps(View view) {
        for (int w = 20; w <= 160; w++) {
            UiState st = state();
            st.view = view;
            Frame f = render(Fixtures.snapshot(3, 0, List.of(GAP_ROOT)), st, w, 12 + w % 20);
            assertThat(f.text()).as("width %d", w).contains("bwdoctor");
        }
    }
}
