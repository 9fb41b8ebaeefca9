package io.bwdoctor.core.account;

/** A packet and byte count. */
public final class Counter {
    private long packets;
    private long bytes;

    public void add(long wireBytes) {
        packets++;
        bytes += wireBytes;
    }

    public void add(Counter other) {
        packets += other.packets;
        bytes += other.bytes;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }
}
