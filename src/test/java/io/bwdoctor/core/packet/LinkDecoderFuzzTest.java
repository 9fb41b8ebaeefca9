package io.bwdoctor.core.packet;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Coverage-guided fuzzing of the link decoder (JAZZER_FUZZ=1 to fuzz for real; otherwise a short regression pass).
 * The segment ends where the frame ends, so any read past the captured bytes throws and is reported.
 */
class LinkDecoderFuzzTest {
    private static final int[] LINK_TYPES = {
        LinkType.NULL, LinkType.ETHERNET, LinkType.PPP, LinkType.RAW, LinkType.PPP_HDLC, LinkType.PPP_ETHER,
        LinkType.C_HDLC, LinkType.IEEE802_11, LinkType.FRELAY, LinkType.LOOP, LinkType.LINUX_SLL,
        LinkType.IEEE802_11_RADIOTAP, LinkType.PPP_PPPD, LinkType.IPV4, LinkType.NFLOG, LinkType.IPOIB,
        LinkType.PKTAP, LinkType.LINUX_SLL2
    };

    private final LinkDecoder decoder = new LinkDecoder();
    private final LinkResult result = new LinkResult();

    @FuzzTest(maxDuration = "30s")
    void neverThrows(FuzzedDataProvider data) {
        int linkType = LINK_TYPES[data.consumeInt(0, LINK_TYPES.length - 1)];
        byte[] frame = data.consumeRemainingAsBytes();
        decoder.decode(linkType, MemorySegment.ofArray(frame), 0, frame.length, result);
        boolean ip = result.kind == LinkResult.IPV4 || result.kind == LinkResult.IPV6;
        if (ip && (result.networkOffset < 0 || result.networkOffset > frame.length)) {
            throw new AssertionError("IP offset " + result.networkOffset + " outside a frame of " + frame.length);
        }
    }
}
