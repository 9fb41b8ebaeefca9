package io.bwdoctor.platform.windows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The guard's management-traffic protection on Windows: Policy-based QoS through the NetQos PowerShell cmdlets
 * (New-NetQosPolicy / Remove-NetQosPolicy, learn.microsoft.com/powershell/module/netqos). One policy per management
 * port (RDP 3389, SSH 22 by default) matches the port as source or destination (-IPPortMatchCondition), TCP and UDP,
 * and marks it with a DSCP value at the highest precedence; optionally a catch-all policy (-Default) throttles every
 * other flow. Policies go to the ActiveStore, which does not survive a reboot, so a crashed guard leaves nothing
 * behind for long. Removal deletes only policies whose names carry our prefix.
 *
 * <p>Honest limits: Windows QoS policies act on traffic this host <em>sends</em>; they cannot slow an inbound flood.
 * A DSCP mark helps only where the network honours it (many cloud networks ignore or rewrite it). What reserves room
 * for RDP/SSH on a saturated uplink is the throttle on everything else. The command construction is pure and tested
 * on Linux; running it has not been tried on a real Windows host.
 */
public final class WindowsQosProtection {
    public static final String PREFIX = "bwdoctor-";

    /**
     * @param ports                management ports to protect (1–65535)
     * @param dscp                 DSCP value for them (0–63; 46 = Expedited Forwarding)
     * @param throttleOthersBps    bits per second allowed for all other outbound traffic; 0 = do not throttle
     */
    public record Settings(List<Integer> ports, int dscp, long throttleOthersBps) {
        public Settings {
            ports = List.copyOf(ports);
            if (ports.isEmpty()) throw new IllegalArgumentException("at least one management port is needed");
            for (int p : ports) {
                if (p < 1 || p > 65535) throw new IllegalArgumentException("port out of range: " + p);
            }
            if (ports.stream().distinct().count() != ports.size()) {
                throw new IllegalArgumentException("duplicate management port in " + ports);
            }
            if (dscp < 0 || dscp > 63) throw new IllegalArgumentException("DSCP must be 0..63: " + dscp);
            if (throttleOthersBps < 0) throw new IllegalArgumentException("throttle must not be negative");
            if (throttleOthersBps > 0 && throttleOthersBps < 8_000) {
                throw new IllegalArgumentException("a throttle below 8 kbit/s would cut the host off: " + throttleOthersBps);
            }
        }

        public static Settings defaults() {
            return new Settings(List.of(3389, 22), 46, 0);
        }
    }

    /** Runs a program and returns its exit status; output goes to the given list. */
    public interface Runner {
        int run(List<String> command, List<String> output) throws IOException, InterruptedException;
    }

    private final Settings settings;
    private final Runner runner;

    public WindowsQosProtection(Settings settings, Runner runner) {
        this.settings = settings;
        this.runner = runner;
    }

    /** Protection with the real powershell.exe. */
    public static WindowsQosProtection onThisHost(Settings settings) {
        return new WindowsQosProtection(settings, WindowsQosProtection::runProcess);
    }

    /** The PowerShell statements that (re)create our policies: stale ones of ours are removed first. */
    public static List<String> applyScript(Settings s) {
        List<String> lines = new ArrayList<>(removeScript());
        for (int port : s.ports()) {
            lines.add("New-NetQosPolicy -Name '" + PREFIX + "mgmt-" + port + "' -PolicyStore ActiveStore"
                    + " -IPPortMatchCondition " + port + " -IPProtocolMatchCondition Both -DSCPAction " + s.dscp()
                    + " -Precedence 255 | Out-Null");
        }
        if (s.throttleOthersBps() > 0) {
            lines.add("New-NetQosPolicy -Name '" + PREFIX + "others' -PolicyStore ActiveStore -Default"
                    + " -ThrottleRateActionBitsPerSecond " + s.throttleOthersBps() + " -Precedence 0 | Out-Null");
        }
        return lines;
    }

    /** Removes every policy of ours (name starting with the prefix) and nothing else. */
    public static List<String> removeScript() {
        return List.of("$ErrorActionPreference = 'Stop'",
                "Get-NetQosPolicy -PolicyStore ActiveStore | Where-Object { $_.Name.StartsWith('" + PREFIX
                        + "', [System.StringComparison]::Ordinal) } | Remove-NetQosPolicy -PolicyStore ActiveStore"
                        + " -Confirm:$false");
    }

    /** powershell.exe with the script passed base64-encoded (UTF-16LE), so no quoting can be misread. */
    public static List<String> command(List<String> script) {
        String encoded = Base64.getEncoder().encodeToString(String.join("\n", script)
                .getBytes(StandardCharsets.UTF_16LE));
        return List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                "-EncodedCommand", encoded);
    }

    /** What this protection can and cannot do, for the guard's report. */
    public String limits() {
        String marking = "marks RDP/SSH ports " + settings.ports() + " with DSCP " + settings.dscp()
                + " (helps only where the network honours DSCP)";
        return settings.throttleOthersBps() > 0
                ? marking + "; throttles all other outbound traffic to " + settings.throttleOthersBps()
                + " bit/s; inbound floods are not limited by host QoS"
                : marking + "; nothing is throttled, so a saturated uplink is not relieved (set a throttle)";
    }

    public void apply() throws IOException, InterruptedException {
        execute(applyScript(settings), "apply the QoS policies");
    }

    public void remove() throws IOException, InterruptedException {
        execute(removeScript(), "remove the QoS policies");
    }

    private void execute(List<String> script, String what) throws IOException, InterruptedException {
        List<String> output = new ArrayList<>();
        int status = runner.run(command(script), output);
        if (status != 0) {
            String last = output.isEmpty() ? "" : ": " + output.getLast();
            throw new IOException("powershell could not " + what + " (exit " + status + ")" + last);
        }
    }

    private static int runProcess(List<String> command, List<String> output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
            reader.lines().limit(200).forEach(output::add);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("powershell did not finish within 60 s");
        }
        return p.exitValue();
    }
}
