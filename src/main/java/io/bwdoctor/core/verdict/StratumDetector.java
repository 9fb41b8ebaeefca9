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

    /** The Stratum method named in the payload, or null when it is not Stratum. Reads at most {@code length} bytes. */
    public static String method(MemorySegment data, long offset, int length) {
        if (length < 16 || data.get(ValueLayout.JAVA_BYTE, offset) != '{') {
            return null;
        }
        int n = (int) Math.min(length, Math.min(512, data.byteSize() - offset));
        byte[] b = new byte[n];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, b, 0, n);
        int key = indexOf(b, METHOD_KEY, 0);
        if (key < 0) {
            return null;
        }
        int value = key + METHOD_KEY.length;
        while (value < n && (b[value] == ' ' || b[value] == ':')) {
            value++;
        }
        for (int i = 0; i < NEEDLES.length; i++) {
            if (startsWith(b, value, NEEDLES[i])) {
                return METHODS[i];
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int at, byte[] needle) {
        if (at + needle.length > b.length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (b[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte[] needle, int from) {
        for (int i = from; i + needle.length <= b.length; i++) {
            if (startsWith(b, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
