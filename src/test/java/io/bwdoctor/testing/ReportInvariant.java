package io.bwdoctor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.report.ReportRow;
import io.bwdoctor.core.report.TrafficReport;

/** The accounting invariant every report keeps: total = outer rows + omitted + skipped + non-IP. */
public final class ReportInvariant {
    private ReportInvariant() {}

    public static void assertAccountsForEveryFrame(TrafficReport r) {
        long packets = r.skipped().packets() + r.nonIp().packets() + r.omitted().packets();
        long bytes = r.skipped().bytes() + r.nonIp().bytes() + r.omitted().bytes();
        for (ReportRow row : r.rows()) {
            if (row.get("inner") == null) {
                packets += row.getLong("packets");
                bytes += row.getLong("bytes");
            }
        }
        assertThat(packets).as("packets in rows + buckets").isEqualTo(r.packets());
        assertThat(bytes).as("bytes in rows + buckets").isEqualTo(r.bytes());
    }
}
