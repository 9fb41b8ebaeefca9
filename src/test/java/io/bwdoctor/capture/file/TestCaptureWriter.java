package io.bwdoctor.capture.file;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test-only writer of pcap and pcapng bytes, block by block, in either byte order. */
final class TestCaptureWriter {
    static final int MAGIC_MICRO = 0xa1b2c3d4;
    static final int MAGIC_NANO = 0xa1b23c4d;
    static final int MAGIC_MODIFIED = 0xa1b2cd34;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;
    /** Offset of the last record or block written. */
    int lastStart;

    private TestCaptureWriter(ByteOrder order) {
        this.order = order;
    }

    /** A pcap file header. */
    static TestCaptureWriter pcap(ByteOrder order, int magic, int major, int minor, long snapLength, long linkField) {
        TestCaptureWriter w = new TestCaptureWriter(order);
        w.write(w.buffer(24).putInt(magic).putShort((short) major).putShort((short) minor).putInt(0).putInt(0)
                .putInt((int) snapLength).putInt((int) linkField));
        return w;
    }

    /** An empty pcapng writer; start with {@link #shb}. */
    static TestCaptureWriter pcapng() {
        return new TestCaptureWriter(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer buffer(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    private void write(ByteBuffer b) {
        out.write(b.array(), 0, b.position());
    }

    /** A pcap record; the modified format gets 8 more header bytes (ifindex, protocol, packet type, pad). */
    TestCaptureWriter record(long seconds, long fraction, byte[] data, long wireLength, boolean modified) {
        lastStart = out.size();
        ByteBuffer b = buffer(24).putInt((int) seconds).putInt((int) fraction).putInt(data.length)
                .putInt((int) wireLength);
        if (modified) {
            b.putInt(3).putShort((short) 0x0800).put((byte) 0).put((byte) 0);
        }
        write(b);
        out.writeBytes(data);
        return this;
    }

    /** A Section Header Block with the given byte order and version, and optionally a shb_userappl option. */
    TestCaptureWriter shb(ByteOrder sectionOrder, int major, int minor, boolean withOption) {
        order = sectionOrder;
        ByteBuffer body = buffer(64).putInt(0x1A2B3C4D).putShort((short) major).putShort((short) minor).putLong(-1);
        if (withOption) {
            option(body, 4, "bwdoctor-test".getBytes());
            body.putInt(0);
        }
        return block(0x0A0D0D0A, body);
    }

    /** An Interface Description Block; tsResolution/tsOffset null leave the option out. */
    TestCaptureWriter idb(int linkType, long snapLength, Integer tsResolution, Long tsOffset, boolean withName) {
        ByteBuffer body = buffer(128).putShort((short) linkType).putShort((short) 0).putInt((int) snapLength);
        if (withName) {
            option(body, 2, "eth0".getBytes());
        }
        if (tsResolution != null) {
            option(body, 9, new byte[] {(byte) (int) tsResolution});
        }
        if (tsOffset != null) {
            option(body, 14, buffer(8).putLong(tsOffset).array());
        }
        if (withName || tsResolution != null || tsOffset != null) {
            body.putInt(0);
        }
        return block(1, body);
    }

    /** An Enhanced Packet Block (optionally with an epb_flags option). */
    TestCaptureWriter epb(int interfaceId, long units, byte[] data, long wireLength, boolean withFlags) {
        ByteBuffer body = buffer(24 + data.length + 16).putInt(interfaceId).putInt((int) (units >>> 32))
                .putInt((int) units).putInt(data.length).putInt((int) wireLength).put(data);
        pad(body);
        if (withFlags) {
            option(body, 2, buffer(4).putInt(1).array());
            body.putInt(0);
        }
        return block(6, body);
    }

    /** An obsolete Packet Block (type 2). */
    TestCaptureWriter pb(int interfaceId, long units, byte[] data, long wireLength) {
        ByteBuffer body = buffer(24 + data.length).putShort((short) interfaceId).putShort((short) 0)
                .putInt((int) (units >>> 32)).putInt((int) units).putInt(data.length).putInt((int) wireLength)
                .put(data);
        pad(body);
        return block(2, body);
    }

    /** A Simple Packet Block: the data written is what the reader must deliver. */
    TestCaptureWriter spb(byte[] data, long wireLength) {
        ByteBuffer body = buffer(8 + data.length).putInt((int) wireLength).put(data);
        pad(body);
        return block(3, body);
    }

    /** Any block with a raw body (padded to 4). */
    TestCaptureWriter block(int type, byte[] body) {
        ByteBuffer b = buffer(body.length + 4).put(body);
        pad(b);
        return block(type, b);
    }

    private TestCaptureWriter block(int type, ByteBuffer body) {
        lastStart = out.size();
        int total = 12 + body.position();
        write(buffer(8).putInt(type).putInt(total));
        write(body);
        write(buffer(4).putInt(total));
        return this;
    }

    /** Appends raw bytes. */
    TestCaptureWriter raw(byte[] bytes) {
        lastStart = out.size();
        out.writeBytes(bytes);
        return this;
    }

    private static void option(ByteBuffer body, int code, byte[] value) {
        body.putShort((short) code).putShort((short) value.length).put(value);
        pad(body);
    }

    private static void pad(ByteBuffer b) {
        while ((b.position() & 3) != 0) {
            b.put((byte) 0);
        }
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
