package io.bwdoctor.capture.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibPcapTest {
    @Test
    void reportsTheLibraryVersion() throws Exception {
        assertThat(LibPcap.version()).containsIgnoringCase("pcap").containsPattern("\\d+\\.\\d+");
    }

    @Test
    void aMissingLibraryIsCaptureUnavailableWithAnInstallHint() {
        assertThatThrownBy(() -> LibPcap.find(List.of(Path.of("libpcap-bwdoctor-absent.so.9"),
                Path.of("/nonexistent/libpcap.so.1"))))
                .isInstanceOf(CaptureUnavailableException.class)
                .hasMessageStartingWith(LibPcap.notFoundMessage())
                .hasMessageContaining("libpcap-bwdoctor-absent.so.9")
                .hasMessageContaining("/nonexistent/libpcap.so.1 (absent)");
        assertThat(LibPcap.notFoundMessage()).contains("libpcap not found (install libpcap0.8");
    }

    @Test
    void activationErrorsBecomeActionableMessages() {
        assertThat(LiveCapture.activationError(LibPcap.PCAP_ERROR_PERM_DENIED, "eth0",
                "socket: Operation not permitted", false))
                .isInstanceOf(CaptureUnavailableException.class)
                .hasMessageContaining("run as root").hasMessageContaining("CAP_NET_RAW")
                .hasMessageNotContaining("CAP_NET_ADMIN");
        assertThat(LiveCapture.activationError(LibPcap.PCAP_ERROR_PROMISC_PERM_DENIED, "eth0", "x", true))
                .isInstanceOf(CaptureUnavailableException.class).hasMessageContaining("CAP_NET_ADMIN");
        assertThat(LiveCapture.activationError(LibPcap.PCAP_ERROR_IFACE_NOT_UP, "eth0", "x", false))
                .isNotInstanceOf(CaptureUnavailableException.class).hasMessage("network interface \"eth0\" is down");
        assertThat(LiveCapture.activationError(LibPcap.PCAP_ERROR, "e\u001b[2Jth0", "bad\nthing", false))
                .as("control characters from the system are not echoed").hasMessage("cannot capture on \"e?[2Jth0\": bad?thing");
    }

    /** A real unprivileged process (uid nobody, no capabilities) gets the one-line permission message. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutPrivilegeOpeningIsCaptureUnavailableNotAStackTrace() {
        NetnsHarness.assumeUsable(); // needs root to drop to another user
        String[] java = NetnsHarness.java(NsTraffic.class, "open", "lo");
        String[] cmd = new String[java.length + 5];
        System.arraycopy(new String[] {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"}, 0, cmd, 0, 5);
        System.arraycopy(java, 0, cmd, 5, java.length);
        NetnsHarness.Result r = NetnsHarness.run(null, cmd);
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).startsWith("unavailable: no permission to capture on \"lo\": run as root")
                .contains("CAP_NET_RAW").doesNotContain("\tat ").doesNotContain("Exception");
    }
}
