package io.bwdoctor.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.toml.TomlMapper;

/** Reads TOML files into plain maps, with errors that name the file and the line. */
final class Toml {
    private static final TomlMapper MAPPER = new TomlMapper();

    private Toml() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(InputStream in, String name) throws ConfigException {
        try {
            Map<String, Object> map = MAPPER.readValue(in, LinkedHashMap.class);
            return map == null ? Map.of() : map;
        } catch (JacksonException e) {
            throw new ConfigException(name + ": not valid TOML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
    }
}
