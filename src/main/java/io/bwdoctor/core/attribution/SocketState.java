package io.bwdoctor.core.attribution;

/**
 * Platform-neutral socket state. Connection-oriented sockets use the TCP state names; datagram and raw sockets are
 * {@link #ESTABLISHED} when connected to one peer and {@link #UNCONNECTED} otherwise.
 */
public enum SocketState {
    LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT,
    CLOSED, UNCONNECTED, UNKNOWN
}
