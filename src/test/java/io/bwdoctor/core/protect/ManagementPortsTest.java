package io.bwdoctor.core.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ManagementPortsTest {
    @Test
    void namesAndNumbers() {
        assertThat(ManagementPorts.parse("ssh,rdp,2222")).containsExactly(22, 3389, 2222);
        assertThat(ManagementPorts.parse(" SSH , 22,65535,1 ")).containsExactly(22, 65535, 1);
    }

    @Test
    void badEntriesSayWhy() {
        assertThatThrownBy(() -> ManagementPorts.parse("ssh,telnet")).hasMessageContaining("'telnet' is not a port");
        assertThatThrownBy(() -> ManagementPorts.parse("0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ManagementPorts.parse("65536")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ManagementPorts.parse("99999999999")).hasMessageContaining("is not a port");
        assertThatThrownBy(() -> ManagementPorts.parse("ssh,,rdp")).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> ManagementPorts.parse(" ")).hasMessageContaining("no management ports");
        assertThatThrownBy(() -> ManagementPorts.parse("-22")).hasMessageContaining("is not a port");
    }
}
