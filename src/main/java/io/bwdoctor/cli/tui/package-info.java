/**
 * {@code bwdoctor top}: the full-screen terminal front end of the live engine. {@link io.bwdoctor.cli.tui.TopRenderer}
 * turns (snapshot, UI state, width, height) into screen lines and does nothing else, so it is tested without a
 * terminal; {@link io.bwdoctor.cli.tui.TopScreen} owns the JLine terminal (raw mode, alternate screen, keys, resize,
 * restore on exit and SIGTERM). Every string from the system or the wire is shown through {@code Text.clean}.
 */
package io.bwdoctor.cli.tui;
