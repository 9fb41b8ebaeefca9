package io.bwdoctor.platform.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the Linux adapters need, each capturing errno. One instance per thread of use: the errno
 * capture buffer is per instance.
 */
final class Libc {
    static final int EPERM = 1, ENOENT = 2, EINTR = 4, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EINVAL = 22,
            EPROTONOSUPPORT = 93, EOPNOTSUPP = 95, EAFNOSUPPORT = 97, ENOBUFS = 105;
    static final int AT_FDCWD = -100;
    static final int O_RDONLY = 0, O_CLOEXEC = 0x80000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = errnoCall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = errnoCall("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SENDTO =
            errnoCall("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECV = errnoCall("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SETSOCKOPT =
            errnoCall("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CLOSE = errnoCall("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle SYSCONF = LINKER.downcallHandle(LIBC.findOrThrow("sysconf"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    /** Directory and link calls, linked on first use so that sock_diag never depends on them. */
    private static final class Dirs {
        static final MethodHandle OPENAT = LINKER.downcallHandle(LIBC.findOrThrow("openat"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(3));
        static final MethodHandle GETDENTS64 = errnoCall("getdents64", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
        static final MethodHandle READLINKAT =
                errnoCall("readlinkat", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
        static final MethodHandle STATX =
                errnoCall("statx", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    }

    private final MemorySegment callState = Arena.ofAuto().allocate(CALL_STATE);

    private static MethodHandle errnoCall(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), FunctionDescriptor.of(result, args), CAPTURE_ERRNO);
    }

    /** errno as left by the last call through this instance. */
    int errno() {
        return (int) ERRNO.get(callState, 0L);
    }

    int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(callState, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bind(int fd, MemorySegment addr, int addrLen) {
        try {
            return (int) BIND.invokeExact(callState, fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        try {
            return (long) SENDTO.invokeExact(callState, fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long recv(int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECV.invokeExact(callState, fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(callState, fd, level, name, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(callState, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int openat(int dirFd, MemorySegment path, int flags) {
        try {
            return (int) Dirs.OPENAT.invokeExact(callState, dirFd, path, flags, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long getdents64(int fd, MemorySegment buf, long len) {
        try {
            return (long) Dirs.GETDENTS64.invokeExact(callState, fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long readlinkat(int dirFd, MemorySegment path, MemorySegment buf, long len) {
        try {
            return (long) Dirs.READLINKAT.invokeExact(callState, dirFd, path, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int statx(int dirFd, MemorySegment path, int flags, int mask, MemorySegment statxBuf) {
        try {
            return (int) Dirs.STATX.invokeExact(callState, dirFd, path, flags, mask, statxBuf);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Symbolic name of an errno value, for one-line messages. */
    static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EINVAL -> "EINVAL";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case ENOBUFS -> "ENOBUFS";
            default -> "errno " + errno;
        };
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }
}
