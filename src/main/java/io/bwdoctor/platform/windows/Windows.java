package io.bwdoctor.platform.windows;

import java.util.Locale;

/** Whether this JVM runs on Windows (the os.name Java reports there starts with "Windows"). */
public final class Windows {
    private Windows() {}

    public static final boolean IS_WINDOWS = isWindows(System.getProperty("os.name", ""));

    public static boolean isWindows(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
