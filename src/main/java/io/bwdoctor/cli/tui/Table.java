package io.bwdoctor.cli.tui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Lays out and renders one view's table: filter, sort, drop the least useful columns until the rest fit the width
 * (never wrap), then the header line, the pinned rows and the visible page of rows with the selection highlighted.
 */
final class Table {
    /** A row to show; dim rows (exited processes) are drawn faint. */
    record Item<T>(String key, T value, boolean dim) {}

    record Result(List<AttributedString> lines, List<String> columnIds, List<String> rowKeys, int selected, int top,
                  int bodyRows) {}

    /** A row with its cell texts computed on first use: most rows are never drawn, so most cells never formatted. */
    private static final class Prepared<T> {
        private final List<Column<T>> columns;
        private final String[] text;
        private final String[] detail;
        final Item<T> item;
        final long sortKey;

        Prepared(List<Column<T>> columns, Item<T> item, long sortKey) {
            this.columns = columns;
            this.item = item;
            this.sortKey = sortKey;
            this.text = new String[columns.size()];
            this.detail = new String[columns.size()];
        }

        String text(int i) {
            if (text[i] == null) {
                text[i] = nonNull(columns.get(i).text().apply(item.value()));
            }
            return text[i];
        }

        String detail(int i) {
            if (detail[i] == null) {
                Column<T> c = columns.get(i);
                detail[i] = c.detail() == null ? "" : nonNull(c.detail().apply(item.value()));
            }
            return detail[i];
        }

        String haystack() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < text.length; i++) {
                sb.append(text(i)).append('\u0000').append(detail(i)).append('\u0000');
            }
            return sb.toString().toLowerCase(Locale.ROOT);
        }
    }

    static final AttributedStyle HEADER = AttributedStyle.DEFAULT.inverse();
    static final AttributedStyle SORTED_HEADER = AttributedStyle.BOLD.inverse();
    static final AttributedStyle PINNED = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
    static final AttributedStyle SELECTED = AttributedStyle.DEFAULT.inverse();
    private static final int SEPARATOR = 1;
    /** Width at which a long text column (an IPv6 address) is first admitted; it grows when there is room. */
    private static final int COMPACT = 22;

    private Table() {}

    /** Renders the table into at most {@code height} lines; {@code notes} go right under the pinned rows. */
    static <T> Result render(List<Column<T>> columns, List<Item<T>> items, List<Item<T>> pinned,
                             List<AttributedString> notes, String sortId, boolean reverse, String filter,
                             UiState.Cursor cursor, Fmt fmt, int width, int height) {
        List<String> ids = columns.stream().map(Column::id).toList();
        int sortCol = ids.indexOf(sortId);
        if (sortCol < 0) {
            sortCol = Math.max(0, ids.indexOf(Columns.DEFAULT_SORT));
        }
        Column<T> sortColumn = columns.get(sortCol);

        List<Prepared<T>> rows = new ArrayList<>();
        String needle = filter == null ? "" : filter.toLowerCase(Locale.ROOT);
        for (Item<T> item : items) {
            Prepared<T> p = prepare(columns, item, sortColumn);
            if (needle.isEmpty() || p.haystack().contains(needle)) {
                rows.add(p);
            }
        }
        List<Prepared<T>> pins = pinned.stream().map(i -> prepare(columns, i, sortColumn)).toList();
        int sc = sortCol;
        Comparator<Prepared<T>> order = sortColumn.key() != null
                ? Comparator.<Prepared<T>>comparingLong(p -> p.sortKey).reversed()
                : Comparator.comparing(p -> p.text(sc), String.CASE_INSENSITIVE_ORDER);
        if (reverse) {
            order = order.reversed();
        }
        rows.sort(order.thenComparing(p -> p.item.key()));

        int[] widths = layout(columns, rows, pins, sortCol, width);
        List<AttributedString> lines = new ArrayList<>();
        lines.add(headerLine(columns, widths, sortCol, sortColumn.descending() != reverse, fmt, width));
        for (Prepared<T> p : pins) {
            lines.add(rowLine(columns, widths, p, PINNED, fmt, width));
        }
        for (AttributedString note : notes) {
            lines.add(limit(note, width));
        }

        List<String> keys = rows.stream().map(p -> p.item.key()).toList();
        int bodyRows = Math.max(0, height - lines.size());
        int selected = -1;
        int top = 0;
        if (!rows.isEmpty()) {
            selected = cursor.key == null ? -1 : keys.indexOf(cursor.key);
            if (selected < 0) {
                selected = Math.clamp(cursor.index, 0, rows.size() - 1);
            }
            top = Math.clamp(cursor.top, 0, Math.max(0, rows.size() - bodyRows));
            if (selected < top) {
                top = selected;
            } else if (bodyRows > 0 && selected >= top + bodyRows) {
                top = selected - bodyRows + 1;
            }
        }
        for (int i = top; i < rows.size() && i < top + bodyRows; i++) {
            Prepared<T> p = rows.get(i);
            AttributedStyle style = i == selected ? SELECTED : p.item.dim() ? DIM : AttributedStyle.DEFAULT;
            lines.add(rowLine(columns, widths, p, style, fmt, width));
        }
        if (rows.isEmpty() && bodyRows > 0) {
            String msg = needle.isEmpty() ? "(no rows yet)" : "(no row matches the filter \"" + filter + "\"; Esc clears it)";
            lines.add(new AttributedString(Text.crop(msg, width, fmt.ellipsis()), DIM));
        }
        return new Result(lines, ids, keys, selected, top, bodyRows);
    }

    private static <T> Prepared<T> prepare(List<Column<T>> columns, Item<T> item, Column<T> sortColumn) {
        long key = sortColumn.key() == null ? 0 : sortColumn.key().applyAsLong(item.value());
        return new Prepared<>(columns, item, key);
    }

    /**
     * Column widths; 0 marks a column that is not shown. Columns are admitted by rank (rank 0 and the sort column
     * always) at a compact width, so that one long IPv6 address does not push everything else off the screen; the
     * width left over then goes to admitted columns up to their content width, most important first, and the rest to
     * the flexible column.
     */
    private static <T> int[] layout(List<Column<T>> columns, List<Prepared<T>> rows, List<Prepared<T>> pins,
                                    int sortCol, int width) {
        int n = columns.size();
        int[] floor = new int[n];
        int[] preferred = new int[n];
        int[] compact = new int[n];
        boolean[] candidate = new boolean[n];
        for (int i = 0; i < n; i++) {
            Column<T> c = columns.get(i);
            // Numbers have bounded widths by design (rates fit 9 columns): only text columns are measured.
            int content = 0;
            boolean any = !c.optional();
            if (!c.right()) {
                for (List<Prepared<T>> list : List.of(rows, pins)) {
                    for (Prepared<T> p : list) {
                        content = Math.max(content, Text.width(p.text(i)));
                        any |= !p.text(i).isBlank();
                    }
                }
            }
            candidate[i] = !c.optional() || any || i == sortCol;
            floor[i] = Math.max(c.min(), Text.width(c.header()) + 1);
            preferred[i] = c.right() ? Math.max(floor[i], content)
                    : Math.clamp(content, floor[i], Math.max(floor[i], c.max()));
            compact[i] = c.flex() ? floor[i] : c.right() ? preferred[i] : Math.min(preferred[i], Math.max(floor[i], COMPACT));
        }
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            if (candidate[i] && (i == sortCol || columns.get(i).rank() == 0)) {
                w[i] = compact[i];
            }
        }
        List<Integer> ranks = columns.stream().flatMap(c -> Stream.of(c.rank(), c.comfortRank()))
                .filter(r -> r > 0).distinct().sorted().toList();
        for (int rank : ranks) {
            int[] trial = w.clone();
            for (int i = 0; i < n; i++) {
                Column<T> c = columns.get(i);
                if (candidate[i] && trial[i] == 0 && c.rank() == rank) {
                    trial[i] = compact[i];
                }
                if (trial[i] > 0 && c.flex() && c.comfortRank() == rank) {
                    trial[i] = Math.max(trial[i], c.comfort());
                }
            }
            if (total(trial) <= width) {
                w = trial;
            }
        }
        // Too narrow even for the essential columns: shrink text columns towards their floor, widest first.
        for (int over = total(w) - width; over > 0; over--) {
            int widest = -1;
            for (int i = 0; i < n; i++) {
                if (w[i] > floor[i] && !columns.get(i).right()
                        && (widest < 0 || w[i] - floor[i] > w[widest] - floor[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                break;
            }
            w[widest]--;
        }
        int spare = width - total(w);
        List<Integer> byRank = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byRank.add(i);
        }
        byRank.sort(Comparator.comparingInt(i -> columns.get(i).rank()));
        for (int i : byRank) {
            if (w[i] > 0 && spare > 0 && w[i] < preferred[i]) {
                int grow = Math.min(spare, preferred[i] - w[i]);
                w[i] += grow;
                spare -= grow;
            }
        }
        for (int i = 0; i < n && spare > 0; i++) {
            if (w[i] > 0 && columns.get(i).flex()) {
                w[i] += spare;
                spare = 0;
            }
        }
        return w;
    }

    private static int total(int[] w) {
        int sum = 0;
        int shown = 0;
        for (int x : w) {
            if (x > 0) {
                sum += x;
                shown++;
            }
        }
        return sum + Math.max(0, shown - 1) * SEPARATOR;
    }

    private static <T> AttributedString headerLine(List<Column<T>> columns, int[] w, int sortCol, boolean descending,
                                                   Fmt fmt, int width) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        boolean first = true;
        for (int i = 0; i < columns.size(); i++) {
            if (w[i] == 0) {
                continue;
            }
            if (!first) {
                b.append(" ", HEADER);
            }
            first = false;
            Column<T> c = columns.get(i);
            String h = c.header();
            if (i == sortCol) {
                h += fmt.unicode() ? (descending ? "\u25bc" : "\u25b2") : (descending ? "v" : "^");
            }
            b.append(Text.fit(h, w[i], c.right(), fmt.ellipsis()), i == sortCol ? SORTED_HEADER : HEADER);
        }
        int pad = width - b.columnLength();
        if (pad > 0) {
            b.append(" ".repeat(pad), HEADER);
        }
        return limit(b.toAttributedString(), width);
    }

    private static <T> AttributedString rowLine(List<Column<T>> columns, int[] w, Prepared<T> p,
                                                AttributedStyle style, Fmt fmt, int width) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        boolean first = true;
        for (int i = 0; i < columns.size(); i++) {
            if (w[i] == 0) {
                continue;
            }
            if (!first) {
                b.append(" ", style);
            }
            first = false;
            Column<T> c = columns.get(i);
            String text = p.text(i);
            String detail = p.detail(i);
            if (c.middle()) {
                b.append(Text.fit(Text.cropMiddle(text, w[i], fmt.ellipsis()), w[i], c.right(), fmt.ellipsis()), style);
            } else if (!detail.isEmpty() && Text.width(text) + 2 < w[i]) {
                b.append(text, style);
                int room = w[i] - Text.width(text) - 2;
                b.append("  " + Text.fit(detail, room, false, fmt.ellipsis()),
                        style == SELECTED ? style : style.faint());
            } else {
                b.append(Text.fit(text, w[i], c.right(), fmt.ellipsis()), style);
            }
        }
        if (style == SELECTED) {
            int pad = width - b.columnLength();
            if (pad > 0) {
                b.append(" ".repeat(pad), style);
            }
        }
        return limit(b.toAttributedString(), width);
    }

    static AttributedString limit(AttributedString s, int width) {
        return s.columnLength() <= width ? s : s.columnSubSequence(0, width);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
