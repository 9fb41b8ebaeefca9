package io.bwdoctor.cli;

import io.bwdoctor.alert.AlertFanout;
import io.bwdoctor.alert.AlertSink;
import io.bwdoctor.alert.LogSink;
import io.bwdoctor.alert.SyslogSink;
import io.bwdoctor.alert.WebhookConfig;
import io.bwdoctor.alert.WebhookSink;
import io.bwdoctor.config.BwdoctorConfig;
import io.bwdoctor.config.ConfigException;
import io.bwdoctor.config.Rules;
import io.bwdoctor.core.protect.ManagementPorts;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.core.verdict.Classifier;
import io.bwdoctor.engine.DiagnoseSession;
import io.bwdoctor.engine.Platforms;
import io.bwdoctor.guard.Guard;
import io.bwdoctor.metrics.GuardMetrics;
import io.bwdoctor.metrics.MetricsServer;
import io.bwdoctor.platform.linux.Persistence;
import io.bwdoctor.platform.linux.Protection;
import io.bwdoctor.platform.linux.ProtectionException;
import io.bwdoctor.storage.IncidentStore;
import io.bwdoctor.storage.StoreException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import io.bwdoctor.core.diagnose.AddressInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** `bwdoctor guard`: the watchdog that records the culprit when the link saturates. */
@Command(name = "guard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watches the uplink once a second from the kernel's counters (no capture while healthy). When "
                + "public traffic stays above the threshold of the cap, opens an incident, takes a deep look (as "
                + "diagnose) and records the culprits, alerts, and closes the incident when the link recovers.",
            "Read incidents with `bwdoctor incidents`. Metrics for Prometheus on 127.0.0.1:9567 by default. Runs "
                + "until SIGINT/SIGTERM; see packaging/ for the systemd unit."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by a signal (or after --seconds)", "1:cannot start (store, interface, protection)",
            "2:bad usage", "3:internal error"})
public final class GuardCommand implements Callable<Integer> {
    @Option(names = "--cap", paramLabel = "RATE", converter = BitRate.class,
            description = "The provider's public-bandwidth cap (required here or as [link] cap in the config).")
    Long cap;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "90",
            description = "Utilisation of the cap that counts as saturated (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--for", paramLabel = "DURATION", defaultValue = "10s", converter = Seconds.class,
            description = "How long it must stay saturated to open an incident (default ${DEFAULT-VALUE}).")
    int openAfter;

    @Option(names = "--close-after", paramLabel = "DURATION", defaultValue = "30s", converter = Seconds.class,
            description = "How long below the threshold closes the incident (default ${DEFAULT-VALUE}).")
    int closeAfter;

    @Option(names = "--deep", paramLabel = "DURATION", defaultValue = "20s", converter = Seconds.class,
            description = "How long the deep look captures when an incident opens (default ${DEFAULT-VALUE}).")
    int deepSeconds;

    @Option(names = {"-i", "--iface"}, paramLabel = "IF",
            description = "The uplink (default: the interface of the default route).")
    String iface;

    @Option(names = "--db", paramLabel = "PATH", description = "Incident database (default /var/lib/bwdoctor/bwdoctor.db).")
    Path db;

    @Option(names = "--protect", paramLabel = "PORTS", arity = "0..1", fallbackValue = "ssh,rdp",
            description = "Give management traffic priority on the uplink while the guard runs: ssh, rdp and port "
                    + "numbers (--protect alone = ssh,rdp). Off by default. See docs/PROTECT.md.")
    String protect;

    @Option(names = "--force-protect", description = "Replace an existing custom qdisc (saved and put back on exit).")
    boolean forceProtect;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9567",
            description = "Prometheus endpoint (default ${DEFAULT-VALUE}; 'off' to disable).")
    String metricsListen;

    @Option(names = "--webhook", paramLabel = "URL", description = "POST a JSON alert when an incident opens and "
            + "closes (docs/ALERTS.md). Nothing is sent anywhere unless given.")
    URI webhook;

    @Option(names = "--webhook-header", paramLabel = "NAME:VALUE", description = "A header for the webhook (a token).")
    String webhookHeader;

    @Option(names = "--no-syslog", description = "Do not send the alerts to the local syslog/journald (/dev/log).")
    boolean noSyslog;

    @Option(names = "--policy", paramLabel = "P", defaultValue = "none", description = "On an abnormal process "
            + "(confidence >= 0.9): none, dry-run (record what it would do) or stop (freeze it with SIGSTOP).")
    String policy;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default "
            + "/etc/bwdoctor/bwdoctor.toml when it exists).")
    Path config;

    @Option(names = "--seconds", paramLabel = "N", description = "Stop after N seconds (tests, trials).")
    int seconds;

    @Option(names = "--netns", paramLabel = "NAME", description = "Run inside this named network namespace.")
    String netns;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BwdoctorConfig cfg;
        Classifier classifier;
        try {
            cfg = BwdoctorConfig.load(config);
            classifier = Rules.classifier(cfg.rulesFile());
            Intel.check(cfg);
            fromConfig(cfg.guard());
        } catch (ConfigException | IllegalArgumentException | IOException e) {
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
            return Main.EXIT_INPUT;
        }
        if (!List.of("none", "dry-run", "stop").contains(policy)) {
            throw usage("--policy must be none, dry-run or stop");
        }
        if (threshold <= 0 || threshold > 1000) {
            throw usage("--threshold is a percentage of the cap, above 0");
        }
        Long capBps = cap != null ? cap : cfg.cap() == null ? null : new BitRate().convert(cfg.cap());
        if (capBps == null) {
            throw usage("give the provider's cap: --cap 100Mbps (or [link] cap in " + BwdoctorConfig.DEFAULT + ")");
        }
        if (!Main.enterNetns(netns)) {
            return Main.EXIT_INPUT;
        }
        String uplink;
        try {
            uplink = iface != null ? iface : !cfg.interfaces().isEmpty() ? cfg.interfaces().get(0)
                    : Platforms.defaultUplink(Platforms.current()).orElse(null);
        } catch (IOException e) {
            System.err.println("bwdoctor: cannot find the default route (" + Safe.terminal(e.getMessage())
                    + "): say which interface to watch with --iface");
            return Main.EXIT_INPUT;
        }
        if (uplink == null) {
            System.err.println("bwdoctor: no default route: say which interface to watch with --iface");
            return Main.EXIT_INPUT;
        }
        List<Integer> ports = null;
        if (protect != null) {
            try {
                ports = ManagementPorts.parse(protect);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        IncidentStore store;
        try {
            store = IncidentStore.open(db != null ? db : windows() ? windowsDefaultDb() : IncidentStore.DEFAULT_PATH);
        } catch (StoreException e) {
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
            return Main.EXIT_INPUT;
        }
        List<AlertSink> sinks = new ArrayList<>(List.of(new LogSink(System.err)));
        if (!noSyslog && !windows()) { // Windows has no /dev/log: the log line goes to the service's output
            sinks.add(new SyslogSink(System.err));
        }
        if (webhook != null) {
            WebhookConfig wc = WebhookConfig.of(webhook);
            if (webhookHeader != null) {
                int colon = webhookHeader.indexOf(':');
                if (colon <= 0) {
                    throw usage("--webhook-header must be NAME:VALUE");
                }
                wc = wc.withHeader(webhookHeader.substring(0, colon).strip(), webhookHeader.substring(colon + 1).strip());
            }
            sinks.add(new WebhookSink(wc, System.err));
        }
        GuardMetrics metrics = new GuardMetrics(new VersionProvider().getVersion()[0]);
        MetricsServer server = null;
        Protection protection = null;
        io.bwdoctor.platform.windows.WindowsQosProtection windowsQos = null;
        Thread unprotectHook = null;
        try (AlertFanout alerts = new AlertFanout(sinks, System.err); store) {
            if (!metricsListen.equalsIgnoreCase("off")) {
                try {
                    server = MetricsServer.start(MetricsServer.parseListen(metricsListen), metrics.registry());
                } catch (IOException | IllegalArgumentException e) {
                    System.err.println("bwdoctor guard: no metrics endpoint (" + Safe.terminal(e.getMessage()) + ")");
                }
            }
            if (ports != null && windows()) {
                windowsQos = io.bwdoctor.platform.windows.WindowsQosProtection.onThisHost(
                        new io.bwdoctor.platform.windows.WindowsQosProtection.Settings(ports, 46,
                                Math.max(8_000, capBps * 90 / 100)));
                windowsQos.apply();
                System.err.println("bwdoctor guard: " + Safe.terminal(windowsQos.limits()));
            } else if (ports != null) {
                try {
                    protection = Protection.apply(new Protection.Request(uplink, ports, capBps, forceProtect, null,
                            netns));
                    unprotectHook = protection.removeOnExit(line -> System.err.println("bwdoctor guard: " + line));
                    System.err.println("bwdoctor guard: management ports " + ports + " protected on " + uplink);
                } catch (ProtectionException e) {
                    System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
                    return Main.EXIT_INPUT;
                }
            }
            DiagnoseSession.Options diagnose = new DiagnoseSession.Options(List.of(uplink), capBps, deepSeconds,
                    cfg.country(), true, () -> classifier, cfg.business(), Intel.lazy(cfg), Intel.scope(cfg),
                    new Persistence(), null);
            Guard guard = new Guard(new Guard.Settings(uplink, capBps, threshold / 100, openAfter, closeAfter,
                    deepSeconds, policy, seconds), store, alerts, metrics, diagnose, System.err);
            for (String name : List.of("INT", "TERM")) {
                Signal.handle(new Signal(name), s -> guard.stop());
            }
            guard.run();
        } finally {
            if (windowsQos != null) {
                windowsQos.remove();
            }
            if (protection != null) {
                Protection.cancelRemoveOnExit(unprotectHook);
                protection.remove().forEach(line -> System.err.println("bwdoctor guard: " + line));
            }
            if (server != null) {
                server.close();
            }
        }
        return 0;
    }

    /**
     * [guard] in bwdoctor.toml: each option's equivalent (threshold, for, close_after, deep, iface, db, protect,
     * metrics_listen, webhook, webhook_header, policy), used where the command line does not give it.
     */
    private void fromConfig(java.util.Map<String, Object> guard) throws ConfigException {
        Seconds duration = new Seconds();
        for (java.util.Map.Entry<String, Object> e : guard.entrySet()) {
            String key = e.getKey();
            String option = "--" + key.replace('_', '-');
            if (spec != null && spec.commandLine().getParseResult() != null
                    && spec.commandLine().getParseResult().hasMatchedOption(option)) {
                continue; // the command line wins
            }
            String v = String.valueOf(e.getValue());
            try {
                switch (key) {
                    case "threshold" -> threshold = Double.parseDouble(v);
                    case "for" -> openAfter = duration.convert(v);
                    case "close_after" -> closeAfter = duration.convert(v);
                    case "deep" -> deepSeconds = duration.convert(v);
                    case "iface" -> iface = v;
                    case "db" -> db = Path.of(v);
                    case "protect" -> protect = v;
                    case "metrics_listen" -> metricsListen = v;
                    case "webhook" -> webhook = URI.create(v);
                    case "webhook_header" -> webhookHeader = v;
                    case "policy" -> policy = v;
                    case "cap" -> {
                        if (cap == null) {
                            cap = new BitRate().convert(v);
                        }
                    }
                    default -> throw new ConfigException("[guard] " + key + " is not a guard setting (threshold, for, "
                            + "close_after, deep, iface, db, protect, metrics_listen, webhook, webhook_header, policy)");
                }
            } catch (IllegalArgumentException | CommandLine.TypeConversionException ex) {
                throw new ConfigException("[guard] " + key + " = " + v + ": " + ex.getMessage());
            }
        }
    }

    private static boolean windows() {
        return io.bwdoctor.engine.Platforms.current() == io.bwdoctor.engine.Platforms.Os.WINDOWS;
    }

    /** %ProgramData%\bwdoctor\bwdoctor.db (not run on real Windows yet). */
    private static Path windowsDefaultDb() {
        String data = System.getenv("ProgramData");
        return Path.of(data != null ? data : "C:\\ProgramData", "bwdoctor", "bwdoctor.db");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(new CommandLine(this), message);
    }

    /** "30s", "2m", "1h" or plain seconds. */
    static final class Seconds implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            int scale = v.endsWith("h") ? 3600 : v.endsWith("m") ? 60 : 1;
            String digits = v.replaceAll("[smh]$", "");
            try {
                int n = Integer.parseInt(digits) * scale;
                if (n < 1 || n > 86_400) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration between 1s and 24h "
                        + "(for example 30s, 2m)");
            }
        }
    }
}
