package io.bwdoctor.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.incident.Incident;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sqlite-jdbc extracts its native library to java.io.tmpdir: on a noexec mount the CLI says so in one line and how to
 * fix it (org.sqlite.tmpdir), and with that set it works.
 */
class NoexecTmpTest {
    @Test
    void noexecTmpIsExplainedAndOrgSqliteTmpdirFixesIt(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("bwdoctor.db");
        try (IncidentStore store = IncidentStore.open(db)) {
            store.open(new Incident(0, IncidentStoreTest.T0, null, "eth0", null, 0, 1, List.of(), List.of(), List.of(),
                    null));
        }
        Path noexec = Files.createDirectory(dir.resolve("noexec"));
        String failure = DiskFullTest.run("mount", "-t", "tmpfs", "-o", "size=8m,noexec", "bwdoctor-test",
                noexec.toString());
        Assumptions.assumeTrue(failure == null, () -> "cannot mount a noexec tmpfs (needs root): " + failure);
        try {
            Result broken = cli(noexec, null, db);
            assertThat(broken.exit).as(broken.err).isEqualTo(1);
            assertThat(broken.err).startsWith("bwdoctor: cannot load SQLite's native library, extracted to " + noexec)
                    .contains("org.sqlite.tmpdir").doesNotContain("\tat ");
            assertThat(broken.err.strip().lines()).hasSize(1);

            Result fixed = cli(noexec, dir, db);
            assertThat(fixed.exit).as(fixed.err).isZero();
            assertThat(fixed.out).contains("eth0", "open");
        } finally {
            if (DiskFullTest.run("umount", noexec.toString()) != null) {
                assertThat(DiskFullTest.run("umount", "-l", noexec.toString())).isNull();
            }
        }
    }

    private record Result(int exit, String out, String err) {}

    private static Result cli(Path tmp, Path sqliteTmp, Path db) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp));
        if (sqliteTmp != null) {
            command.add("-Dorg.sqlite.tmpdir=" + sqliteTmp);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.bwdoctor.cli.Main", "incidents",
                "list", "--db", db.toString()));
        Path out = Files.createTempFile(db.getParent(), "out", ".txt");
        Path err = Files.createTempFile(db.getParent(), "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 60 s");
        }
        // (slf4j-api is on the test class path without a provider: its notice is not ours)
        String errors = Files.readString(err, StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("SLF4J")).collect(java.util.stream.Collectors.joining("\n"));
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), errors);
    }
}
