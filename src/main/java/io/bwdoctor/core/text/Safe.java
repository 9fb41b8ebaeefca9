package io.bwdoctor.core.text;

/**
 * Makes untrusted strings (process names, file names, anything from the system or the wire) safe to print: control
 * characters, including the escape that starts terminal sequences, and bidirectional overrides become visible
 * {@code \\xNN} / {@code \\u{NNNN}} escapes; length is bounded.
 */
public final class Safe {
    private static final int MAX_LENGTH = 4096;

    private Safe() {}

    public static String terminal(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        int n = Math.min(s.length(), MAX_LENGTH);
        for (int i = 0; i < n; ) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            boolean unsafe = Character.isISOControl(cp) || isBidiControl(cp) || cp == 0x7f
                    || Character.getType(cp) == Character.SURROGATE;
            if (unsafe && out == null) {
                out = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append(cp < 0x100 ? String.format("\\x%02x", cp) : String.format("\\u{%04x}", cp));
                } else {
                    out.appendCodePoint(cp);
                }
            }
            i += len;
        }
        String result = out == null ? s.substring(0, n) : out.toString();
        return s.length() > MAX_LENGTH ? result + "..." : result;
    }

    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f
                || cp == 0x061c;
    }
}
