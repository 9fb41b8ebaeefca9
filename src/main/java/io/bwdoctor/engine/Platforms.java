package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.ProcessCatalog;
import io.bwdoctor.core.attribution.SocketTable;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.platform.linux.DefaultRoute;
import io.bwdoctor.platform.linux.NetlinkException;
import io.bwdoctor.platform.linux.ProcScanner;
import io.bwdoctor.platform.linux.SockDiag;
import io.bwdoctor.platform.windows.WindowsInterfaces;
import io.bwdoctor.platform.windows.WindowsProcessCatalog;
import io.bwdoctor.platform.windows.WindowsSocketTable;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** Which operating system's adapters to use, chosen once from os.name: Linux (netlink, /proc) or Windows (IP Helper). */
public final class Platforms {
    private Platforms() {}

    public enum Os { LINUX, WINDOWS, OTHER }

    private static final Os CURRENT = detect(System.getProperty("os.name", ""));

    public static Os detect(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) return Os.WINDOWS;
        if (os.startsWith("linux")) return Os.LINUX;
        return Os.OTHER;
    }

    public static Os current() {
        return CURRENT;
    }

    /** The platform the verdict rules should apply for processes of this host. */
    public static Platform verdictPlatform(Os os) {
        return os == Os.WINDOWS ? Platform.WINDOWS : Platform.LINUX;
    }

    /**
     * The socket table of this host.
     *
     * @param byteCounters on Windows, read (and enable) TCP extended statistics per connection; Linux always has them
     * @throws IOException with a one-line reason when the table cannot be opened here
     */
    public static SocketTable openSocketTable(Os os, boolean byteCounters) throws IOException {
        return switch (os) {
            case LINUX -> {
                try {
                    yield SockDiag.open();
                } catch (NetlinkException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
            case WINDOWS -> WindowsSocketTable.open(byteCounters);
            case OTHER -> throw new IOException("no socket table adapter for " + System.getProperty("os.name"));
        };
    }

    /** The process catalog of this host. */
    public static ProcessCatalog openProcessCatalog(Os os) throws IOException {
        return switch (os) {
            case LINUX -> new ProcScanner();
            case WINDOWS -> new WindowsProcessCatalog();
            case OTHER -> throw new IOException("no process adapter for " + System.getProperty("os.name"));
        };
    }

    /**
     * The uplink's per-second counters for the guard. On Linux the public/private split is installed here (nftables;
     * when that fails the reason is in {@link LinkCounters#scopeGap()}); Windows has no split.
     */
    public static LinkCounters openLinkCounters(Os os, String iface) throws IOException {
        return switch (os) {
            case LINUX -> new LinuxLinkCounters(iface);
            case WINDOWS -> new WindowsLinkCounters(iface);
            case OTHER -> throw new IOException("no interface counters adapter for " + System.getProperty("os.name"));
        };
    }

    /** The interface of the IPv4 default route (Linux: its name; Windows: the adapter's alias), if there is one. */
    public static Optional<String> defaultUplink(Os os) throws IOException {
        return switch (os) {
            case LINUX -> DefaultRoute.iface();
            case WINDOWS -> WindowsInterfaces.defaultUplink();
            case OTHER -> Optional.empty();
        };
    }
}
