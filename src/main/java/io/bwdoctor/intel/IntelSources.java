package io.bwdoctor.intel;

import io.bwdoctor.core.intel.ComposedIntel;
import io.bwdoctor.core.intel.RemoteInfo;
import io.bwdoctor.core.intel.RemoteIntel;
import io.bwdoctor.core.intel.ThreatList;
import io.bwdoctor.core.intel.ThreatLists;
import io.bwdoctor.core.intel.UserNetworks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Loads every offline intel source named by an {@link IntelConfig} and composes them into one {@link RemoteIntel}:
 * geo data (installed, else bundled), the user's networks file, and threat lists. A malformed networks file fails the
 * load (the user's own statements must not be silently dropped); an unusable threat list or installed geo file is
 * skipped with a warning.
 */
public final class IntelSources implements RemoteIntel {
    private static final long MAX_LIST_BYTES = 64L << 20;
    private static final long MAX_NETWORKS_BYTES = 16L << 20;
    private static final int MAX_LINE = 4096;
    private static final String THREAT_DIR = "threat";

    /** A loaded threat list and the file it came from. */
    public record ListFile(Path file, ThreatList list) {}

    private final GeoData.Selection geo;
    private final Path networksFile;
    private final UserNetworks networks;
    private final List<ListFile> threatFiles;
    private final ThreatLists threats;
    private final List<String> warnings;
    private final ComposedIntel composed;

    private IntelSources(GeoData.Selection geo, Path networksFile, UserNetworks networks, List<ListFile> threatFiles,
                         ThreatLists threats, List<String> warnings) {
        this.geo = geo;
        this.networksFile = networksFile;
        this.networks = networks;
        this.threatFiles = threatFiles;
        this.threats = threats;
        this.warnings = warnings;
        this.composed = new ComposedIntel(geo.lookup(), networks, threats);
    }

    /** Throws IOException (one-line message) only for an unreadable or malformed networks file. */
    public static IntelSources load(IntelConfig config) throws IOException {
        List<String> warnings = new ArrayList<>();
        GeoData.Selection geo = GeoData.select(config.dataDir());
        warnings.addAll(geo.warnings());
        Path networksFile = config.networksFile();
        if (networksFile == null && Files.isRegularFile(IntelConfig.DEFAULT_NETWORKS_FILE))
            networksFile = IntelConfig.DEFAULT_NETWORKS_FILE;
        UserNetworks networks = networksFile == null ? UserNetworks.none() : readNetworks(networksFile);
        List<ListFile> files = new ArrayList<>();
        for (Path p : threatListPaths(config)) {
            try {
                files.add(new ListFile(p, readList(p)));
            } catch (IOException | IllegalArgumentException e) {
                warnings.add("threat list " + p + " skipped: " + e.getMessage());
            }
        }
        ThreatLists threats = ThreatLists.of(files.stream().map(ListFile::list).toList(), networks.publicRanges());
        List<ListFile> cleaned = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) cleaned.add(new ListFile(files.get(i).file(), threats.lists().get(i)));
        return new IntelSources(geo, networksFile, networks, List.copyOf(cleaned), threats, List.copyOf(warnings));
    }

    public static UserNetworks readNetworks(Path file) throws IOException {
        try {
            return UserNetworks.parse(TextLines.read(file, MAX_NETWORKS_BYTES, MAX_LINE));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("networks file " + file + ": " + e.getMessage(), e);
        }
    }

    static ThreatList readList(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.(netset|ipset|txt|json)$", "");
        return ThreatList.parse(name, TextLines.read(file, MAX_LIST_BYTES, MAX_LINE));
    }

    /** Configured lists first, then the data directory's threat/*.netset in name order; duplicates once. */
    private static List<Path> threatListPaths(IntelConfig config) throws IOException {
        List<Path> out = new ArrayList<>(config.threatLists());
        Path dir = config.dataDir() == null ? null : config.dataDir().resolve(THREAT_DIR);
        if (dir != null && Files.isDirectory(dir)) {
            TreeSet<Path> found = new TreeSet<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.netset")) {
                for (Path p : s) if (Files.isRegularFile(p)) found.add(p);
            }
            for (Path p : found) if (!out.contains(p)) out.add(p);
        }
        return out;
    }

    @Override
    public RemoteInfo lookup(int version, long hi, long lo) {
        return composed.lookup(version, hi, lo);
    }

    public GeoData.Selection geo() {
        return geo;
    }

    /** The networks file in use, or null. */
    public Path networksFile() {
        return networksFile;
    }

    public UserNetworks networks() {
        return networks;
    }

    public List<ListFile> threatLists() {
        return threatFiles;
    }

    public ThreatLists threats() {
        return threats;
    }

    /** Sources that were passed over, and why. */
    public List<String> warnings() {
        return warnings;
    }
}
