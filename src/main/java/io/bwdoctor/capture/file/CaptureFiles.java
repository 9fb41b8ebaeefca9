package io.bwdoctor.capture.file;

import io.bwdoctor.core.packet.FrameSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * Opens pcap and pcapng capture files, recognised by their magic number (never by name), gzip-compressed or not.
 * Regular uncompressed files are memory-mapped and read in place; standard input, other streams and gzip data are
 * read through a buffer that grows only up to one maximal record.
 */
public final class CaptureFiles {
    /** The name standard input gets in messages. */
    public static final String STDIN_NAME = "stdin";

    private CaptureFiles() {}

    /** Reads a whole file ("-" for standard input) into the sink; see {@link CaptureReader#readAll}. */
    public static CaptureInfo read(String pathOrDash, FrameSink sink) throws CaptureFileException {
        try (CaptureReader reader = open(pathOrDash)) {
            return reader.readAll(sink);
        }
    }

    /** Reads capture bytes held in memory (tests, fuzzing); name is only for messages. */
    public static CaptureInfo read(String name, byte[] data, FrameSink sink) throws CaptureFileException {
        try (CaptureReader reader = open(name, data)) {
            return reader.readAll(sink);
        }
    }

    /** Reads a capture stream to its end; the stream is closed afterwards. */
    public static CaptureInfo read(String name, InputStream in, FrameSink sink) throws CaptureFileException {
        try (CaptureReader reader = open(name, in)) {
            return reader.readAll(sink);
        }
    }

    /** Opens a file by path, or standard input for "-". */
    public static CaptureReader open(String pathOrDash) throws CaptureFileException {
        if (pathOrDash.equals("-")) {
            return openStream(STDIN_NAME, System.in, false);
        }
        Path path;
        try {
            path = Path.of(pathOrDash);
        } catch (InvalidPathException e) {
            throw new CaptureFileException(pathOrDash, "invalid path (" + e.getReason() + ")");
        }
        if (Files.isDirectory(path)) {
            throw new CaptureFileException(pathOrDash, "is a directory");
        }
        try {
            if (!Files.isRegularFile(path)) {
                // a pipe, a device or process substitution: no size, no mapping
                return openStream(pathOrDash, Files.newInputStream(path), true);
            }
            return openRegularFile(pathOrDash, path);
        } catch (NoSuchFileException e) {
            throw new CaptureFileException(pathOrDash, "no such file");
        } catch (AccessDeniedException e) {
            throw new CaptureFileException(pathOrDash, "permission denied");
        } catch (CaptureFileException e) {
            throw e;
        } catch (IOException e) {
            throw new CaptureFileException(pathOrDash, "cannot open (" + e.getMessage() + ")", e);
        }
    }

    private static CaptureReader openRegularFile(String name, Path path) throws IOException {
        Arena arena = Arena.ofShared();  // shared: the reader may be opened on one thread and read on another
        MemorySegment mapping;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                arena.close();
                throw new CaptureFileException(name, "empty file");
            }
            mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException | RuntimeException e) {
            if (arena.scope().isAlive()) {
                arena.close();
            }
            throw e;
        }
        if (isGzip(mapping)) {
            arena.close();
            return openStream(name, Files.newInputStream(path), true);
        }
        CaptureInfo info = new CaptureInfo(name);
        info.memoryMapped = true;
        return CaptureReader.open(Input.whole(mapping, arena), info);
    }

    /** Opens capture bytes held in memory, read in place (gzip data is decompressed through a stream). */
    public static CaptureReader open(String name, byte[] data) throws CaptureFileException {
        MemorySegment segment = MemorySegment.ofArray(data);
        if (isGzip(segment)) {
            return openStream(name, new java.io.ByteArrayInputStream(data), true);
        }
        return CaptureReader.open(Input.whole(segment, null), new CaptureInfo(name));
    }

    /** Opens a stream; it is closed with the reader. */
    public static CaptureReader open(String name, InputStream in) throws CaptureFileException {
        return openStream(name, in, true);
    }

    private static CaptureReader openStream(String name, InputStream raw, boolean close) throws CaptureFileException {
        CaptureInfo info = new CaptureInfo(name);
        InputStream in = raw;
        try {
            PushbackInputStream peek = new PushbackInputStream(raw, 2);
            byte[] start = peek.readNBytes(2);
            peek.unread(start);
            in = peek;
            if (start.length == 2 && start[0] == (byte) 0x1f && start[1] == (byte) 0x8b) {
                info.gzipped = true;
                in = new GZIPInputStream(peek, 64 * 1024);
            }
        } catch (IOException e) {
            closeQuietly(in, close);
            throw new CaptureFileException(name, info.gzipped ? "not valid gzip data (" + e.getMessage() + ")"
                    : "read error (" + e.getMessage() + ")", e);
        }
        return CaptureReader.open(Input.stream(in, close, RecordReader.MAX_BLOCK), info);
    }

    private static boolean isGzip(MemorySegment s) {
        return s.byteSize() >= 2 && s.get(ValueLayout.JAVA_BYTE, 0) == (byte) 0x1f
                && s.get(ValueLayout.JAVA_BYTE, 1) == (byte) 0x8b;
    }

    private static void closeQuietly(InputStream in, boolean close) {
        if (close) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already failing with a better message
            }
        }
    }
}
