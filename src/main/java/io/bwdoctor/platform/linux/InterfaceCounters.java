package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The kernel's per-interface counters from /proc/net/dev (of the reading thread's network namespace). */
public final class InterfaceCounters {
    /** Cumulative counters of one interface since it came up. */
    public record Counters(long rxBytes, long rxPackets, long txBytes, long txPackets) {}

    private InterfaceCounters() {}

    public static Map<String, Counters> read() throws IOException {
        return parse(Files.readString(Path.of("/proc/thread-self/net/dev") /* this thread's namespace (--netns) */));
    }

    static Map<String, Counters> parse(String text) {
        Map<String, Counters> result = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            try {
                result.put(line.substring(0, colon).trim(), new Counters(Long.parseLong(f[0]), Long.parseLong(f[1]),
                        Long.parseLong(f[8]), Long.parseLong(f[9])));
            } catch (NumberFormatException e) {
                // a line we do not understand is left out rather than guessed
            }
        }
        return result;
    }
}
