package io.bwdoctor.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Arbitrary bytes under every link type: no exception, no read outside the frame, a sane result. */
class LinkDecoderRobustnessTest {
    private static final int[] LINK_TYPES = {
        LinkType.NULL, LinkType.ETHERNET, LinkType.PPP, LinkType.RAW_OPENBSD, LinkType.RAW_DLT14, LinkType.PPP_HDLC,
        LinkType.PPP_ETHER, LinkType.RAW, LinkType.C_HDLC, LinkType.IEEE802_11, LinkType.FRELAY, LinkType.LOOP,
        LinkType.LINUX_SLL, LinkType.IEEE802_11_RADIOTAP, LinkType.PPP_PPPD, LinkType.IPV4, LinkType.IPV6,
        LinkType.NFLOG, LinkType.IPOIB, LinkType.PKTAP, LinkType.LINUX_SLL2, 231, 253, 7777
    };

    private final LinkDecoder decoder = new LinkDecoder();
    private final LinkResult r = new LinkResult();

    @Test
    void randomBuffersUnderEveryLinkType() {
        SplittableRandom random = new SplittableRandom(0xB0D0C702L);
        for (int i = 0; i < 15_000; i++) {
            byte[] frame = new byte[random.nextInt(0, 200)];
            fill(random, frame);
            MemorySegment s = LinkFrames.placed(frame, frame.length);
            for (int linkType : LINK_TYPES) {
                check(linkType, s, frame);
            }
        }
    }

    /** Real frames with a few bytes changed reach much deeper than uniform noise. */
    @Test
    void mutatedRealFrames() {
        SplittableRandom random = new SplittableRandom(42);
        List<LinkFrames.Row> rows = LinkFrames.load();
        for (int i = 0; i < 100_000; i++) {
            LinkFrames.Row row = rows.get(random.nextInt(rows.size()));
            byte[] frame = row.bytes().clone();
            int changes = random.nextInt(1, 6);
            for (int c = 0; c < changes && frame.length > 0; c++) {
                int at = random.nextInt(Math.min(frame.length, 140));
                frame[at] = (byte) switch (random.nextInt(6)) {
                    case 0 -> 0x7d;
                    case 1 -> 0x7e;
                    case 2 -> 0xff;
                    case 3 -> 0x00;
                    default -> random.nextInt(256);
                };
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            int linkType = random.nextInt(8) == 0 ? LINK_TYPES[random.nextInt(LINK_TYPES.length)] : row.linkType();
            byte[] cut = java.util.Arrays.copyOf(frame, length);
            check(linkType, LinkFrames.placed(cut, length), cut);
        }
    }

    private void check(int linkType, MemorySegment s, byte[] frame) {
        decoder.decode(linkType, s, LinkFrames.LEAD, frame.length, r);
        boolean ip = r.kind == LinkResult.IPV4 || r.kind == LinkResult.IPV6;
        boolean sane = ip ? r.networkOffset >= LinkFrames.LEAD && r.networkOffset <= LinkFrames.LEAD + frame.length
                && r.etherType == (r.kind == LinkResult.IPV4 ? 0x0800 : 0x86DD)
                : r.kind >= LinkResult.UNSUPPORTED && r.kind <= LinkResult.NON_IP;
        if (!sane) {  // AssertJ only on failure: this runs millions of times
            assertThat(LinkResult.kindName(r.kind) + " at " + r.networkOffset + " etherType " + r.etherType)
                    .as("linktype %d, frame %s", linkType, java.util.HexFormat.of().formatHex(frame)).isEmpty();
        }
    }

    private static void fill(SplittableRandom random, byte[] b) {
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
    }
}
