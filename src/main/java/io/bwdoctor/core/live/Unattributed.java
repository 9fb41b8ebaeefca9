package io.bwdoctor.core.live;

/** Why traffic could not be tied to a process. Every unattributed byte is counted under one of these. */
public enum Unattributed {
    PENDING("owner still being resolved"),
    NO_SOCKET("no socket (inbound to a closed port, or closed before it was seen)"),
    NO_PROCESS("socket without a visible process (kernel socket, exited process, or no permission)"),
    NOT_LOCAL("neither end is an address of this host (forwarded or bridged)"),
    ICMP("ICMP (answered by the kernel)"),
    OTHER_PROTOCOL("protocol without sockets we can list (raw, GRE, ESP...)"),
    NON_IP("frames that are not IP (ARP, LLDP...)"),
    UNDECODED("frames that could not be decoded"),
    FOLDED("folded rows (memory bound)"),
    NOT_MEASURED("not seen without packet capture (UDP, headers, other protocols, other namespaces)");

    public final String label;

    Unattributed(String label) {
        this.label = label;
    }

    public String key() {
        return name().toLowerCase();
    }
}
