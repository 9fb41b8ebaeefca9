package io.bwdoctor.core.packet;

/** Why a frame could not be placed in an IP conversation. Each skipped frame is counted under exactly one reason. */
public enum SkipReason {
    LINK_TRUNCATED("link-layer header truncated"),
    LINK_MALFORMED("link-layer header malformed"),
    LINK_UNSUPPORTED("unsupported link type"),
    IP_TRUNCATED("IP header truncated"),
    IP_BAD_VERSION("IP version field neither 4 nor 6"),
    IPV4_BAD_HEADER_LENGTH("IPv4 header length below 20 bytes"),
    IPV4_BAD_TOTAL_LENGTH("IPv4 total length shorter than its header"),
    UNREADABLE_RECORD("capture record unreadable");

    public final String label;

    SkipReason(String label) {
        this.label = label;
    }
}
