package io.bwdoctor.core.attribution;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One socket as the operating system reports it. Addresses use the core's flow-key form (see {@link IpWords}) so that
 * sockets join flows without conversion; {@link #localAddress()} and {@link #remoteAddress()} give InetAddresses.
 *
 * @param transport     the table it came from (TCP, UDP, …)
 * @param ipProtocol    IANA number of what the socket carries: 6 or 17 for TCP/UDP, e.g. 1 for a raw ICMP socket
 * @param ipVersion     4 or 6: the version of the addresses, i.e. of the packets the socket exchanges
 * @param dualStack     an IPv6 socket carrying IPv4 (its IPv4-mapped addresses are reported as IPv4 here)
 * @param inode         socket inode (Linux), the key to the owning process; 0 when unknown or not applicable
 * @param cookie        the kernel's unique id of the socket for its lifetime (Linux sock cookie; a TIME_WAIT
 *                      remnant keeps it); 0 when none
 * @param uid           owning user id; -1 when unknown
 * @param ownerPid      owning process if the platform reports it with the socket (Windows); -1 otherwise
 * @param netnsInode    inode of the network namespace the socket lives in; 0 when unknown
 * @param bytesSent     payload bytes sent including retransmissions (TCP); {@link #UNKNOWN} when not reported
 * @param bytesReceived payload bytes received (TCP; Linux counts a received FIN as one byte); or {@link #UNKNOWN}
 * @param bytesAcked    bytes acknowledged by the peer (TCP; Linux counts SYN and FIN as one byte each); or UNKNOWN
 * @param bytesRetrans  bytes retransmitted (TCP); or UNKNOWN
 * @param rttMicros     smoothed round-trip time in microseconds (TCP); or UNKNOWN
 */
public record SocketRecord(
        Transport transport, int ipProtocol, int ipVersion, boolean dualStack,
        long localHi, long localLo, int localPort, long remoteHi, long remoteLo, int remotePort,
        SocketState state, long inode, long cookie, int uid, int ownerPid, long netnsInode,
        long bytesSent, long bytesReceived, long bytesAcked, long bytesRetrans, long rttMicros) {

    /** Value of a counter the platform did not report for this socket. */
    public static final long UNKNOWN = -1;

    public SocketRecord {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(state, "state");
        if (ipVersion != 4 && ipVersion != 6) throw new IllegalArgumentException("ipVersion must be 4 or 6: " + ipVersion);
        if ((localPort & ~0xffff) != 0 || (remotePort & ~0xffff) != 0) throw new IllegalArgumentException("port out of range");
    }

    public InetAddress localAddress() {
        return IpWords.toInetAddress(ipVersion, localHi, localLo);
    }

    public InetAddress remoteAddress() {
        return IpWords.toInetAddress(ipVersion, remoteHi, remoteLo);
    }

    /** The same socket with a different inode (e.g. learned from an earlier report of the same cookie). */
    public SocketRecord withInode(long newInode) {
        return new SocketRecord(transport, ipProtocol, ipVersion, dualStack, localHi, localLo, localPort,
                remoteHi, remoteLo, remotePort, state, newInode, cookie, uid, ownerPid, netnsInode,
                bytesSent, bytesReceived, bytesAcked, bytesRetrans, rttMicros);
    }

    @Override
    public String toString() {
        return transport + " " + localAddress().getHostAddress() + ":" + localPort + " -> "
                + remoteAddress().getHostAddress() + ":" + remotePort + " " + state + " inode=" + inode
                + " uid=" + uid + " sent=" + bytesSent + " recv=" + bytesReceived + " acked=" + bytesAcked;
    }
}
