package io.bwdoctor.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bwdoctor.capture.file.CaptureFileException;
import io.bwdoctor.capture.file.CaptureFiles;
import io.bwdoctor.cli.output.InputSummary;
import io.bwdoctor.cli.output.JsonOutput;
import io.bwdoctor.core.account.TrafficAccounting;
import io.bwdoctor.core.flow.View;
import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.LinkType;
import io.bwdoctor.core.report.ReportBuilder;
import io.bwdoctor.core.report.ReportRow;
import io.bwdoctor.core.report.TrafficReport;
import io.bwdoctor.testing.ReportInvariant;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.List;

/**
 * The whole pipeline on arbitrary input: capture reader, link and IP decoders, flow table with a tiny row limit (so
 * folding runs too), every view, JSON output. Input that looks like a capture file is read as one; anything else is
 * cut into frames of assorted link types. Nothing may throw except a CaptureFileException, and every report must
 * account for every frame. `mvn test` replays the seeds; JAZZER_FUZZ=1 (run by ./run-tests) searches for 60 s.
 */
class CapturePipelineFuzzTest {
    private static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.RAW, LinkType.IPV4, LinkType.IPV6,
            LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP, LinkType.PPP, LinkType.PPP_HDLC,
            LinkType.C_HDLC, LinkType.FRELAY, LinkType.NFLOG, LinkType.IPOIB, LinkType.IEEE802_11,
            LinkType.IEEE802_11_RADIOTAP, LinkType.PPP_ETHER, 258, 231};

    @FuzzTest(maxDuration = "60s")
    void pipeline(byte[] data) {
        TrafficAccounting acc = new TrafficAccounting(EnumSet.allOf(View.class), 16);
        if (looksLikeCapture(data)) {
            try {
                CaptureFiles.read("fuzz", data, acc);
            } catch (CaptureFileException e) {
                assertThat(e.getMessage()).startsWith("fuzz: ").doesNotContain("\n");
            }
        } else {
            feedFrames(data, acc);
        }
        acc.closeOpenSecond();
        for (View view : View.values()) {
            TrafficReport report = ReportBuilder.build(acc, view, view == View.HOST ? 0 : 3);
            if (view == View.CONVERSATION || view == View.PAIR) {
                ReportInvariant.assertAccountsForEveryFrame(report);
            }
            JsonOutput.write(report, List.of(new InputSummary("fuzz", null, 0, 0, null)), OutputStream.nullOutputStream());
        }
    }

    private static boolean looksLikeCapture(byte[] d) {
        if (d.length < 4) {
            return false;
        }
        int m = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        return m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1 || m == 0x0a0d0d0a
                || m == 0xa1b2cd34 || m == 0x34cdb2a1 || (d[0] == (byte) 0x1f && d[1] == (byte) 0x8b);
    }

    /** Frames as [link type index][length][bytes...][timestamp delta], repeated. */
    private static void feedFrames(byte[] data, TrafficAccounting acc) {
        MemorySegment segment = MemorySegment.ofArray(data);
        Frame frame = new Frame();
        long nanos = 1_700_000_000_000_000_000L;
        int p = 0;
        while (p + 2 <= data.length) {
            int linkType = LINK_TYPES[(data[p] & 0xff) % LINK_TYPES.length];
            int length = Math.min(data[p + 1] & 0xff, data.length - p - 2);
            int wire = length + ((data[p] & 0xff) >>> 5) * 100;
            nanos += (data[p] & 0x1f) * 300_000_000L;
            acc.onFrame(frame.set(linkType, nanos, segment, p + 2, length, wire, 0));
            p += 2 + length;
        }
    }
}
