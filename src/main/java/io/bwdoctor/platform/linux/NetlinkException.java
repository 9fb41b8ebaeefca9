package io.bwdoctor.platform.linux;

import java.io.IOException;

/**
 * A netlink operation failed. The message is one line meant for the user (what failed, the errno name, and what to
 * do about it); {@link #errno()} lets callers react to specific causes.
 */
public final class NetlinkException extends IOException {
    private final int errno;

    NetlinkException(String operation, int errno) {
        super(operation + ": " + explain(errno));
        this.errno = errno;
    }

    NetlinkException(String message) {
        super(message);
        this.errno = 0;
    }

    /** The errno that caused this, or 0 when the failure was not a system error (e.g. a malformed reply). */
    public int errno() {
        return errno;
    }

    /** True when the cause is missing privileges. */
    public boolean permissionDenied() {
        return errno == Libc.EPERM || errno == Libc.EACCES;
    }

    /** True when the kernel lacks the feature (module not built, protocol not compiled in). */
    public boolean notSupported() {
        return errno == Libc.EPROTONOSUPPORT || errno == Libc.EAFNOSUPPORT || errno == Libc.EOPNOTSUPP
                || errno == Libc.ENOENT || errno == Libc.EINVAL;
    }

    private static String explain(int errno) {
        String name = Libc.errnoName(errno);
        return switch (errno) {
            case Libc.EPERM, Libc.EACCES -> name + " (not permitted: run as root)";
            case Libc.EPROTONOSUPPORT, Libc.EAFNOSUPPORT -> name + " (this kernel was built without it)";
            case Libc.ENOENT, Libc.EINVAL, Libc.EOPNOTSUPP -> name + " (not offered by this kernel)";
            case Libc.ENOBUFS -> name + " (receive buffer overrun: messages were dropped)";
            case Libc.ENOMEM -> name + " (kernel out of memory)";
            default -> name;
        };
    }
}
