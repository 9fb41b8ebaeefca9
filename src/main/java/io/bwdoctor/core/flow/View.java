package io.bwdoctor.core.flow;

/** The ways rows can be grouped, as `analyze --by` names them. */
public enum View {
    /** Protocol and both endpoints with ports: one row per TCP/UDP/SCTP connection, per ICMP address pair... */
    CONVERSATION,
    /** Address pairs (protocol ipv4/ipv6, no ports), as tshark's -z conv,ip. */
    PAIR,
    /** One row per address, with what it sent (tx) and received (rx). */
    HOST,
    /** One row per transport protocol and service port (the well-known or destination side of a conversation). */
    PORT,
    /** One row per IP version and protocol number. */
    PROTOCOL;

    public String label() {
        return name().toLowerCase();
    }
}
