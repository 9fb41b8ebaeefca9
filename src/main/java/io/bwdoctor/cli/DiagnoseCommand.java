package io.bwdoctor.cli;

import io.bwdoctor.cli.diagnose.Reports;
import io.bwdoctor.config.BwdoctorConfig;
import io.bwdoctor.config.ConfigException;
import io.bwdoctor.config.Rules;
import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.core.verdict.Classifier;
import io.bwdoctor.engine.DiagnoseSession;
import io.bwdoctor.platform.linux.Persistence;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import io.bwdoctor.core.diagnose.AddressInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bwdoctor diagnose`: who is eating the bandwidth, is it bad, and what to do. Observes only; changes nothing. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Finds which processes use the bandwidth, judges each (business, abnormal, cloud agent, "
                + "system, unknown) with evidence, looks up where their remotes are, and says what to do.",
            "Prints a first look from the kernel's counters at once, samples for --seconds, then the report. "
                + "Changes nothing on the system. Root (or CAP_NET_RAW + CAP_NET_ADMIN + CAP_SYS_PTRACE) gives full "
                + "coverage; without it the report says what it could not see."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy (nothing abnormal, link below the cap or no cap given)",
            "4:saturated by business, system or cloud-agent traffic", "5:abnormal process found",
            "6:could not observe (no capture and no socket table)", "1:a configuration or rules file is unreadable",
            "2:bad usage", "3:internal error"})
public final class DiagnoseCommand implements Callable<Integer> {
    @Option(names = "--seconds", paramLabel = "N", defaultValue = "10",
            description = "How long to sample traffic (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = {"-i", "--iface"}, paramLabel = "IF", split = ",",
            description = "Interfaces to watch (default: every interface that is up, except loopback).")
    List<String> interfaces = List.of();

    @Option(names = "--cap", paramLabel = "RATE", converter = BitRate.class,
            description = "The public bandwidth cap, e.g. 5Mbps or 100M (default: [link] cap in the config).")
    Long cap;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "text",
            description = "text, json or markdown (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--json", description = "Same as --format json.")
    boolean json;

    @Option(names = "--lang", paramLabel = "LANG",
            description = "Report language: en, ko or zh (default: the system locale, else English).")
    String lang;

    @Option(names = "--country", paramLabel = "CC",
            description = "This server's country (ISO code) for 'foreign' (default: config, else its public address).")
    String country;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default /etc/bwdoctor/bwdoctor.toml when it exists).")
    Path config;

    @Option(names = "--rules", paramLabel = "FILE", description = "Extra verdict rules (TOML), added to the shipped "
            + "ones; a rule with a shipped id replaces it.")
    Path rules;

    @Option(names = "--no-capture", description = "Kernel counters only (TCP per process; no UDP, no remotes' bytes).")
    boolean noCapture;

    @Option(names = "--netns", paramLabel = "NAME", description = "Run inside this named network namespace.")
    String netns;

    @Option(names = "--db", paramLabel = "PATH", description = "The guard's history, to tell a jump from growth "
            + "(default /var/lib/bwdoctor/bwdoctor.db when it exists; read only).")
    Path db;

    @Option(names = "--rdns", description = "Look up the reverse-DNS names of the busiest processes' public remotes "
            + "(at most 500 ms, in parallel, after sampling; off by default: nothing is sent anywhere without it).")
    boolean rdns;

    @Option(names = {"-q", "--quiet"}, description = "No first look and no progress on standard error.")
    boolean quiet;

    /** The guard's history of the uplink, when a database is there; nothing is created. */
    private io.bwdoctor.core.diagnose.Baseline baseline(List<String> chosen) {
        Path file = db != null ? db : io.bwdoctor.storage.IncidentStore.DEFAULT_PATH;
        String iface = !chosen.isEmpty() ? chosen.get(0)
                : io.bwdoctor.platform.linux.DefaultRoute.iface().orElse(null);
        if (iface == null || !java.nio.file.Files.isRegularFile(file)) {
            return null;
        }
        try (io.bwdoctor.storage.IncidentStore store = io.bwdoctor.storage.IncidentStore.openExisting(file)) {
            return io.bwdoctor.guard.History.baseline(store, iface, System.currentTimeMillis());
        } catch (io.bwdoctor.storage.StoreException e) {
            return null; // history is a help, not a need: the report says "no history"
        }
    }

    private static <T> Supplier<T> constant(T value) {
        return () -> value;
    }

    @Override
    public Integer call() throws Exception {
        if (json) {
            format = "json";
        }
        if (!List.of("text", "json", "markdown", "md").contains(format)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--format must be text, json or markdown");
        }
        if (seconds < 1 || seconds > 3600) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seconds must be between 1 and 3600");
        }
        if (!Reports.supportedLanguage(lang)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--lang must be en, ko or zh");
        }
        BwdoctorConfig cfg;
        Supplier<Classifier> classifier;
        Supplier<AddressInfo.Source> intel;
        try {
            cfg = BwdoctorConfig.load(config);
            Path userRules = rules != null ? rules : cfg.rulesFile();
            classifier = userRules != null ? constant(Rules.classifier(userRules)) // a bad file fails now, not later
                    : DiagnoseSession.preload(() -> Classifier.merged(Rules.shipped(), List.of()));
            intel = Intel.preload(cfg); // a bad networks file or range fails now; the data loads while sampling
        } catch (ConfigException | IllegalArgumentException | java.io.IOException e) {
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
            return Main.EXIT_INPUT;
        }
        Long capBps = cap != null ? cap : cfg.cap() == null ? null : new BitRate().convert(cfg.cap());
        if (!Main.enterNetns(netns)) {
            return Main.EXIT_INPUT;
        }
        DiagnoseSession.Options options = new DiagnoseSession.Options(
                interfaces.isEmpty() ? cfg.interfaces() : interfaces, capBps, seconds,
                country != null ? country : cfg.country(), !noCapture, classifier, cfg.business(), intel,
                Intel.scope(cfg), new Persistence(), baseline(interfaces.isEmpty() ? cfg.interfaces() : interfaces));
        Diagnosis d = DiagnoseSession.run(options, Reports.progress(lang, quiet ? null : System.err));
        if (rdns) {
            d = d.withHostNames(Reports.reverseDns(d));
        }
        Reports.write(d, format, lang, System.out);
        return d.outcome().exitCode();
    }
}
