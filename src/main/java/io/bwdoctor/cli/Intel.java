package io.bwdoctor.cli;

import io.bwdoctor.config.BwdoctorConfig;
import io.bwdoctor.core.diagnose.AddressInfo;
import io.bwdoctor.engine.AddressIntel;
import io.bwdoctor.engine.DiagnoseSession;
import io.bwdoctor.intel.IntelConfig;
import io.bwdoctor.intel.IntelSources;
import io.bwdoctor.core.intel.AddressScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** The remote-address intel a command uses, from the configuration: checked at once, loaded when convenient. */
final class Intel {
    private Intel() {}

    /** Fails now, with the file named, on a bad networks file or provider range. */
    static void check(BwdoctorConfig cfg) throws IOException {
        AddressIntel.parseAll(cfg.providerInternal());
        if (cfg.networksFile() != null) {
            IntelSources.readNetworks(cfg.networksFile());
        }
    }

    /**
     * Which remotes count against the cap, per packet: the networks file's scopes over the address classes (the
     * file is small; the geo data is not needed for this).
     */
    static AddressScope scope(BwdoctorConfig cfg) throws IOException {
        Path file = cfg.networksFile() != null ? cfg.networksFile()
                : Files.isRegularFile(IntelConfig.DEFAULT_NETWORKS_FILE) ? IntelConfig.DEFAULT_NETWORKS_FILE : null;
        return file == null ? AddressScope.classes() : AddressScope.of(IntelSources.readNetworks(file));
    }

    /** Checked now, loaded in the background at once (diagnose: overlaps the sampling). */
    static Supplier<AddressInfo.Source> preload(BwdoctorConfig cfg) throws IOException {
        check(cfg);
        return DiagnoseSession.preload(() -> load(cfg));
    }

    /** Checked now, loaded at the first use (guard: ~30 MB of geo data only once an incident needs it). */
    static Supplier<AddressInfo.Source> lazy(BwdoctorConfig cfg) {
        return new Supplier<>() {
            private AddressInfo.Source loaded;

            @Override
            public synchronized AddressInfo.Source get() {
                if (loaded == null) {
                    loaded = load(cfg);
                }
                return loaded;
            }
        };
    }

    private static AddressInfo.Source load(BwdoctorConfig cfg) {
        try {
            IntelSources sources = IntelSources.load(new IntelConfig(IntelConfig.dataDir(cfg.dataDir()),
                    cfg.networksFile(), cfg.threatLists()));
            return new AddressIntel(sources, cfg.providerInternal()).withWarnings(sources.warnings());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
