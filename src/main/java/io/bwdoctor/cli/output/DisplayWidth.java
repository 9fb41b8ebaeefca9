package io.bwdoctor.cli.output;

import org.jline.utils.AttributedString;

/**
 * Measuring, cropping and padding text by terminal columns, where a CJK character takes two: String.format's
 * widths count chars, which misaligns Korean and Chinese tables. Input must already be sanitized (no control
 * characters), as the full-screen view and the reports do.
 */
public final class DisplayWidth {
    private DisplayWidth() {}

    /** Terminal columns of a (clean) string, as JLine's Display counts them. */
    public static int of(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x300) {     // below U+0300 a clean string has one column per char
                return new AttributedString(s).columnLength();
            }
        }
        return s.length();
    }

    /** The longest prefix of s that fits in the given columns (a wide character is never split). */
    public static String head(String s, int columns) {
        if (columns <= 0) {
            return "";
        }
        return new AttributedString(s).columnSubSequence(0, columns).toString();
    }

    /** s cut to at most the given columns, with the ellipsis at the end when something was cut. */
    public static String crop(String s, int columns, String ellipsis) {
        if (of(s) <= columns) {
            return s;
        }
        int e = of(ellipsis);
        return columns <= e ? head(s, columns) : head(s, columns - e) + ellipsis;
    }

    /** s padded with spaces to at least the given columns (never cut), on the right or, when right, on the left. */
    public static String pad(String s, int columns, boolean right) {
        String pad = " ".repeat(Math.max(0, columns - of(s)));
        return right ? pad + s : s + pad;
    }
}
