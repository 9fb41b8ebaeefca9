package io.bwdoctor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bwdoctor.core.incident.Incident;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a 2 MB tmpfs: a full disk is reported as DISK_FULL, corrupts nothing, and recording resumes once space is back;
 * a read-only file system is refused with a clear message for writing and still read.
 */
class DiskFullTest {
    @Test
    void fullDiskIsReportedThenRecordingResumes(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("tiny"));
        String failure = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "bwdoctor-test", mnt.toString());
        Assumptions.assumeTrue(failure == null, () -> "cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN): "
                + failure);
        try {
            Path db = mnt.resolve("bwdoctor.db");
            Path filler = mnt.resolve("filler");
            long second = IncidentStoreTest.T0 / 1000;
            int committed = 0;
            try (IncidentStore store = IncidentStore.open(db)) {
                for (int i = 0; i < 100; i++, committed++) {
                    store.recordSecond("eth0", new Incident.Sample(second++, 1, 2, 3));
                }
                fill(filler);
                StoreException full = null;
                for (int i = 0; i < 200_000 && full == null; i++) {
                    try {
                        store.recordSecond("eth0", new Incident.Sample(second, 1, 2, 3));
                        second++;
                        committed++;
                    } catch (StoreException e) {
                        full = e;
                    }
                }
                assertThat(full).as("recordSecond must report the full disk").isNotNull();
                assertThat(full.kind()).as(full.getMessage()).isEqualTo(StoreException.Kind.DISK_FULL);
                assertThat(full.isTransient()).isTrue();
                assertThat(full.getMessage()).contains("disk full", db.toString());
                StoreException again = null; // the guard keeps calling once a second: each call reports the same
                try {
                    store.recordSecond("eth0", new Incident.Sample(second, 1, 2, 3));
                } catch (StoreException e) {
                    again = e;
                }
                assertThat(again).isNotNull().extracting(StoreException::kind).isEqualTo(StoreException.Kind.DISK_FULL);
                assertThat(store.integrityCheck()).isEqualTo("ok");
                assertThat(store.seconds("eth0", 0, Long.MAX_VALUE / 2)).hasSize(committed);

                Files.delete(filler);
                for (int i = 0; i < 100; i++, committed++) {
                    store.recordSecond("eth0", new Incident.Sample(second++, 1, 2, 3));
                }
                assertThat(store.seconds("eth0", 0, Long.MAX_VALUE / 2)).hasSize(committed);
            }
            try (IncidentStore store = IncidentStore.open(db)) {
                assertThat(store.integrityCheck()).isEqualTo("ok");
                assertThat(store.seconds("eth0", 0, Long.MAX_VALUE / 2)).hasSize(committed);
                assertThat(store.history("eth0", 0, Long.MAX_VALUE / 2).stream()
                        .mapToInt(IncidentStore.Minute::samples).sum()).isEqualTo(committed);
            }
        } finally {
            if (run("umount", mnt.toString()) != null) { // still busy: detach it anyway, never leave it mounted
                assertThat(run("umount", "-l", mnt.toString())).as("unmounting the test tmpfs").isNull();
            }
        }
    }

    /** (Linux refuses to remount a file system read-only while a file on it is open for writing.) */
    @Test
    void readOnlyFileSystemIsRefusedForWritingAndStillReadable(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("ro"));
        String failure = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "bwdoctor-test", mnt.toString());
        Assumptions.assumeTrue(failure == null, () -> "cannot mount a tmpfs (needs root or CAP_SYS_ADMIN): " + failure);
        try {
            Path db = mnt.resolve("bwdoctor.db");
            try (IncidentStore store = IncidentStore.open(db)) {
                store.recordSecond("eth0", new Incident.Sample(IncidentStoreTest.T0 / 1000, 1, 2, 3));
            }
            assertThat(run("mount", "-o", "remount,ro", mnt.toString())).isNull();
            assertThatThrownBy(() -> IncidentStore.open(db)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("mounted read-only")
                    .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.READ_ONLY);
            try (IncidentStore store = IncidentStore.openExisting(db)) { // e.g. a copy on read-only media
                assertThat(store.seconds("eth0", 0, Long.MAX_VALUE / 2)).hasSize(1);
            }
        } finally {
            if (run("umount", mnt.toString()) != null) {
                assertThat(run("umount", "-l", mnt.toString())).as("unmounting the test tmpfs").isNull();
            }
        }
    }

    private static void fill(Path filler) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1024; i++) { // 4 MB at most on a 2 MB file system
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            return; // No space left on device
        }
        throw new AssertionError("the 2 MB tmpfs did not fill up");
    }

    /** Runs a command; null when it succeeded, else its error output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}
