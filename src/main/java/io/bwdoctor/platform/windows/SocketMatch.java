package io.bwdoctor.platform.windows;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.SocketState;
import io.bwdoctor.core.attribution.Transport;

import java.util.List;
import java.util.Optional;

/**
 * Finds the socket of a flow in a full table dump (Windows has no one-socket query). Order, as the kernel would
 * deliver the packet: the connected socket with exactly this pair; for TCP then a listener on the local port (a SYN
 * being accepted); for UDP a socket bound to the local address and port, then one bound to the wildcard. A wildcard
 * IPv6 socket also takes IPv4 flows (a dual-mode socket); it is tried last.
 */
public final class SocketMatch {
    private SocketMatch() {}

    public static Optional<SocketRecord> find(List<SocketRecord> sockets, Transport transport, int version,
                                              long localHi, long localLo, int localPort,
                                              long remoteHi, long remoteLo, int remotePort) {
        SocketRecord bound = null, wildcard = null, dualWildcard = null;
        for (SocketRecord s : sockets) {
            if (s.transport() != transport || s.localPort() != localPort) continue;
            boolean sameVersion = s.ipVersion() == version;
            boolean localExact = sameVersion && s.localHi() == localHi && s.localLo() == localLo;
            boolean localAny = s.localHi() == 0 && s.localLo() == 0;
            boolean connected = transport == Transport.TCP ? s.state() != SocketState.LISTEN
                    : s.state() == SocketState.ESTABLISHED;
            if (connected) {
                if (localExact && s.remoteHi() == remoteHi && s.remoteLo() == remoteLo && s.remotePort() == remotePort) {
                    return Optional.of(s);
                }
                continue;
            }
            if (transport == Transport.TCP && s.state() != SocketState.LISTEN) continue;
            if (localExact) {
                if (bound == null) bound = s;
            } else if (localAny && sameVersion) {
                if (wildcard == null) wildcard = s;
            } else if (localAny && version == 4 && s.ipVersion() == 6) {
                if (dualWildcard == null) dualWildcard = s;
            }
        }
        if (bound != null) return Optional.of(bound);
        if (wildcard != null) return Optional.of(wildcard);
        return Optional.ofNullable(dualWildcard);
    }
}
