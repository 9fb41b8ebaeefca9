package io.bwdoctor.capture.live;

import org.junit.jupiter.api.Assumptions;

/**
 * A "container" behind NAT for a {@link NetnsHarness#twoNamespaces()} network: namespace C joined to A ("host" H) by
 * a second veth (C 203.0.113.2/30, H 203.0.113.1/30, C's default route via H, a route that stays inside the test's
 * namespaces); H forwards and masquerades C's traffic leaving by its link to B ("remote" R). nft rules and the
 * forwarding sysctl are set inside H only. {@link #close()} deletes C (which takes the H-C veth along); H and R go
 * with the harness.
 */
public final class NatContainer implements AutoCloseable {
    public static final String CONTAINER_ADDRESS = "203.0.113.2";
    public static final String HOST_INSIDE_ADDRESS = "203.0.113.1";

    private final String namespace;

    private NatContainer(String namespace) {
        this.namespace = namespace;
    }

    /** Skips the test without nft (package nftables; CI installs it). */
    public static void assumeNft() {
        Assumptions.assumeTrue(NetnsHarness.run(null, "nft", "--version").exitCode() == 0,
                "needs nft (package nftables) to set up the NAT");
    }

    /** Builds C behind H = {@code h.a()}, masquerading to R = {@code h.b()}; extra nft rules may follow. */
    public static NatContainer behind(NetnsHarness h) {
        String nsH = h.a().namespace();
        NatContainer c = new NatContainer("bwd-" + h.id() + "-c");
        String hSide = "bwd" + h.id() + "x";
        String cSide = "bwd" + h.id() + "y";
        try {
            NetnsHarness.runOk(null, "ip", "netns", "add", c.namespace);
            NetnsHarness.runOk(c.namespace, "ip", "link", "set", "lo", "up");
            NetnsHarness.runOk(null, "ip", "link", "add", hSide, "netns", nsH, "type", "veth", "peer", "name", cSide,
                    "netns", c.namespace);
            NetnsHarness.runOk(nsH, "ip", "addr", "add", HOST_INSIDE_ADDRESS + "/30", "dev", hSide);
            NetnsHarness.runOk(nsH, "ip", "link", "set", hSide, "up");
            NetnsHarness.runOk(c.namespace, "ip", "addr", "add", CONTAINER_ADDRESS + "/30", "dev", cSide);
            NetnsHarness.runOk(c.namespace, "ip", "link", "set", cSide, "up");
            NetnsHarness.runOk(c.namespace, "ip", "route", "add", "default", "via", HOST_INSIDE_ADDRESS);
            NetnsHarness.runOk(nsH, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            NetnsHarness.runOk(nsH, "nft", "add", "table", "ip", "bwd");
            NetnsHarness.runOk(nsH, "nft", "add", "chain", "ip", "bwd", "post",
                    "{ type nat hook postrouting priority 100 ; }");
            NetnsHarness.runOk(nsH, "nft", "add", "rule", "ip", "bwd", "post", "ip", "saddr", "203.0.113.0/30",
                    "oifname", h.a().device(), "masquerade");
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    /** Forwards H's {@code hostPort} (arriving from R) to the container's {@code containerPort} (destination NAT). */
    public void publish(NetnsHarness h, String protocol, int hostPort, int containerPort) {
        String nsH = h.a().namespace();
        NetnsHarness.runOk(nsH, "nft", "add", "chain", "ip", "bwd", "pre",
                "{ type nat hook prerouting priority -100 ; }");
        NetnsHarness.runOk(nsH, "nft", "add", "rule", "ip", "bwd", "pre", "iifname", h.a().device(), protocol,
                "dport", Integer.toString(hostPort), "dnat", "to", CONTAINER_ADDRESS + ":" + containerPort);
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void close() {
        NetnsHarness.run(null, "ip", "netns", "del", namespace);
    }
}
