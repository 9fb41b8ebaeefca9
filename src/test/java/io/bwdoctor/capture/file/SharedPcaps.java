package io.bwdoctor.capture.file;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The real captures with tshark's ground truth in shared/pcaps, found by walking up from the working directory. */
public final class SharedPcaps {
    private SharedPcaps() {}

    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/pcaps");
            if (Files.isRegularFile(candidate.resolve("MANIFEST.tsv"))) {
                return candidate;
            }
        }
        // CI always has shared/ beside the clone: missing there is a failure, elsewhere (a bare source tree) a skip
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("shared/pcaps not found above " + Path.of("").toAbsolutePath());
        }
        Assumptions.abort("shared/pcaps not found above the working directory");
        return null;
    }

    /** MANIFEST.tsv rows: relative file name -> column name -> value. */
    public static Map<String, Map<String, String>> manifest() {
        try {
            List<String> lines = Files.readAllLines(root().resolve("MANIFEST.tsv"));
            String[] header = lines.getFirst().split("\t", -1);
            Map<String, Map<String, String>> rows = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length && i < cells.length; i++) {
                    row.put(header[i], cells[i]);
                }
                rows.put(cells[0], row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** tshark's totals for a capture: "key: value" lines of <file>.totals.txt, keys cut at the first space or "(". */
    public static Map<String, String> totals(String file) {
        try {
            Map<String, String> totals = new LinkedHashMap<>();
            for (String line : Files.readAllLines(root().resolve(file + ".totals.txt"))) {
                int colon = line.indexOf(": ");
                if (line.startsWith("#") || colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).split("[ (]", 2)[0];
                totals.putIfAbsent(key, line.substring(colon + 2).trim());
            }
            return totals;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
