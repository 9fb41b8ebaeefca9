package io.bwdoctor.bench;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.storage.IncidentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * recordSecond latency (p50/p99/max over N calls after a warm-up) and the database size of one day of one interface.
 * Run: java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:DEPS io.bwdoctor.bench.StoreBench
 * [DIR] [CALLS] — DIR should be on the disk the guard will use (default: java.io.tmpdir).
 */
public final class StoreBench {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")),
                "storebench");
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long start = 1_789_999_980L;
        try (IncidentStore store = IncidentStore.open(dir.resolve("bench.db"))) {
            for (int i = 0; i < 500; i++) { // warm-up (JIT, first pages)
                store.recordSecond("warm0", new Incident.Sample(start + i, i, i, i));
            }
            long[] nanos = new long[calls];
            for (int i = 0; i < calls; i++) {
                Incident.Sample s = new Incident.Sample(start + i, 940_000_000L + i, 31_000_000L + i, 900_000_000L);
                long t = System.nanoTime();
                store.recordSecond("eth0", s);
                nanos[i] = System.nanoTime() - t;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "recordSecond x%d: p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.1f ms%n",
                    calls, nanos[calls / 2] / 1e3, nanos[calls * 9 / 10] / 1e3, nanos[calls * 99 / 100] / 1e3,
                    nanos[calls - 1] / 1e6);
        }
        Path day = dir.resolve("day.db");
        try (IncidentStore store = IncidentStore.open(day)) {
            long t = System.nanoTime();
            for (int i = 0; i < 86_400; i++) { // realistic values: 9- and 8-digit rates that change every second
                long tx = 400_000_000L + (i * 7919L % 500_000_000L);
                store.recordSecond("eth0", new Incident.Sample(start + i, tx, tx / 30, tx - tx / 20));
            }
            double secs = (System.nanoTime() - t) / 1e9;
            store.prune(start * 1000 + 86_400_000L); // checkpoint + truncate the WAL, vacuum nothing (all young)
            System.out.printf(Locale.ROOT, "one day, one interface (86400 seconds + 1440 minutes): %.2f MB in use, "
                    + "file %.2f MB; written in %.1f s%n", store.sizeInUse() / 1e6, Files.size(day) / 1e6, secs);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
