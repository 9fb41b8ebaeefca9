package io.bwdoctor.core.diagnose;

import io.bwdoctor.core.live.Rates;
import io.bwdoctor.core.verdict.Classification;
import io.bwdoctor.core.verdict.ProcessFacts;
import io.bwdoctor.core.verdict.Remote;
import io.bwdoctor.core.verdict.TrafficFacts;
import java.util.List;
import java.util.Map;

/**
 * The whole answer of `bwdoctor diagnose`: how full the link is, which processes use it and what each of them is,
 * what could not be attributed, and what to do, in order. Built by {@link DiagnosisBuilder}; rendered by the CLI.
 * Strings from the system or the wire are raw here.
 *
 * @param seconds        how long traffic was sampled
 * @param homeCountry    the server's country used for "foreign", or null when unknown
 * @param capBps         the public-bandwidth cap in bits per second, or null when not configured
 * @param coverage       what the sources could not see (shown at the top)
 * @param findings       host-wide facts found while checking persistence and hiding (ld.so.preload, cron...)
 * @param hostNames      reverse-DNS names of remote addresses, only when asked for (--rdns); empty otherwise
 */
public record Diagnosis(long startedMillis, double seconds, String host, String homeCountry, Long capBps,
                        Outcome outcome, Link link, List<ProcessReport> processes, Unattributed unattributed,
                        List<Action> actions, List<Finding> findings, List<String> coverage,
                        Map<String, String> hostNames) {
    public Diagnosis {
        hostNames = Map.copyOf(hostNames);
        processes = List.copyOf(processes);
        actions = List.copyOf(actions);
        findings = List.copyOf(findings);
        coverage = List.copyOf(coverage);
    }

    /** The same diagnosis with the remotes' reverse-DNS names. */
    public Diagnosis withHostNames(Map<String, String> names) {
        return new Diagnosis(startedMillis, seconds, host, homeCountry, capBps, outcome, link, processes,
                unattributed, actions, findings, coverage, names);
    }

    /** What the exit code reports. */
    public enum Outcome {
        HEALTHY(0), SATURATED_BUSINESS(4), ABNORMAL(5), NOT_OBSERVED(6);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Link utilisation. Public and private traffic apart: only public traffic counts against a public-bandwidth cap.
     *
     * @param publicPeakBps  busiest second of public traffic in the busier direction (the cap applies per direction)
     * @param utilisation    public peak / cap, or null without a cap
     */
    public record Link(List<InterfaceReport> interfaces, long publicTxBytes, long publicRxBytes, long privateTxBytes,
                       long privateRxBytes, long publicTxBps, long publicRxBps, long publicPeakBps,
                       Double utilisation) {
        public Link {
            interfaces = List.copyOf(interfaces);
        }
    }

    /** One interface: its rates over the sample and the capture's losses. */
    public record InterfaceReport(String name, List<String> addresses, Rates rates, long captureDropped) {}

    /** A process with traffic, its verdict, and its remotes (busiest first, possibly truncated). */
    public record ProcessReport(ProcessFacts facts, TrafficFacts traffic, Classification classification,
                                double share, Rates rates, boolean exited) {
        public List<Remote> remotes() {
            return traffic.remotes();
        }
    }

    /** Bytes no process could be tied to, by reason (interface total = processes + this). */
    public record Unattributed(long txBytes, long rxBytes, Map<String, Long> bytesByReason) {}

    /**
     * One step of the runbook. {@code key} names a message ("action.&lt;key&gt;") whose {placeholders} come from
     * {@code facts}; {@code commands} are exact shell commands to run (the diagnosis itself never runs them).
     *
     * @param pid the process it is about, or -1
     */
    public record Action(int priority, String key, int pid, Map<String, String> facts, List<String> commands) {
        public Action {
            facts = Map.copyOf(facts);
            commands = List.copyOf(commands);
        }
    }

    /** A fact about the host found while looking for persistence or hiding: a file, a line, and why it matters. */
    public record Finding(String key, String path, int line, String text, int pid) {}
}
