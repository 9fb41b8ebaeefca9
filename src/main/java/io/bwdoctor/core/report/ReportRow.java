package io.bwdoctor.core.report;

import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.flow.View;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a report: named fields in a stable order (the JSON and CSV column order). Values are Long, Integer,
 * String, Boolean or null. The row reads its table when asked, so a report of a million rows holds no million maps:
 * {@link #writeTo} streams the fields, {@link #fields} builds a map once.
 */
public final class ReportRow {
    private final View view;
    private final FlowTable table;
    private final int row;
    private Map<String, Object> fields;

    ReportRow(View view, FlowTable table, int row) {
        this.view = view;
        this.table = table;
        this.row = row;
    }

    public void writeTo(RowFields out) {
        if (fields != null) {
            fields.forEach(out::put);
        } else {
            ReportBuilder.writeRow(view, table, row, out);
        }
    }

    public Map<String, Object> fields() {
        if (fields == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            ReportBuilder.writeRow(view, table, row, m::put);
            fields = Collections.unmodifiableMap(m);
        }
        return fields;
    }

    public Object get(String name) {
        return fields().get(name);
    }

    public long getLong(String name) {
        Object v = fields().get(name);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
