package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small, bounded, never-throwing reads of /proc files (processes vanish mid-read; that is normal). */
final class ProcFs {
    static final Path PROC = Path.of("/proc");

    private ProcFs() {}

    /** Up to {@code max} bytes of a file, or null when it cannot be read (gone, not permitted). */
    static byte[] read(Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(max);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** A symbolic link's target, or null. */
    static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Inode of a namespace (e.g. "net") from the link "net:[4026531833]"; 0 when unreadable. */
    static long namespaceInode(String pid, String namespace) {
        return bracketedNumber(readLink(PROC.resolve(pid).resolve("ns").resolve(namespace)));
    }

    /** The number in "type:[N]" link targets, or 0. */
    static long bracketedNumber(String link) {
        if (link == null) return 0;
        int open = link.indexOf(":[");
        if (open < 0 || !link.endsWith("]")) return 0;
        try {
            return Long.parseLong(link, open + 2, link.length() - 1, 10);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Boot time in seconds since the epoch ("btime" in /proc/stat), or 0 when unknown. */
    static long bootTimeSeconds() {
        byte[] stat = read(PROC.resolve("stat"), 1 << 20);
        if (stat == null) return 0;
        String text = new String(stat, java.nio.charset.StandardCharsets.US_ASCII);
        int at = text.indexOf("\nbtime ");
        if (at < 0) return 0;
        int start = at + 7, end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
        return end > start ? Long.parseLong(text, start, end, 10) : 0;
    }
}
