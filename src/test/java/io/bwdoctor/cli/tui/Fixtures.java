package io.bwdoctor.cli.tui;

import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.LiveSnapshot.ConnectionRow;
import io.bwdoctor.core.live.LiveSnapshot.Coverage;
import io.bwdoctor.core.live.LiveSnapshot.InterfaceRow;
import io.bwdoctor.core.live.LiveSnapshot.ProcessRow;
import io.bwdoctor.core.live.LiveSnapshot.RemoteRow;
import io.bwdoctor.core.live.LiveSnapshot.Unattributed;
import io.bwdoctor.core.live.Rates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Snapshots as the live engine would build them, with hostile and wide names. */
final class Fixtures {
    static final String OSC_TITLE = "\u001b]0;pwned\u0007";
    static final String CLEAR_SCREEN = "\u001b[2Jrm";
    static final long T0 = 1_764_500_000_000L;

    private Fixtures() {}

    /** Rates with 10 s and 40 s windows at 90 % and 80 % of the 2 s rate. */
    static Rates rates(long tx2, long rx2, long txBytes, long rxBytes) {
        return new Rates(txBytes, rxBytes, txBytes / 1000, rxBytes / 1000, tx2, rx2, tx2 * 9 / 10, rx2 * 9 / 10,
                tx2 * 8 / 10, rx2 * 8 / 10, tx2 * 3 / 2, rx2 * 3 / 2, (tx2 + rx2) * 3 / 2);
    }

    static Rates sum(List<Rates> parts) {
        long[] v = new long[13];
        for (Rates r : parts) {
            long[] x = {r.txBytes(), r.rxBytes(), r.txPackets(), r.rxPackets(), r.txBps2s(), r.rxBps2s(),
                    r.txBps10s(), r.rxBps10s(), r.txBps40s(), r.rxBps40s(), r.txPeakBps(), r.rxPeakBps(), r.peakBps()};
            for (int i = 0; i < 13; i++) {
                v[i] += x[i];
            }
        }
        return new Rates(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
    }

    static List<ProcessRow> processes() {
        List<ProcessRow> p = new ArrayList<>();
        p.add(new ProcessRow(1234, 1, "nginx", "/usr/sbin/nginx", "nginx: worker process", "www-data", "web-1",
                false, 42, rates(3_900_000, 150_000, 48_000_000, 2_000_000)));
        p.add(new ProcessRow(2345, 1, "微信服务", "/opt/wx/微信服务", "/opt/wx/微信服务 --sync", "李雷", null,
                false, 3, rates(250_000, 1_200_000, 3_000_000, 15_000_000)));
        p.add(new ProcessRow(3456, 1, "카카오톡", "/opt/kakao/카카오톡", "", "kim", null, false, 2,
                rates(120_000, 80_000, 1_500_000, 1_000_000)));
        p.add(new ProcessRow(4567, 1, OSC_TITLE, "/tmp/x", "sh -c " + CLEAR_SCREEN, "mallory", null, false, 1,
                rates(5_000, 1_000, 60_000, 12_000)));
        p.add(new ProcessRow(5678, 1, CLEAR_SCREEN, "/tmp/y", "", "mallory", null, false, 1,
                rates(1_000, 1_000, 12_000, 12_000)));
        p.add(new ProcessRow(6789, 1, "curl", "/usr/bin/curl", "curl -O https://example.org/big.iso", "root", null,
                true, 0, rates(0, 0, 900_000, 700_000_000)));
        return p;
    }

    static Unattributed unattributed() {
        Map<String, Rates> reasons = new LinkedHashMap<>();
        reasons.put("no socket owner", rates(40_000, 20_000, 500_000, 250_000));
        reasons.put("broadcast", rates(0, 6_000, 0, 80_000));
        return new Unattributed(sum(List.copyOf(reasons.values())), reasons);
    }

    static List<ConnectionRow> connections() {
        return List.of(
                new ConnectionRow("tcp", "192.0.2.10", 443, "198.51.100.7", 51234, 1234, "nginx",
                        rates(3_000_000, 0, 40_000_000, 100_000)),
                new ConnectionRow("tcp", "192.0.2.10", 443, "198.51.100.8", 40000, 1234, "nginx",
                        rates(900_000, 150_000, 8_000_000, 1_900_000)),
                new ConnectionRow("udp", "192.0.2.10", 53, "203.0.113.5", 5353, -1, null,
                        rates(0, 6_000, 0, 80_000)),
                new ConnectionRow("tcp", "2001:db8::10", 22, "2001:db8:ffff:ffff:ffff:ffff:ffff:99", 60000, 2345,
                        "微信服务", rates(250_000, 1_200_000, 3_000_000, 15_000_000)),
                new ConnectionRow("tcp", "192.0.2.10", 40001, "203.0.113.66", 80, 4567, OSC_TITLE,
                        rates(5_000, 1_000, 60_000, 12_000)));
    }

    static List<RemoteRow> remotes() {
        return List.of(
                new RemoteRow("198.51.100.7", List.of(1234), List.of("nginx"), 1, rates(3_000_000, 0, 40_000_000, 100_000)),
                new RemoteRow("198.51.100.8", List.of(1234), List.of("nginx"), 1, rates(900_000, 150_000, 8_000_000, 1_900_000)),
                new RemoteRow("2001:db8:ffff:ffff:ffff:ffff:ffff:99", List.of(2345), List.of("微信服务"), 1,
                        rates(250_000, 1_200_000, 3_000_000, 15_000_000)),
                new RemoteRow("203.0.113.66", List.of(4567), List.of(OSC_TITLE), 1, rates(5_000, 1_000, 60_000, 12_000)),
                new RemoteRow("203.0.113.5", List.of(), List.of(), 1, rates(0, 6_000, 0, 80_000)));
    }

    static LiveSnapshot snapshot() {
        return snapshot(0, 0, List.of("no root: sockets of other users' processes cannot be attributed",
                "TCP byte counters unavailable: per-connection totals come from the capture only"));
    }

    static LiveSnapshot snapshot(long captureDropped, long interfaceDropped, List<String> gaps) {
        List<ProcessRow> processes = processes();
        Unattributed un = unattributed();
        List<Rates> all = new ArrayList<>(processes.stream().map(ProcessRow::rates).toList());
        all.add(un.rates());
        Rates total = sum(all);
        InterfaceRow eth0 = new InterfaceRow("eth0", List.of("192.0.2.10", "2001:db8::10"), total, 1_234_567,
                captureDropped, interfaceDropped, null);
        Coverage coverage = new Coverage(true, true, true, gaps.isEmpty(), gaps);
        return new LiveSnapshot(T0, 83.4, 5_000_000L, List.of(eth0), coverage, processes, connections(), remotes(),
                un);
    }
}
