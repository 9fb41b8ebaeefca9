package io.bwdoctor.core.attribution;

/** Transport protocols whose sockets a {@link SocketTable} can list, with their IANA protocol numbers. */
public enum Transport {
    TCP(6), UDP(17), SCTP(132),
    /** Raw IP sockets (ping, DHCP clients, custom tools); the record's protocol number says what they carry. */
    RAW(255);

    private final int ipProtocol;

    Transport(int ipProtocol) {
        this.ipProtocol = ipProtocol;
    }

    public int ipProtocol() {
        return ipProtocol;
    }
}
