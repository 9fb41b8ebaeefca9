package io.bwdoctor.core.verdict;

import io.bwdoctor.core.intel.AddressClass;
import java.util.List;

/**
 * One remote endpoint of a process and what it knows about it. {@code foreign} = public and registered in another
 * country than the server's. Nulls mean unknown.
 *
 * @param port         the remote port of the busiest conversation with this address (null for ICMP etc.)
 * @param network      the user's name for the network it belongs to (networks file), or null
 * @param threatLists  names of user-provided threat lists that contain it
 */
public record Remote(String address, Integer port, String protocol, AddressClass addressClass, String country,
                     Long asn, String organisation, String network, List<String> threatLists, boolean foreign,
                     long txBytes, long rxBytes) {
    public Remote {
        threatLists = threatLists == null ? List.of() : List.copyOf(threatLists);
    }

    public long totalBytes() {
        return txBytes + rxBytes;
    }
}
