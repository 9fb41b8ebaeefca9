package io.bwdoctor.core.packet;

/**
 * Remembers the ports of first fragments so that later fragments of the same datagram (which carry no transport
 * header) are counted on the right conversation. A fixed direct-mapped cache: bounded memory, no allocation; a
 * collision or a first fragment never seen leaves the later fragments without ports (still counted on the IP pair).
 */
public final class FragmentPorts {
    private static final int SLOTS = 1 << 13;
    /** Entries older than this are not trusted (IPv4 ids wrap; reassembly timeouts are 30-60 s). */
    private static final long MAX_AGE_NANOS = 60_000_000_000L;

    private final long[] keys = new long[SLOTS * 5];
    private final int[] ports = new int[SLOTS * 2];
    private final long[] seenAt = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];

    public void remember(IpLayer ip, long nowNanos) {
        int slot = slot(ip);
        int k = slot * 5;
        keys[k] = meta(ip);
        keys[k + 1] = ip.srcHi;
        keys[k + 2] = ip.srcLo;
        keys[k + 3] = ip.dstHi;
        keys[k + 4] = ip.dstLo;
        ports[slot * 2] = ip.srcPort;
        ports[slot * 2 + 1] = ip.dstPort;
        seenAt[slot] = nowNanos;
        used[slot] = true;
    }

    /** Sets the ports of a non-first fragment if its first fragment was seen; returns whether it was. */
    public boolean recall(IpLayer ip, long nowNanos) {
        int slot = slot(ip);
        int k = slot * 5;
        if (!used[slot] || keys[k] != meta(ip) || keys[k + 1] != ip.srcHi || keys[k + 2] != ip.srcLo
                || keys[k + 3] != ip.dstHi || keys[k + 4] != ip.dstLo) {
            return false;
        }
        if (nowNanos != Long.MIN_VALUE && seenAt[slot] != Long.MIN_VALUE
                && Math.abs(nowNanos - seenAt[slot]) > MAX_AGE_NANOS) {
            return false;
        }
        ip.srcPort = ports[slot * 2];
        ip.dstPort = ports[slot * 2 + 1];
        return true;
    }

    private static long meta(IpLayer ip) {
        return (ip.fragmentId << 16) | ((long) ip.version << 8) | ip.protocol;
    }

    private static int slot(IpLayer ip) {
        long h = meta(ip) * 0x9E3779B97F4A7C15L;
        h ^= ip.srcLo * 0xC2B2AE3D27D4EB4FL ^ ip.dstLo * 0x165667B19E3779F9L ^ ip.srcHi ^ (ip.dstHi << 1);
        h ^= h >>> 29;
        return (int) (h & (SLOTS - 1));
    }
}
