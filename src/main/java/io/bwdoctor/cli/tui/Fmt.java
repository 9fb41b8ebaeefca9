package io.bwdoctor.cli.tui;

import io.bwdoctor.cli.output.Units;
import io.bwdoctor.core.live.Rates;

/**
 * How numbers and symbols are shown: rates in bits (default) or bytes per second, the rate window that
 * direction arrows, the RATE column and the cap bar follow (0 = 2 s, 1 = 10 s, 2 = 40 s), and Unicode or ASCII glyphs.
 */
record Fmt(boolean bytes, int window, boolean unicode) {
    static final String[] WINDOWS = {"2s", "10s", "40s"};

    String rate(Long bitsPerSecond) {
        if (bitsPerSecond == null) {
            return "-";
        }
        return bytes ? Units.bytes(bitsPerSecond / 8) + "/s" : Units.bitsPerSecond(bitsPerSecond);
    }

    String size(long bytes) {
        return Units.bytes(bytes);
    }

    String ellipsis() {
        return unicode ? "\u2026" : "~";
    }

    String windowName() {
        return WINDOWS[window];
    }

    static Long tx(Rates r, int window) {
        if (r == null) {
            return null;
        }
        return switch (window) {
            case 0 -> r.txBps2s();
            case 1 -> r.txBps10s();
            default -> r.txBps40s();
        };
    }

    static Long rx(Rates r, int window) {
        if (r == null) {
            return null;
        }
        return switch (window) {
            case 0 -> r.rxBps2s();
            case 1 -> r.rxBps10s();
            default -> r.rxBps40s();
        };
    }

    /** tx + rx over the window, or null when neither is tracked. */
    static Long sum(Rates r, int window) {
        Long tx = tx(r, window);
        Long rx = rx(r, window);
        if (tx == null && rx == null) {
            return null;
        }
        return (tx == null ? 0 : tx) + (rx == null ? 0 : rx);
    }

    /** iftop's arrows: {@code =>} only sending, {@code <=} only receiving, {@code <=>} both (by rate, else by bytes). */
    String arrow(Rates r) {
        if (r == null) {
            return "";
        }
        long tx = orZero(tx(r, window));
        long rx = orZero(rx(r, window));
        if (tx == 0 && rx == 0) {
            tx = r.txBytes();
            rx = r.rxBytes();
        }
        if (tx > 0 && rx > 0) {
            return "<=>";
        }
        return tx > 0 ? "=>" : rx > 0 ? "<=" : "";
    }

    static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
