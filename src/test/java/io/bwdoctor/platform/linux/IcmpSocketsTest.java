package io.bwdoctor.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcmpSocketsTest {
    private static final String RAW = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
               1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 371711 2 0000000000000000 0
               2: 00000000:0011 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 371712 2 0000000000000000 0
               3: garbage
            """;

    @Test
    void keepsRawSocketsOfTheIcmpProtocolOnly() {
        List<Long> inodes = new ArrayList<>();
        IcmpSockets.parse(RAW, 1, inodes);
        assertThat(inodes).containsExactly(371711L);
    }

    @Test
    void keepsEveryPingSocket() {
        List<Long> inodes = new ArrayList<>();
        IcmpSockets.parse(RAW, -1, inodes);
        assertThat(inodes).containsExactly(371711L, 371712L);
    }
}
