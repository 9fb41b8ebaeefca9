package io.bwdoctor.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    @Test
    void listenAddressForms() {
        assertThat(MetricsServer.parseListen("9567")).isEqualTo(new InetSocketAddress("127.0.0.1", 9567));
        assertThat(MetricsServer.parseListen("192.0.2.7:9100")).isEqualTo(new InetSocketAddress("192.0.2.7", 9100));
        assertThat(MetricsServer.parseListen("[2001:db8::1]:9567").getAddress().getHostAddress())
                .isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(MetricsServer.parseListen("localhost:9567").getAddress().isLoopbackAddress()).isTrue();
        assertThat(MetricsServer.parseListen("0.0.0.0:9567").getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void badListenAddressesSayWhatIsWrong() {
        assertThatThrownBy(() -> MetricsServer.parseListen("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> MetricsServer.parseListen("host.example:9567"))
                .hasMessageContaining("must be an IP address");
        assertThatThrownBy(() -> MetricsServer.parseListen("2001:db8::1:9567")).hasMessageContaining("[ADDRESS]:PORT");
        assertThatThrownBy(() -> MetricsServer.parseListen("127.0.0.1:http")).hasMessageContaining("a number");
        assertThatThrownBy(() -> MetricsServer.parseListen("127.0.0.1:70000")).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> MetricsServer.parseListen("\u001b[2J:1")).hasMessageContaining("\\x1b[2J");
    }

    @Test
    void aBusyPortIsAClearError() throws Exception {
        GuardMetrics metrics = new GuardMetrics("t");
        try (MetricsServer first = MetricsServer.start(MetricsServer.parseListen("127.0.0.1:0"), metrics.registry())) {
            InetSocketAddress taken = first.address();
            assertThatThrownBy(() -> MetricsServer.start(taken, metrics.registry()))
                    .hasMessageStartingWith("cannot listen for metrics on 127.0.0.1:" + taken.getPort());
            assertThat(Scrape.of(taken).value("bwdoctor_info", "version", "t")).isEqualTo(1);
        }
    }
}
