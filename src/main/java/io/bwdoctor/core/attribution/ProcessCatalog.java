package io.bwdoctor.core.attribution;

import java.util.Optional;

/** Who owns a socket, and what that process is. */
public interface ProcessCatalog {

    /**
     * The process owning this socket, or -1 when unknown (exited, kernel socket, not permitted). Uses
     * {@link SocketRecord#ownerPid()} where the platform reports it, otherwise an index of open descriptors.
     */
    int ownerPid(SocketRecord socket);

    /** Facts about a running process (or one that exited recently, if the catalog saw it start); empty if unknown. */
    Optional<ProcessInfo> describe(int pid);
}
