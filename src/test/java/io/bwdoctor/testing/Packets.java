package io.bwdoctor.testing;

import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.LinkType;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds test frames byte by byte: Ethernet, IPv4/IPv6, TCP/UDP/ICMP headers and payloads, and tunnels. */
public final class Packets {
    private Packets() {}

    public static byte[] addr(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] ethernet(int etherType, byte[] payload) {
        byte[] h = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, (byte) (etherType >> 8), (byte) etherType};
        return concat(h, payload);
    }

    public static byte[] vlan(int id, int etherType, byte[] payload) {
        return concat(new byte[] {(byte) (id >> 8), (byte) id, (byte) (etherType >> 8), (byte) etherType}, payload);
    }

    /** An IPv4 header (no options) around the payload; fragment offset in bytes. */
    public static byte[] ipv4(String src, String dst, int protocol, byte[] payload, int id, boolean moreFragments,
                              int fragmentOffset) {
        byte[] h = new byte[20];
        int total = 20 + payload.length;
        h[0] = 0x45;
        h[2] = (byte) (total >> 8);
        h[3] = (byte) total;
        h[4] = (byte) (id >> 8);
        h[5] = (byte) id;
        int ff = (moreFragments ? 0x2000 : 0) | (fragmentOffset / 8);
        h[6] = (byte) (ff >> 8);
        h[7] = (byte) ff;
        h[8] = 64;
        h[9] = (byte) protocol;
        System.arraycopy(addr(src), 0, h, 12, 4);
        System.arraycopy(addr(dst), 0, h, 16, 4);
        return concat(h, payload);
    }

    public static byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        return ipv4(src, dst, protocol, payload, 1, false, 0);
    }

    /** An IPv6 header; extension headers, if any, are part of the payload and {@code next} names the first. */
    public static byte[] ipv6(String src, String dst, int next, byte[] payload) {
        byte[] h = new byte[40];
        h[0] = 0x60;
        h[4] = (byte) (payload.length >> 8);
        h[5] = (byte) payload.length;
        h[6] = (byte) next;
        h[7] = 64;
        System.arraycopy(addr(src), 0, h, 8, 16);
        System.arraycopy(addr(dst), 0, h, 24, 16);
        return concat(h, payload);
    }

    public static byte[] tcp(int srcPort, int dstPort, int flags, byte[] payload) {
        byte[] h = new byte[20];
        h[0] = (byte) (srcPort >> 8);
        h[1] = (byte) srcPort;
        h[2] = (byte) (dstPort >> 8);
        h[3] = (byte) dstPort;
        h[12] = 0x50;
        h[13] = (byte) flags;
        return concat(h, payload);
    }

    public static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        int len = 8 + payload.length;
        byte[] h = {(byte) (srcPort >> 8), (byte) srcPort, (byte) (dstPort >> 8), (byte) dstPort,
                (byte) (len >> 8), (byte) len, 0, 0};
        return concat(h, payload);
    }

    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return b;
    }

    /** A frame over the given bytes, wire length = captured length unless given. */
    public static Frame frame(int linkType, byte[] data, long nanos) {
        return new Frame().set(linkType, nanos, MemorySegment.ofArray(data), 0, data.length, data.length, 0);
    }

    public static Frame ether(byte[] data, long nanos) {
        return frame(LinkType.ETHERNET, data, nanos);
    }

    public static Frame ether(byte[] data) {
        return ether(data, 1_000_000_000L);
    }
}
