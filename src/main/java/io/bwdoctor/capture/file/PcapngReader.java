package io.bwdoctor.capture.file;

import io.bwdoctor.core.packet.FrameSink;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * pcapng files: one or more sections (each with its own byte order and interfaces), Enhanced, Simple and obsolete
 * Packet Blocks; every other block type is skipped after its lengths are checked.
 */
final class PcapngReader extends RecordReader {
    static final int SHB = 0x0A0D0D0A;     // same in both byte orders
    private static final int IDB = 1;
    private static final int PB = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int OPT_END = 0;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;

    private final InterfaceTable table;
    /** File-wide index of the current section's first interface, and how many the section has. */
    private int sectionBase;
    private int sectionInterfaces;

    private PcapngReader(Input in, CaptureInfo info) throws IOException {
        super(in, info);
        this.table = info.interfaces;
        info.format = CaptureFormat.PCAPNG;
        if (!sectionHeader(true)) {
            throw error("pcapng section header cut short (" + in.available() + " bytes)");
        }
        info.byteOrder = swap ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    static PcapngReader open(Input in, CaptureInfo info) throws IOException {
        return new PcapngReader(in, info);
    }

    @Override
    void readAll(FrameSink sink) throws IOException {
        final Input in = this.in;
        while (true) {
            if (!in.request(8)) {
                long left = in.available();
                if (left >= 4 && !isPacketBlock(i32(in.seg, in.pos))) {
                    truncatedBlock();
                } else if (left > 0) {
                    truncatedPacket(sink, 0);
                }
                return;
            }
            MemorySegment s = in.seg;
            long p = in.pos;
            int type = i32(s, p);
            if (type == SHB) {
                if (!sectionHeader(false)) {
                    return;
                }
                continue;
            }
            long length = u32(s, p + 4);
            checkLength(type, length, minimumLength(type));
            switch (type) {
                case EPB, PB, SPB -> {
                    if (!wholeBlock(type, length, sink)) {
                        return;
                    }
                    packet(type, length, sink);
                }
                case IDB -> {
                    if (!wholeBlock(type, length, sink)) {
                        return;
                    }
                    interfaceDescription(length);
                }
                default -> {
                    if (!skipBlock(length)) {
                        return;
                    }
                }
            }
        }
    }

    private static int minimumLength(int type) {
        return switch (type) {
            case EPB, PB -> 32;
            case IDB -> 20;
            case SPB -> 16;
            default -> 12;
        };
    }

    private static boolean isPacketBlock(int type) {
        return type == EPB || type == SPB || type == PB;
    }

    private void checkLength(int type, long length, int minimum) throws CaptureFileException {
        if (length < minimum || (length & 3) != 0) {
            throw error(blockName(type) + " at offset " + in.offset() + " has an invalid length of " + length
                    + " bytes (at least " + minimum + " and a multiple of 4)");
        }
    }

    /**
     * Makes the whole block at pos available and checks its trailing length; false (after reporting it) when the
     * file ends inside it.
     */
    private boolean wholeBlock(int type, long length, FrameSink sink) throws IOException {
        if (length > MAX_BLOCK) {
            throw error(blockName(type) + " at offset " + in.offset() + " is " + length + " bytes long (limit "
                    + (MAX_BLOCK >> 20) + " MiB)");
        }
        if (!in.request(length)) {
            if (isPacketBlock(type)) {
                truncatedPacket(sink, knownWireLength(type));
            } else {
                truncatedBlock();
            }
            return false;
        }
        checkTrailer(type, in.pos + length - 4, length);
        return true;
    }

    /** Original length of a cut-off packet block if its header made it into the file, else 0. */
    private long knownWireLength(int type) {
        long left = in.available();
        if (type == SPB) {
            return left >= 12 ? u32(in.seg, in.pos + 8) : 0;
        }
        return left >= 28 ? u32(in.seg, in.pos + 24) : 0;
    }

    private void checkTrailer(int type, long at, long length) throws CaptureFileException {
        long trailer = u32(in.seg, at);
        if (trailer != length) {
            throw error(blockName(type) + " at offset " + (in.offset() + at - in.pos) + ": trailing length " + trailer
                    + " differs from leading length " + length);
        }
    }

    /** Skips a block we do not read, without buffering it; false when the file ends inside it. */
    private boolean skipBlock(long length) throws IOException {
        int type = i32(in.seg, in.pos);
        long start = in.offset();
        if (!in.skip(length - 4) || !in.request(4)) {
            truncatedBlock();
            return false;
        }
        long trailer = u32(in.seg, in.pos);
        if (trailer != length) {
            throw error(blockName(type) + " at offset " + start + ": trailing length " + trailer
                    + " differs from leading length " + length);
        }
        in.pos += 4;
        return true;
    }

    /**
     * Reads a Section Header Block at pos: sets the byte order, starts a new interface numbering. Returns false
     * when the file ends inside it (an error for the first one, reported by the caller).
     */
    private boolean sectionHeader(boolean first) throws IOException {
        if (!in.request(12)) {
            return truncatedSection(first);
        }
        MemorySegment s = in.seg;
        long p = in.pos;
        int order = le32(s, p + 8);
        if (order == BYTE_ORDER_MAGIC) {
            swap = false;
        } else if (order == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            swap = true;
        } else {
            throw error("pcapng section header at offset " + in.offset() + " has an invalid byte-order magic ("
                    + hex(s, p + 8, 4) + ")");
        }
        long length = u32(s, p + 4);
        checkLength(SHB, length, 28);
        if (length > MAX_BLOCK) {
            throw error("section header block at offset " + in.offset() + " is " + length + " bytes long");
        }
        if (!in.request(length)) {
            return truncatedSection(first);
        }
        s = in.seg;
        p = in.pos;
        int major = u16(s, p + 12);
        int minor = u16(s, p + 14);
        int number = info.sections + 1;
        if (major != 1) {
            throw error("pcapng version " + major + "." + minor + " (section " + number + " at offset "
                    + in.offset() + ") is not supported (only 1.x)");
        }
        checkTrailer(SHB, p + length - 4, length);
        info.sections = number;
        sectionBase = table.size();
        sectionInterfaces = 0;
        in.pos = p + length;
        return true;
    }

    private boolean truncatedSection(boolean first) {
        if (!first) {
            truncatedBlock();
        }
        return false;
    }

    private void interfaceDescription(long length) throws CaptureFileException {
        MemorySegment s = in.seg;
        long p = in.pos;
        int linkType = u16(s, p + 8);
        long snapLength = u32(s, p + 12);
        int tsResolution = 6;
        long tsOffset = 0;
        // options are only read for the timestamp; a malformed option list ends the reading of options, not the file
        long o = p + 16;
        long end = p + length - 4;
        while (end - o >= 4) {
            int code = u16(s, o);
            int optionLength = u16(s, o + 2);
            long padded = (optionLength + 3) & ~3L;
            if (code == OPT_END || padded > end - o - 4) {
                break;
            }
            if (code == IF_TSRESOL && optionLength >= 1) {
                tsResolution = s.get(ValueLayout.JAVA_BYTE, o + 4) & 0xff;
            } else if (code == IF_TSOFFSET && optionLength >= 8) {
                tsOffset = i64(s, o + 4);
            }
            o += 4 + padded;
        }
        int id = table.add(info.sections, linkType, snapLength, tsResolution, tsOffset);
        if (id < 0) {
            throw error("more than " + InterfaceTable.MAX_INTERFACES + " interface description blocks");
        }
        sectionInterfaces++;
        in.pos = p + length;
    }

    private void packet(int type, long length, FrameSink sink) throws CaptureFileException {
        MemorySegment s = in.seg;
        long p = in.pos;
        int iface;
        long captured;
        long wire;
        long nanos;
        long data;
        if (type == SPB) {
            if (sectionInterfaces == 0) {
                throw error("simple packet block at offset " + in.offset() + " before any interface description");
            }
            iface = sectionBase;
            wire = u32(s, p + 8);
            long snap = table.snapLength[iface];
            captured = Math.min(wire, length - 16);
            if (snap != 0) {
                captured = Math.min(captured, snap);
            }
            nanos = Long.MIN_VALUE;
            data = p + 12;
        } else {
            long id = type == EPB ? u32(s, p + 8) : u16(s, p + 8);
            if (id >= sectionInterfaces) {
                throw error(blockName(type) + " at offset " + in.offset() + " refers to interface " + id
                        + " but the section has " + sectionInterfaces);
            }
            iface = sectionBase + (int) id;
            captured = u32(s, p + 20);
            wire = u32(s, p + 24);
            if (captured > length - 32) {
                throw error(blockName(type) + " at offset " + in.offset() + " has " + captured
                        + " bytes of packet data in a block of " + length + " bytes");
            }
            long units = (u32(s, p + 12) << 32) | u32(s, p + 16);
            nanos = table.toNanos(iface, units);
            data = p + 28;
        }
        int cap = (int) captured;
        int len = clampLength(wire);
        info.count(iface, cap, len);
        sink.onFrame(frame.set(table.linkType[iface], nanos, s, data, cap, len, iface));
        in.pos = p + length;
    }

    private static String blockName(int type) {
        return switch (type) {
            case SHB -> "section header block";
            case IDB -> "interface description block";
            case EPB -> "enhanced packet block";
            case SPB -> "simple packet block";
            case PB -> "packet block";
            default -> String.format("block of type 0x%08x", type);
        };
    }
}
