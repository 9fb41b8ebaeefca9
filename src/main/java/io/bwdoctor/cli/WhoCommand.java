package io.bwdoctor.cli;

import io.bwdoctor.core.attribution.IpWords;
import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.report.Addresses;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.platform.linux.NetlinkException;
import io.bwdoctor.platform.linux.ProcScanner;
import io.bwdoctor.platform.linux.SockDiag;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

/** `bwdoctor who IP|CIDR|PORT`: which processes talk to that remote right now (the runbook's `lsof -i | grep IP`). */
@Command(name = "who", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the processes with sockets to a remote address, network or port right now, with each "
                + "connection and, for TCP, the bytes the kernel counted on it (sent, received, retransmitted).",
                "Reads the kernel's socket table; run as root to see every process's sockets."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed (possibly nothing)", "1:the socket table could not be read", "2:bad usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  sudo bwdoctor who 203.0.113.77", "  sudo bwdoctor who 198.51.100.0/24 --json",
                "  sudo bwdoctor who 3333"})
final class WhoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IP|CIDR|PORT", description = "A remote address (IPv4 or IPv6), a network in CIDR "
            + "notation, or a port number (matches the remote or the local port).")
    String target;

    @Option(names = "--json", description = "One JSON object with a connections array.")
    boolean json;

    @Option(names = "--netns", paramLabel = "NAME", description = "Look inside this named network namespace.")
    String netns;

    private record Match(int version, long hi, long lo, int prefix, int port) {
        boolean matches(SocketRecord s) {
            if (port >= 0) {
                return s.remotePort() == port || s.localPort() == port;
            }
            if (s.ipVersion() != version || s.remotePort() == 0) {
                return false;
            }
            return prefix == 0 || (prefix <= 64 ? ((s.remoteHi() ^ hi) >>> (64 - prefix)) == 0
                    : s.remoteHi() == hi && ((s.remoteLo() ^ lo) >>> (128 - prefix)) == 0);
        }
    }

    @Override
    public Integer call() {
        Match match = parse(target);
        if (!Main.enterNetns(netns)) {
            return Main.EXIT_INPUT;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        try (SockDiag sockets = SockDiag.open(); ProcScanner processes = new ProcScanner()) {
            processes.rescanAll();
            List<SocketRecord> found = sockets.dump().stream().filter(match::matches)
                    .sorted(Comparator.comparingLong((SocketRecord s) -> -Math.max(0, s.bytesSent())
                            - Math.max(0, s.bytesReceived()))).toList();
            for (SocketRecord s : found) {
                int pid = processes.ownerPid(s);
                ProcessInfo info = pid >= 0 ? processes.describe(pid).orElse(null) : null;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("pid", pid >= 0 ? pid : null);
                r.put("process", info == null ? null : info.name());
                r.put("user", info == null ? null : info.user());
                r.put("exe", info == null ? null : info.exe());
                r.put("protocol", s.transport().name().toLowerCase());
                r.put("state", s.state().name());
                r.put("local", endpoint(s.ipVersion(), s.localHi(), s.localLo(), s.localPort()));
                r.put("remote", endpoint(s.ipVersion(), s.remoteHi(), s.remoteLo(), s.remotePort()));
                r.put("bytes_sent", s.bytesSent() < 0 ? null : s.bytesSent());
                r.put("bytes_received", s.bytesReceived() < 0 ? null : s.bytesReceived());
                r.put("bytes_retransmitted", s.bytesRetrans() < 0 ? null : s.bytesRetrans());
                rows.add(r);
            }
        } catch (NetlinkException e) {
            System.err.println("bwdoctor: cannot read the socket table: " + Safe.terminal(e.getMessage()));
            return Main.EXIT_INPUT;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            out.println(JsonMapper.builder().build().writeValueAsString(Map.of("target", target, "connections", rows)));
        } else if (rows.isEmpty()) {
            out.println("no socket talks to " + Safe.terminal(target) + " right now");
        } else {
            out.printf("%-8s %-16s %-5s %-12s %-40s %-40s %10s %10s%n", "PID", "PROCESS", "PROTO", "STATE", "LOCAL",
                    "REMOTE", "SENT", "RECEIVED");
            for (Map<String, Object> r : rows) {
                out.printf("%-8s %-16s %-5s %-12s %-40s %-40s %10s %10s%n", str(r.get("pid")),
                        Safe.terminal(str(r.get("process"))), r.get("protocol"), r.get("state"), r.get("local"),
                        r.get("remote"), bytes(r.get("bytes_sent")), bytes(r.get("bytes_received")));
            }
        }
        return 0;
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static String bytes(Object o) {
        return o == null ? "-" : io.bwdoctor.cli.output.Units.bytes((Long) o);
    }

    private static String endpoint(int version, long hi, long lo, int port) {
        String a = Addresses.format(version, hi, lo);
        return version == 6 ? "[" + a + "]:" + port : a + ":" + port;
    }

    private Match parse(String text) {
        try {
            if (text.matches("\\d{1,5}")) {
                int port = Integer.parseInt(text);
                if (port <= 65535) {
                    return new Match(0, 0, 0, 0, port);
                }
            }
            String[] parts = text.split("/", 2);
            if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                throw new UnknownHostException(text);
            }
            InetAddress address = InetAddress.getByName(parts[0]);
            int version = IpWords.version(address);
            int max = version == 4 ? 32 : 128;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
            if (prefix < 0 || prefix > max) {
                throw new NumberFormatException();
            }
            int prefix128 = version == 4 ? 96 + prefix : prefix; // IPv4 words sit in the low 32 bits
            return new Match(version, IpWords.hi(address), IpWords.lo(address), version == 4 && prefix128 <= 96 ? 0
                    : prefix128, -1);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "'" + text
                    + "' is not an IP address, a CIDR network or a port");
        }
    }
}
