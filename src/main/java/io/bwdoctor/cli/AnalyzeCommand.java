package io.bwdoctor.cli;

import io.bwdoctor.capture.file.CaptureFileException;
import io.bwdoctor.capture.file.CaptureInfo;
import io.bwdoctor.capture.file.CaptureReader;
import io.bwdoctor.capture.file.CaptureFiles;
import io.bwdoctor.cli.output.CsvOutput;
import io.bwdoctor.cli.output.InputSummary;
import io.bwdoctor.cli.output.JsonOutput;
import io.bwdoctor.cli.output.TableOutput;
import io.bwdoctor.core.account.TrafficAccounting;
import io.bwdoctor.core.flow.View;
import io.bwdoctor.core.report.ReportBuilder;
import io.bwdoctor.core.report.TrafficReport;
import io.bwdoctor.core.text.Safe;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `bwdoctor analyze FILE...`: who used the bandwidth in pcap/pcapng captures. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads pcap/pcapng capture files (gzip too; - for standard input) and shows who used the "
                + "bandwidth: per conversation, address pair, host, port or protocol, widest first, with exact "
                + "packet and byte counts (wire length) per direction and iftop-style rates (2 s, 10 s, 40 s "
                + "averages and the peak second, at the end of the capture).",
                "Every frame is counted once: total = rows + non-IP + skipped (each skipped frame with its reason). "
                        + "Tunnelled conversations are shown as extra rows marked inner, never added to totals."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all inputs were read", "1:an input could not be read, or only in part (the report "
                + "still covers what was read)", "2:bad usage", "3:internal error"},
        footerHeading = "%nExamples:%n",
        footer = {"  bwdoctor analyze capture.pcap", "  bwdoctor analyze --by host --top 10 a.pcapng b.pcap.gz",
                "  tcpdump -i eth0 -w - -c 100000 | bwdoctor analyze --format json -"})
final class AnalyzeCommand implements Callable<Integer> {
    @Option(names = "--by", paramLabel = "VIEW", description = "Group rows by conversation (default), pair, host, "
            + "port or protocol.", converter = ViewConverter.class)
    View by = View.CONVERSATION;

    @Option(names = "--top", paramLabel = "N", description = "Show the N widest rows; 0 for all. Default: 25 in the "
            + "table, all in json/csv.")
    Integer top;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), json or csv.")
    Format format = Format.table;

    @Option(names = "--max-flows", paramLabel = "N", defaultValue = "1000000", description = "Rows kept in detail "
            + "(default ${DEFAULT-VALUE}); beyond, the least active fold into per-host aggregate rows. Totals stay "
            + "exact.")
    int maxFlows;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files: pcap or pcapng, either byte order, "
            + "optionally gzip-compressed; - reads standard input.")
    List<String> files;

    enum Format { table, json, csv }

    @Override
    public Integer call() {
        if (maxFlows < 16) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--max-flows must be at least 16");
        }
        TrafficAccounting accounting = new TrafficAccounting(EnumSet.of(by), maxFlows);
        List<InputSummary> inputs = new ArrayList<>();
        int failures = 0;
        for (String file : files) {
            CaptureInfo info = null;
            String error = null;
            try (CaptureReader reader = CaptureFiles.open(file)) {
                info = reader.info();
                reader.readAll(accounting);
            } catch (CaptureFileException e) {
                error = e.getMessage();
            }
            if (error != null) {
                failures++;
                System.err.println("bwdoctor: " + Safe.terminal(error));
            }
            inputs.add(new InputSummary(file, info == null || info.format() == null ? null : info.format().displayName(),
                    info == null ? 0 : info.packets(), info == null ? 0 : info.wireBytes(), error));
        }
        accounting.closeOpenSecond();
        boolean nothingRead = inputs.stream().allMatch(i -> i.packets() == 0 && i.error() != null);
        if (nothingRead) {
            return 1;
        }
        int rows = top != null ? top : format == Format.table ? 25 : 0;
        TrafficReport report = ReportBuilder.build(accounting, by, rows);
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false,
                StandardCharsets.UTF_8);
        switch (format) {
            case json -> {
                JsonOutput.write(report, inputs, out);
                out.println();
            }
            case csv -> CsvOutput.write(report, ReportBuilder.columns(by), out);
            case table -> TableOutput.write(report, inputs, out);
        }
        out.flush();
        return failures > 0 ? 1 : 0;
    }
}
