package io.bwdoctor.core.diagnose;

import io.bwdoctor.core.live.ConversationSummary;
import io.bwdoctor.core.report.Addresses;
import io.bwdoctor.core.verdict.Remote;
import io.bwdoctor.core.verdict.TrafficFacts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds every conversation into per-process {@link TrafficFacts}: totals, distinct hosts and ports, unanswered TCP
 * attempts, inbound clients served, Stratum sightings, and the remotes with their intel, busiest first.
 */
public final class TrafficProfiles {
    /** How many remotes each process keeps in its facts (the counts stay complete). */
    public static final int REMOTES_KEPT = 50;

    private TrafficProfiles() {}

    /**
     * @param homeCountry the server's country (ISO code), or null when unknown: then nothing is "foreign"
     */
    public static Map<Integer, TrafficFacts> build(List<ConversationSummary> conversations, AddressInfo.Source intel,
                                                   String homeCountry, double seconds) {
        Map<Integer, Acc> byPid = new LinkedHashMap<>();
        Map<String, AddressInfo> infoCache = new HashMap<>();
        for (ConversationSummary c : conversations) {
            if (c.pid() < 0) {
                continue;
            }
            byPid.computeIfAbsent(c.pid(), p -> new Acc()).add(c, intel, infoCache, homeCountry);
        }
        Map<Integer, TrafficFacts> out = new LinkedHashMap<>();
        byPid.forEach((pid, acc) -> out.put(pid, acc.facts(seconds)));
        return out;
    }

    /** Per-address summary of a remote over all its conversations with one process. */
    private static final class RemoteAcc {
        final String address;
        final AddressInfo info;
        final boolean foreign;
        String protocol;
        Integer port;
        long busiest = -1;
        long tx;
        long rx;

        RemoteAcc(String address, AddressInfo info, boolean foreign) {
            this.address = address;
            this.info = info;
            this.foreign = foreign;
        }
    }

    private static final class Acc {
        long tx, rx, txPackets, rxPackets;
        int conversations, unanswered, inbound;
        long publicBytes, foreignBytes;
        final Set<String> countries = new HashSet<>();
        final Set<String> hosts = new HashSet<>();
        final Set<Integer> ports = new HashSet<>();
        final Map<String, RemoteAcc> remotes = new HashMap<>();
        final List<TrafficFacts.StratumHit> stratum = new ArrayList<>();

        void add(ConversationSummary c, AddressInfo.Source intel, Map<String, AddressInfo> cache, String home) {
            tx += c.txBytes();
            rx += c.rxBytes();
            txPackets += c.txPackets();
            rxPackets += c.rxPackets();
            conversations++;
            String address = Addresses.format(c.version(), c.remoteHi(), c.remoteLo());
            hosts.add(address);
            if (c.inbound()) {
                inbound++;
            } else if (c.remotePort() >= 0) {
                ports.add(c.remotePort());
            }
            if (c.protocol() == 6 && !c.inbound() && c.txPackets() > 0 && c.rxPackets() == 0) {
                unanswered++;
            }
            String proto = c.protocol() == 6 ? "tcp" : c.protocol() == 17 ? "udp"
                    : c.protocol() == 1 || c.protocol() == 58 ? "icmp" : Integer.toString(c.protocol());
            RemoteAcc r = remotes.computeIfAbsent(address, a -> {
                AddressInfo info = cache.computeIfAbsent(a, k -> intel.lookup(c.version(), c.remoteHi(), c.remoteLo()));
                boolean foreign = home != null && info.addressClass() != null && info.addressClass().reachesInternet()
                        && info.country() != null && !info.country().equalsIgnoreCase(home);
                return new RemoteAcc(a, info, foreign);
            });
            r.tx += c.txBytes();
            r.rx += c.rxBytes();
            long bytes = c.txBytes() + c.rxBytes();
            if (r.info.addressClass() != null && r.info.addressClass().reachesInternet()) {
                publicBytes += bytes;
            }
            if (r.foreign) {
                foreignBytes += bytes;
                countries.add(r.info.country().toUpperCase(java.util.Locale.ROOT));
            }
            if (bytes > r.busiest) { // the remote port of the busiest conversation with it (service side when inbound)
                r.busiest = bytes;
                r.port = c.inbound() ? null : c.remotePort() >= 0 ? c.remotePort() : null;
                r.protocol = proto;
            }
            if (c.stratum() != null && stratum.size() < 16) {
                stratum.add(new TrafficFacts.StratumHit(c.stratum(), address + (c.remotePort() >= 0
                        ? ":" + c.remotePort() : "")));
            }
        }

        TrafficFacts facts(double seconds) {
            List<Remote> list = new ArrayList<>();
            for (RemoteAcc r : remotes.values()) {
                AddressInfo i = r.info;
                list.add(new Remote(r.address, r.port, r.protocol, i.addressClass(), i.country(), i.asn(),
                        i.organisation(), i.network(), i.threatLists(), r.foreign, r.tx, r.rx));
            }
            list.sort(Comparator.comparingLong(Remote::totalBytes).reversed().thenComparing(Remote::address));
            // keep the busiest, but never drop a remote that carries a decisive fact (threat list, metadata)
            List<Remote> kept = new ArrayList<>(list.subList(0, Math.min(REMOTES_KEPT, list.size())));
            for (Remote r : list.subList(kept.size(), list.size())) {
                if (!r.threatLists().isEmpty() || r.addressClass() == io.bwdoctor.core.intel.AddressClass.METADATA) {
                    kept.add(r);
                }
            }
            return new TrafficFacts(tx, rx, txPackets, rxPackets, seconds, hosts.size(), ports.size(), conversations,
                    unanswered, inbound, publicBytes, foreignBytes, countries.size(), kept, stratum);
        }
    }
}
