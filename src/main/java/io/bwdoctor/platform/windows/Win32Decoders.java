package io.bwdoctor.platform.windows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.bwdoctor.platform.windows.IpHelperLayouts.offset;

/**
 * Pure readers of what the Win32 process, service and version APIs return. Buffers that hold pointers into
 * themselves (NtQueryInformationProcess's UNICODE_STRING, EnumServicesStatusExW's entries) are read with the
 * buffer's own address, and every pointer is checked to stay inside the buffer: a bad one is an
 * IllegalArgumentException, never a read elsewhere. Strings are UTF-16LE, bounded.
 */
public final class Win32Decoders {
    private Win32Decoders() {}

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** 100-ns intervals between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
    static final long FILETIME_UNIX_EPOCH = 116_444_736_000_000_000L;

    /** What PROCESSENTRY32W says about one process. */
    public record ProcessEntry(int pid, int ppid, String exeFile) {}

    public static ProcessEntry processEntry(MemorySegment e) {
        var l = Win32Layouts.PROCESSENTRY32W;
        if (e.byteSize() < l.byteSize()) {
            throw new IllegalArgumentException("PROCESSENTRY32W needs " + l.byteSize() + " bytes, got " + e.byteSize());
        }
        return new ProcessEntry(e.get(LE32, offset(l, "th32ProcessID")), e.get(LE32, offset(l, "th32ParentProcessID")),
                wide(e, offset(l, "szExeFile"), Win32Layouts.MAX_PATH));
    }

    /** A NUL-terminated UTF-16LE string of at most maxChars characters starting at offset. */
    public static String wide(MemorySegment s, long offset, long maxChars) {
        long limit = Math.min(s.byteSize(), offset + 2 * maxChars);
        long end = offset;
        while (end + 1 < limit && s.get(LE16, end) != 0) end += 2;
        return new String(s.asSlice(offset, end - offset).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_16LE);
    }

    /**
     * The command line NtQueryInformationProcess(ProcessCommandLineInformation = 60) wrote: a UNICODE_STRING whose
     * Buffer points into the same output buffer (Length in bytes, no terminator required).
     *
     * @param bufferAddress the address the buffer had when the call filled it
     */
    public static String commandLine(MemorySegment buffer, long bufferAddress) {
        var l = Win32Layouts.UNICODE_STRING;
        if (buffer.byteSize() < l.byteSize()) {
            throw new IllegalArgumentException("UNICODE_STRING needs " + l.byteSize() + " bytes, got " + buffer.byteSize());
        }
        int length = Short.toUnsignedInt(buffer.get(LE16, offset(l, "Length")));
        long pointer = buffer.get(LE64, offset(l, "Buffer"));
        if (length == 0 || pointer == 0) return "";
        long at = inside(buffer, bufferAddress, pointer, length, "command line");
        if ((length & 1) != 0) throw new IllegalArgumentException("odd UTF-16 length " + length + " of a command line");
        return new String(buffer.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_16LE);
    }

    /**
     * Service names by hosting PID, from EnumServicesStatusExW(SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE):
     * an array of ENUM_SERVICE_STATUS_PROCESSW whose name pointers point into the same buffer. Services that report
     * no process (PID 0) are left out. Names keep the order Windows returned them in.
     */
    public static Map<Integer, List<String>> servicesByPid(MemorySegment buffer, long bufferAddress, int count) {
        var l = Win32Layouts.ENUM_SERVICE_STATUS_PROCESSW;
        if (count < 0 || count > buffer.byteSize() / l.byteSize()) {
            throw new IllegalArgumentException(count + " services do not fit in a " + buffer.byteSize() + "-byte buffer");
        }
        long pidOffset = offset(l, "ServiceStatusProcess") + offset(Win32Layouts.SERVICE_STATUS_PROCESS, "dwProcessId");
        Map<Integer, List<String>> byPid = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            long entry = i * l.byteSize();
            int pid = buffer.get(LE32, entry + pidOffset);
            long name = buffer.get(LE64, entry + offset(l, "lpServiceName"));
            if (pid == 0 || name == 0) continue;
            long at = inside(buffer, bufferAddress, name, 2, "service name");
            byPid.computeIfAbsent(pid, p -> new ArrayList<>()).add(wide(buffer, at, 256));
        }
        return byPid;
    }

    private static long inside(MemorySegment buffer, long bufferAddress, long pointer, long length, String what) {
        long at = pointer - bufferAddress;
        if (at < 0 || at > buffer.byteSize() - length) {
            throw new IllegalArgumentException(what + " points outside its " + buffer.byteSize() + "-byte buffer");
        }
        return at;
    }

    /** A FILETIME (100-ns ticks since 1601-01-01 UTC) as an Instant; null for 0 (not set). */
    public static Instant fileTime(long ticks) {
        if (ticks == 0) return null;
        long sinceUnix = ticks - FILETIME_UNIX_EPOCH;
        return Instant.ofEpochSecond(Math.floorDiv(sinceUnix, 10_000_000L), Math.floorMod(sinceUnix, 10_000_000L) * 100);
    }

    /** The member tag of a file in a catalog: its hash in upper-case hex (as in Microsoft's catalog samples). */
    public static String memberTag(byte[] hash) {
        StringBuilder sb = new StringBuilder(hash.length * 2);
        for (byte b : hash) sb.append(String.format("%02X", b & 0xff));
        return sb.toString();
    }

    /** A GUID in its in-memory form: Data1 (LE32), Data2, Data3 (LE16), Data4 (8 bytes as written). */
    public static byte[] guid(String text) {
        String h = text.replace("{", "").replace("}", "").replace("-", "");
        if (h.length() != 32) throw new IllegalArgumentException("not a GUID: " + text);
        byte[] b = new byte[16];
        MemorySegment s = MemorySegment.ofArray(b);
        s.set(LE32, 0, (int) Long.parseLong(h.substring(0, 8), 16));
        s.set(LE16, 4, (short) Integer.parseInt(h.substring(8, 12), 16));
        s.set(LE16, 6, (short) Integer.parseInt(h.substring(12, 16), 16));
        for (int i = 0; i < 8; i++) b[8 + i] = (byte) Integer.parseInt(h.substring(16 + 2 * i, 18 + 2 * i), 16);
        return b;
    }

    /**
     * The VerQueryValueW sub-blocks to try for a string (CompanyName, FileDescription…): the translations the file
     * lists in \VarFileInfo\Translation (pairs of WORD language, WORD code page), then the usual US-English ones.
     */
    public static List<String> versionQueries(MemorySegment translations, String name) {
        List<String> queries = new ArrayList<>();
        for (long at = 0; at + 4 <= translations.byteSize() && queries.size() < 8; at += 4) {
            queries.add(String.format("\\StringFileInfo\\%04x%04x\\%s", translations.get(LE16, at) & 0xffff,
                    translations.get(LE16, at + 2) & 0xffff, name));
        }
        for (String fallback : List.of("040904b0", "040904e4", "04090000")) {
            String q = "\\StringFileInfo\\" + fallback + "\\" + name;
            if (!queries.contains(q)) queries.add(q);
        }
        return queries;
    }
}
