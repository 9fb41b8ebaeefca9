package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Signature;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Signature facts per file, kept while the file is unchanged: the key is the path (case-insensitive, as NTFS
 * names are), the size and the last-write time, so a replaced binary is checked again. Bounded (least recently
 * used entries go); thread-safe. Verifying a catalog-signed file costs milliseconds, so a busy host must not
 * redo it per sample.
 */
public final class SignatureCache {
    /** The identity of a file's content as far as the file system tells without reading it. */
    public record FileKey(String path, long size, long lastModifiedMillis) {
        public FileKey {
            path = path.toLowerCase(Locale.ROOT);
        }
    }

    private final Map<FileKey, Signature> entries;

    public SignatureCache(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FileKey, Signature> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Signature get(FileKey key, Function<FileKey, Signature> verify) {
        Signature known = entries.get(key);
        if (known != null) return known;
        Signature fresh = verify.apply(key);
        entries.put(key, fresh);
        return fresh;
    }

    public synchronized int size() {
        return entries.size();
    }
}
