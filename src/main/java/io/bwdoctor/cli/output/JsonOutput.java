package io.bwdoctor.cli.output;

import io.bwdoctor.core.report.Bucket;
import io.bwdoctor.core.report.ReportRow;
import io.bwdoctor.core.report.TrafficReport;
import java.io.OutputStream;
import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The stable JSON form of a report (documented in docs/JSON.md); rows are streamed, not held in memory. */
public final class JsonOutput {
    private static final JsonMapper MAPPER = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private JsonOutput() {}

    public static void write(TrafficReport report, List<InputSummary> inputs, OutputStream out) {
        MAPPER.writeValue(out, toMap(report, inputs));
    }

    static Map<String, Object> toMap(TrafficReport r, List<InputSummary> inputs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("by", r.view());
        m.put("packets", r.packets());
        m.put("bytes", r.bytes());
        m.put("first_seen", r.firstSeen());
        m.put("last_seen", r.lastSeen());
        m.put("duration_seconds", r.durationSeconds());
        Map<String, Object> skipped = bucket(r.skipped());
        skipped.put("reasons", buckets(r.skippedReasons()));
        if (!r.unreadableRecords().isEmpty()) {
            skipped.put("unreadable_records", buckets(r.unreadableRecords()));
        }
        m.put("skipped", skipped);
        Map<String, Object> nonIp = bucket(r.nonIp());
        nonIp.put("by_ethertype", buckets(r.nonIpByEtherType()));
        m.put("non_ip", nonIp);
        m.put("inner", bucket(r.inner()));
        m.put("link_types", buckets(r.linkTypes()));
        m.put("unsupported_link_types", buckets(r.unsupportedLinkTypes()));
        Map<String, Object> fragments = new LinkedHashMap<>();
        fragments.put("non_first", r.nonFirstFragments());
        fragments.put("non_first_attributed", r.nonFirstFragmentsAttributed());
        m.put("fragments", fragments);
        m.put("folded_rows", r.foldedRows());
        m.put("rows_total", r.rowsTotal());
        m.put("omitted", bucket(r.omitted()));
        m.put("inputs", inputs.stream().map(InputSummary::toMap).toList());
        List<ReportRow> rows = r.rows();
        m.put("rows", new AbstractList<Map<String, Object>>() {
            @Override
            public Map<String, Object> get(int i) {
                return rows.get(i).fields();
            }

            @Override
            public int size() {
                return rows.size();
            }
        });
        return m;
    }

    private static Map<String, Object> bucket(Bucket b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("packets", b.packets());
        m.put("bytes", b.bytes());
        return m;
    }

    private static Map<String, Object> buckets(Map<String, Bucket> buckets) {
        Map<String, Object> m = new LinkedHashMap<>();
        buckets.forEach((k, v) -> m.put(k, bucket(v)));
        return m;
    }
}
