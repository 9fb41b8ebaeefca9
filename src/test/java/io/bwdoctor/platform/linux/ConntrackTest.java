package io.bwdoctor.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.capture.live.NatContainer;
import io.bwdoctor.capture.live.NetnsHarness;
import io.bwdoctor.core.attribution.IpWords;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * As root, in namespaces the test creates: host H masquerades container C's traffic to R and forwards its port 8080
 * to C's 9001. The connection tracking table, read from inside H, must give back C's endpoint for both translations
 * (asked with the wire pair in either order) and nothing for an untranslated or unknown pair.
 */
class ConntrackTest {
    @Test
    void undoesSourceAndDestinationNat() throws Exception {
        NetnsHarness.assumeUsable();
        NatContainer.assumeNft();
        try (NetnsHarness h = NetnsHarness.twoNamespaces(); NatContainer c = NatContainer.behind(h)) {
            c.publish(h, "udp", 8080, 9001);
            String r4 = h.b().ipv4().getHostAddress();
            String h4 = h.a().ipv4().getHostAddress();
            send(c.namespace(), 40001, r4, 9001); // source NAT: C -> R
            send(h.b().namespace(), 40002, h4, 8080); // destination NAT: R -> H:8080 -> C:9001
            send(h.b().namespace(), 40003, h4, 7); // tracked, not translated

            long hAddr = IpWords.lo(h.a().ipv4()), rAddr = IpWords.lo(h.b().ipv4());
            long cAddr = IpWords.lo(InetAddress.getByName(NatContainer.CONTAINER_ADDRESS));
            CompletableFuture<Void> checks = new CompletableFuture<>();
            Thread.ofPlatform().name("conntrack-in-h").start(() -> {
                try (Conntrack table = enterAndOpen(h.a().namespace())) {
                    Conntrack.Translation outbound = new Conntrack.Translation(4, 0, cAddr, 40001, 0, rAddr, 9001);
                    assertThat(table.translation(17, 4, 0, hAddr, 40001, 0, rAddr, 9001)).contains(outbound);
                    assertThat(table.translation(17, 4, 0, rAddr, 9001, 0, hAddr, 40001)).contains(outbound);
                    Conntrack.Translation inbound = new Conntrack.Translation(4, 0, cAddr, 9001, 0, rAddr, 40002);
                    assertThat(table.translation(17, 4, 0, rAddr, 40002, 0, hAddr, 8080)).contains(inbound);
                    assertThat(table.translation(17, 4, 0, hAddr, 8080, 0, rAddr, 40002)).contains(inbound);
                    assertThat(table.translation(17, 4, 0, rAddr, 40003, 0, hAddr, 7)).isEmpty();
                    assertThat(table.translation(6, 4, 0, hAddr, 40001, 0, rAddr, 9001)).isEmpty();
                    checks.complete(null);
                } catch (Throwable t) {
                    checks.completeExceptionally(t);
                }
            });
            checks.get(30, TimeUnit.SECONDS);
        }
    }

    private static Conntrack enterAndOpen(String namespace) throws NetlinkException {
        NetworkNamespace.enter(namespace);
        return Conntrack.open();
    }

    /** One datagram from a fixed source port (so that the tracked pair is known). */
    private static void send(String namespace, int fromPort, String to, int toPort) {
        NetnsHarness.runOk(namespace, "python3", "-c", "import socket; s = socket.socket(socket.AF_INET, "
                + "socket.SOCK_DGRAM); s.bind(('0.0.0.0', " + fromPort + ")); s.sendto(b'x', ('" + to + "', "
                + toPort + "))");
    }
}
