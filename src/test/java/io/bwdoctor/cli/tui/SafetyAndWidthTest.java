package io.bwdoctor.cli.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.LiveSnapshot.ConnectionRow;
import io.bwdoctor.core.live.LiveSnapshot.Coverage;
import io.bwdoctor.core.live.LiveSnapshot.InterfaceRow;
import io.bwdoctor.core.live.LiveSnapshot.ProcessRow;
import io.bwdoctor.core.live.LiveSnapshot.RemoteRow;
import io.bwdoctor.core.live.LiveSnapshot.Unattributed;
import io.bwdoctor.core.live.Rates;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jline.utils.AttributedString;
import org.jline.utils.WCWidth;
import org.junit.jupiter.api.Test;

/** No terminal escape injection through any field, and wide (CJK) names keep the columns aligned. */
class SafetyAndWidthTest {
    /** What the styling itself may emit: SGR sequences only. */
    private static final Pattern SGR = Pattern.compile("\u001b\\[[0-9;]*m");
    private static final List<String> HOSTILE = List.of(Fixtures.OSC_TITLE, Fixtures.CLEAR_SCREEN,
            "a\u009b2Jb", "\u202eevil\u202c", "x\ny\rz\tw", "bell\u0007", "del\u007f", "zw\u200bj\u200d",
            "\u001bP+q\u001b\\", "emoji\ud83d\ude00\ufe0f\ud83c\udffb", "lone\ud800surrogate", "\u2028sep");

    static LiveSnapshot hostile(int i) {
        String h = HOSTILE.get(i % HOSTILE.size());
        Rates r = Fixtures.rates(1000 + i, 2000 + i, 10_000, 20_000);
        return new LiveSnapshot(Fixtures.T0, 5, 10_000L,
                List.of(new InterfaceRow("eth" + h, List.of("192.0.2.1" + h), r, 10, 0, 0, null)),
                new Coverage(false, false, false, false, List.of("gap " + h)),
                List.of(new ProcessRow(100 + i, 1, h, h, h, h, h, i % 2 == 0, 1, r)),
                List.of(new ConnectionRow(h, "192.0.2.1" + h, 1, "198.51.100.1" + h, 2, 100 + i, h, r)),
                List.of(new RemoteRow("198.51.100.1" + h, List.of(100 + i), List.of(h), 1, r)),
                new Unattributed(r, Map.of("reason " + h, r)));
    }

    @Test
    void noControlCharacterFromTheDataReachesTheScreen() {
        for (int i = 0; i < HOSTILE.size(); i++) {
            for (View v : View.values()) {
                for (boolean help : new boolean[] {false, true}) {
                    UiState st = TopRendererTest.state();
                    st.view = v;
                    st.help = help;
                    st.filter = i % 3 == 0 ? "" : "1";
                    Frame f = TopRendererTest.render(hostile(i), st, 200, 30);
                    for (AttributedString line : f.lines()) {
                        assertClean(line.toString());
                        // The styled bytes the terminal receives: only JLine's own SGR escapes remain.
                        assertClean(SGR.matcher(line.toAnsi()).replaceAll(""));
                    }
                }
            }
        }
    }

    @Test
    void hostileNamesAreShownEscapedNotInterpreted() {
        UiState st = TopRendererTest.state();
        Frame f = TopRendererTest.render(Fixtures.snapshot(), st, 120, 40);
        assertThat(f.text()).contains("\\x1b]0;pwned\\x07", "\\x1b[2Jrm", "sh -c \\x1b[2Jrm");
        Frame g = TopRendererTest.render(hostile(2), st, 200, 30);
        assertThat(g.text()).contains("a\\x9b2Jb");
        Frame b = TopRendererTest.render(hostile(3), st, 200, 30);
        assertThat(b.text()).contains("\\u{202e}evil\\u{202c}");
        Frame z = TopRendererTest.render(hostile(7), st, 200, 30);
        assertThat(z.text()).contains("zw\\u{200b}j\\u{200d}");
    }

    @Test
    void filterTextIsSanitizedToo() {
        UiState st = TopRendererTest.state();
        st.apply(Action.FILTER, "/", null);
        st.apply(Action.EDIT_INSERT, "x\u001b]0;t\u0007\u202e", null);
        Frame f = TopRendererTest.render(Fixtures.snapshot(), st, 100, 30);
        assertClean(f.lines().getLast().toString());
        st.apply(Action.EDIT_ACCEPT, "\r", null);
        Frame g = TopRendererTest.render(Fixtures.snapshot(), st, 100, 30);
        for (AttributedString line : g.lines()) {
            assertClean(line.toString());
        }
    }

    @Test
    void cleanKeepsWidthsWellDefined() {
        assertThat(Text.clean(null)).isEmpty();
        assertThat(Text.clean("nginx")).isEqualTo("nginx");
        assertThat(Text.clean("微信服务")).isEqualTo("微信服务");
        assertThat(Text.clean("e\u0301")).isEqualTo("e\u0301");        // combining accent: kept, zero width
        assertThat(Text.clean("\u00ad\ufeff\ue000")).isEqualTo("\\u{00ad}\\u{feff}\\u{e000}");
        for (String h : HOSTILE) {
            String c = Text.clean(h);
            // Per code point widths and JLine's grapheme-aware width agree once cleaned.
            int sum = c.codePoints().map(cp -> Math.max(0, WCWidth.wcwidth(cp))).sum();
            assertThat(Text.width(c)).as(c).isEqualTo(sum);
        }
    }

    @Test
    void cjkNamesTakeTwoColumnsPerCharacterAndColumnsAlign() {
        assertThat(Text.width("微信服务")).isEqualTo(8);
        assertThat(Text.width("카카오톡")).isEqualTo(8);
        assertThat(Text.fit("微信服务", 5, false, "\u2026")).isEqualTo("微信\u2026");   // 2+2+1: no half character
        assertThat(Text.width(Text.fit("微信服务", 6, false, "\u2026"))).isEqualTo(6);
        assertThat(Text.width(Text.cropMiddle("微信服务微信服务", 7, "\u2026"))).isLessThanOrEqualTo(7);
        for (int width : new int[] {60, 100, 120}) {
            Frame f = TopRendererTest.render(Fixtures.snapshot(), TopRendererTest.state(), width, 40);
            int header = TopRendererTest.lineIndex(f, "RATE 2s\u25bc");
            int rateEnd = columnEnd(f.lines().get(header), "RATE 2s\u25bc");
            int rows = 0;
            for (String name : List.of("nginx", "微信服务", "카카오톡", "李雷", "curl")) {
                if (!f.text().contains(name)) {
                    continue;
                }
                AttributedString row = f.lines().get(TopRendererTest.lineIndex(f, name));
                String rate = rateOf(name);
                assertThat(columnEnd(row, rate)).as("%s at width %d", name, width).isEqualTo(rateEnd);
                rows++;
            }
            assertThat(rows).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void cjkInFilterAndNarrowColumnsStaysAligned() {
        UiState st = TopRendererTest.state();
        st.view = View.CONNECTIONS;
        Frame f = TopRendererTest.render(Fixtures.snapshot(), st, 60, 20);
        int header = TopRendererTest.lineIndex(f, "RATE 2s\u25bc");
        int end = columnEnd(f.lines().get(header), "RATE 2s\u25bc");
        assertThat(columnEnd(f.lines().get(TopRendererTest.lineIndex(f, "微信服务")), "1.45 Mb/s")).isEqualTo(end);
        assertThat(columnEnd(f.lines().get(TopRendererTest.lineIndex(f, "nginx")), "3.00 Mb/s")).isEqualTo(end);
    }

    private static String rateOf(String name) {
        return switch (name) {
            case "nginx" -> "4.05 Mb/s";
            case "微信服务", "李雷" -> "1.45 Mb/s";
            case "카카오톡" -> "200 Kb/s";
            default -> "0 b/s";
        };
    }

    /** The terminal column just after the last occurrence of text in the line. */
    private static int columnEnd(AttributedString line, String text) {
        String s = line.toString();
        int at = s.lastIndexOf(text);
        assertThat(at).as("'%s' in '%s'", text, s).isGreaterThanOrEqualTo(0);
        return new AttributedString(s.substring(0, at + text.length())).columnLength();
    }

    private static void assertClean(String s) {
        s.codePoints().forEach(cp -> {
            assertThat(Character.isISOControl(cp)).as("control U+%04X in %s", cp, s).isFalse();
            assertThat(Character.getType(cp)).as("format/separator U+%04X in %s", cp, s)
                    .isNotIn((int) Character.FORMAT, (int) Character.LINE_SEPARATOR,
                            (int) Character.PARAGRAPH_SEPARATOR, (int) Character.SURROGATE);
        });
    }
}
