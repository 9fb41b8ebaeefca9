package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts, in the kernel, how much of an interface's traffic goes to or comes from private, CGNAT and link-local
 * addresses, so that the guard can tell public traffic (what a provider's cap counts) from VPC traffic without
 * capturing packets. An nftables table of counters only (no verdicts, nothing is filtered), read once a second over
 * netlink (NFT_MSG_GETOBJ; `nft -j` as a fallback), removed on close. Needs nftables and CAP_NET_ADMIN.
 */
public final class ScopeCounters implements AutoCloseable {
    /** Kernel counters since the table was created: all IP traffic and its private part, per direction. */
    public record Reading(long allTx, long allRx, long privateTx, long privateRx) {}

    static final String TABLE = "bwdoctor_scope";
    private static final String PRIVATE4 = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, "
            + "169.254.0.0/16, 127.0.0.0/8, 224.0.0.0/4, 255.255.255.255";
    private static final String PRIVATE6 = "fc00::/7, fe80::/10, ::1, ff00::/8";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String iface;
    private NftCounters kernel; // null: read through the nft command instead

    private ScopeCounters(String iface) {
        this.iface = iface;
        try {
            kernel = new NftCounters(TABLE);
            kernel.read();
        } catch (NetlinkException | RuntimeException e) {
            if (kernel != null) {
                kernel.close();
            }
            kernel = null;
        }
    }

    /** Installs the counters for one interface (an old table of ours is replaced). */
    public static ScopeCounters start(String iface) throws IOException {
        if (!iface.matches("[A-Za-z0-9_.:@-]{1,15}")) {
            throw new IOException("not an interface name: " + iface);
        }
        nft("delete table inet " + TABLE, true);
        String q = "\"" + iface + "\"";
        String script = String.join("\n",
                "table inet " + TABLE + " {",
                "  counter all_tx {}", "  counter all_rx {}", "  counter private_tx {}", "  counter private_rx {}",
                "  set private4 { type ipv4_addr; flags interval; elements = { " + PRIVATE4 + " } }",
                "  set private6 { type ipv6_addr; flags interval; elements = { " + PRIVATE6 + " } }",
                "  chain out { type filter hook postrouting priority 300; policy accept;",
                "    oifname " + q + " meta nfproto { ipv4, ipv6 } counter name all_tx",
                "    oifname " + q + " ip daddr @private4 counter name private_tx",
                "    oifname " + q + " ip6 daddr @private6 counter name private_tx", "  }",
                "  chain in { type filter hook prerouting priority -300; policy accept;",
                "    iifname " + q + " meta nfproto { ipv4, ipv6 } counter name all_rx",
                "    iifname " + q + " ip saddr @private4 counter name private_rx",
                "    iifname " + q + " ip6 saddr @private6 counter name private_rx", "  }",
                "}", "");
        run(List.of("nft", "-f", "-"), script, false);
        return new ScopeCounters(iface);
    }

    public String iface() {
        return iface;
    }

    public Reading read() throws IOException {
        if (kernel != null) {
            try {
                Map<String, Long> c = kernel.read();
                return new Reading(c.getOrDefault("all_tx", 0L), c.getOrDefault("all_rx", 0L),
                        c.getOrDefault("private_tx", 0L), c.getOrDefault("private_rx", 0L));
            } catch (NetlinkException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        String out = run(List.of("nft", "-j", "list", "counters", "table", "inet", TABLE), null, false);
        long[] v = new long[4];
        List<String> names = List.of("all_tx", "all_rx", "private_tx", "private_rx");
        for (JsonNode item : JSON.readTree(out).path("nftables")) {
            JsonNode c = item.get("counter");
            if (c != null) {
                int i = names.indexOf(c.path("name").asString());
                if (i >= 0) {
                    v[i] = c.path("bytes").asLong();
                }
            }
        }
        return new Reading(v[0], v[1], v[2], v[3]);
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
        try {
            nft("delete table inet " + TABLE, true);
        } catch (IOException e) {
            // already gone, or nft vanished: nothing more we can do
        }
    }

    private static void nft(String command, boolean mayFail) throws IOException {
        run(List.of("nft", command), null, mayFail);
    }

    private static String run(List<String> command, String stdin, boolean mayFail) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nft did not answer in 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (p.exitValue() != 0 && !mayFail) {
            throw new IOException("nft failed: " + out.strip());
        }
        return out;
    }
}
