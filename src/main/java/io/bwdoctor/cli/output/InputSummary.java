package io.bwdoctor.cli.output;

import java.util.LinkedHashMap;
import java.util.Map;

/** What was read from one input file, and the error that stopped it, if any. */
public record InputSummary(String name, String format, long packets, long bytes, String error) {
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("format", format);
        m.put("packets", packets);
        m.put("bytes", bytes);
        m.put("error", error);
        return m;
    }
}
