package io.bwdoctor.core.diagnose;

import io.bwdoctor.core.live.ConversationSummary;
import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Rates;
import io.bwdoctor.core.verdict.Classification;
import io.bwdoctor.core.verdict.Classifier;
import io.bwdoctor.core.verdict.Declarations;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.ProcessFacts;
import io.bwdoctor.core.verdict.Subject;
import io.bwdoctor.core.verdict.TrafficFacts;
import io.bwdoctor.core.verdict.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Puts a diagnosis together from what the live engine and the platform adapters gathered. Pure. */
public final class DiagnosisBuilder {
    /** Utilisation of the cap from which the link counts as saturated. */
    public static final double SATURATED = 0.9;

    /**
     * Everything a diagnosis is made of.
     *
     * @param last          the engine's final snapshot (interfaces, per-process rates, unattributed)
     * @param conversations every conversation with its owner
     * @param facts         identity facts per pid (missing for processes that could not be read)
     * @param findings      persistence and hiding findings (pid -1 for host-wide ones)
     * @param baseline      the usual public traffic from the guard's history, or null when there is none
     */
    public record Inputs(long startedMillis, double seconds, String host, String homeCountry, Long capBps,
                         LiveSnapshot last, List<ConversationSummary> conversations, Map<Integer, ProcessFacts> facts,
                         Classifier classifier, Declarations declarations, AddressInfo.Source intel,
                         List<Diagnosis.Finding> findings, Baseline baseline) {}

    private DiagnosisBuilder() {}

    public static Diagnosis build(Inputs in) {
        Map<Integer, TrafficFacts> traffic = TrafficProfiles.build(in.conversations(), in.intel(), in.homeCountry(),
                in.seconds());
        long total = 0;
        for (LiveSnapshot.InterfaceRow i : in.last().interfaces()) {
            total += i.rates().totalBytes();
        }
        List<Diagnosis.ProcessReport> processes = new ArrayList<>();
        for (LiveSnapshot.ProcessRow row : in.last().processes()) {
            if (row.rates().totalBytes() == 0) {
                continue;
            }
            ProcessFacts facts = in.facts().getOrDefault(row.pid(), fromRow(row));
            TrafficFacts t = traffic.getOrDefault(row.pid(), TrafficFacts.NONE);
            if (t.totalBytes() == 0) { // counters-only runs have rates but no conversations
                t = new TrafficFacts(row.rates().txBytes(), row.rates().rxBytes(), row.rates().txPackets(),
                        row.rates().rxPackets(), in.seconds(), 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());
            }
            Classification c = in.classifier().classify(new Subject(facts, t, in.declarations().match(facts)));
            double share = total == 0 ? 0 : (double) row.rates().totalBytes() / total;
            processes.add(new Diagnosis.ProcessReport(facts, t, c, share, row.rates(), row.exited()));
        }
        processes.sort(Comparator.comparingLong((Diagnosis.ProcessReport p) -> p.rates().totalBytes()).reversed()
                .thenComparingInt(p -> p.facts().pid()));
        Diagnosis.Link link = link(in);
        Diagnosis.Outcome outcome = outcome(in, processes, link);
        List<Diagnosis.Action> actions = Runbook.actions(processes, link, in.capBps(), in.findings(), outcome,
                in.baseline());
        return new Diagnosis(in.startedMillis(), in.seconds(), in.host(), in.homeCountry(), in.capBps(), outcome, link,
                processes, unattributed(in.last()), actions, in.findings(), coverage(in), Map.of());
    }

    private static List<String> coverage(Inputs in) {
        List<String> gaps = new ArrayList<>(in.last().coverage().gaps());
        gaps.addAll(in.intel().warnings());
        return gaps;
    }

    /** Identity from the snapshot alone, for a process whose /proc entry could not be read in full. */
    static ProcessFacts fromRow(LiveSnapshot.ProcessRow row) {
        String exe = row.exe();
        boolean deleted = exe != null && exe.endsWith(" (deleted)");
        if (deleted) {
            exe = exe.substring(0, exe.length() - " (deleted)".length());
        }
        return new ProcessFacts(Platform.LINUX, row.pid(), row.ppid(), row.name(), exe, exe == null ? null : deleted,
                row.cmdline() == null ? List.of() : List.of(row.cmdline().split(" ")), row.user(), null, null, null,
                null, row.container(), null);
    }

    private static Diagnosis.Link link(Inputs in) {
        List<Diagnosis.InterfaceReport> interfaces = new ArrayList<>();
        long pubTxBps = 0;
        long pubRxBps = 0;
        long peak = 0;
        boolean measured = false;
        for (LiveSnapshot.InterfaceRow i : in.last().interfaces()) {
            interfaces.add(new Diagnosis.InterfaceReport(i.name(), i.addresses(), i.rates(), i.captureDropped()));
            Rates pub = i.publicRates();
            if (pub != null) {
                measured = true;
                pubTxBps += in.seconds() > 0 ? (long) (pub.txBytes() * 8 / in.seconds()) : 0;
                pubRxBps += in.seconds() > 0 ? (long) (pub.rxBytes() * 8 / in.seconds()) : 0;
                peak = Math.max(peak, Math.max(pub.txPeakBps(), pub.rxPeakBps()));
            }
        }
        long[] split = new long[4]; // public tx, public rx, private tx, private rx from the conversations
        for (ConversationSummary c : in.conversations()) {
            boolean pub = in.intel().lookup(c.version(), c.remoteHi(), c.remoteLo()).addressClass().reachesInternet();
            split[pub ? 0 : 2] += c.txBytes();
            split[pub ? 1 : 3] += c.rxBytes();
        }
        if (!measured) { // counters only: no per-packet split, take every byte as public (the cap's worst case)
            for (LiveSnapshot.InterfaceRow i : in.last().interfaces()) {
                pubTxBps += i.rates().txBps10s() == null ? 0 : i.rates().txBps10s();
                pubRxBps += i.rates().rxBps10s() == null ? 0 : i.rates().rxBps10s();
                peak = Math.max(peak, Math.max(i.rates().txPeakBps(), i.rates().rxPeakBps()));
            }
        }
        Double utilisation = in.capBps() == null || in.capBps() == 0 ? null : (double) peak / in.capBps();
        return new Diagnosis.Link(interfaces, split[0], split[1], split[2], split[3], pubTxBps, pubRxBps, peak,
                utilisation);
    }

    private static Diagnosis.Outcome outcome(Inputs in, List<Diagnosis.ProcessReport> processes,
                                             Diagnosis.Link link) {
        LiveSnapshot.Coverage cov = in.last().coverage();
        if (!cov.packetCapture() && !cov.socketTable()) {
            return Diagnosis.Outcome.NOT_OBSERVED;
        }
        if (processes.stream().anyMatch(p -> p.classification().verdict() == Verdict.ABNORMAL)) {
            return Diagnosis.Outcome.ABNORMAL;
        }
        if (link.utilisation() != null && link.utilisation() >= SATURATED) {
            return Diagnosis.Outcome.SATURATED_BUSINESS;
        }
        return Diagnosis.Outcome.HEALTHY;
    }

    private static Diagnosis.Unattributed unattributed(LiveSnapshot last) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        last.unattributed().reasons().forEach((k, r) -> reasons.put(k, r.totalBytes()));
        return new Diagnosis.Unattributed(last.unattributed().rates().txBytes(), last.unattributed().rates().rxBytes(),
                reasons);
    }
}
