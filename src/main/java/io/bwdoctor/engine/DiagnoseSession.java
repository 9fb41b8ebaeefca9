package io.bwdoctor.engine;

import io.bwdoctor.core.attribution.IpWords;
import io.bwdoctor.core.diagnose.AddressInfo;
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

/**
 * One diagnosis: a first look from the kernel's counters, then {@code seconds} of capture and attribution, then
 * identity facts, verdicts, persistence checks for what looks abnormal, and the runbook. Observes only.
 */
public final class DiagnoseSession {
    /**
     * @param country the server's country (ISO code) or null to take it from a public address of this host
     */
    public record Options(List<String> interfaces, Long capBps, int seconds, String country, boolean capture,
                          Classifier classifier, Declarations declarations, AddressInfo.Source intel,
                          Persistence persistence) {}

    /** Told what is happening, for a progress display. */
    public interface Progress {
        void firstLook(List<QuickLook.Entry> top);

        void second(int done, int total, LiveSnapshot snapshot);

        /** Sampling is over; the report follows. */
        default void done() {}
    }

    private DiagnoseSession() {}

    public static Diagnosis run(Options o, Progress progress) throws InterruptedException {
        long started = System.currentTimeMillis();
        LiveEngine.Config config = new LiveEngine.Config(o.interfaces(), null, o.capBps(), 200_000, 256, 50,
                o.capture());
        try (LiveEngine engine = LiveEngine.start(config)) {
            progress.firstLook(QuickLook.take(5));
            long deadline = System.nanoTime() + o.seconds() * 1_000_000_000L;
            int done = 0;
            while (System.nanoTime() < deadline - 500_000_000L) {
                Thread.sleep(Math.min(1000 - System.currentTimeMillis() % 1000 + 20,
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                progress.second(++done, o.seconds(), engine.snapshot());
            }
            LiveSnapshot last = engine.snapshot(true);
            progress.done();
            double seconds = (System.currentTimeMillis() - started) / 1000.0;
            Map<Integer, ProcessFacts> facts = new HashMap<>();
            if (Platforms.current() == Platforms.Os.WINDOWS) {
                for (LiveSnapshot.ProcessRow p : last.processes()) {
                    engine.windowsFacts(p.pid()).ifPresent(f -> facts.put(p.pid(), f));
                }
            } else {
                ProcessFactsReader reader = new ProcessFactsReader(new PackageOwners());
                for (LiveSnapshot.ProcessRow p : last.processes()) {
                    engine.describe(p.pid()).ifPresent(info -> facts.put(p.pid(), reader.facts(info)));
                }
            }
            String country = o.country() != null ? o.country() : homeCountry(last, o.intel());
            List<Diagnosis.Finding> findings = new ArrayList<>(o.persistence().hostFindings());
            DiagnosisBuilder.Inputs in = new DiagnosisBuilder.Inputs(started, seconds, hostName(), country, o.capBps(),
                    last, engine.conversationSummaries(), facts, o.classifier(), o.declarations(), o.intel(),
                    findings);
            Diagnosis first = DiagnosisBuilder.build(in);
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
