package io.bwdoctor.intel;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Line reading with bounds on the line length and the total size, for files the user hands us (untrusted). */
final class TextLines {
    private TextLines() {}

    /** Reads a whole (small) text file into lines. */
    static List<String> read(Path file, long maxBytes, int maxLine) throws IOException {
        if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file + " does not exist or is not a file");
        long size = Files.size(file);
        if (size > maxBytes) throw new IOException(file + " is larger than " + (maxBytes >> 20) + " MiB");
        List<String> lines = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            forEach(in, maxLine, lines::add);
        }
        return lines;
    }

    /** Streams lines (LF or CRLF) as UTF-8; a longer line or malformed UTF-8 is an IOException. */
    static void forEach(InputStream in, int maxLine, Consumer<String> action) throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        char[] buffer = new char[1 << 16];
        StringBuilder line = new StringBuilder();
        long number = 1;
        try {
            for (int n; (n = reader.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                        action.accept(line.substring(0, end));
                        line.setLength(0);
                        number++;
                    } else if (c == 0) {
                        throw new IOException("line " + number + " holds a NUL byte: not a text file");
                    } else if (line.length() >= maxLine) {
                        throw new IOException("line " + number + " is longer than " + maxLine + " characters");
                    } else {
                        line.append(c);
                    }
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("line " + number + " is not valid UTF-8", e);
        }
        if (!line.isEmpty()) action.accept(line.toString());
    }
}
