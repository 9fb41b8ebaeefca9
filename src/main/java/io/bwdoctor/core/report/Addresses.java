package io.bwdoctor.core.report;

/** Text forms of addresses as tshark and RFC 5952 write them (compressed IPv6, dotted IPv4-mapped suffix). */
public final class Addresses {
    private Addresses() {}

    public static String format(int version, long hi, long lo) {
        return version == 4 ? ipv4(lo) : ipv6(hi, lo);
    }

    public static String ipv4(long addr) {
        return ((addr >>> 24) & 0xff) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }

    public static String ipv6(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        if (hi == 0 && (lo >>> 32) == 0xffffL) { // IPv4-mapped
            return "::ffff:" + ipv4(lo & 0xffffffffL);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952: never compress a single zero group
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    public static String protocolName(int protocol) {
        return switch (protocol) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmpv6";
            case 132 -> "sctp";
            default -> null;
        };
    }
}
