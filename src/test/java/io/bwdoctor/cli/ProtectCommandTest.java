package io.bwdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.capture.live.NetnsHarness;
import io.bwdoctor.platform.linux.Protection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `protect` installs and removes (also on SIGTERM), `unprotect` cleans up after a crash, bad ports are exit 2. */
class ProtectCommandTest {
    @TempDir
    Path stateDir;

    @Test
    void badPortNamesAreUsageErrors() {
        AnalyzeCommandTest.Run run = AnalyzeCommandTest.run("protect", "--iface", "eth0", "--ports", "ssh,telnet");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'telnet' is not a port: use ssh, rdp or a number");
        assertThat(AnalyzeCommandTest.run("protect", "--iface", "eth0", "--cap", "fast").exit()).isEqualTo(2);
        assertThat(AnalyzeCommandTest.run("protect", "--help").out()).contains("--ports", "--cap", "--force",
                "Exit codes");
    }

    @Test
    void protectsForSomeSecondsThenPutsBackAndUnprotectCleansUpLeftovers() throws Exception {
        NetnsHarness.assumeUsable();
        try (NetnsHarness net = NetnsHarness.twoNamespaces()) {
            String ns = net.a().namespace();
            String dev = net.a().device();
            String dir = stateDir.toString();
            AnalyzeCommandTest.Run run = AnalyzeCommandTest.run("protect", "--netns", ns, "--iface", dev, "--ports",
                    "ssh,rdp,2222", "--cap", "50Mbit", "--seconds", "1", "--state-dir", dir);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("ports 22,3389,2222", "47.50 Mbit/s", "back to the kernel's default");
            assertThat(qdiscs(ns, dev)).contains("noqueue 0: root");

            Protection.apply(new Protection.Request(dev, List.of(22), null, false, stateDir, ns)); // "crash"
            assertThat(qdiscs(ns, dev)).contains("htb bd01: root");
            AnalyzeCommandTest.Run undo = AnalyzeCommandTest.run("unprotect", "--state-dir", dir);
            assertThat(undo.exit()).as(undo.err()).isZero();
            assertThat(undo.out()).contains(dev + ": priority scheme removed");
            assertThat(qdiscs(ns, dev)).contains("noqueue 0: root");
            assertThat(AnalyzeCommandTest.run("unprotect", "--state-dir", dir).out()).contains("nothing to undo");

            NetnsHarness.runOk(ns, "tc", "qdisc", "add", "dev", dev, "root", "handle", "7:", "tbf", "rate", "1mbit",
                    "burst", "4kb", "latency", "50ms");
            AnalyzeCommandTest.Run refused = AnalyzeCommandTest.run("protect", "--netns", ns, "--iface", dev,
                    "--seconds", "1", "--state-dir", dir);
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("tbf 7:", "--force");
        }
    }

    @Test
    void sigtermRemovesTheProtection() throws Exception {
        NetnsHarness.assumeUsable();
        try (NetnsHarness net = NetnsHarness.twoNamespaces()) {
            String ns = net.a().namespace();
            String dev = net.a().device();
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "protect", "--netns", ns, "--iface",
                    dev, "--seconds", "60", "--state-dir", stateDir.toString()).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                List<String> lines = new ArrayList<>();
                String started = CompletableFuture.supplyAsync(() -> {
                    try {
                        for (String line; (line = out.readLine()) != null; ) {
                            lines.add(line);
                            if (line.contains("press Ctrl-C") || line.contains("removing in")) {
                                return line;
                            }
                        }
                        return String.join("\n", lines);
                    } catch (java.io.IOException e) {
                        return e.toString();
                    }
                }).get(30, TimeUnit.SECONDS);
                assertThat(started).as(String.join("\n", lines)).contains("removing in 60 s");
                assertThat(qdiscs(ns, dev)).contains("htb bd01: root");
                p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of the pipe)
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                String rest = String.join("\n", out.lines().toList());
                assertThat(rest).contains("back to the kernel's default");
                assertThat(qdiscs(ns, dev)).contains("noqueue 0: root");
                assertThat(Files.list(stateDir)).isEmpty();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static String qdiscs(String ns, String dev) {
        return NetnsHarness.runOk(null, "tc", "-n", ns, "qdisc", "show", "dev", dev);
    }
}
