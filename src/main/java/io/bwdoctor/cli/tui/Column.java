package io.bwdoctor.cli.tui;

import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One table column: how to show a row's cell, how to sort by it, and how much it matters when the terminal is too
 * narrow (columns with the highest rank are dropped first; rank 0 and the sort column are never dropped).
 *
 * @param key      numeric sort key (sorted largest first), or null to sort by the shown text (A to Z)
 * @param detail   optional dim text shown after the cell's text when the column has room (a process's command line)
 * @param middle   crop in the middle rather than at the end (addresses keep their port)
 * @param optional hidden when no row has a value (the container column on a host without containers)
 * @param comfort  for a flexible column: the width it gets, once the columns ranked before comfortRank are in,
 *                 before columns ranked after it are considered
 */
record Column<T>(String id, String header, boolean right, int min, int max, boolean flex, int rank,
                 Function<T, String> text, Function<T, String> detail, ToLongFunction<T> key, boolean middle,
                 boolean optional, int comfort, int comfortRank) {

    static <T> Column<T> text(String id, String header, int min, int max, int rank, Function<T, String> text) {
        return new Column<>(id, header, false, min, max, false, rank, text, null, null, false, false, 0, 0);
    }

    static <T> Column<T> number(String id, String header, int width, int rank, ToLongFunction<T> key,
                                Function<T, String> text) {
        return new Column<>(id, header, true, width, width, false, rank, text, null, key, false, false, 0, 0);
    }

    boolean descending() {
        return key != null;
    }

    /** Takes the width left over by the other columns; detail text fills it after the cell's own text. */
    Column<T> flexible(Function<T, String> detailText, int comfortWidth, int comfortAtRank) {
        return new Column<>(id, header, right, min, max, true, rank, text, detailText, key, middle, optional,
                comfortWidth, comfortAtRank);
    }

    Column<T> croppedInMiddle() {
        return new Column<>(id, header, right, min, max, flex, rank, text, detail, key, true, optional, comfort, comfortRank);
    }

    Column<T> hiddenWhenEmpty() {
        return new Column<>(id, header, right, min, max, flex, rank, text, detail, key, middle, true, comfort, comfortRank);
    }
}
