package io.bwdoctor.core.intel;

import io.bwdoctor.core.attribution.IpWords;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An inclusive address range of one IP version, in the project's word form (IPv4 in the low 32 bits of the low word).
 * Parses literals only (never resolves names); IPv4-mapped IPv6 literals become IPv4.
 */
public record IpRange(int version, long startHi, long startLo, long endHi, long endLo) {
    private static final int MAX_TEXT = 64;

    public IpRange {
        if (version != 4 && version != 6) throw new IllegalArgumentException("IP version must be 4 or 6");
        if (compare(endHi, endLo, startHi, startLo) < 0) throw new IllegalArgumentException("range ends before it starts");
    }

    /** An address ("192.0.2.1", "2001:db8::1") or a CIDR network ("192.0.2.0/24"); host bits are masked off. */
    public static IpRange parse(String text) {
        int slash = text.indexOf('/');
        IpRange address = address(slash < 0 ? text : text.substring(0, slash));
        if (slash < 0) return address;
        String lengthText = text.substring(slash + 1);
        int max = address.version == 4 ? 32 : 128;
        int length;
        if (lengthText.isEmpty() || lengthText.length() > 3 || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')
                || (length = Integer.parseInt(lengthText)) > max)
            throw new IllegalArgumentException("'" + clip(text) + "' has an invalid prefix length (0-" + max + ")");
        return network(address.version, address.startHi, address.startLo, length);
    }

    /** The network of {@code length} bits holding the address (host bits ignored). */
    public static IpRange network(int version, long hi, long lo, int length) {
        if (version == 4) {
            if (length < 0 || length > 32) throw new IllegalArgumentException("IPv4 prefix length " + length);
            long mask = length == 0 ? 0 : (0xffff_ffffL << (32 - length)) & 0xffff_ffffL;
            long start = lo & mask;
            return new IpRange(4, 0, start, 0, start | (~mask & 0xffff_ffffL));
        }
        if (length < 0 || length > 128) throw new IllegalArgumentException("IPv6 prefix length " + length);
        long maskHi = length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
        long maskLo = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
        long h = hi & maskHi, l = lo & maskLo;
        return new IpRange(6, h, l, h | ~maskHi, l | ~maskLo);
    }

    /** From two address literals of the same version (a CSV row's start and end). */
    public static IpRange between(String start, String end) {
        IpRange a = address(start), b = address(end);
        if (a.version != b.version)
            throw new IllegalArgumentException("'" + clip(start) + "' and '" + clip(end) + "' differ in IP version");
        if (compare(b.startHi, b.startLo, a.startHi, a.startLo) < 0)
            throw new IllegalArgumentException("range " + clip(start) + " - " + clip(end) + " ends before it starts");
        return new IpRange(a.version, a.startHi, a.startLo, b.startHi, b.startLo);
    }

    /** A single address literal, as a one-address range. */
    public static IpRange address(String text) {
        if (text.isEmpty() || text.length() > 45) throw notAnAddress(text);
        if (text.indexOf(':') < 0) {
            long v4 = ipv4(text);
            return new IpRange(4, 0, v4, 0, v4);
        }
        for (int i = 0; i < text.length(); i++) { // no zone ids, no brackets
            char c = text.charAt(i);
            if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                throw notAnAddress(text);
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw notAnAddress(text);
        }
        long hi = IpWords.hi(parsed), lo = IpWords.lo(parsed);
        int version = parsed instanceof Inet4Address ? 4 : 6; // ::ffff:a.b.c.d comes back as IPv4
        return new IpRange(version, hi, lo, hi, lo);
    }

    /** Strict dotted quad: four decimal parts 0-255, no leading-zero octal guessing beyond plain digits. */
    private static long ipv4(String text) {
        long value = 0;
        int parts = 0, digits = 0, part = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                part = part * 10 + (c - '0');
                if (++digits > 3 || part > 255) throw notAnAddress(text);
            } else if (c == '.' && digits > 0 && parts < 4) {
                value = (value << 8) | part;
                parts++;
                digits = 0;
                part = 0;
            } else {
                throw notAnAddress(text);
            }
        }
        if (parts != 4) throw notAnAddress(text);
        return value;
    }

    public boolean contains(int version, long hi, long lo) {
        return version == this.version && compare(hi, lo, startHi, startLo) >= 0 && compare(hi, lo, endHi, endLo) <= 0;
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static IllegalArgumentException notAnAddress(String text) {
        return new IllegalArgumentException("'" + clip(text) + "' is not an IP address");
    }

    static String clip(String text) {
        String s = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ? '?' : cp));
        return out.toString();
    }
}
