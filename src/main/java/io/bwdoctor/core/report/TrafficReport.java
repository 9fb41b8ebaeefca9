package io.bwdoctor.core.report;

import java.util.List;
import java.util.Map;

/**
 * What `analyze` found: totals, the buckets of frames that are not in rows, and the rows of the chosen view.
 * Invariant for the conversation and pair views: packets = sum of non-inner rows + omitted + skipped + non_ip.
 */
public record TrafficReport(
        String view,
        long packets,
        long bytes,
        String firstSeen,
        String lastSeen,
        Double durationSeconds,
        Bucket skipped,
        Map<String, Bucket> skippedReasons,
        Map<String, Bucket> unreadableRecords,
        Bucket nonIp,
        Map<String, Bucket> nonIpByEtherType,
        Bucket inner,
        Map<String, Bucket> linkTypes,
        Map<String, Bucket> unsupportedLinkTypes,
        long nonFirstFragments,
        long nonFirstFragmentsAttributed,
        long foldedRows,
        int rowsTotal,
        List<ReportRow> rows,
        Bucket omitted) {
}
