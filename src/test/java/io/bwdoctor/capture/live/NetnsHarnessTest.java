package io.bwdoctor.capture.live;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetnsHarnessTest {
    @BeforeAll
    static void requireRootOnLinux() {
        NetnsHarness.assumeUsable();
    }

    @Test
    void twoNamespacesAreJoinedAndDeletedAfterwards() throws Exception {
        NetnsHarness net = NetnsHarness.twoNamespaces();
        try {
            assertThat(net.namespaces()).containsExactly("bwd-" + net.id() + "-a", "bwd-" + net.id() + "-b");
            String shown = NetnsHarness.runOk(net.b().namespace(), "ip", "-o", "addr", "show", "dev", net.b().device());
            List<String> addresses = new ArrayList<>();
            Matcher m = Pattern.compile("inet6? (\\S+)/(\\d+)").matcher(shown);
            while (m.find()) {
                addresses.add(InetAddress.getByName(m.group(1)).getHostAddress() + "/" + m.group(2));
            }
            assertThat(addresses).containsExactlyInAnyOrder(net.b().ipv4().getHostAddress() + "/30",
                    net.b().ipv6().getHostAddress() + "/64");
            assertThatThrownBy(net::host).isInstanceOf(IllegalStateException.class);
            // a datagram from A reaches a receiver in B, over IPv4 and IPv6
            for (var dst : new InetAddress[] {net.b().ipv4(), net.b().ipv6()}) {
                Process receiver = NetnsHarness.start(net.b().namespace(),
                        NetnsHarness.java(NsTraffic.class, "recv", "7777", "5", "5000"));
                CompletableFuture<String> out = NetnsHarness.readAllAsync(receiver);
                Thread.sleep(1500); // let the receiver JVM bind its port (its datagrams would otherwise be refused)
                NetnsHarness.runOk(net.a().namespace(), NetnsHarness.java(NsTraffic.class, "udp",
                        dst.getHostAddress(), "7777", "5", "100"));
                assertThat(receiver.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(out.get(5, TimeUnit.SECONDS)).contains("received 5");
            }
        } finally {
            net.close();
        }
        String namespaces = NetnsHarness.runOk(null, "ip", "netns", "list");
        assertThat(namespaces).doesNotContain("bwd-" + net.id());
    }

    @Test
    void closeRemovesTheRootNamespaceEndEvenAfterAFailure() {
        String[] made = new String[2];
        assertThatThrownBy(() -> {
            try (NetnsHarness net = NetnsHarness.hostLinked()) {
                made[0] = net.host().device();
                made[1] = net.a().namespace();
                throw new IllegalStateException("test body failed");
            }
        }).hasMessage("test body failed");
        assertThat(NetnsHarness.run(null, "ip", "link", "show", made[0]).exitCode()).isNotZero();
        assertThat(NetnsHarness.runOk(null, "ip", "netns", "list")).doesNotContain(made[1]);
    }
}
