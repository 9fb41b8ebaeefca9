package io.bwdoctor.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real and built frames of every link type, checked against tshark's view of where the IP header starts (or against
 * the hand-made expectation in link-frames.tsv where tshark has none).
 */
class LinkFramesTest {
    private static final List<LinkFrames.Row> ROWS = LinkFrames.load();

    static Stream<LinkFrames.Row> rows() {
        return ROWS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void findsTheIpHeaderWhereTsharkDoes(LinkFrames.Row row) {
        MemorySegment s = LinkFrames.placed(row.bytes(), row.bytes().length);
        LinkResult r = new LinkResult();
        new LinkDecoder().decode(row.linkType(), s, LinkFrames.LEAD, row.bytes().length, r);

        assertThat(LinkResult.kindName(r.kind)).as("kind; %s", row.note()).isEqualTo(LinkResult.kindName(row.kind()));
        if (r.kind != LinkResult.IPV4 && r.kind != LinkResult.IPV6) {
            return;
        }
        assertThat(r.networkOffset - LinkFrames.LEAD).as("IP offset").isEqualTo(row.ipOffset());
        assertThat(r.etherType).isEqualTo(r.kind == LinkResult.IPV4 ? 0x0800 : 0x86DD);
        long ip = r.networkOffset;
        if (ip < s.byteSize()) {
            assertThat(Bytes.u8(s, ip) >>> 4).as("IP version nibble").isEqualTo(r.kind);
        }
        int lengthField = r.kind == LinkResult.IPV4 ? 2 : 4;
        if (row.ipLength() >= 0 && ip + lengthField + 2 <= s.byteSize()) {
            assertThat(Bytes.u16(s, ip + lengthField)).as("IP length field").isEqualTo(row.ipLength());
        }
    }

    /**
     * Every prefix of every frame: never an exception, never a read past the cut (the segment ends there), and the
     * answer is either TRUNCATED or the same as for the whole frame.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyCutIsTruncatedOrAnswersAsTheWholeFrame(LinkFrames.Row row) {
        LinkDecoder decoder = new LinkDecoder();
        LinkResult whole = new LinkResult();
        decoder.decode(row.linkType(), LinkFrames.placed(row.bytes(), row.bytes().length), LinkFrames.LEAD,
                row.bytes().length, whole);
        LinkResult cut = new LinkResult();
        for (int length = 0; length < row.bytes().length; length++) {
            decoder.decode(row.linkType(), LinkFrames.placed(row.bytes(), length), LinkFrames.LEAD, length, cut);
            if (cut.kind == LinkResult.TRUNCATED || whole.kind == LinkResult.MALFORMED) {
                continue;  // a frame found malformed further in may look fine when cut before the flaw
            }
            boolean ip = whole.kind == LinkResult.IPV4 || whole.kind == LinkResult.IPV6;
            if (cut.kind != whole.kind || ip && cut.networkOffset != whole.networkOffset) {
                assertThat(LinkResult.kindName(cut.kind) + " at " + cut.networkOffset)
                        .as("when cut to %d bytes", length)
                        .isEqualTo(LinkResult.kindName(whole.kind) + " at " + whole.networkOffset);
            }
        }
    }
}
