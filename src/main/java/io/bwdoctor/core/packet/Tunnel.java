package io.bwdoctor.core.packet;

/** Encapsulations whose inner conversation we decode (shown as inner rows, never added to totals). */
public enum Tunnel {
    NONE, IP_IN_IP, SIX_IN_FOUR, GRE, VXLAN, GENEVE, TEREDO, GTP_U;

    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
