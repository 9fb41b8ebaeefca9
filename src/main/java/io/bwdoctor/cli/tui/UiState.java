package io.bwdoctor.cli.tui;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the user chose: view, sort, filter, units, window, pause, selection. Changed only by {@link #apply} on the UI
 * thread; rendering reads it and never changes it.
 */
public final class UiState {
    private static final int MAX_FILTER = 200;
    /** Selection and scroll position of one view; the selection follows its row (by key) when rows re-sort. */
    static final class Cursor {
        String key;
        int index;
        int top;

        Cursor copy() {
            Cursor c = new Cursor();
            c.key = key;
            c.index = index;
            c.top = top;
            return c;
        }
    }

    View view = View.PROCESSES;
    final Map<View, String> sort = new EnumMap<>(View.class);
    final Map<View, Boolean> reverse = new EnumMap<>(View.class);
    final Map<View, Cursor> cursor = new EnumMap<>(View.class);
    int window;
    boolean bytes;
    boolean paused;
    boolean help;
    boolean editing;
    String filter = "";
    final StringBuilder edit = new StringBuilder();
    boolean unicode = true;
    long nowMillis;
    ZoneId zone = ZoneId.systemDefault();

    public UiState() {
        for (View v : View.values()) {
            sort.put(v, Columns.DEFAULT_SORT);
            reverse.put(v, false);
            cursor.put(v, new Cursor());
        }
    }

    public UiState copy() {
        UiState s = new UiState();
        s.view = view;
        s.sort.putAll(sort);
        s.reverse.putAll(reverse);
        cursor.forEach((v, c) -> s.cursor.put(v, c.copy()));
        s.window = window;
        s.bytes = bytes;
        s.paused = paused;
        s.help = help;
        s.editing = editing;
        s.filter = filter;
        s.edit.append(edit);
        s.unicode = unicode;
        s.nowMillis = nowMillis;
        s.zone = zone;
        return s;
    }

    public View view() {
        return view;
    }

    public String sortColumn() {
        return sort.get(view);
    }

    public boolean reversed() {
        return reverse.get(view);
    }

    public int window() {
        return window;
    }

    public boolean bytes() {
        return bytes;
    }

    public boolean paused() {
        return paused;
    }

    public boolean help() {
        return help;
    }

    public boolean editing() {
        return editing;
    }

    public String filter() {
        return filter;
    }

    /** Key of the selected row of the current view, or null before the user moved the selection. */
    public String selectedKey() {
        return cursor.get(view).key;
    }

    Fmt fmt() {
        return new Fmt(bytes, window, unicode);
    }

    /**
     * Applies one key action. {@code typed} is the text of the key (for filter editing); {@code last} is the frame
     * on screen, which knows the row order and page height that selection moves need.
     *
     * @return false when the user asked to quit
     */
    boolean apply(Action action, String typed, Frame last) {
        if (action == Action.QUIT) {
            return false;
        }
        if (editing) {
            editFilter(action, typed);
            return true;
        }
        if (help) {
            help = false;       // any key closes the help screen; h/? too (they toggle)
            return true;
        }
        switch (action) {
            case VIEW_PROCESSES -> view = View.PROCESSES;
            case VIEW_CONNECTIONS -> view = View.CONNECTIONS;
            case VIEW_REMOTES -> view = View.REMOTES;
            case NEXT_VIEW -> view = view.next();
            case SORT_NEXT -> moveSort(1, last);
            case SORT_PREV -> moveSort(-1, last);
            case REVERSE -> reverse.put(view, !reverse.get(view));
            case PAUSE -> paused = !paused;
            case FILTER -> {
                editing = true;
                edit.setLength(0);
                edit.append(filter);
            }
            case CLEAR -> filter = "";
            case UNITS -> bytes = !bytes;
            case WINDOW -> nextWindow();
            case HELP -> help = true;
            case UP -> move(-1, last);
            case DOWN -> move(1, last);
            case PAGE_UP -> move(-Math.max(1, last == null ? 1 : last.bodyRows() - 1), last);
            case PAGE_DOWN -> move(Math.max(1, last == null ? 1 : last.bodyRows() - 1), last);
            case HOME -> move(Integer.MIN_VALUE / 2, last);
            case END -> move(Integer.MAX_VALUE / 2, last);
            default -> { }
        }
        return true;
    }

    private void editFilter(Action action, String typed) {
        switch (action) {
            case EDIT_ACCEPT -> {
                filter = Text.clean(edit.toString()).strip();
                editing = false;
                resetCursor();
            }
            case EDIT_CANCEL -> {
                filter = "";
                edit.setLength(0);
                editing = false;
            }
            case EDIT_BACKSPACE -> {
                if (!edit.isEmpty()) {
                    edit.setLength(edit.offsetByCodePoints(edit.length(), -1));
                }
            }
            case EDIT_KILL -> edit.setLength(0);
            case EDIT_INSERT -> {
                // Only printable text goes into the filter; a pasted escape sequence or newline does not.
                if (typed != null) {
                    typed.codePoints().filter(cp -> !Character.isISOControl(cp))
                            .forEach(cp -> {
                                if (edit.length() < MAX_FILTER) {
                                    edit.appendCodePoint(cp);
                                }
                            });
                }
            }
            default -> { }
        }
    }

    private void resetCursor() {
        for (Cursor c : cursor.values()) {
            c.key = null;
            c.index = 0;
            c.top = 0;
        }
    }

    private void nextWindow() {
        window = (window + 1) % 3;
        // A per-window rate sort follows the window, so that "t" changes what the list is sorted by.
        for (View v : View.values()) {
            String id = sort.get(v);
            if (id.length() == 3 && (id.startsWith("tx") || id.startsWith("rx"))) {
                sort.put(v, id.substring(0, 2) + window);
            }
        }
    }

    private void moveSort(int delta, Frame last) {
        List<String> ids = last == null || last.view() != view ? List.of() : last.columnIds();
        if (ids.isEmpty()) {
            return;
        }
        int i = ids.indexOf(sort.get(view));
        int next = Math.floorMod((i < 0 ? 0 : i) + delta, ids.size());
        sort.put(view, ids.get(next));
    }

    private void move(int delta, Frame last) {
        if (last == null || last.view() != view || last.rowKeys().isEmpty()) {
            return;
        }
        List<String> keys = last.rowKeys();
        int from = Math.max(0, last.selected());
        int to = Math.clamp((long) from + delta, 0, keys.size() - 1);
        Cursor c = cursor.get(view);
        c.index = to;
        c.key = keys.get(to);
    }

    /** Keeps the scroll position the renderer settled on, so the next frame scrolls from there. */
    void settle(Frame frame) {
        if (frame != null && frame.view() == view) {
            Cursor c = cursor.get(view);
            c.top = frame.top();
            c.index = Math.max(0, frame.selected());
        }
    }
}
