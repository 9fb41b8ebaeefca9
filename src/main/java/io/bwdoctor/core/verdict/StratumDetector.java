package io.bwdoctor.core.verdict;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Recognises Stratum (mining pool JSON-RPC) in the first bytes of a TCP payload: a JSON object naming one of the
 * protocol's methods ("login", "submit", "mining.subscribe", ...). Plain-text Stratum only: TLS hides it. Cheap
 * enough for the capture thread: payloads that do not start with '{' are rejected on their first byte.
 */
public final class StratumDetector {
    private static final String[] METHODS = {"mining.subscribe", "mining.authorize", "mining.submit",
        "mining.notify", "mining.set_difficulty", "mining.extranonce.subscribe", "login", "submit", "keepalived", "job"};
    private static final byte[][] NEEDLES = new byte[METHODS.length][];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            NEEDLES[i] = ("\"" + METHODS[i] + "\"").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static final byte[] METHOD_KEY = "\"method\"".getBytes(StandardCharsets.US_ASCII);

    private StratumDetector() {}

    /**
     * The Stratum method named in the payload, or null when it is not Stratum. Reads at most {@code length} bytes (and
     * at most 512), in place: nothing is allocated.
     */
    public static String method(MemorySegment data, long offset, int length) {
        if (length < 16 || offset < 0 || offset >= data.byteSize() || data.get(ValueLayout.JAVA_BYTE, offset) != '{') {
            return null;
        }
        long end = offset + Math.min(length, Math.min(512, data.byteSize() - offset));
        long key = indexOf(data, offset, end, METHOD_KEY);
        if (key < 0) {
            return null;
        }
        long value = key + METHOD_KEY.length;
        while (value < end && (data.get(ValueLayout.JAVA_BYTE, value) == ' '
                || data.get(ValueLayout.JAVA_BYTE, value) == ':')) {
            value++;
        }
        for (int i = 0; i < NEEDLES.length; i++) {
            if (startsWith(data, value, end, NEEDLES[i])) {
                return METHODS[i];
            }
        }
        return null;
    }

    private static boolean startsWith(MemorySegment data, long at, long end, byte[] needle) {
        if (at + needle.length > end) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (data.get(ValueLayout.JAVA_BYTE, at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static long indexOf(MemorySegment data, long from, long end, byte[] needle) {
        for (long i = from; i + needle.length <= end; i++) {
            if (startsWith(data, i, end, needle)) {
                return i;
            }
        }
        return -1;
    }
}
