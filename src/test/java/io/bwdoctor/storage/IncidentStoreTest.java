package io.bwdoctor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bwdoctor.core.incident.Incident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentStoreTest {
    static final long T0 = 1_789_999_980_000L; // 2026-09-21T14:13:00Z, a whole minute

    static Incident incident(long start, int seconds, String reportJson) {
        List<Incident.Sample> timeline = new java.util.ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            timeline.add(new Incident.Sample(start / 1000 + i, 900_000_000L + i, 20_000_000L, 880_000_000L + i));
        }
        Incident.Culprit backup = new Incident.Culprit(4242, "rclone", "/usr/bin/rclone", "backup", 0.92,
                List.of("writes to 203.0.113.7:443 at 850 Mb/s", "started by cron at 02:00"), 95_000_000_000L,
                120_000_000L);
        Incident.Culprit web = new Incident.Culprit(17, "nginx", "/usr/sbin/nginx", "serving", 0.6,
                List.of("listens on :443"), 2_000_000_000L, 300_000_000L);
        return new Incident(0, start, null, "eth0", 1_000_000_000L, 0.9, 900_000_000L + seconds - 1, timeline,
                List.of(backup, web), List.of("throttle rclone with --bwlimit 400M", "move the backup window"),
                reportJson);
    }

    @Test
    void incidentRoundTripThroughOpenUpdateAndClose(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("sub/dir/bwdoctor.db");
        long id;
        try (IncidentStore store = IncidentStore.open(db)) {
            assertThat(store.openIncident()).isEmpty();
            Incident first = incident(T0, 5, "{\"partial\":true}");
            id = store.open(first);
            assertThat(id).isPositive();
            assertThat(store.openIncident()).get().extracting(Incident::id).isEqualTo(id);

            Incident more = incident(T0, 12, "{\"rows\":[1,2,3]}");
            Incident updated = new Incident(id, more.startMillis(), null, "eth0", 1_000_000_000L, 0.97, 970_000_000L,
                    more.timeline(), more.culprits().subList(0, 1), List.of("kill it"), more.reportJson());
            store.update(updated);
            store.close(id, T0 + 12_000, null);
            assertThatThrownBy(() -> store.update(updated)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("already closed")
                    .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.NO_SUCH_INCIDENT);
            assertThat(store.openIncident()).isEmpty();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");

        try (IncidentStore store = IncidentStore.openExisting(db)) {
            Incident back = store.get(id).orElseThrow();
            Incident expected = incident(T0, 12, "{\"rows\":[1,2,3]}");
            assertThat(back.startMillis()).isEqualTo(T0);
            assertThat(back.endMillis()).isEqualTo(T0 + 12_000);
            assertThat(back.iface()).isEqualTo("eth0");
            assertThat(back.capBps()).isEqualTo(1_000_000_000L);
            assertThat(back.peakUtilisation()).isEqualTo(0.97);
            assertThat(back.peakBps()).isEqualTo(970_000_000L);
            assertThat(back.timeline()).isEqualTo(expected.timeline());
            assertThat(back.culprits()).containsExactly(expected.culprits().getFirst());
            assertThat(back.actions()).containsExactly("kill it");
            assertThat(back.reportJson()).isEqualTo("{\"rows\":[1,2,3]}");
            assertThat(store.get(id + 1)).isEmpty();
            assertThat(store.list(10)).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo(id);
                assertThat(s.culprits()).isEqualTo(1);
                assertThat(s.topCulprit()).isEqualTo("rclone");
                assertThat(s.note()).isNull();
            });
            assertThatThrownBy(() -> store.recordSecond("eth0", new Incident.Sample(1, 1, 1, 1)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("reading only");
        }
    }

    @Test
    void incidentLeftOpenByACrashIsClosedAtItsLastSecondOnRestart(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("bwdoctor.db");
        long crashed;
        long empty;
        try (IncidentStore store = IncidentStore.open(db)) {
            crashed = store.open(incident(T0, 30, null));
            empty = store.open(new Incident(0, T0 + 60_000, null, "eth1", null, 0, 0, List.of(), List.of(), List.of(),
                    null));
        } // no close(): as after kill -9
        try (IncidentStore store = IncidentStore.open(db)) {
            assertThat(store.openIncident()).get().extracting(Incident::id).isEqualTo(empty);
            assertThat(store.closeStale("guard stopped during the incident")).containsExactly(crashed, empty);
            assertThat(store.openIncident()).isEmpty();
            assertThat(store.get(crashed).orElseThrow().endMillis()).isEqualTo(T0 + 30_000);
            assertThat(store.get(empty).orElseThrow().endMillis()).isEqualTo(T0 + 60_000);
            assertThat(store.summary(crashed).orElseThrow().note()).isEqualTo("guard stopped during the incident");
            assertThat(store.get(empty).orElseThrow().capBps()).isNull();
            assertThat(store.list(1)).extracting(IncidentStore.Summary::id).containsExactly(empty);
            assertThat(store.closeStale("again")).isEmpty();
        }
    }

    @Test
    void secondsRollUpIntoMinutesPerInterface(@TempDir Path dir) throws Exception {
        try (IncidentStore store = IncidentStore.open(dir.resolve("h.db"))) {
            long base = T0 / 1000;
            for (int i = 0; i < 150; i++) { // two whole minutes and half of a third
                store.recordSecond("eth0", new Incident.Sample(base + i, 1000 + i, 10 * i, i % 7));
                store.recordSecond("wg0", new Incident.Sample(base + i, 5, 5, 5));
            }
            store.recordSecond("eth0", new Incident.Sample(base, 999_999, 999_999, 999_999)); // a repeat is ignored
            List<IncidentStore.Minute> minutes = store.history("eth0", T0, T0 + 3_600_000);
            assertThat(minutes).hasSize(3);
            IncidentStore.Minute first = minutes.getFirst();
            assertThat(first.startMillis()).isEqualTo(T0);
            assertThat(first.samples()).isEqualTo(60);
            assertThat(first.avgTxBps()).isEqualTo(1000 + 59 / 2); // (1000+...+1059)/60 = 1029.5, floored
            assertThat(first.maxTxBps()).isEqualTo(1059);
            assertThat(first.maxRxBps()).isEqualTo(590);
            assertThat(first.maxPublicBps()).isEqualTo(6);
            assertThat(minutes.get(2).samples()).isEqualTo(30);
            assertThat(minutes.get(2).maxTxBps()).isEqualTo(1149);
            assertThat(store.history("eth0", T0 + 60_000, T0 + 120_000)).hasSize(1);
            assertThat(store.history("wg0", T0, T0 + 3_600_000)).extracting(IncidentStore.Minute::avgTxBps)
                    .containsExactly(5L, 5L, 5L);
            assertThat(store.history("nope", T0, T0 + 3_600_000)).isEmpty();
            assertThat(store.seconds("eth0", T0, T0 + 10_000)).hasSize(10).first()
                    .isEqualTo(new Incident.Sample(base, 1000, 0, 0));
            assertThat(store.integrityCheck()).isEqualTo("ok");
        }
    }

    @Test
    void refusesFilesItCannotUseWithClearMessages(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.db");
        assertThatThrownBy(() -> IncidentStore.openExisting(missing)).isInstanceOf(StoreException.class)
                .hasMessageContaining("no incident database at " + missing);
        assertThat(missing).doesNotExist();

        Path text = Files.writeString(dir.resolve("notes.txt"), "not a database at all, just some text. ".repeat(50));
        assertThatThrownBy(() -> IncidentStore.openExisting(text)).isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_A_DATABASE);
        assertThatThrownBy(() -> IncidentStore.open(text)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not an SQLite database");

        Path foreign = dir.resolve("foreign.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(x)");
        }
        assertThatThrownBy(() -> IncidentStore.open(foreign)).hasMessageContaining("not bwdoctor's");

        Path newer = dir.resolve("newer.db");
        IncidentStore.open(newer).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> IncidentStore.open(newer)).hasMessageContaining("newer bwdoctor")
                .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.TOO_NEW);

        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        assertThatThrownBy(() -> IncidentStore.open(blocker.resolve("bwdoctor.db")))
                .isInstanceOf(StoreException.class).hasMessageContaining("a file of that name is in the way");

        Path empty = dir.resolve("empty.db");
        Files.createFile(empty);
        assertThatThrownBy(() -> IncidentStore.openExisting(empty)).hasMessageContaining("no bwdoctor data");
    }

    @Test
    void reopeningKeepsSchemaAndPragmas(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("p.db");
        IncidentStore.open(db).close();
        IncidentStore closed = IncidentStore.open(db);
        closed.close();
        assertThatThrownBy(() -> closed.list(1)).isInstanceOf(StoreException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> closed.recordSecond("eth0", new Incident.Sample(1, 1, 1, 1)))
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThat(pragma(s, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(s, "auto_vacuum")).isEqualTo("2"); // INCREMENTAL
            assertThat(pragma(s, "user_version")).isEqualTo("1");
            assertThat(pragma(s, "application_id")).isEqualTo(Integer.toString(Database.APPLICATION_ID));
        }
    }

    private static String pragma(Statement s, String name) throws Exception {
        try (var r = s.executeQuery("PRAGMA " + name)) {
            r.next();
            return r.getString(1);
        }
    }
}
