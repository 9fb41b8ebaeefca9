package io.bwdoctor.cli;

import io.bwdoctor.cli.output.RawOutput;
import io.bwdoctor.cli.tui.TopScreen;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.engine.LiveEngine;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** `bwdoctor top`: live traffic by process, connection and remote host (iftop + lsof + nethogs in one). */
@Command(name = "top", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows live traffic by process, by connection and by remote host, with iftop-style rates "
                + "(2 s, 10 s, 40 s averages, cumulative, peak) and what could not be tied to a process.",
                "Needs root (or CAP_NET_RAW + CAP_NET_ADMIN for capture and sockets, CAP_BPF + CAP_PERFMON for eBPF); without them "
                        + "it shows what it can and says at the top what is not covered."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by q, --seconds, SIGINT or SIGTERM", "2:bad usage", "3:internal error"},
        footerHeading = "%nExamples:%n",
        footer = {"  sudo bwdoctor top --cap 5Mbps", "  sudo bwdoctor top --raw --seconds 10 | jq .processes",
                "  sudo bwdoctor top -i eth0 -f 'not port 22'"})
final class TopCommand implements Callable<Integer> {
    @Option(names = {"-i", "--iface"}, paramLabel = "IF", split = ",",
            description = "Interfaces to watch (default: every interface that is up, except loopback; lo on request).")
    List<String> interfaces = List.of();

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", description = "Capture filter, libpcap syntax.")
    String filter;

    @Option(names = "--cap", paramLabel = "RATE", converter = BitRate.class,
            description = "The link's bandwidth cap (e.g. 5Mbps, 100M) for the utilisation bar.")
    Long cap;

    @Option(names = "--raw", description = "No screen: one JSON object per second on standard output "
            + "(newline-delimited; see docs/JSON.md), and a final one on exit.")
    boolean raw;

    @Option(names = "--seconds", paramLabel = "N", description = "Stop after N seconds.")
    Long seconds;

    @Option(names = "--netns", paramLabel = "NAME", description = "Run inside this named network namespace "
            + "(as `ip netns exec NAME`).")
    String netns;

    @Option(names = "--no-capture", description = "Do not capture packets: kernel counters only (cheaper; per process "
            + "only TCP payload bytes). Also what happens without libpcap or without root.")
    boolean noCapture;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "200",
            description = "Connections listed per refresh, busiest first (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--max-flows", paramLabel = "N", defaultValue = "200000",
            description = "Conversations kept in detail (default ${DEFAULT-VALUE}); beyond, the least active fold.")
    int maxFlows;

    private volatile LiveSnapshot latest;
    private volatile Throwable failure;

    @Override
    public Integer call() throws Exception {
        if (seconds != null && seconds <= 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--seconds must be above zero");
        }
        if (!Main.enterNetns(netns)) {
            return Main.EXIT_INPUT;
        }
        LiveEngine.Config config = new LiveEngine.Config(interfaces, filter, cap, Math.max(16, maxFlows), 256,
                connections, !noCapture, null);
        try (LiveEngine engine = LiveEngine.start(config)) {
            return raw ? runRaw(engine) : runScreen(engine);
        }
    }

    private int runRaw(LiveEngine engine) throws InterruptedException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), s -> stop.countDown());
        }
        long deadline = seconds == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long untilNextSecond = 1000 - System.currentTimeMillis() % 1000 + 20;
            boolean stopped = stop.await(untilNextSecond, TimeUnit.MILLISECONDS);
            boolean last = stopped || System.nanoTime() >= deadline;
            RawOutput.write(engine.snapshot(last), out);
            if (last) {
                return 0;
            }
        }
    }

    private int runScreen(LiveEngine engine) throws Exception {
        Thread ticker = Thread.ofPlatform().daemon().name("bwdoctor-tick").start(() -> {
            try {
                while (true) {
                    Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
                    latest = engine.snapshot();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                failure = e; // rethrown by the screen's source, after the terminal is restored
            }
        });
        try (Terminal terminal = TopScreen.systemTerminal()) {
            TopScreen.run(terminal, () -> {
                if (failure != null) {
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                }
                return latest;
            }, Duration.ofMillis(200), seconds);
        } catch (TopScreen.NotFullScreenException e) {
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()) + " (use --raw for a plain output)");
            return Main.EXIT_USAGE;
        } finally {
            ticker.interrupt();
        }
        return 0;
    }
}
