package io.bwdoctor.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.incident.Incident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private static final long NOW = IncidentStoreTest.T0;
    private static final long DAY = 86_400_000L;

    private static Incident.Sample at(long millis) {
        return new Incident.Sample(millis / 1000, 1, 2, 3);
    }

    private static long closed(IncidentStore store, long start, long end) throws StoreException {
        long id = store.open(IncidentStoreTest.incident(start, 3, "{}"));
        store.close(id, end, null);
        return id;
    }

    @Test
    void prunesEachKindByItsAge(@TempDir Path dir) throws Exception {
        try (IncidentStore store = IncidentStore.open(dir.resolve("age.db"))) {
            for (long ago : new long[] {100 * DAY, 3 * DAY, 2 * DAY + 1000, 2 * DAY - 1000, DAY}) {
                store.recordSecond("eth0", at(NOW - ago));
            }
            long old = closed(store, NOW - 400 * DAY, NOW - 366 * DAY);
            long recent = closed(store, NOW - 300 * DAY, NOW - 300 * DAY + 60_000);
            long open = store.open(IncidentStoreTest.incident(NOW - 500 * DAY, 3, null));

            store.prune(NOW);

            assertThat(store.seconds("eth0", 0, NOW)).extracting(Incident.Sample::epochSecond)
                    .containsExactly((NOW - 2 * DAY + 1000) / 1000, (NOW - DAY) / 1000);
            assertThat(store.history("eth0", 0, NOW)).extracting(IncidentStore.Minute::startMillis)
                    .containsExactly(NOW - 3 * DAY, NOW - 2 * DAY - 60_000, NOW - 2 * DAY, NOW - DAY);
            assertThat(store.get(old)).isEmpty();
            assertThat(store.get(recent)).isPresent();
            assertThat(store.get(open)).isPresent(); // never deleted while open
            assertThat(store.integrityCheck()).isEqualTo("ok");
        }
    }

    @Test
    void prunesBySizeSecondsFirstThenMinutesThenIncidents(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("size.db");
        long base = NOW / 1000 - 15_000;
        long first;
        long second;
        long open;
        try (IncidentStore store = IncidentStore.open(db)) {
            List<Incident.Sample> hours = new java.util.ArrayList<>();
            for (int i = 0; i < 15_000; i++) { // 4 hours of one interface
                hours.add(new Incident.Sample(base + i, 1_000_000L * i, 7 * i, 3 * i));
            }
            store.recordSeconds("eth0", hours.subList(0, 14_000));
            for (int i = 14_000; i < 15_000; i++) {
                store.recordSecond("eth0", hours.get(i));
            }
            first = closed(store, NOW - 3 * DAY, NOW - 3 * DAY + 1000);
            second = closed(store, NOW - 2 * DAY, NOW - 2 * DAY + 1000);
            open = store.open(IncidentStoreTest.incident(NOW - DAY, 200, "{\"big\":\"" + "x".repeat(20_000) + "\"}"));
            store.prune(NOW); // within the default limits: nothing goes
            assertThat(store.seconds("eth0", 0, NOW)).hasSize(15_000);
            assertThat(store.sizeInUse()).isGreaterThan(300_000);
        }

        Retention half = new Retention(Duration.ofDays(2), Duration.ofDays(90), Duration.ofDays(365), 200_000);
        try (IncidentStore store = IncidentStore.open(db, half)) {
            store.prune(NOW);
            assertThat(store.sizeInUse()).isLessThanOrEqualTo(200_000);
            assertThat(Files.size(db)).as("free pages went back to the file system").isLessThanOrEqualTo(200_000);
            List<Incident.Sample> kept = store.seconds("eth0", 0, NOW);
            assertThat(kept).isNotEmpty().hasSizeLessThan(15_000);
            assertThat(kept.getLast().epochSecond()).as("the newest seconds stay").isEqualTo(base + 14_999);
            assertThat(kept.getFirst().epochSecond()).isEqualTo(base + 15_000 - kept.size());
            assertThat(store.history("eth0", 0, NOW)).as("all minutes stay")
                    .hasSize((int) ((base + 14_999) / 60 - base / 60 + 1));
            assertThat(store.list(10)).hasSize(3);
        }

        Retention tiny = new Retention(Duration.ofDays(2), Duration.ofDays(90), Duration.ofDays(365), 60_000);
        try (IncidentStore store = IncidentStore.open(db, tiny)) {
            store.prune(NOW);
            assertThat(store.seconds("eth0", 0, NOW)).isEmpty();
            assertThat(store.history("eth0", 0, NOW)).isEmpty();
            assertThat(store.get(first)).isEmpty();
            assertThat(store.get(second)).isEmpty();
            assertThat(store.get(open)).as("an open incident is never pruned").isPresent();
            assertThat(store.integrityCheck()).isEqualTo("ok");
        }
    }
}
