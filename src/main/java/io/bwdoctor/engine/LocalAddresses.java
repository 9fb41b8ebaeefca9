package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.IpWords;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The addresses of this host (in the capture's network namespace): which end of a conversation is local. */
final class LocalAddresses {
    private record Key(int version, long hi, long lo) {}

    private final Set<Key> addresses = new HashSet<>();

    LocalAddresses(List<InetAddress> list) {
        for (InetAddress a : list) {
            addresses.add(new Key(IpWords.version(a), IpWords.hi(a), IpWords.lo(a)));
        }
    }

    boolean contains(int version, long hi, long lo) {
        return addresses.contains(new Key(version, hi, lo));
    }

    int size() {
        return addresses.size();
    }
}
