package io.bwdoctor.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReverseDnsTest {
    @Test
    void resolvesInParallelAndAbandonsSlowLookups() {
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 1; i <= 20; i++) addresses.add(InetAddress.ofLiteral("192.0.2." + i));
        AtomicInteger running = new AtomicInteger(), peak = new AtomicInteger();
        long start = System.nanoTime();
        Map<InetAddress, String> names = ReverseDns.lookupAll(addresses, Duration.ofMillis(300), a -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                int last = a.getAddress()[3];
                if (last % 5 == 0) Thread.sleep(10_000); // a resolver that hangs
                else Thread.sleep(20);
                return last % 3 == 0 ? null : "host" + last + ".example";
            } catch (InterruptedException e) {
                return "interrupted";
            } finally {
                running.decrementAndGet();
            }
        });
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(peak.get()).isLessThanOrEqualTo(ReverseDns.MAX_THREADS).isGreaterThan(1);
        assertThat(ms).isLessThan(300 * 3 + 1000); // ceil(20 / 8) rounds of 300 ms, plus slack
        assertThat(names).containsEntry(InetAddress.ofLiteral("192.0.2.1"), "host1.example")
                .doesNotContainKey(InetAddress.ofLiteral("192.0.2.3")) // no name
                .doesNotContainKey(InetAddress.ofLiteral("192.0.2.5")); // timed out
        assertThat(names).hasSize(20 - 4 - 6 + 1); // minus 4 hung (5,10,15,20) and 6 nameless (3..18), 15 counted twice
    }

    @Test
    void theSystemResolverNamesLoopback() {
        // /etc/hosts maps 127.0.0.1 to localhost on every Linux system this runs on; no network involved.
        assertThat(ReverseDns.lookup(InetAddress.ofLiteral("127.0.0.1"), ReverseDns.DEFAULT_TIMEOUT))
                .hasValueSatisfying(name -> assertThat(name).isNotBlank().isNotEqualTo("127.0.0.1"));
    }
}
