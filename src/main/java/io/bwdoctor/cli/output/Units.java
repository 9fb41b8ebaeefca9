package io.bwdoctor.cli.output;

import java.util.Locale;

/** Human units: rates in bits per second (SI, as link caps are sold), sizes in bytes (SI). */
public final class Units {
    private static final String[] RATE = {"b/s", "Kb/s", "Mb/s", "Gb/s", "Tb/s"};
    private static final String[] SIZE = {"B", "KB", "MB", "GB", "TB", "PB"};

    private Units() {}

    public static String bitsPerSecond(Long bps) {
        return bps == null ? "-" : scaled(bps, RATE);
    }

    public static String bytes(long bytes) {
        return scaled(bytes, SIZE);
    }

    private static String scaled(double value, String[] units) {
        int u = 0;
        while (value >= 1000 && u < units.length - 1) {
            value /= 1000;
            u++;
        }
        if (u == 0) {
            return String.format(Locale.ROOT, "%d %s", (long) value, units[0]);
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s", value, units[u]);
    }
}
