package io.bwdoctor.core.attribution;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses as the core's flow keys hold them: an IP version and two longs. IPv4 is {@code hi = 0}, {@code lo} = the
 * 32-bit address; IPv6 is the two big-endian halves. No I/O: InetAddress is built from bytes, never resolved.
 */
public final class IpWords {
    private IpWords() {}

    public static int version(InetAddress address) {
        return address instanceof Inet4Address ? 4 : 6;
    }

    public static long hi(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? 0 : word(b, 0);
    }

    public static long lo(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? word4(b) : word(b, 8);
    }

    public static InetAddress toInetAddress(int version, long hi, long lo) {
        byte[] b = new byte[version == 4 ? 4 : 16];
        if (version == 4) {
            for (int i = 0; i < 4; i++) b[i] = (byte) (lo >>> (24 - 8 * i));
        } else {
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (hi >>> (56 - 8 * i));
                b[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) { // only for lengths other than 4 and 16
            throw new AssertionError(impossible);
        }
    }

    private static long word(byte[] b, int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[from + i] & 0xff);
        return v;
    }

    private static long word4(byte[] b) {
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }
}
