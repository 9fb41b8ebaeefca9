package io.bwdoctor.cli.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Key actions on the UI state, without a terminal. */
class UiStateTest {
    private final UiState st = new UiState();

    private Frame frame(View view, List<String> columns, List<String> rows) {
        return new Frame(List.of(), view, columns, rows, 0, 0, 10);
    }

    @Test
    void windowKeyCyclesAndPerWindowSortsFollowIt() {
        st.sort.put(View.PROCESSES, "tx0");
        st.sort.put(View.CONNECTIONS, "rx0");
        st.sort.put(View.REMOTES, "total");
        st.apply(Action.WINDOW, "t", null);
        assertThat(st.window()).isEqualTo(1);
        assertThat(st.sort).containsEntry(View.PROCESSES, "tx1").containsEntry(View.CONNECTIONS, "rx1")
                .containsEntry(View.REMOTES, "total");
        st.apply(Action.WINDOW, "t", null);
        st.apply(Action.WINDOW, "t", null);
        assertThat(st.window()).isZero();
        assertThat(st.sortColumn()).isEqualTo("tx0");
    }

    @Test
    void sortMovesOnlyWithAFrameOfTheSameView() {
        List<String> cols = List.of("a", "b", "rate", "c");
        st.apply(Action.SORT_NEXT, "s", frame(View.CONNECTIONS, cols, List.of()));
        assertThat(st.sortColumn()).isEqualTo("rate");
        st.apply(Action.SORT_NEXT, "s", frame(View.PROCESSES, cols, List.of()));
        assertThat(st.sortColumn()).isEqualTo("c");
        st.apply(Action.SORT_NEXT, "s", frame(View.PROCESSES, cols, List.of()));
        assertThat(st.sortColumn()).isEqualTo("a");
        st.apply(Action.SORT_PREV, "<", frame(View.PROCESSES, cols, List.of()));
        assertThat(st.sortColumn()).isEqualTo("c");
        st.apply(Action.VIEW_REMOTES, "3", null);
        assertThat(st.sortColumn()).as("each view keeps its own sort").isEqualTo("rate");
    }

    @Test
    void filterEditing() {
        st.apply(Action.FILTER, "/", null);
        assertThat(st.editing()).isTrue();
        st.apply(Action.EDIT_INSERT, "ng", null);
        st.apply(Action.EDIT_INSERT, "\u001b[31m\n\u0007x", null);   // a pasted escape sequence loses its controls
        assertThat(st.edit.toString()).isEqualTo("ng[31mx");
        st.apply(Action.EDIT_KILL, null, null);
        st.apply(Action.EDIT_INSERT, "a\ud83d\ude00", null);
        st.apply(Action.EDIT_BACKSPACE, null, null);               // removes the whole emoji, not half of it
        assertThat(st.edit.toString()).isEqualTo("a");
        st.apply(Action.UNITS, "b", null);                          // browsing keys do nothing while typing
        assertThat(st.bytes()).isFalse();
        st.apply(Action.EDIT_INSERT, "  ", null);
        st.apply(Action.EDIT_ACCEPT, "\r", null);
        assertThat(st.filter()).isEqualTo("a");
        assertThat(st.editing()).isFalse();
        st.apply(Action.FILTER, "/", null);
        assertThat(st.edit.toString()).as("editing starts from the current filter").isEqualTo("a");
        st.apply(Action.EDIT_INSERT, "x".repeat(500), null);
        assertThat(st.edit.length()).isLessThanOrEqualTo(200);
        st.apply(Action.EDIT_CANCEL, null, null);
        assertThat(st.filter()).isEmpty();
        assertThat(st.editing()).isFalse();
    }

    @Test
    void quitWorksEverywhereAndHelpClosesOnAnyKey() {
        assertThat(st.apply(Action.HELP, "h", null)).isTrue();
        assertThat(st.help()).isTrue();
        st.apply(Action.VIEW_CONNECTIONS, "2", null);
        assertThat(st.help()).isFalse();
        assertThat(st.view()).isEqualTo(View.PROCESSES);
        st.apply(Action.HELP, "h", null);
        assertThat(st.apply(Action.QUIT, "q", null)).isFalse();
        st.help = false;
        st.apply(Action.FILTER, "/", null);
        assertThat(st.apply(Action.QUIT, "\u0003", null)).isFalse();
    }

    @Test
    void pauseUnitsReverseToggle() {
        st.apply(Action.PAUSE, "p", null);
        st.apply(Action.UNITS, "b", null);
        st.apply(Action.REVERSE, "r", null);
        assertThat(st.paused()).isTrue();
        assertThat(st.bytes()).isTrue();
        assertThat(st.reversed()).isTrue();
        st.apply(Action.PAUSE, "p", null);
        st.apply(Action.UNITS, "b", null);
        st.apply(Action.REVERSE, "r", null);
        assertThat(st.paused()).isFalse();
        assertThat(st.bytes()).isFalse();
        assertThat(st.reversed()).isFalse();
    }

    @Test
    void movesAreClampedToTheRows() {
        Frame f = frame(View.PROCESSES, List.of(), List.of("a", "b", "c"));
        st.apply(Action.UP, "k", f);
        assertThat(st.selectedKey()).isEqualTo("a");
        st.apply(Action.PAGE_DOWN, null, f);
        assertThat(st.selectedKey()).isEqualTo("c");
        st.apply(Action.DOWN, "j", frame(View.PROCESSES, List.of(), List.of()));
        assertThat(st.selectedKey()).isEqualTo("c");
    }
}
