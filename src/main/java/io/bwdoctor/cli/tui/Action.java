package io.bwdoctor.cli.tui;

/** What a key does. The EDIT_ actions apply while the filter is being typed. */
enum Action {
    QUIT, VIEW_PROCESSES, VIEW_CONNECTIONS, VIEW_REMOTES, NEXT_VIEW, SORT_NEXT, SORT_PREV, REVERSE, PAUSE, FILTER,
    CLEAR, UNITS, WINDOW, HELP, UP, DOWN, PAGE_UP, PAGE_DOWN, HOME, END, IGNORE,
    EDIT_INSERT, EDIT_BACKSPACE, EDIT_KILL, EDIT_ACCEPT, EDIT_CANCEL
}
