package io.bwdoctor.platform.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The bpf(2) system call through libc's syscall(), with the few commands the socket tracer needs. No library, no
 * compiler: maps and programs are described with plain bpf_attr bytes. Not thread-safe (one errno buffer).
 */
final class Bpf {
    static final int MAP_CREATE = 0, MAP_LOOKUP_ELEM = 1, MAP_GET_NEXT_KEY = 4, PROG_LOAD = 5,
            RAW_TRACEPOINT_OPEN = 17;
    static final int MAP_TYPE_HASH = 1, MAP_TYPE_LRU_HASH = 9;
    static final int PROG_TYPE_RAW_TRACEPOINT = 17;
    private static final int ATTR_SIZE = 128;  // covers every field used; the kernel accepts a smaller, zero-tailed attr
    private static final int ENOSPC = 28, E2BIG = 7;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = arena.allocate(CALL_STATE);
    private final MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
    private final long sysBpf;

    /** @throws TracingUnavailableException on an architecture whose bpf syscall number is not known here */
    Bpf() throws TracingUnavailableException {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            arena.close();
            throw new TracingUnavailableException("not Linux");
        }
        sysBpf = switch (arch) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64" -> 280;
            default -> {
                arena.close();
                throw new TracingUnavailableException("bpf syscall number unknown for architecture " + arch);
            }
        };
    }

    int errno() {
        return (int) ERRNO.get(callState, 0L);
    }

    private long call(int cmd) {
        try {
            return (long) SYSCALL.invokeExact(callState, sysBpf, (long) cmd, attr, (long) ATTR_SIZE);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int createMap(int type, int keySize, int valueSize, int maxEntries, String name) throws TracingUnavailableException {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, 0, type);
        attr.set(JAVA_INT, 4, keySize);
        attr.set(JAVA_INT, 8, valueSize);
        attr.set(JAVA_INT, 12, maxEntries);
        putName(28, name); // map_name follows map_flags, inner_map_fd, numa_node
        long fd = call(MAP_CREATE);
        if (fd < 0) {
            throw failure("bpf(BPF_MAP_CREATE)", errno());
        }
        return (int) fd;
    }

    /** Loads a program; on rejection the message carries the verifier's last line. */
    int loadProgram(int type, long[] insns, String name) throws TracingUnavailableException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment code = a.allocate(8L * insns.length, 8);
            for (int i = 0; i < insns.length; i++) {
                code.setAtIndex(JAVA_LONG, i, insns[i]);
            }
            MemorySegment license = a.allocateFrom("GPL"); // bpf_probe_read_kernel is GPL-only
            int logSize = 1 << 16;
            MemorySegment log = a.allocate(logSize);
            for (int logLevel = 0; ; logLevel++) {
                attr.fill((byte) 0);
                attr.set(JAVA_INT, 0, type);
                attr.set(JAVA_INT, 4, insns.length);
                attr.set(JAVA_LONG, 8, code.address());
                attr.set(JAVA_LONG, 16, license.address());
                if (logLevel > 0) {
                    attr.set(JAVA_INT, 24, 1);
                    attr.set(JAVA_INT, 28, logSize);
                    attr.set(JAVA_LONG, 32, log.address());
                }
                putName(48, name);
                long fd = call(PROG_LOAD);
                if (fd >= 0) {
                    return (int) fd;
                }
                int errno = errno();
                if (logLevel > 0 || errno == Libc.EPERM) { // the verifier rejects with EACCES or EINVAL: get its log
                    String verifier = logLevel > 0 ? lastLine(log.getString(0)) : "";
                    if (verifier.isEmpty()) {
                        throw failure("bpf(BPF_PROG_LOAD)", errno);
                    }
                    throw new TracingUnavailableException("bpf(BPF_PROG_LOAD) [verifier: " + verifier + "]: "
                            + Libc.errnoName(errno));
                }
            }
        }
    }

    int openRawTracepoint(String tracepoint, int progFd) throws TracingUnavailableException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocateFrom(tracepoint);
            attr.fill((byte) 0);
            attr.set(JAVA_LONG, 0, name.address());
            attr.set(JAVA_INT, 8, progFd);
            long fd = call(RAW_TRACEPOINT_OPEN);
            if (fd < 0) {
                throw failure("bpf(BPF_RAW_TRACEPOINT_OPEN " + tracepoint + ")", errno());
            }
            return (int) fd;
        }
    }

    /** True when the key was found (the value is copied to {@code value}). */
    boolean lookup(int mapFd, MemorySegment key, MemorySegment value) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, 0, mapFd);
        attr.set(JAVA_LONG, 8, key.address());
        attr.set(JAVA_LONG, 16, value.address());
        return call(MAP_LOOKUP_ELEM) == 0;
    }

    /** The key after {@code key} (or the first key when {@code key} is null); false at the end. */
    boolean nextKey(int mapFd, MemorySegment key, MemorySegment next) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, 0, mapFd);
        attr.set(JAVA_LONG, 8, key == null ? 0 : key.address());
        attr.set(JAVA_LONG, 16, next.address());
        return call(MAP_GET_NEXT_KEY) == 0;
    }

    void close() {
        arena.close();
    }

    private void putName(long offset, String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < Math.min(b.length, 15); i++) {
            attr.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + i, b[i]);
        }
    }

    private static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
        // the final line is often the instruction count summary; the error is just above it
        if (last.startsWith("processed ") && lines.length > 1) {
            last = lines[lines.length - 2].strip();
        }
        return last.length() > 200 ? last.substring(0, 200) : last;
    }

    private static TracingUnavailableException failure(String operation, int errno) {
        String why = switch (errno) {
            case Libc.EPERM, Libc.EACCES -> " (not permitted: needs root or CAP_BPF + CAP_PERFMON)";
            case Libc.ENOENT -> " (not offered by this kernel)";
            case Libc.EINVAL -> " (rejected by this kernel)";
            case ENOSPC -> " (verifier log too small)";
            case E2BIG -> " (attribute too large for this kernel)";
            default -> "";
        };
        return new TracingUnavailableException(operation + ": " + Libc.errnoName(errno) + why);
    }
}
