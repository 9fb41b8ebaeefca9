package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.ProcessCatalog;
import io.bwdoctor.core.attribution.SocketTable;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.platform.linux.ProcScanner;
import io.bwdoctor.platform.linux.SockDiag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PlatformsTest {
    @Test
    void osNamesAsJavaReportsThem() {
        assertThat(Platforms.detect("Linux")).isEqualTo(Platforms.Os.LINUX);
        assertThat(Platforms.detect("Windows Server 2022")).isEqualTo(Platforms.Os.WINDOWS);
        assertThat(Platforms.detect("Windows 11")).isEqualTo(Platforms.Os.WINDOWS);
        assertThat(Platforms.detect("Mac OS X")).isEqualTo(Platforms.Os.OTHER);
        assertThat(Platforms.verdictPlatform(Platforms.Os.WINDOWS)).isEqualTo(Platform.WINDOWS);
        assertThat(Platforms.verdictPlatform(Platforms.Os.LINUX)).isEqualTo(Platform.LINUX);
    }

    @Test
    void onLinuxTheLinuxAdaptersAreChosenAndTheWindowsOnesRefuseToStart() throws Exception {
        assumeTrue(Platforms.current() == Platforms.Os.LINUX, "runs on the Linux CI machine");
        try (SocketTable table = Platforms.openSocketTable(Platforms.current(), true)) {
            assertThat(table).isInstanceOf(SockDiag.class);
            assertThat(table.dump()).isNotNull();
        }
        ProcessCatalog catalog = Platforms.openProcessCatalog(Platforms.current());
        assertThat(catalog).isInstanceOf(ProcScanner.class);
        ((ProcScanner) catalog).close();
        assertThatThrownBy(() -> Platforms.openSocketTable(Platforms.Os.WINDOWS, true))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("needs Windows");
        assertThatThrownBy(() -> Platforms.openProcessCatalog(Platforms.Os.WINDOWS))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("needs Windows");
        assertThatThrownBy(() -> Platforms.openSocketTable(Platforms.Os.OTHER, true)).hasMessageContaining("no socket table");
    }
}
