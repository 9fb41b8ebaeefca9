package io.bwdoctor.platform.windows;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowsQosProtectionTest {
    private static String decode(List<String> command) {
        assertThat(command.subList(0, 6)).containsExactly("powershell.exe", "-NoProfile", "-NonInteractive",
                "-ExecutionPolicy", "Bypass", "-EncodedCommand");
        return new String(Base64.getDecoder().decode(command.get(6)), StandardCharsets.UTF_16LE);
    }

    @Test
    void applyMarksEachManagementPortAndThrottlesTheRest() {
        var s = new WindowsQosProtection.Settings(List.of(3389, 22), 46, 200_000_000L);
        assertThat(WindowsQosProtection.applyScript(s)).containsExactly(
                "$ErrorActionPreference = 'Stop'",
                "Get-NetQosPolicy -PolicyStore ActiveStore | Where-Object { $_.Name.StartsWith('bwdoctor-', "
                        + "[System.StringComparison]::Ordinal) } | Remove-NetQosPolicy -PolicyStore ActiveStore -Confirm:$false",
                "New-NetQosPolicy -Name 'bwdoctor-mgmt-3389' -PolicyStore ActiveStore -IPPortMatchCondition 3389 "
                        + "-IPProtocolMatchCondition Both -DSCPAction 46 -Precedence 255 | Out-Null",
                "New-NetQosPolicy -Name 'bwdoctor-mgmt-22' -PolicyStore ActiveStore -IPPortMatchCondition 22 "
                        + "-IPProtocolMatchCondition Both -DSCPAction 46 -Precedence 255 | Out-Null",
                "New-NetQosPolicy -Name 'bwdoctor-others' -PolicyStore ActiveStore -Default "
                        + "-ThrottleRateActionBitsPerSecond 200000000 -Precedence 0 | Out-Null");
        assertThat(WindowsQosProtection.applyScript(WindowsQosProtection.Settings.defaults()))
                .noneMatch(l -> l.contains("-Default"));
    }

    @Test
    void removalTouchesOnlyOurPolicies() {
        String script = String.join("\n", WindowsQosProtection.removeScript());
        assertThat(script).contains("StartsWith('bwdoctor-'").doesNotContain("New-NetQosPolicy")
                .doesNotContain("Remove-NetQosPolicy -Name *");
    }

    @Test
    void runsPowershellWithTheEncodedScriptAndReportsFailure() throws Exception {
        List<List<String>> ran = new ArrayList<>();
        var ok = new WindowsQosProtection(WindowsQosProtection.Settings.defaults(), (command, out) -> {
            ran.add(command);
            return 0;
        });
        ok.apply();
        ok.remove();
        assertThat(decode(ran.get(0))).isEqualTo(String.join("\n",
                WindowsQosProtection.applyScript(WindowsQosProtection.Settings.defaults())));
        assertThat(decode(ran.get(1))).isEqualTo(String.join("\n", WindowsQosProtection.removeScript()));

        var failing = new WindowsQosProtection(WindowsQosProtection.Settings.defaults(), (command, out) -> {
            out.add("New-NetQosPolicy : Access is denied.");
            return 1;
        });
        assertThatThrownBy(failing::apply).isInstanceOf(IOException.class)
                .hasMessage("powershell could not apply the QoS policies (exit 1): New-NetQosPolicy : Access is denied.");
    }

    @Test
    void badSettingsAreRefusedAndLimitsAreStated() {
        assertThatThrownBy(() -> new WindowsQosProtection.Settings(List.of(0), 46, 0)).hasMessageContaining("port");
        assertThatThrownBy(() -> new WindowsQosProtection.Settings(List.of(22, 22), 46, 0)).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new WindowsQosProtection.Settings(List.of(22), 64, 0)).hasMessageContaining("DSCP");
        assertThatThrownBy(() -> new WindowsQosProtection.Settings(List.of(22), 46, 100)).hasMessageContaining("cut the host off");
        assertThatThrownBy(() -> new WindowsQosProtection.Settings(List.of(), 46, 0)).hasMessageContaining("at least one");
        assertThat(WindowsQosProtection.onThisHost(WindowsQosProtection.Settings.defaults()).limits())
                .contains("nothing is throttled");
        assertThat(WindowsQosProtection.onThisHost(new WindowsQosProtection.Settings(List.of(3389), 46, 50_000_000))
                .limits()).contains("inbound floods are not limited");
    }
}
