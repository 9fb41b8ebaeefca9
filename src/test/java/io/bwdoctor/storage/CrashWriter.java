package io.bwdoctor.storage;

import io.bwdoctor.core.incident.Incident;
import java.nio.file.Path;

/**
 * Child process of {@link CrashSafetyTest}: records one second after another as fast as it can and prints each second
 * once recordSecond has returned (committed). Stops by itself after 30 s in case nobody kills it.
 */
public final class CrashWriter {
    public static void main(String[] args) throws Exception {
        long second = Long.parseLong(args[1]);
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (IncidentStore store = IncidentStore.open(Path.of(args[0]))) {
            System.out.println("open");
            System.out.flush();
            while (System.nanoTime() < deadline) {
                store.recordSecond("eth0", new Incident.Sample(second, second * 3, second * 5, second * 7));
                System.out.println(second++);
                System.out.flush();
            }
        }
    }
}
