package io.bwdoctor.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.diagnose.Baseline;
import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.storage.IncidentStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir
    Path dir;

    @Test
    void theUsualLevelIsTheAverageOfTheRecordedMinutesOnceThereIsAnHour() throws Exception {
        long now = 1_790_000_000L;
        try (IncidentStore store = IncidentStore.open(dir.resolve("h.db"))) {
            List<Incident.Sample> samples = new ArrayList<>();
            for (long s = now - 30 * 60; s < now; s++) { // half an hour at 10 Mbit/s
                samples.add(new Incident.Sample(s, 10_000_000, 1_000_000, 10_000_000));
            }
            store.recordSeconds("eth0", samples);
            assertThat(History.baseline(store, "eth0", now * 1000)).as("not yet an hour").isNull();
            samples.clear();
            for (long s = now - 3 * 3600; s < now - 3 * 3600 + 40 * 60; s++) { // 40 earlier minutes at 30 Mbit/s
                samples.add(new Incident.Sample(s, 30_000_000, 1_000_000, 30_000_000));
            }
            store.recordSeconds("eth0", samples);
            Baseline b = History.baseline(store, "eth0", now * 1000);
            assertThat(b).isNotNull();
            assertThat(b.minutes()).isBetween(69, 72);
            assertThat(b.avgPublicBps()).isBetween(21_000_000L, 23_000_000L); // (30 * 10 + 40 * 30) / 70 ≈ 21.4
            assertThat(History.baseline(store, "eth1", now * 1000)).as("another interface").isNull();
        }
    }
}
