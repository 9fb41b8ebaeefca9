package io.bwdoctor.intel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bwdoctor.core.intel.GeoCsv;
import io.bwdoctor.core.intel.GeoKind;
import io.bwdoctor.core.intel.GeoTableBuilder;
import io.bwdoctor.core.intel.ThreatList;
import io.bwdoctor.core.intel.UserNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Untrusted inputs of the intel sources: the only failures allowed are IOException (database files) and
 * IllegalArgumentException (text lines), each with a one-line message. `mvn test` replays the seeds in
 * src/test/resources/.../IntelFuzzTestInputs (one is a valid MaxMind DB written by MmdbWriter); JAZZER_FUZZ=1
 * searches for new inputs.
 */
class IntelFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void mmdbImport(byte[] data) throws IOException {
        Path file = Files.createTempFile("bwdoctor-fuzz", ".mmdb");
        try {
            Files.write(file, data);
            if (!GeoUpdate.isMmdb(file)) return;
            for (GeoKind kind : new GeoKind[] {null, GeoKind.COUNTRY, GeoKind.ASN}) {
                try {
                    MmdbImport.read(file, kind);
                } catch (IOException e) {
                    assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
                }
            }
        } finally {
            Files.delete(file);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void textLines(String text) {
        if (text == null) return; // Jazzer passes null Strings too
        List<String> lines = text.lines().toList();
        try {
            ThreatList.parse("fuzz", lines);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("fuzz line ");
        }
        try {
            UserNetworks.parse(lines);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("line ");
        }
        for (GeoKind kind : GeoKind.values()) {
            GeoCsv csv = new GeoCsv(new GeoTableBuilder(kind));
            try {
                for (String line : lines) csv.accept(line);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).startsWith("line ");
            }
        }
    }
}
