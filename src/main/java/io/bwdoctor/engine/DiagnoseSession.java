package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.IpWords;
import io.bwdoctor.core.diagnose.AddressInfo;
import io.bwdoctor.core.diagnose.Baseline;
import io.bwdoctor.core.intel.AddressScope;
import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.diagnose.DiagnosisBuilder;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.verdict.Classifier;
import io.bwdoctor.core.verdict.Declarations;
import io.bwdoctor.core.verdict.ProcessFacts;
import io.bwdoctor.core.verdict.Verdict;
import io.bwdoctor.platform.linux.PackageOwners;
import io.bwdoctor.platform.linux.Persistence;
import io.bwdoctor.platform.linux.ProcessFactsReader;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One diagnosis: a first look from the kernel's counters, then {@code seconds} of capture and attribution, then
 * identity facts, verdicts, persistence checks for what looks abnormal, and the runbook. Observes only.
 */
public final class DiagnoseSession {
    /**
     * @param country the server's country (ISO code) or null to take it from a public address of this host
     */
    public record Options(List<String> interfaces, Long capBps, int seconds, String country, boolean capture,
                          Supplier<Classifier> classifier, Declarations declarations,
                          Supplier<AddressInfo.Source> intel, AddressScope scope, Persistence persistence,
                          Baseline baseline) {}

    /**
     * Starts loading something slow (rules, geo data: a second or more of class loading and parsing on a small VM)
     * in the background at once, so that it overlaps the sampling; get() waits for it and rethrows its failure.
     */
    public static <T> Supplier<T> preload(Supplier<T> loader) {
        java.util.concurrent.CompletableFuture<T> f = java.util.concurrent.CompletableFuture.supplyAsync(loader,
                r -> Thread.ofPlatform().daemon().name("bwdoctor-preload").start(r));
        return () -> {
            try {
                return f.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        };
    }

    /** Told what is happening, for a progress display. */
    public interface Progress {
        void firstLook(List<QuickLook.Entry> top);

        void second(int done, int total, LiveSnapshot snapshot);

        /** Sampling is over; the report follows. */
        default void done() {}
    }

    private static final boolean TIMING = System.getenv("BWDOCTOR_TIMING") != null;
    private static final long T0 = System.nanoTime();

    private DiagnoseSession() {}

    private static void mark(String what) {
        if (TIMING) {
            System.err.printf("timing: %-24s %7.0f ms%n", what, (System.nanoTime() - T0) / 1e6);
        }
    }

    public static Diagnosis run(Options o, Progress progress) throws InterruptedException {
        long started = System.currentTimeMillis();
        LiveEngine.Config config = new LiveEngine.Config(o.interfaces(), null, o.capBps(), 200_000, 256, 50,
                o.capture(), o.scope());
        PackageOwners packages = new PackageOwners();
        Thread.ofPlatform().daemon().name("bwdoctor-dpkg").start(() -> packages.owner("/")); // index while sampling
        mark("session");
        progress.firstLook(QuickLook.take(5)); // before the capture starts: the answer so far, at once
        mark("first look");
        try (LiveEngine engine = LiveEngine.start(config)) {
            mark("engine started");
            long deadline = System.nanoTime() + o.seconds() * 1_000_000_000L;
            int done = 0;
            while (System.nanoTime() < deadline - 500_000_000L) {
                Thread.sleep(Math.min(1000 - System.currentTimeMillis() % 1000 + 20,
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                progress.second(Math.min(++done, o.seconds()), o.seconds(), engine.snapshot());
            }
            mark("sampled");
            LiveSnapshot last = engine.snapshot(true);
            progress.done();
            double seconds = last.elapsedSeconds(); // since the capture started: what the counts cover
            Map<Integer, ProcessFacts> facts = new HashMap<>();
            if (Platforms.current() == Platforms.Os.WINDOWS) {
                for (LiveSnapshot.ProcessRow p : last.processes()) {
                    engine.windowsFacts(p.pid()).ifPresent(f -> facts.put(p.pid(), f));
                }
            } else {
                ProcessFactsReader reader = new ProcessFactsReader(packages);
                for (LiveSnapshot.ProcessRow p : last.processes()) {
                    engine.describe(p.pid()).ifPresent(info -> facts.put(p.pid(), reader.facts(info)));
                }
            }
            mark("facts");
            String country = o.country() != null ? o.country() : homeCountry(last, o.intel().get());
            List<Diagnosis.Finding> findings = new ArrayList<>(o.persistence().hostFindings());
            DiagnosisBuilder.Inputs in = new DiagnosisBuilder.Inputs(started, seconds, hostName(), country, o.capBps(),
                    last, engine.conversationSummaries(), facts, o.classifier().get(), o.declarations(), o.intel().get(),
                    findings, o.baseline());
            mark("rules and geo ready");
            Diagnosis first = DiagnosisBuilder.build(in);
            mark("built");
            boolean more = false;
            for (Diagnosis.ProcessReport p : first.processes()) { // how each abnormal process comes back
                if (p.classification().verdict() == Verdict.ABNORMAL) {
                    more |= findings.addAll(o.persistence().findingsFor(p.facts().pid(), p.facts().exe(),
                            p.facts().name()));
                }
            }
            return more ? DiagnosisBuilder.build(in) : first;
        }
    }

    /** The country of this host's first public address, or null (behind NAT a VM usually has none). */
    static String homeCountry(LiveSnapshot last, AddressInfo.Source intel) {
        for (LiveSnapshot.InterfaceRow i : last.interfaces()) {
            for (String a : i.addresses()) {
                try {
                    InetAddress addr = InetAddress.ofLiteral(a.substring(0, a.indexOf('/') < 0 ? a.length()
                            : a.indexOf('/')));
                    AddressInfo info = intel.lookup(IpWords.version(addr), IpWords.hi(addr), IpWords.lo(addr));
                    if (info.addressClass().reachesInternet() && info.country() != null) {
                        return info.country();
                    }
                } catch (IllegalArgumentException e) {
                    // an address we cannot parse cannot tell the country either
                }
            }
        }
        return null;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
