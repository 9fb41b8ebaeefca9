package io.bwdoctor.core.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a report: named fields in a stable order (the JSON and CSV column order). Values are Long, Integer,
 * Double, String, Boolean or null.
 */
public final class ReportRow {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    ReportRow put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public long getLong(String name) {
        Object v = fields.get(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }
}
