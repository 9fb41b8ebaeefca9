package io.bwdoctor.core.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EgressSchemeTest {
    @Test
    void withACapEverythingIsShapedUnderItAndBulkBurstsAreSplit() {
        EgressScheme.Plan plan = EgressScheme.plan("eth0", 1500, List.of(22, 3389), 10_000_000L);
        assertThat(plan.shaped()).isTrue();
        assertThat(plan.totalBps()).isEqualTo(9_500_000);
        assertThat(plan.qdiscAndClasses()).extracting(c -> String.join(" ", c)).containsExactly(
                "qdisc add dev eth0 root handle bd01: htb default 20",
                "class add dev eth0 parent bd01: classid bd01:1 htb rate 9500000bit ceil 9500000bit burst 3028 "
                        + "cburst 3028",
                "class add dev eth0 parent bd01:1 classid bd01:10 htb rate 1900000bit ceil 9500000bit burst 3028 "
                        + "cburst 3028 prio 0 quantum 118750",
                "class add dev eth0 parent bd01:1 classid bd01:20 htb rate 7600000bit ceil 9500000bit burst 3028 "
                        + "cburst 3028 prio 1 quantum 118750",
                "qdisc add dev eth0 parent bd01:20 handle bd20: tbf rate 9500000bit burst 4542 latency 50ms");
        // two ports x sport/dport x IPv4/IPv6, plus ARP
        assertThat(plan.filters()).hasSize(9).allMatch(f -> f.getLast().equals("bd01:10"));
        assertThat(String.join(" ", plan.filters().get(1))).contains("protocol ipv6", "match ip6 sport 22 0xffff");
    }

    @Test
    void withoutACapHtbNeverThrottles() {
        EgressScheme.Plan plan = EgressScheme.plan("eth0", 9000, List.of(22), null);
        assertThat(plan.shaped()).isFalse();
        assertThat(plan.totalBps()).isEqualTo(EgressScheme.UNLIMITED_BPS);
        assertThat(plan.qdiscAndClasses()).hasSize(4).noneMatch(c -> c.contains("tbf"));
        assertThat(String.join(" ", plan.qdiscAndClasses().get(1))).contains("burst 12500000")
                .doesNotContain("prio");
    }

    @Test
    void implausibleInputIsRefused() {
        assertThatThrownBy(() -> EgressScheme.plan("eth0", 1500, List.of(22), 50_000L)).hasMessageContaining(
                "between 100 kbit/s");
        assertThatThrownBy(() -> EgressScheme.plan("eth0", 1500, List.of(), null)).hasMessageContaining("no ");
        assertThatThrownBy(() -> EgressScheme.plan("eth0", 10, List.of(22), null)).hasMessageContaining("MTU");
    }
}
