package io.bwdoctor.core.verdict;

import io.bwdoctor.core.intel.AddressClass;
import java.util.ArrayList;
import java.util.List;

/**
 * Test builder for {@link TrafficFacts}: starts with 10 seconds of nothing. {@link #remote} adds one remote with 1 kB
 * each way (and counts it as a host, its port as a remote port, its bytes as public when the class is public).
 */
public final class Net {
    private long tx, rx, txPackets, rxPackets;
    private double seconds = 10;
    private int hosts, ports, conversations, unanswered, inbound, countries;
    private long publicBytes, foreignBytes;
    private final List<Remote> remotes = new ArrayList<>();
    private final List<TrafficFacts.StratumHit> stratum = new ArrayList<>();

    public static Net traffic() {
        return new Net();
    }

    public Net remote(String address, Integer port, AddressClass c) {
        return remote(address, port, c, List.of());
    }

    public Net remote(String address, Integer port, AddressClass c, List<String> threatLists) {
        remotes.add(new Remote(address, port, "tcp", c, null, null, null, null, threatLists, false, 1000, 1000));
        tx += 1000;
        rx += 1000;
        txPackets += 10;
        rxPackets += 10;
        hosts++;
        conversations++;
        if (port != null) {
            ports++;
        }
        if (c == AddressClass.PUBLIC) {
            publicBytes += 2000;
        }
        return this;
    }

    public Net stratum(String method, String remote) {
        stratum.add(new TrafficFacts.StratumHit(method, remote));
        return this;
    }

    public Net bytes(long tx, long rx) { this.tx = tx; this.rx = rx; return this; }
    public Net packets(long tx, long rx) { txPackets = tx; rxPackets = rx; return this; }
    public Net seconds(double v) { seconds = v; return this; }
    public Net hosts(int v) { hosts = v; return this; }
    public Net ports(int v) { ports = v; return this; }
    public Net unanswered(int v) { unanswered = v; return this; }
    public Net inbound(int v) { inbound = v; return this; }
    public Net publicBytes(long v) { publicBytes = v; return this; }
    public Net foreign(long bytes, int countries) { foreignBytes = bytes; this.countries = countries; return this; }

    public TrafficFacts facts() {
        return new TrafficFacts(tx, rx, txPackets, rxPackets, seconds, hosts, ports, Math.max(conversations, hosts),
                unanswered, inbound, publicBytes, foreignBytes, countries, remotes, stratum);
    }
}
