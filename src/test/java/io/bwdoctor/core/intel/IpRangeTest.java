package io.bwdoctor.core.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpRangeTest {
    @Test
    void parsesAddressesAndNetworks() {
        assertThat(IpRange.parse("192.0.2.7")).isEqualTo(new IpRange(4, 0, 0xC0000207L, 0, 0xC0000207L));
        assertThat(IpRange.parse("192.0.2.77/24")).isEqualTo(new IpRange(4, 0, 0xC0000200L, 0, 0xC00002FFL));
        assertThat(IpRange.parse("0.0.0.0/0")).isEqualTo(new IpRange(4, 0, 0, 0, 0xFFFFFFFFL));
        assertThat(IpRange.parse("2001:db8::/32")).isEqualTo(new IpRange(6, 0x20010db800000000L, 0,
                0x20010db8ffffffffL, -1L));
        assertThat(IpRange.parse("2001:db8::1/127")).isEqualTo(new IpRange(6, 0x20010db800000000L, 0,
                0x20010db800000000L, 1));
        assertThat(IpRange.parse("::ffff:198.51.100.1")).isEqualTo(new IpRange(4, 0, 0xC6336401L, 0, 0xC6336401L));
        assertThat(IpRange.between("192.0.2.1", "192.0.2.9").contains(4, 0, 0xC0000205L)).isTrue();
    }

    @Test
    void rejectsWhatIsNotALiteral() {
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "example.com",
                "2001:db8::/129", "fe80::1%eth0", "1.2.3.4/-1", "01234.1.1.1", "[::1]", "1..2.3"})
            assertThatThrownBy(() -> IpRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpRange.between("192.0.2.9", "192.0.2.1")).hasMessageContaining("ends before");
        assertThatThrownBy(() -> IpRange.between("192.0.2.9", "2001:db8::")).hasMessageContaining("differ");
        assertThatThrownBy(() -> IpRange.parse("x\u001b[31m")).hasMessageNotContaining("\u001b");
    }
}
