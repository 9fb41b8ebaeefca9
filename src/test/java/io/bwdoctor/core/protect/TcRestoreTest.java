package io.bwdoctor.core.protect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Saved `tc ... show` lines (as iproute2 6.1 prints them) become `tc ... add` commands, root first. */
class TcRestoreTest {
    @Test
    void htbTreeWithALeafAndIngressLeftAlone() {
        List<String> qdiscs = List.of(
                "qdisc htb 1: root refcnt 3 r2q 10 default 0x10 direct_packets_stat 0 direct_qlen 1000",
                "qdisc tbf 10: parent 1:10 rate 1Mbit burst 4Kb lat 50ms ",
                "qdisc ingress ffff: parent ffff:fff1 ----------------",
                "qdisc pfifo_fast 0: parent 1:20 bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1");
        List<String> classes = List.of(
                "class htb 1:10 root leaf 10: prio 0 rate 5Mbit ceil 5Mbit burst 1600b cburst 1600b ",
                "class htb 1:11 parent 1:10 prio 1 rate 1Mbit ceil 5Mbit burst 1600b cburst 1600b ",
                "class tbf 10:1 parent 10: ");
        assertThat(TcRestore.commands("eth0", qdiscs, classes)).containsExactly(
                List.of("qdisc", "add", "dev", "eth0", "root", "handle", "1:", "htb", "r2q", "10", "default", "0x10",
                        "direct_qlen", "1000"),
                List.of("class", "add", "dev", "eth0", "parent", "1:", "classid", "1:10", "htb", "prio", "0", "rate",
                        "5Mbit", "ceil", "5Mbit", "burst", "1600b", "cburst", "1600b"),
                List.of("class", "add", "dev", "eth0", "parent", "1:10", "classid", "1:11", "htb", "prio", "1",
                        "rate", "1Mbit", "ceil", "5Mbit", "burst", "1600b", "cburst", "1600b"),
                List.of("qdisc", "add", "dev", "eth0", "parent", "1:10", "handle", "10:", "tbf", "rate", "1Mbit",
                        "burst", "4Kb", "lat", "50ms"));
    }

    @Test
    void strangeTokensAreNotPassedOn() {
        assertThat(TcRestore.commands("eth0", List.of("qdisc netem 5: root refcnt 2 delay 10ms;reboot", "qdisc",
                "", "qdisc tbf 6:"), List.of("class htb 1", "class htb x root rate 1Mbit"))).isEmpty();
    }
}
