package io.bwdoctor.capture.file;

import io.bwdoctor.core.packet.FrameSink;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.zip.ZipException;

/**
 * An open capture file whose format was recognised by its magic number and whose header was read. Not thread-safe:
 * read it from one thread at a time. Frames handed to the sink are views into the file's bytes, valid only during
 * the callback (and never after {@link #close()}).
 */
public final class CaptureReader implements AutoCloseable {
    private final Input in;
    private final CaptureInfo info;
    private final RecordReader records;

    private CaptureReader(Input in, CaptureInfo info, RecordReader records) {
        this.in = in;
        this.info = info;
        this.records = records;
    }

    /** Detects the format and reads the file header; closes the input when that fails. */
    static CaptureReader open(Input in, CaptureInfo info) throws CaptureFileException {
        try {
            return new CaptureReader(in, info, detect(in, info));
        } catch (IOException | RuntimeException e) {
            closeQuietly(in, e);
            throw asCaptureFileException(info, e);
        }
    }

    private static RecordReader detect(Input in, CaptureInfo info) throws IOException {
        if (!in.request(4)) {
            if (in.available() == 0) {
                throw new CaptureFileException(info.name(), info.gzipped ? "empty file (after gzip decompression)"
                        : "empty file");
            }
            throw new CaptureFileException(info.name(), "not a pcap or pcapng file (only " + in.available()
                    + " bytes: " + RecordReader.hex(in.seg, in.pos, in.available()) + ")");
        }
        MemorySegment s = in.seg;
        int bigEndian = Integer.reverseBytes(RecordReader.le32(s, in.pos));
        return switch (bigEndian) {
            case PcapReader.MAGIC_MICRO, PcapReader.MAGIC_NANO, PcapReader.MAGIC_MODIFIED ->
                    PcapReader.open(in, info, bigEndian, true);
            case PcapngReader.SHB -> PcapngReader.open(in, info);
            default -> {
                int littleEndian = Integer.reverseBytes(bigEndian);
                if (littleEndian == PcapReader.MAGIC_MICRO || littleEndian == PcapReader.MAGIC_NANO
                        || littleEndian == PcapReader.MAGIC_MODIFIED) {
                    yield PcapReader.open(in, info, littleEndian, false);
                }
                String start = RecordReader.hex(s, in.pos, 4);
                throw new CaptureFileException(info.name(), start.startsWith("1f 8b")
                        ? "gzip data inside gzip data is not supported"
                        : "not a pcap or pcapng file (starts with " + start + ")");
            }
        };
    }

    /** Facts gathered so far; also valid after readAll threw. */
    public CaptureInfo info() {
        return info;
    }

    /**
     * Delivers every frame to the sink. A record cut off at the end of the file goes to
     * {@link FrameSink#onUnreadableRecord} and ends the reading normally.
     *
     * @throws CaptureFileException when the file is malformed; the frames before the bad spot were delivered
     */
    public CaptureInfo readAll(FrameSink sink) throws CaptureFileException {
        try {
            records.readAll(sink);
            if (in.cutShort()) {
                info.truncated = true;
            }
            return info;
        } catch (IOException e) {
            throw asCaptureFileException(info, e);
        }
    }

    @Override
    public void close() throws CaptureFileException {
        try {
            in.close();
        } catch (IOException e) {
            throw asCaptureFileException(info, e);
        }
    }

    static CaptureFileException asCaptureFileException(CaptureInfo info, Exception e) {
        if (e instanceof CaptureFileException c) {
            return c;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        String reason = e instanceof ZipException ? "corrupt gzip data (" + e.getMessage() + ")"
                : "read error (" + e.getMessage() + ")";
        return new CaptureFileException(info.name(), reason, e);
    }

    private static void closeQuietly(Input in, Exception failure) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
