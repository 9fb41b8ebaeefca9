package io.bwdoctor.metrics;

import io.bwdoctor.core.text.Safe;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Label values from untrusted strings: sanitized and short, and, for enum-like labels, from a bounded set. */
final class Labels {
    static final int MAX_NAME = 32;
    private static final int MAX_WORD = 32;

    private Labels() {}

    /** A process or interface name as a label value: control characters made visible, at most 32 characters. */
    static String name(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "unknown";
        }
        String safe = Safe.terminal(raw);
        return safe.length() > MAX_NAME ? safe.substring(0, MAX_NAME - 1) + "~" : safe;
    }

    /** A word like a verdict or a reason: lower case [a-z0-9_.-] only, at most 32 characters, or {@code fallback}. */
    static String word(String raw, String fallback) {
        if (raw == null) {
            return fallback;
        }
        StringBuilder b = new StringBuilder(Math.min(raw.length(), MAX_WORD));
        String lower = raw.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length() && b.length() < MAX_WORD; i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-') {
                b.append(c);
            }
        }
        return b.isEmpty() ? fallback : b.toString();
    }

    /** Admits at most {@code limit} distinct values; later new values become {@code overflow}. */
    static final class Bounded {
        private final Set<String> seen = new HashSet<>();
        private final int limit;
        private final String overflow;

        Bounded(int limit, String overflow) {
            this.limit = limit;
            this.overflow = overflow;
        }

        String admit(String value) {
            if (seen.contains(value)) {
                return value;
            }
            if (seen.size() < limit) {
                seen.add(value);
                return value;
            }
            return overflow;
        }
    }
}
