package io.bwdoctor.core.verdict;

import java.util.List;

/**
 * What a process did on the network while we watched.
 *
 * @param seconds          how long we watched (for rates)
 * @param remoteHosts      distinct remote addresses
 * @param remotePorts      distinct remote ports of the conversations this process started or answered
 * @param conversations    TCP/UDP/ICMP conversations seen
 * @param unansweredTcp    TCP conversations where this process sent and nothing came back (SYN floods, scans)
 * @param inboundServed    conversations where the remote side connected to a port this process listens on
 * @param publicBytes      bytes exchanged with public addresses (all remotes, not only those listed)
 * @param foreignBytes     the part of publicBytes exchanged with addresses registered in another country
 * @param foreignCountries how many other countries those addresses are in
 * @param remotes          remote addresses, busiest first (possibly truncated; the counts above are complete)
 * @param stratum          Stratum (mining pool) messages seen in payloads of this process's conversations
 */
public record TrafficFacts(long txBytes, long rxBytes, long txPackets, long rxPackets, double seconds,
                           int remoteHosts, int remotePorts, int conversations, int unansweredTcp, int inboundServed,
                           long publicBytes, long foreignBytes, int foreignCountries,
                           List<Remote> remotes, List<StratumHit> stratum) {
    public TrafficFacts {
        remotes = List.copyOf(remotes);
        stratum = List.copyOf(stratum);
    }

    public static final TrafficFacts NONE = new TrafficFacts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());

    /** A Stratum JSON-RPC method seen in a payload sent to or received from {@code remote} ("addr:port"). */
    public record StratumHit(String method, String remote) {}

    public long totalBytes() {
        return txBytes + rxBytes;
    }

    public long packets() {
        return txPackets + rxPackets;
    }
}
