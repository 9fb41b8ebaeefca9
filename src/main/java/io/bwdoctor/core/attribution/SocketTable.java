package io.bwdoctor.core.attribution;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The operating system's table of open sockets (Linux: sock_diag netlink; Windows: IP Helper). */
public interface SocketTable extends AutoCloseable {

    /** The transports this system can list; TCP and UDP at least. */
    Set<Transport> offered();

    /** Every socket of every offered transport, IPv4 and IPv6, in all states. */
    List<SocketRecord> dump() throws IOException;

    /**
     * The one socket with exactly this local/remote address and port pair, if it exists now: the cheap query to run
     * when the first packet of a new flow is seen. Addresses may be IPv4 even for dual-stack IPv6 sockets.
     */
    Optional<SocketRecord> lookup(Transport transport, InetAddress localAddress, int localPort,
                                  InetAddress remoteAddress, int remotePort) throws IOException;

    @Override
    void close();
}
