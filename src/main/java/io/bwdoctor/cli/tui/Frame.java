package io.bwdoctor.cli.tui;

import java.util.List;
import org.jline.utils.AttributedString;

/**
 * One rendered screen: its lines (each at most the screen width), and what key handling needs to know about the
 * table on it.
 *
 * @param view      the view shown
 * @param columnIds every column of the view in order (the sort keys cycle through them)
 * @param rowKeys   the keys of the table's rows after filter and sort (not only the visible ones)
 * @param selected  index of the selected row in rowKeys, or -1 when there are none
 * @param top       index of the first visible row
 * @param bodyRows  how many table rows fit on the screen
 */
public record Frame(List<AttributedString> lines, View view, List<String> columnIds, List<String> rowKeys,
                    int selected, int top, int bodyRows) {

    /** The screen as plain text, one line per row, without styling (for tests and --once style dumps). */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (AttributedString line : lines) {
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
