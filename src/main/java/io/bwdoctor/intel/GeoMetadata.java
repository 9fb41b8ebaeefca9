package io.bwdoctor.intel;

import io.bwdoctor.core.intel.GeoKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The small JSON file installed beside each data file: source, dates and counts (informational only). */
final class GeoMetadata {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int MAX_SIZE = 64 * 1024;

    private GeoMetadata() {}

    static String fileName(GeoKind kind) {
        return kind.key() + ".json";
    }

    static byte[] encode(Map<String, Object> metadata) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata);
    }

    /** The metadata of installed data (empty for bundled data, or when the file is missing or unreadable). */
    static Map<String, Object> read(Path dataDir, GeoKind kind, String origin) {
        if (dataDir == null || "bundled".equals(origin)) return Map.of();
        Path file = dataDir.resolve(fileName(kind));
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_SIZE) return Map.of();
            @SuppressWarnings("unchecked")
            Map<String, Object> m = MAPPER.readValue(Files.readAllBytes(file), LinkedHashMap.class);
            return m == null ? Map.of() : m;
        } catch (IOException | JacksonException e) {
            return Map.of();
        }
    }
}
