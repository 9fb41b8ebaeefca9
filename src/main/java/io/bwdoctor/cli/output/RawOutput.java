package io.bwdoctor.cli.output;

import io.bwdoctor.core.live.LiveSnapshot;
import io.bwdoctor.core.live.Rates;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** `top --raw`: one JSON object per refresh, newline-delimited (documented in docs/JSON.md). */
public final class RawOutput {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RawOutput() {}

    public static void write(LiveSnapshot s, PrintStream out) {
        out.println(MAPPER.writeValueAsString(toMap(s)));
        out.flush();
    }

    static Map<String, Object> toMap(LiveSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", java.math.BigDecimal.valueOf(s.timestampMillis(), 3)); // epoch seconds, millisecond precision
        m.put("elapsed_seconds", Math.round(s.elapsedSeconds() * 1000) / 1000.0);
        m.put("cap_bps", s.capBps());
        Map<String, Object> coverage = new LinkedHashMap<>();
        coverage.put("packet_capture", s.coverage().packetCapture());
        coverage.put("socket_table", s.coverage().socketTable());
        coverage.put("gaps", s.coverage().gaps());
        m.put("coverage", coverage);
        List<Object> interfaces = new ArrayList<>();
        for (LiveSnapshot.InterfaceRow i : s.interfaces()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", i.name());
            r.put("addresses", i.addresses());
            rates(r, i.rates());
            r.put("capture_received", i.captureReceived());
            r.put("capture_dropped", i.captureDropped());
            r.put("interface_dropped", i.interfaceDropped());
            interfaces.add(r);
        }
        m.put("interfaces", interfaces);
        List<Object> processes = new ArrayList<>();
        for (LiveSnapshot.ProcessRow p : s.processes()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("pid", p.pid());
            r.put("ppid", p.ppid());
            r.put("name", p.name());
            r.put("exe", p.exe());
            r.put("cmdline", p.cmdline());
            r.put("user", p.user());
            r.put("container", p.container());
            r.put("exited", p.exited());
            r.put("connections", p.connections());
            rates(r, p.rates());
            processes.add(r);
        }
        m.put("processes", processes);
        List<Object> connections = new ArrayList<>();
        for (LiveSnapshot.ConnectionRow c : s.connections()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("protocol", c.protocol());
            r.put("local_addr", c.localAddr());
            r.put("local_port", c.localPort());
            r.put("remote_addr", c.remoteAddr());
            r.put("remote_port", c.remotePort());
            r.put("pid", c.pid() < 0 ? null : c.pid());
            r.put("process", c.process());
            rates(r, c.rates());
            connections.add(r);
        }
        m.put("connections", connections);
        List<Object> remotes = new ArrayList<>();
        for (LiveSnapshot.RemoteRow x : s.remotes()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("addr", x.addr());
            r.put("pids", x.pids());
            r.put("processes", x.processes());
            r.put("connections", x.connections());
            rates(r, x.rates());
            remotes.add(r);
        }
        m.put("remotes", remotes);
        Map<String, Object> unattributed = new LinkedHashMap<>();
        rates(unattributed, s.unattributed().rates());
        Map<String, Object> reasons = new LinkedHashMap<>();
        s.unattributed().reasons().forEach((k, v) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            rates(r, v);
            reasons.put(k, r);
        });
        unattributed.put("reasons", reasons);
        m.put("unattributed", unattributed);
        return m;
    }

    private static void rates(Map<String, Object> r, Rates x) {
        r.put("tx_bytes", x.txBytes());
        r.put("rx_bytes", x.rxBytes());
        r.put("tx_packets", x.txPackets());
        r.put("rx_packets", x.rxPackets());
        r.put("tx_bps_2s", x.txBps2s());
        r.put("rx_bps_2s", x.rxBps2s());
        r.put("tx_bps_10s", x.txBps10s());
        r.put("rx_bps_10s", x.rxBps10s());
        r.put("tx_bps_40s", x.txBps40s());
        r.put("rx_bps_40s", x.rxBps40s());
        r.put("tx_peak_bps", x.txPeakBps());
        r.put("rx_peak_bps", x.rxPeakBps());
        r.put("peak_bps", x.peakBps());
    }
}
