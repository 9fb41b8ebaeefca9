package io.bwdoctor.platform.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/** User names by uid from /etc/passwd, re-read when the file changes. Thread-safe. */
final class Passwd {
    private static final int MAX_BYTES = 8 << 20;
    private final Path file;
    private Map<Integer, String> names = Map.of();
    private FileTime loadedVersion;

    Passwd(Path file) {
        this.file = file;
    }

    /** The user name, or null when this uid has no entry. */
    synchronized String name(int uid) {
        if (uid < 0) return null;
        String name = names.get(uid);
        if (name == null && changed()) {
            load();
            name = names.get(uid);
        }
        return name;
    }

    private boolean changed() {
        try {
            return !Files.getLastModifiedTime(file).equals(loadedVersion);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void load() {
        try {
            loadedVersion = Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            return;
        }
        byte[] bytes = ProcFs.read(file, MAX_BYTES);
        if (bytes == null) return;
        Map<Integer, String> parsed = new HashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split(":", 4); // name:password:uid:...
            if (f.length < 4 || f[0].isEmpty()) continue;
            try {
                parsed.putIfAbsent(Integer.parseInt(f[2]), f[0]);
            } catch (NumberFormatException ignored) {
                // a malformed line; skip it
            }
        }
        names = parsed;
    }
}
