package io.bwdoctor.cli.output;

import io.bwdoctor.core.report.ReportRow;
import io.bwdoctor.core.report.TrafficReport;
import java.io.PrintStream;
import java.util.List;

/** One CSV line per row (RFC 4180 quoting), columns as the JSON row fields. */
public final class CsvOutput {
    private CsvOutput() {}

    public static void write(TrafficReport report, List<String> columns, PrintStream out) {
        out.println(String.join(",", columns));
        StringBuilder line = new StringBuilder(256);
        for (ReportRow row : report.rows()) {
            line.setLength(0);
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                Object v = row.get(columns.get(i));
                if (v != null) {
                    line.append(quote(v.toString()));
                }
            }
            out.println(line);
        }
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
