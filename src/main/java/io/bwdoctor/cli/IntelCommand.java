package io.bwdoctor.cli;

import io.bwdoctor.core.intel.GeoKind;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.intel.GeoData;
import io.bwdoctor.intel.GeoUpdate;
import io.bwdoctor.intel.IntelConfig;
import io.bwdoctor.intel.IntelSources;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/** `bwdoctor intel update|status`: the offline data used to describe remote addresses. */
@Command(name = "intel", mixinStandardHelpOptions = true,
        description = {"Offline data about remote addresses: country and ASN databases, your own networks, threat "
                + "lists. Nothing is looked up online unless you give 'intel update' a URL (or 'diagnose --rdns')."},
        subcommands = {IntelCommand.Update.class, IntelCommand.Status.class})
final class IntelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "update", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Installs a newer country or ASN database in place of the bundled one. Reads MaxMind "
                    + "GeoLite2/GeoIP2 Country, City or ASN, DB-IP lite, IPinfo and ip-location-db .mmdb files, and "
                    + "ip-location-db CSV (start,end,country or start,end,asn,organisation); plain, .gz or MaxMind's "
                    + ".tar.gz. The data is converted, checked, and replaced atomically."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:installed", "1:the source could not be read or is not usable data", "2:bad usage"},
            footerHeading = "%nExamples:%n",
            footer = {"  sudo bwdoctor intel update --from GeoLite2-Country.mmdb",
                    "  sudo bwdoctor intel update --from https://cdn.jsdelivr.net/npm/@ip-location-db/asn-mmdb/asn.mmdb"})
    static final class Update implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "FILE|URL",
                description = "The database file, or an http(s) URL to download it from (at most 256 MiB, 5 min).")
        String from;

        @Option(names = "--kind", defaultValue = "auto", paramLabel = "KIND",
                description = "country, asn or auto (default: judged from the file).")
        String kind;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Where to install (default: "
                + "$BWDOCTOR_DATA_DIR, else /var/lib/bwdoctor/intel).")
        Path dataDir;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            GeoKind k = switch (kind.toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> null;
                case "country" -> GeoKind.COUNTRY;
                case "asn" -> GeoKind.ASN;
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--kind must be country, asn or auto, not '" + kind + "'");
            };
            Path dir = IntelConfig.dataDir(dataDir);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            if (GeoUpdate.isUrl(from)) out.println("downloading " + Safe.terminal(from));
            try {
                GeoUpdate.Installed done = new GeoUpdate(dir, GeoUpdate.Limits.DEFAULT).install(from, k);
                out.printf("installed %s data from %s (%s): %d labels, %d IPv4 + %d IPv6 ranges from %d records "
                                + "(%d skipped) -> %s%n", done.kind().key(), Safe.terminal(from), done.format(),
                        done.table().labelCount(), done.table().ipv4().size(), done.table().ipv6().size(),
                        done.table().sourceRecords(), done.table().skipped(), done.file());
                return 0;
            } catch (IOException e) {
                System.err.println("bwdoctor: intel update: " + Safe.terminal(e.getMessage()));
                return Main.EXIT_INPUT;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Shows which intel data is in use: bundled or installed geo data with dates and counts, "
                    + "your networks file, threat lists.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "1:the networks file could not be read", "2:bad usage"})
    static final class Status implements Callable<Integer> {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: "
                + "$BWDOCTOR_DATA_DIR, else /var/lib/bwdoctor/intel).")
        Path dataDir;

        @Option(names = "--networks", paramLabel = "FILE",
                description = "Networks file (default: /etc/bwdoctor/networks.txt if it exists).")
        Path networks;

        @Option(names = "--threat-list", paramLabel = "FILE", description = "A threat list file (repeatable), in "
                + "addition to DIR/threat/*.netset.")
        List<Path> threatLists = new ArrayList<>();

        @Option(names = "--json", description = "One JSON object.")
        boolean json;

        @Override
        public Integer call() {
            IntelSources sources;
            try {
                sources = IntelSources.load(new IntelConfig(IntelConfig.dataDir(dataDir), networks, threatLists));
            } catch (IOException e) {
                System.err.println("bwdoctor: intel status: " + Safe.terminal(e.getMessage()));
                return Main.EXIT_INPUT;
            }
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            Map<String, Object> status = status(sources, IntelConfig.dataDir(dataDir));
            if (json) {
                out.println(JsonMapper.builder().build().writeValueAsString(status));
                return 0;
            }
            out.println("data directory: " + Safe.terminal(String.valueOf(status.get("data_dir"))));
            part(out, "country", sources.geo().country());
            part(out, "asn", sources.geo().asn());
            out.println("networks:       " + (sources.networksFile() == null ? "none"
                    : Safe.terminal(sources.networksFile().toString()) + " (" + sources.networks().size()
                    + " networks)"));
            if (sources.threatLists().isEmpty()) {
                out.println("threat lists:   none");
            }
            for (IntelSources.ListFile l : sources.threatLists()) {
                out.printf("threat list:    %s: %d entries, dated %s (%s)%n", Safe.terminal(l.list().name()),
                        l.list().entries(), l.list().date() == null ? "unknown" : Safe.terminal(l.list().date()),
                        Safe.terminal(l.file().toString()));
            }
            for (String w : sources.warnings()) out.println("warning:        " + Safe.terminal(w));
            return 0;
        }

        private static void part(PrintStream out, String kind, GeoData.Part p) {
            String where = "bundled".equals(p.origin()) ? "bundled (" + GeoData.bundledVersion() + ")"
                    : "installed " + Safe.terminal(p.origin());
            out.printf("%-15s %s: %d labels, %d IPv4 + %d IPv6 ranges%n", kind + ":", where, p.labels(),
                    p.ipv4Ranges(), p.ipv6Ranges());
            Map<String, Object> m = p.metadata();
            if (!m.isEmpty()) {
                out.printf("%-15s from %s, installed %s%s%n", "", Safe.terminal(String.valueOf(m.get("source"))),
                        Safe.terminal(String.valueOf(m.get("installed"))), m.get("source_built") == null ? ""
                                : ", source built " + Safe.terminal(String.valueOf(m.get("source_built"))));
            }
        }

        private static Map<String, Object> status(IntelSources s, Path dataDir) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("data_dir", dataDir.toString());
            out.put("bundled_version", GeoData.bundledVersion());
            out.put("country", part(s.geo().country()));
            out.put("asn", part(s.geo().asn()));
            Map<String, Object> nets = new LinkedHashMap<>();
            nets.put("file", s.networksFile() == null ? null : s.networksFile().toString());
            nets.put("count", s.networks().size());
            out.put("networks", nets);
            List<Map<String, Object>> lists = new ArrayList<>();
            for (IntelSources.ListFile l : s.threatLists()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", l.list().name());
                m.put("file", l.file().toString());
                m.put("date", l.list().date());
                m.put("entries", l.list().entries());
                lists.add(m);
            }
            out.put("threat_lists", lists);
            out.put("warnings", s.warnings());
            return out;
        }

        private static Map<String, Object> part(GeoData.Part p) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("origin", p.origin());
            m.put("labels", p.labels());
            m.put("ipv4_ranges", p.ipv4Ranges());
            m.put("ipv6_ranges", p.ipv6Ranges());
            m.put("metadata", p.metadata());
            return m;
        }
    }
}
