package io.bwdoctor.cli.tui;

import io.bwdoctor.core.live.LiveSnapshot;

/**
 * Where the screen gets its data: the live engine's most recent snapshot. Called once per refresh on the UI thread,
 * so it must not block; an engine failure is thrown from here (the screen restores the terminal and rethrows).
 */
@FunctionalInterface
public interface LiveSource {
    /** The latest snapshot, or null before the first one. */
    LiveSnapshot latest();
}
