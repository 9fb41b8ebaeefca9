package io.bwdoctor.cli.tui;

import io.bwdoctor.cli.output.DisplayWidth;
import io.bwdoctor.core.text.Safe;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.WCWidth;

/**
 * Screen text: sanitizing untrusted strings and measuring, cropping and padding them by terminal columns (a CJK
 * character takes two).
 */
final class Text {
    private Text() {}

    /**
     * {@link Safe#terminal} plus what is harmless on a line printer but breaks a screen layout: invisible format
     * characters (zero-width joiners and spaces, soft hyphens), line/paragraph separators, private-use and unassigned
     * code points, variation selectors, emoji modifiers and regional indicators (whose width terminals disagree on).
     * What remains has one well-defined width per code point, so columns line up. Null becomes "".
     */
    static String clean(String s) {
        String safe = Safe.terminal(s);
        if (safe == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < safe.length(); ) {
            int cp = safe.codePointAt(i);
            int len = Character.charCount(cp);
            boolean escape = ambiguous(cp);
            if (escape && out == null) {
                out = new StringBuilder(safe.length() + 16).append(safe, 0, i);
            }
            if (out != null) {
                if (escape) {
                    out.append(String.format("\\u{%04x}", cp));
                } else {
                    out.appendCodePoint(cp);
                }
            }
            i += len;
        }
        return out == null ? safe : out.toString();
    }

    private static boolean ambiguous(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED || type == Character.SURROGATE
                || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)
                || (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0x1f1e6 && cp <= 0x1f1ff)
                || WCWidth.wcwidth(cp) < 0;
    }

    /** Terminal columns of a (clean) string, as JLine's Display counts them. */
    static int width(String s) {
        return DisplayWidth.of(s);
    }

    /** The longest prefix of s that fits in the given columns (a wide character is never split). */
    static String head(String s, int columns) {
        return DisplayWidth.head(s, columns);
    }

    /** s cut to at most the given columns, with the ellipsis at the end when something was cut. */
    static String crop(String s, int columns, String ellipsis) {
        return DisplayWidth.crop(s, columns, ellipsis);
    }

    /** Like {@link #crop} but keeps both ends (an address keeps its port). */
    static String cropMiddle(String s, int columns, String ellipsis) {
        int w = width(s);
        if (w <= columns) {
            return s;
        }
        int e = width(ellipsis);
        if (columns <= e + 2) {
            return crop(s, columns, ellipsis);
        }
        int tail = (columns - e) / 2;
        int headCols = columns - e - tail;
        AttributedString as = new AttributedString(s);
        // A wide character straddling either cut is dropped; fit() pads the result back to the column width.
        return head(s, headCols) + ellipsis + as.columnSubSequence(w - tail, w);
    }

    /** s cropped and padded with spaces to exactly the given columns. */
    static String fit(String s, int columns, boolean right, String ellipsis) {
        return DisplayWidth.pad(crop(s, columns, ellipsis), columns, right);
    }

    /** Words wrapped at the given width; the first line gets {@code first} columns, the others {@code rest}. */
    static List<String> wrap(String s, int first, int rest) {
        List<String> lines = new ArrayList<>();
        String line = "";
        int limit = Math.max(1, first);
        for (String word : s.split(" ")) {
            while (!word.isEmpty()) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (width(candidate) <= limit) {
                    line = candidate;
                    word = "";
                } else if (!line.isEmpty()) {
                    lines.add(line);
                    line = "";
                    limit = Math.max(1, rest);
                } else {
                    String part = head(word, limit);
                    if (part.isEmpty()) {
                        part = word.substring(0, Character.charCount(word.codePointAt(0)));
                    }
                    lines.add(part);
                    word = word.substring(part.length());
                    limit = Math.max(1, rest);
                }
            }
        }
        if (!line.isEmpty() || lines.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }
}
