package io.bwdoctor.capture.live;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * FFM binding to the part of libpcap (Linux, macOS) or Npcap's wpcap.dll (Windows) that live capture needs.
 * The library is looked up once, when this class initialises; {@link #ensureLoaded()} turns a missing library into a
 * {@link CaptureUnavailableException} that says what to install. The handles are static finals so that the JIT treats
 * them as constants on the per-packet path ({@code pcap_next_ex}).
 */
@SuppressWarnings("restricted") // this class is the native boundary: every restricted call is deliberate
public final class LibPcap {
    public static final int PCAP_ERROR = -1;
    public static final int PCAP_ERROR_BREAK = -2;
    public static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    public static final int PCAP_ERROR_PERM_DENIED = -8;
    public static final int PCAP_ERROR_IFACE_NOT_UP = -9;
    public static final int PCAP_ERROR_PROMISC_PERM_DENIED = -11;
    static final int ERRBUF_SIZE = 256;
    static final int NETMASK_UNKNOWN = 0xffffffff;
    private static final int PCAP_CHAR_ENC_UTF_8 = 1;

    static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    static final boolean WINDOWS = OS.startsWith("windows");
    static final boolean MAC = OS.startsWith("mac") || OS.startsWith("darwin");

    private static final Linker LINKER = Linker.nativeLinker();
    /** C {@code long}: 8 bytes on LP64 (Linux, macOS), 4 on Windows; sizes {@code struct timeval}. */
    private static final ValueLayout C_LONG = (ValueLayout) LINKER.canonicalLayouts().get("long");
    private static final boolean POINTER_64 = ADDRESS.byteSize() == 8;

    /** struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; } */
    static final long HDR_TS_SEC = 0;
    static final long HDR_TS_USEC = C_LONG.byteSize();
    static final long HDR_CAPLEN = 2 * C_LONG.byteSize(); // macOS: long + int + padding = 16 as well
    static final long HDR_LEN = HDR_CAPLEN + 4;
    /** struct pcap_stat { u_int ps_recv, ps_drop, ps_ifdrop; } plus room for Npcap's extra field. */
    static final long PCAP_STAT_SIZE = 16;
    /** struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }, padded. */
    static final MemoryLayout BPF_PROGRAM = MemoryLayout.structLayout(JAVA_INT,
            MemoryLayout.paddingLayout(ADDRESS.byteSize() - 4), ADDRESS);

    /** The whole address space, to read native structs at raw addresses without allocating a segment per read. */
    static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final SymbolLookup LIBRARY;
    private static final String LOAD_FAILURE;

    static {
        SymbolLookup lookup = null;
        String failure = null;
        try {
            lookup = find(candidates());
        } catch (CaptureUnavailableException e) {
            failure = e.getMessage();
        }
        LIBRARY = lookup;
        LOAD_FAILURE = failure;
    }

    private static final MethodHandle LIB_VERSION = handle("pcap_lib_version", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle INIT = handle("pcap_init", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle FINDALLDEVS = handle("pcap_findalldevs",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FREEALLDEVS = handle("pcap_freealldevs", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle CREATE = handle("pcap_create", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle OPEN_OFFLINE = handle("pcap_open_offline",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle SET_SNAPLEN = handle("pcap_set_snaplen", intOfHandleInt());
    private static final MethodHandle SET_PROMISC = handle("pcap_set_promisc", intOfHandleInt());
    private static final MethodHandle SET_TIMEOUT = handle("pcap_set_timeout", intOfHandleInt());
    private static final MethodHandle SET_BUFFER_SIZE = handle("pcap_set_buffer_size", intOfHandleInt());
    private static final MethodHandle SET_IMMEDIATE_MODE = handle("pcap_set_immediate_mode", intOfHandleInt());
    private static final MethodHandle ACTIVATE = handle("pcap_activate", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle STATUSTOSTR = handle("pcap_statustostr", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle GETERR = handle("pcap_geterr", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle DATALINK = handle("pcap_datalink", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle COMPILE = handle("pcap_compile",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETFILTER = handle("pcap_setfilter",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FREECODE = handle("pcap_freecode", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle NEXT_EX = handle("pcap_next_ex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle BREAKLOOP = handle("pcap_breakloop", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle STATS = handle("pcap_stats", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLOSE = handle("pcap_close", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle INJECT = handle("pcap_inject",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, LINKER.canonicalLayouts().get("size_t")));

    static {
        if (INIT != null) { // libpcap >= 1.10 / Npcap: strings (device names, file names, errors) in UTF-8
            try (Arena arena = Arena.ofConfined()) {
                int ignored = (int) INIT.invokeExact(PCAP_CHAR_ENC_UTF_8, arena.allocate(ERRBUF_SIZE));
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
        }
    }

    private LibPcap() {}

    /** Throws, with a message saying what to install, when libpcap/Npcap could not be loaded. */
    public static void ensureLoaded() throws CaptureUnavailableException {
        if (LIBRARY == null) {
            throw new CaptureUnavailableException(LOAD_FAILURE);
        }
    }

    /** The library's own version string, for example "libpcap version 1.10.3 (with TPACKET_V3)". */
    public static String version() throws CaptureUnavailableException {
        ensureLoaded();
        try {
            return cString((MemorySegment) LIB_VERSION.invokeExact());
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    // ---- library lookup ----

    static List<Path> candidates() {
        return candidates(OS, System.getenv("SystemRoot"), System.getProperty("bwdoctor.libpcap")).stream()
                .map(Path::of).toList();
    }

    /**
     * Where to look for the capture library, in order, for an OS as os.name names it (lower case): an explicit
     * override, then on Windows Npcap's own folder under %SystemRoot% (Npcap installs wpcap.dll in
     * System32\Npcap, not on the DLL search path) and a bare wpcap.dll (WinPcap, or Npcap in WinPcap-compatible
     * mode); elsewhere the usual libpcap sonames. Windows paths are built with backslashes whatever the host OS.
     */
    static List<String> candidates(String os, String systemRoot, String override) {
        List<String> names = new ArrayList<>();
        if (override != null && !override.isBlank()) {
            names.add(override);
        }
        if (os.startsWith("windows")) {
            String root = systemRoot == null || systemRoot.isBlank() ? "C:\\Windows" : systemRoot;
            names.add(root + "\\System32\\Npcap\\wpcap.dll");
            names.add("wpcap.dll");
        } else if (os.startsWith("mac") || os.startsWith("darwin")) {
            names.add("libpcap.A.dylib");
            names.add("/usr/lib/libpcap.A.dylib");
        } else {
            names.add("libpcap.so.1");
            names.add("libpcap.so.0.8");
            names.add("libpcap.so");
        }
        return names;
    }

    /** The first candidate that loads; a bare file name goes through the system's library search path. */
    static SymbolLookup find(List<Path> candidates) throws CaptureUnavailableException {
        List<String> tried = new ArrayList<>();
        for (Path candidate : candidates) {
            try {
                if (candidate.isAbsolute()) {
                    if (!Files.isRegularFile(candidate)) {
                        tried.add(candidate + " (absent)");
                        continue;
                    }
                    preloadNpcapHelper(candidate);
                    return SymbolLookup.libraryLookup(candidate, Arena.global());
                }
                return SymbolLookup.libraryLookup(candidate.toString(), Arena.global());
            } catch (IllegalArgumentException e) {
                tried.add(candidate.toString());
            }
        }
        throw new CaptureUnavailableException(notFoundMessage() + "; tried " + String.join(", ", tried));
    }

    /**
     * Npcap's wpcap.dll needs Packet.dll from its own directory, which Windows does not search when wpcap.dll is
     * loaded by full path; a DLL already loaded under that name satisfies the dependency.
     */
    private static void preloadNpcapHelper(Path wpcap) {
        if (!WINDOWS || wpcap.getParent() == null) {
            return;
        }
        Path packet = wpcap.getParent().resolve("Packet.dll");
        if (Files.isRegularFile(packet)) {
            try {
                SymbolLookup.libraryLookup(packet, Arena.global());
            } catch (IllegalArgumentException e) {
                // wpcap.dll's own load will then report the failure
            }
        }
    }

    static String notFoundMessage() {
        if (WINDOWS) {
            return "Npcap not found: live capture on Windows needs Npcap (install it from https://npcap.com)";
        }
        if (MAC) {
            return "libpcap not found (it ships with macOS in /usr/lib; or install it with Homebrew: brew install libpcap)";
        }
        return "libpcap not found (install libpcap0.8 on Debian/Ubuntu, libpcap on Fedora/RHEL/Alpine/Arch)";
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        if (LIBRARY == null) {
            return null;
        }
        return LIBRARY.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor)).orElse(null);
    }

    private static FunctionDescriptor intOfHandleInt() {
        return FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
    }

    private static MethodHandle required(MethodHandle h, String name) throws CaptureUnavailableException {
        ensureLoaded();
        if (h == null) {
            throw new CaptureUnavailableException("the installed libpcap is too old: it lacks " + name
                    + " (libpcap 1.5 or newer is needed)");
        }
        return h;
    }

    // ---- raw calls (pcap_t* handles are MemorySegments as returned by pcap_create/pcap_open_offline) ----

    static int findAllDevs(MemorySegment listOut, MemorySegment errbuf) throws CaptureUnavailableException {
        MethodHandle h = required(FINDALLDEVS, "pcap_findalldevs");
        try {
            return (int) h.invokeExact(listOut, errbuf);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static void freeAllDevs(MemorySegment list) {
        try {
            FREEALLDEVS.invokeExact(list);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static MemorySegment create(MemorySegment device, MemorySegment errbuf) throws CaptureUnavailableException {
        MethodHandle h = required(CREATE, "pcap_create");
        try {
            return (MemorySegment) h.invokeExact(device, errbuf);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static MemorySegment openOffline(MemorySegment file, MemorySegment errbuf) throws CaptureUnavailableException {
        MethodHandle h = required(OPEN_OFFLINE, "pcap_open_offline");
        try {
            return (MemorySegment) h.invokeExact(file, errbuf);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int setSnaplen(MemorySegment p, int v) throws CaptureUnavailableException {
        return callInt(required(SET_SNAPLEN, "pcap_set_snaplen"), p, v);
    }

    static int setPromisc(MemorySegment p, boolean v) throws CaptureUnavailableException {
        return callInt(required(SET_PROMISC, "pcap_set_promisc"), p, v ? 1 : 0);
    }

    static int setTimeout(MemorySegment p, int millis) throws CaptureUnavailableException {
        return callInt(required(SET_TIMEOUT, "pcap_set_timeout"), p, millis);
    }

    static int setBufferSize(MemorySegment p, int bytes) throws CaptureUnavailableException {
        return callInt(required(SET_BUFFER_SIZE, "pcap_set_buffer_size"), p, bytes);
    }

    static int setImmediateMode(MemorySegment p, boolean v) throws CaptureUnavailableException {
        return callInt(required(SET_IMMEDIATE_MODE, "pcap_set_immediate_mode"), p, v ? 1 : 0);
    }

    private static int callInt(MethodHandle h, MemorySegment p, int v) {
        try {
            return (int) h.invokeExact(p, v);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int activate(MemorySegment p) {
        try {
            return (int) ACTIVATE.invokeExact(p);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static String statusToString(int status) {
        try {
            return cString((MemorySegment) STATUSTOSTR.invokeExact(status));
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static String getErr(MemorySegment p) {
        try {
            return cString((MemorySegment) GETERR.invokeExact(p));
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int datalink(MemorySegment p) {
        try {
            return (int) DATALINK.invokeExact(p);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int compile(MemorySegment p, MemorySegment program, MemorySegment filter) {
        try {
            return (int) COMPILE.invokeExact(p, program, filter, 1, NETMASK_UNKNOWN);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int setFilter(MemorySegment p, MemorySegment program) {
        try {
            return (int) SETFILTER.invokeExact(p, program);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static void freeCode(MemorySegment program) {
        try {
            FREECODE.invokeExact(program);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** 1 packet, 0 timeout, {@link #PCAP_ERROR_BREAK} after pcap_breakloop or at the end of a file, -1 error. */
    static int nextEx(MemorySegment p, MemorySegment headerOut, MemorySegment dataOut) {
        try {
            return (int) NEXT_EX.invokeExact(p, headerOut, dataOut);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** Thread-safe in libpcap 1.10 (wakes a blocked poll through an eventfd on Linux). */
    static void breakLoop(MemorySegment p) {
        try {
            BREAKLOOP.invokeExact(p);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int stats(MemorySegment p, MemorySegment statOut) {
        try {
            return (int) STATS.invokeExact(p, statOut);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static void close(MemorySegment p) {
        try {
            CLOSE.invokeExact(p);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** Sends one raw frame (used by tests to replay captures onto a veth); bytes written, or -1. */
    static int inject(MemorySegment p, MemorySegment frame) throws CaptureUnavailableException {
        MethodHandle h = required(INJECT, "pcap_inject");
        try {
            return POINTER_64 ? (int) h.invokeExact(p, frame, frame.byteSize())
                    : (int) h.invokeExact(p, frame, (int) frame.byteSize());
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    // ---- struct access without allocation ----

    /** A pointer stored at {@code off} in {@code s}, as a raw address. */
    static long pointerAt(MemorySegment s, long off) {
        return POINTER_64 ? s.get(ValueLayout.JAVA_LONG_UNALIGNED, off)
                : s.get(ValueLayout.JAVA_INT_UNALIGNED, off) & 0xffffffffL;
    }

    /** A C {@code long} (the width of {@code timeval} fields on Linux and Windows). */
    static long cLongAt(MemorySegment s, long off) {
        return C_LONG.byteSize() == 8 ? s.get(ValueLayout.JAVA_LONG_UNALIGNED, off)
                : s.get(ValueLayout.JAVA_INT_UNALIGNED, off);
    }

    /** {@code tv_usec}: a C long except on macOS, where {@code suseconds_t} is 32 bits followed by padding. */
    static long usecAt(MemorySegment s, long off) {
        return MAC ? s.get(ValueLayout.JAVA_INT_UNALIGNED, off) : cLongAt(s, off);
    }

    /** Reads a NUL-terminated string of at most 4096 bytes (the rest is cut), never reading past its NUL. */
    static String cString(MemorySegment pointer) {
        if (pointer.address() == 0) {
            return "";
        }
        MemorySegment s = pointer.reinterpret(4096);
        int n = 0;
        while (n < 4096 && s.get(ValueLayout.JAVA_BYTE, n) != 0) {
            n++;
        }
        return new String(s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** A Java string as a C string; NUL inside it would silently truncate it, so it is refused. */
    static MemorySegment toCString(Arena arena, String s, String what) throws CaptureException {
        if (s.indexOf('\0') >= 0) {
            throw new CaptureException(what + " contains a NUL character");
        }
        return arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    /** Error text from libpcap (untrusted): control characters replaced so that it stays one printable line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString().strip();
    }

    private static IllegalStateException fatal(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call into libpcap failed", t);
    }
}
