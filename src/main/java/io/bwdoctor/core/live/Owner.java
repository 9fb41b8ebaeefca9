package io.bwdoctor.core.live;

import io.bwdoctor.core.flow.FlowTable;

/**
 * Packs who owns a conversation row, and which end of it is this host, into the int a {@link FlowTable} keeps per
 * row: {@code (pid << 2) | side} for a process, {@code -(reason + 1) << 2 | side} when unattributed.
 */
public final class Owner {
    /** Which end of the row is local: not known yet, A, or B. */
    public static final int SIDE_UNKNOWN = 0;
    public static final int SIDE_A = 1;
    public static final int SIDE_B = 2;

    private Owner() {}

    public static int process(int pid, int side) {
        return (pid << 2) | side;
    }

    public static int unattributed(Unattributed reason, int side) {
        return (-(reason.ordinal() + 1) << 2) | side;
    }

    public static boolean isProcess(int code) {
        return code != FlowTable.OWNER_UNKNOWN && code >= 0;
    }

    public static int pid(int code) {
        return code >> 2;
    }

    public static int side(int code) {
        return code == FlowTable.OWNER_UNKNOWN ? SIDE_UNKNOWN : code & 3;
    }

    /** The reason a row is unattributed; {@link Unattributed#PENDING} for rows not resolved yet. */
    public static Unattributed reason(int code) {
        if (code == FlowTable.OWNER_UNKNOWN) {
            return Unattributed.PENDING;
        }
        return Unattributed.values()[-(code >> 2) - 1];
    }
}
