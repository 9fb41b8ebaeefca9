package io.bwdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's settings from [guard] in bwdoctor.toml: used where the command line is silent, checked at start. */
class GuardConfigTest {
    @TempDir
    Path dir;

    @Test
    void aBadOrUnknownGuardSettingStopsWithOneLineNamingIt() throws Exception {
        Path cfg = dir.resolve("bad.toml");
        Files.writeString(cfg, "[link]\ncap = \"10Mbps\"\n[guard]\nfor = \"soon\"\n");
        String err = stderrOf(() -> assertThat(Main.execute("guard", "--config", cfg.toString())).isEqualTo(1));
        assertThat(err).contains("[guard] for = soon").doesNotContain("Exception");
        Files.writeString(cfg, "[link]\ncap = \"10Mbps\"\n[guard]\ntreshold = 80\n");
        err = stderrOf(() -> assertThat(Main.execute("guard", "--config", cfg.toString())).isEqualTo(1));
        assertThat(err).contains("[guard] treshold is not a guard setting");
    }

    @Test
    void theConfigurationSuppliesWhatTheCommandLineDoesNotSay() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "the guard reads kernel counters and installs nftables counters: needs root");
        Path db = dir.resolve("from-config.db");
        Path cfg = dir.resolve("ok.toml");
        Files.writeString(cfg, """
                [link]
                cap = "10Mbps"
                [guard]
                db = "%s"
                iface = "lo"
                metrics_listen = "off"
                threshold = 95
                """.formatted(db));
        String err = stderrOf(() -> assertThat(Main.execute("guard", "--config", cfg.toString(), "--seconds", "2",
                "--no-syslog")).isZero());
        assertThat(err).contains("watching lo").contains("above 95%");
        assertThat(db).as("the database named in [guard] db").exists();
    }

    private static String stderrOf(Runnable r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
