package io.bwdoctor.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.incident.Incident;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments while a child JVM records seconds: after each kill the database is intact, holds every
 * second the child saw committed, and at most the one second that was committed but not yet printed.
 */
class CrashSafetyTest {
    private static final int ROUNDS = 6;

    @Test
    void killNineLosesNothingCommitted(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("crash.db");
        SplittableRandom random = new SplittableRandom(20261130);
        long next = IncidentStoreTest.T0 / 1000;
        TreeSet<Long> expected = new TreeSet<>();
        List<String> rounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            // the first round may die while the JVM starts or the schema is created; later ones mid-stream
            long delayMs = round == 0 ? random.nextLong(100, 900) : random.nextLong(50, 700);
            // stdout goes to a file: what the child wrote before the kill is all there, no pipe or reader in between
            Path printed = dir.resolve("round-" + round + ".out");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    // a killed JVM leaves its extracted native library behind: keep it in the test's directory
                    "-Dorg.sqlite.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                    CrashWriter.class.getName(), db.toString(), Long.toString(next))
                    .redirectOutput(printed.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long waitStart = System.nanoTime();
                if (round > 0) { // wait until it writes, then let it run a random while
                    while (!Files.readString(printed).contains("open\n")
                            && System.nanoTime() - waitStart < 20_000_000_000L && child.isAlive()) {
                        Thread.sleep(5);
                    }
                }
                Thread.sleep(delayMs);
            } finally {
                child.destroyForcibly(); // SIGKILL on Linux
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            List<Long> reported = completeLines(Files.readAllBytes(printed));
            expected.addAll(reported);

            try (IncidentStore store = IncidentStore.open(db)) {
                assertThat(store.integrityCheck()).isEqualTo("ok");
                TreeSet<Long> present = new TreeSet<>();
                for (Incident.Sample s : store.seconds("eth0", 0, Long.MAX_VALUE / 2)) {
                    present.add(s.epochSecond());
                    assertThat(s.txBps()).isEqualTo(s.epochSecond() * 3);
                }
                assertThat(present).as("round %d: every second reported committed is there", round)
                        .containsAll(expected);
                TreeSet<Long> extra = new TreeSet<>(present);
                extra.removeAll(expected);
                long lastReported = reported.isEmpty() ? next - 1 : reported.getLast();
                assertThat(extra).as("round %d: only the second after the last one printed may be unreported", round)
                        .isSubsetOf(List.of(lastReported + 1));
                expected.addAll(extra);
                int minuteSamples = store.history("eth0", 0, Long.MAX_VALUE / 2).stream()
                        .mapToInt(IncidentStore.Minute::samples).sum();
                assertThat(minuteSamples).as("the rollup agrees with the seconds").isEqualTo(present.size());
                rounds.add("killed after " + delayMs + " ms: " + reported.size() + " committed"
                        + (extra.isEmpty() ? "" : " +1 unreported"));
                next = present.isEmpty() ? next : present.last() + 1;
            }
        }
        System.out.println("CrashSafetyTest: " + String.join("; ", rounds) + "; total " + expected.size()
                + " seconds, integrity ok");
        assertThat(expected.size()).as("the children must have written something to kill").isGreaterThan(ROUNDS);
    }

    /** The numbers on lines the child finished printing (a line cut by the kill is not a report). */
    private static List<Long> completeLines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<Long> out = new ArrayList<>();
        int end = text.lastIndexOf('\n');
        for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
            if (!line.equals("open")) {
                out.add(Long.parseLong(line));
            }
        }
        return out;
    }
}
