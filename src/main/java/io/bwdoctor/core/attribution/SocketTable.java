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
     * when the first packet of a new flow is seen. Addresses in {@link IpWords} form, as in flow keys; an IPv4 pair
     * also finds dual-stack IPv6 sockets.
     */
    Optional<SocketRecord> lookup(Transport transport, int ipVersion, long localHi, long localLo, int localPort,
                                  long remoteHi, long remoteLo, int remotePort) throws IOException;

    /** {@link #lookup(Transport, int, long, long, int, long, long, int)} with InetAddresses of the same version. */
    default Optional<SocketRecord> lookup(Transport transport, InetAddress local, int localPort,
                                          InetAddress remote, int remotePort) throws IOException {
        if (IpWords.version(local) != IpWords.version(remote)) {
            throw new IllegalArgumentException("local and remote addresses must have the same IP version");
        }
        return lookup(transport, IpWords.version(local), IpWords.hi(local), IpWords.lo(local), localPort,
                IpWords.hi(remote), IpWords.lo(remote), remotePort);
    }

    @Override
    void close();
}
