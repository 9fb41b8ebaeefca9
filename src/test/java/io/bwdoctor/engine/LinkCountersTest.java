package io.bwdoctor.engine;

import io.bwdoctor.platform.windows.Windows;
import io.bwdoctor.platform.windows.WindowsApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Which counters the guard gets per OS (the Linux ones run for real in GuardScenarioTest). */
class LinkCountersTest {
    @Test
    void windowsCountsEverythingAgainstTheCap() throws Exception {
        try (LinkCounters c = Platforms.openLinkCounters(Platforms.Os.WINDOWS, "Ethernet")) {
            assertThat(c).isInstanceOf(WindowsLinkCounters.class);
            assertThat(c.scopeGap()).contains("Windows");
            assumeFalse(Windows.IS_WINDOWS, "off Windows the native call must refuse, not pretend");
            assertThatThrownBy(c::read).isInstanceOf(WindowsApiException.class);
        }
    }

    @Test
    void otherSystemsHaveNoCounters() throws Exception {
        assertThatThrownBy(() -> Platforms.openLinkCounters(Platforms.Os.OTHER, "en0"))
                .hasMessageContaining("no interface counters adapter");
        assertThat(Platforms.defaultUplink(Platforms.Os.OTHER)).isEmpty();
    }
}
