package io.bwdoctor.core.live;

import java.util.List;
import java.util.Map;

/**
 * What a live view shows at one refresh: interface totals, and the traffic by process, by connection and by remote
 * host, plus what could not be tied to a process. Immutable; built once a second by the live engine and handed to
 * front ends (terminal UI, --raw JSON, metrics). All strings from the system or the wire are raw here: front ends
 * sanitize them for their medium.
 *
 * @param timestampMillis wall-clock time of the refresh
 * @param elapsedSeconds  seconds since the run started
 * @param capBps          the configured bandwidth cap in bits per second, or null
 * @param coverage        what the sources can and cannot see (shown at the top, never hidden)
 */
public record LiveSnapshot(long timestampMillis, double elapsedSeconds, Long capBps, List<InterfaceRow> interfaces,
                           Coverage coverage, List<ProcessRow> processes, List<ConnectionRow> connections,
                           List<RemoteRow> remotes, Unattributed unattributed) {

    /**
     * One capture interface: what crossed it, and the capture's own drop counters. {@code publicRates} is the part
     * exchanged with public Internet addresses (what a provider's bandwidth cap counts), or null when not measured.
     */
    public record InterfaceRow(String name, List<String> addresses, Rates rates, long captureReceived,
                               long captureDropped, long interfaceDropped, Rates publicRates) {}

    /** Which sources are active; {@code gaps} says in plain words what is not covered (no root, no libpcap...). */
    public record Coverage(boolean packetCapture, boolean socketTable, boolean processTable, boolean tcpCounters,
                           List<String> gaps) {}

    /**
     * One process: identity facts and its traffic. {@code exited} processes stay with their final totals until the
     * run ends.
     */
    public record ProcessRow(int pid, int ppid, String name, String exe, String cmdline, String user,
                             String container, boolean exited, int connections, Rates rates) {}

    /** One conversation of a local process with a remote endpoint. pid is -1 when unattributed. */
    public record ConnectionRow(String protocol, String localAddr, Integer localPort, String remoteAddr,
                                Integer remotePort, int pid, String process, Rates rates) {}

    /** One remote address and what this host exchanged with it, with the processes that talked to it. */
    public record RemoteRow(String addr, List<Integer> pids, List<String> processes, int connections,
                            Rates rates) {}

    /** Traffic not tied to any process, with the reason for each part (interface total = processes + this). */
    public record Unattributed(Rates rates, Map<String, Rates> reasons) {}
}
