package io.bwdoctor.capture.file;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The bytes of a capture, seen through {@link #seg}: either the whole file (memory-mapped or an array) read in place,
 * or a sliding window over a stream kept in a reusable heap buffer that grows only up to a cap.
 * Readers call {@link #request} before touching bytes in [pos, pos + n).
 */
final class Input implements AutoCloseable {
    static final int INITIAL_BUFFER = 256 * 1024;

    /** Current bytes; [pos, limit) are unread. Replaced when a stream buffer grows. */
    MemorySegment seg;
    long pos;
    long limit;

    private final InputStream stream;     // null when all bytes are in seg
    private final boolean closeStream;
    private final Arena arena;            // owns a mapping, else null
    private final int maxBuffer;
    private byte[] buffer;
    private long dropped;                 // stream bytes before buffer[0]
    private boolean endOfStream;
    private boolean cutShort;             // the stream ended inside compressed data

    private Input(MemorySegment seg, Arena arena, InputStream stream, boolean closeStream, int maxBuffer) {
        this.seg = seg;
        this.limit = seg.byteSize();
        this.arena = arena;
        this.stream = stream;
        this.closeStream = closeStream;
        this.maxBuffer = maxBuffer;
    }

    /** All bytes present at once (a mapping owned by arena, or a heap array with arena null). */
    static Input whole(MemorySegment seg, Arena arena) {
        return new Input(seg, arena, null, false, Integer.MAX_VALUE);
    }

    /** A stream read through a buffer that grows up to maxBuffer bytes. */
    static Input stream(InputStream in, boolean closeStream, int maxBuffer) {
        Input input = new Input(MemorySegment.NULL, null, in, closeStream, maxBuffer);
        input.buffer = new byte[Math.min(INITIAL_BUFFER, maxBuffer)];
        input.seg = MemorySegment.ofArray(input.buffer);
        input.limit = 0;
        return input;
    }

    boolean mapped() {
        return arena != null;
    }

    /** Unread bytes available without reading more. */
    long available() {
        return limit - pos;
    }

    /** Absolute offset of pos from the start of the (decompressed) data, for messages. */
    long offset() {
        return dropped + pos;
    }

    /** True when the data ended in the middle of a gzip stream. */
    boolean cutShort() {
        return cutShort;
    }

    /**
     * Makes n bytes available from pos (reading more from a stream if needed); false when the data ends first.
     * n must not exceed the buffer cap: callers bound record sizes before asking.
     */
    boolean request(long n) throws IOException {
        return limit - pos >= n || fill(n);
    }

    private boolean fill(long n) throws IOException {
        if (stream == null || endOfStream) {
            return false;
        }
        if (n > maxBuffer) {
            throw new IllegalStateException("request of " + n + " bytes exceeds the buffer cap " + maxBuffer);
        }
        int unread = (int) (limit - pos);
        if (n > buffer.length) {
            byte[] bigger = new byte[(int) Math.min(maxBuffer, Math.max(n, 2L * buffer.length))];
            System.arraycopy(buffer, (int) pos, bigger, 0, unread);
            buffer = bigger;
            seg = MemorySegment.ofArray(bigger);
        } else if (pos > 0) {
            System.arraycopy(buffer, (int) pos, buffer, 0, unread);
        }
        dropped += pos;
        pos = 0;
        limit = unread;
        while (limit < n && read()) {
            // keep reading: a pipe or decompressor hands out short chunks
        }
        return limit >= n;
    }

    /** Reads once into the free part of the buffer; false at the end of the stream. */
    private boolean read() throws IOException {
        int r;
        try {
            r = stream.read(buffer, (int) limit, buffer.length - (int) limit);
        } catch (EOFException e) {
            // GZIPInputStream: the compressed data stops mid-way, as when the writer was killed; keep what came
            cutShort = true;
            r = -1;
        }
        if (r < 0) {
            endOfStream = true;
            return false;
        }
        limit += r;
        return true;
    }

    /** Moves pos forward by n bytes, reading and dropping stream data as needed; false when the data ends first. */
    boolean skip(long n) throws IOException {
        if (limit - pos >= n) {
            pos += n;
            return true;
        }
        if (stream == null) {
            pos = limit;
            return false;
        }
        long left = n - (limit - pos);
        dropped += limit;
        pos = 0;
        limit = 0;
        while (left > 0) {
            if (endOfStream || !read()) {
                return false;
            }
            if (limit >= left) {
                pos = left;
                return true;
            }
            left -= limit;
            dropped += limit;
            limit = 0;
        }
        return true;
    }

    /** Gives up the rest of the data (after a truncated record). */
    void skipToEnd() {
        pos = limit;
    }

    @Override
    public void close() throws IOException {
        try {
            if (stream != null && closeStream) {
                stream.close();
            }
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }
}
