package io.bwdoctor.cli.tui;

import static org.jline.keymap.KeyMap.ctrl;
import static org.jline.keymap.KeyMap.del;
import static org.jline.keymap.KeyMap.esc;
import static org.jline.keymap.KeyMap.key;

import org.jline.keymap.KeyMap;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;

/** Key bindings: one map for browsing, one while the filter is typed. */
final class Keys {
    /** Long enough to tell a lone Esc from an arrow key's escape sequence over a slow link, short enough to feel instant. */
    static final long ESC_TIMEOUT_MILLIS = 150;

    private Keys() {}

    static KeyMap<Action> browsing(Terminal t) {
        KeyMap<Action> m = base(t);
        m.bind(Action.QUIT, "q", "Q", ctrl('C'));
        m.bind(Action.VIEW_PROCESSES, "1");
        m.bind(Action.VIEW_CONNECTIONS, "2");
        m.bind(Action.VIEW_REMOTES, "3");
        m.bind(Action.NEXT_VIEW, "\t");
        m.bind(Action.SORT_NEXT, "s", ">", ".");
        m.bind(Action.SORT_PREV, "<", ",");
        m.bind(Action.REVERSE, "r", "R");
        m.bind(Action.PAUSE, "p", "P");
        m.bind(Action.FILTER, "/");
        m.bind(Action.CLEAR, esc());
        m.bind(Action.UNITS, "b", "B");
        m.bind(Action.WINDOW, "t", "T");
        m.bind(Action.HELP, "h", "?", "H");
        m.bind(Action.UP, "k");
        m.bind(Action.DOWN, "j");
        m.bind(Action.HOME, "g");
        m.bind(Action.END, "G");
        m.setUnicode(Action.IGNORE);
        return m;
    }

    static KeyMap<Action> editing(Terminal t) {
        KeyMap<Action> m = base(t);
        // Movement keys do nothing while typing: bound so their escape sequences are not read as Esc + text.
        for (Action a : new Action[] {Action.UP, Action.DOWN, Action.PAGE_UP, Action.PAGE_DOWN, Action.HOME,
                Action.END}) {
            for (String seq : m.getBoundKeys().entrySet().stream().filter(e -> e.getValue() == a)
                    .map(java.util.Map.Entry::getKey).toList()) {
                m.bind(Action.IGNORE, seq);
            }
        }
        m.bind(Action.EDIT_INSERT, KeyMap.range(" -~"));
        m.setUnicode(Action.EDIT_INSERT);
        m.bind(Action.EDIT_ACCEPT, "\r", "\n");
        m.bind(Action.EDIT_CANCEL, esc());
        m.bind(Action.EDIT_BACKSPACE, del(), ctrl('H'));
        m.bind(Action.EDIT_KILL, ctrl('U'));
        m.bind(Action.QUIT, ctrl('C'));
        return m;
    }

    /** Cursor keys both as terminfo says (application mode) and as common terminals send them in normal mode. */
    private static KeyMap<Action> base(Terminal t) {
        KeyMap<Action> m = new KeyMap<>();
        m.setAmbiguousTimeout(ESC_TIMEOUT_MILLIS);
        m.setNomatch(Action.IGNORE);
        bind(m, t, Action.UP, Capability.key_up, "\033[A", "\033OA");
        bind(m, t, Action.DOWN, Capability.key_down, "\033[B", "\033OB");
        bind(m, t, Action.PAGE_UP, Capability.key_ppage, "\033[5~");
        bind(m, t, Action.PAGE_DOWN, Capability.key_npage, "\033[6~");
        bind(m, t, Action.HOME, Capability.key_home, "\033[H", "\033OH", "\033[1~", "\033[7~");
        bind(m, t, Action.END, Capability.key_end, "\033[F", "\033OF", "\033[4~", "\033[8~");
        return m;
    }

    private static void bind(KeyMap<Action> m, Terminal t, Action a, Capability cap, String... fallbacks) {
        String seq = key(t, cap);
        if (seq != null && !seq.isEmpty()) {
            m.bind(a, seq);
        }
        m.bind(a, fallbacks);
    }
}
