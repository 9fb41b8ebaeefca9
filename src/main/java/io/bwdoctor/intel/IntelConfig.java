package io.bwdoctor.intel;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the intel comes from. {@code networksFile} null means the default /etc/bwdoctor/networks.txt if it exists;
 * {@code threatLists} are list files the user names, in addition to {@code <dataDir>/threat/*.netset}.
 */
public record IntelConfig(Path dataDir, Path networksFile, List<Path> threatLists) {
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/bwdoctor/intel");
    public static final Path DEFAULT_NETWORKS_FILE = Path.of("/etc/bwdoctor/networks.txt");
    /** Overrides the default data directory (tests, unprivileged use). */
    public static final String DATA_DIR_ENV = "BWDOCTOR_DATA_DIR";

    public IntelConfig {
        threatLists = List.copyOf(threatLists);
    }

    /** The data directory given on the command line, else $BWDOCTOR_DATA_DIR, else /var/lib/bwdoctor/intel. */
    public static Path dataDir(Path given) {
        if (given != null) return given;
        String env = System.getenv(DATA_DIR_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_DATA_DIR;
    }

    public static IntelConfig defaults() {
        return new IntelConfig(dataDir(null), null, List.of());
    }
}
